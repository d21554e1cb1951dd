"""Key-feature (select N, killer options), script concordance (aggregate scoring against a panel) and ordering
(pairwise credit): graders, content lint, and the widgets that collect the answers."""

import datetime as dt
import shutil
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.content.models import ItemBank
from hnscc_edu.rules.grading import InvalidResponse, grade
from hnscc_edu.ui.item_views import ItemView

FEEDBACK = {"rationale": "Because.", "references": ["fixture-source"], "evidence": "consensus"}
BASE = {"objective": "lo1", "professions": ["radiation_oncologist"]}

KEY_FEATURE = {
    **BASE,
    "id": "kf",
    "type": "key_feature",
    "stem": "Before curative re-irradiation, establish:",
    "select": 2,
    "options": [
        {**FEEDBACK, "id": "resect", "text": "Resectability", "correct": True},
        {**FEEDBACK, "id": "dose", "text": "The prior dose to the organs at risk", "correct": True},
        {**FEEDBACK, "id": "pet", "text": "A PET scan only"},
        {**FEEDBACK, "id": "start", "text": "Start re-irradiation at once", "killer": True},
    ],
}
SCT = {
    **BASE,
    "id": "sct",
    "type": "script_concordance",
    "stem": "Recurrent oropharynx cancer, 20 months after RT.",
    "hypothesis": "offering curative re-irradiation",
    "new_information": "feeding-tube dependence",
    "panel": {"counts": [2, 8, 4, 1, 0], "example": True, "description": "Example panel of 15"},
    "feedback": FEEDBACK,
}
ORDERING = {
    **BASE,
    "id": "order",
    "type": "ordering",
    "stem": "Order the work-up.",
    "steps": [
        {**FEEDBACK, "id": "biopsy", "text": "Biopsy"},
        {**FEEDBACK, "id": "imaging", "text": "Restaging imaging"},
        {**FEEDBACK, "id": "mdt", "text": "Tumour board"},
        {**FEEDBACK, "id": "consent", "text": "Consent"},
    ],
}


def bank(*items: dict) -> ItemBank:
    return ItemBank.model_validate(
        {
            "schema_version": 1,
            "kind": "item_bank",
            "id": "b",
            "title": "B",
            "purpose": "module",
            "governance": {
                "authors": ["A"],
                "reviewers": ["R"],
                "last_reviewed": dt.date(2026, 1, 1),
                "next_review_due": dt.date(2027, 1, 1),
                "content_version": "1",
                "changelog": [{"version": "1", "date": dt.date(2026, 1, 1), "note": "n"}],
            },
            "items": list(items),
        }
    )


KF, SC, OR = bank(KEY_FEATURE, SCT, ORDERING).items


def test_key_feature_scores_one_over_n_per_key_and_a_killer_zeroes_it():
    assert grade(KF, ["resect", "dose"]).score == 1.0 and grade(KF, ["resect", "dose"]).correct
    assert grade(KF, ["resect", "pet"]).score == 0.5
    killed = grade(KF, ["resect", "start"])
    assert killed.score == 0.0 and killed.correct is False and "harm" in killed.summary
    with pytest.raises(InvalidResponse, match="at most 2"):
        grade(KF, ["resect", "dose", "pet"])
    with pytest.raises(InvalidResponse, match="at least one"):
        grade(KF, [])
    with pytest.raises(InvalidResponse, match="not one of"):
        grade(KF, ["surgery"])


def test_script_concordance_aggregate_credit():
    # Panel 2/8/4/1/0 for -2..+2: the modal answer (-1) earns 1, -2 earns 2/8, +2 (no panel member) earns 0.
    assert grade(SC, -1).score == 1.0 and grade(SC, -1).correct
    assert grade(SC, -2).score == pytest.approx(0.25)
    assert grade(SC, 2).score == 0.0
    result = grade(SC, 0)
    assert result.score == pytest.approx(0.5) and "Example panel" in result.working
    for nonsense in (3, "-1", None, True, 0.5):
        with pytest.raises(InvalidResponse):
            grade(SC, nonsense)


@given(
    st.lists(st.integers(0, 20), min_size=5, max_size=5).filter(lambda c: max(c) > 0),
    st.sampled_from([-2, -1, 0, 1, 2]),
)
def test_script_concordance_credit_is_the_panel_share_relative_to_the_mode(counts, answer):
    item = bank({**SCT, "panel": {**SCT["panel"], "counts": counts}}).items[0]
    assert grade(item, answer).score == pytest.approx(counts[answer + 2] / max(counts), abs=1e-6)


def test_ordering_pairwise_credit():
    assert grade(OR, ["biopsy", "imaging", "mdt", "consent"]).score == 1.0
    assert grade(OR, ["consent", "mdt", "imaging", "biopsy"]).score == 0.0
    swapped = grade(OR, ["imaging", "biopsy", "mdt", "consent"])
    assert swapped.score == pytest.approx(5 / 6) and swapped.correct is False
    with pytest.raises(InvalidResponse, match="chosen twice"):
        grade(OR, ["biopsy", "biopsy", "mdt", "consent"])
    with pytest.raises(InvalidResponse, match="not placed"):
        grade(OR, ["biopsy", "imaging", "mdt"])


@given(st.permutations(["biopsy", "imaging", "mdt", "consent"]))
def test_ordering_score_counts_pairs_in_the_right_relative_order(order):
    rank = {"biopsy": 0, "imaging": 1, "mdt": 2, "consent": 3}
    right = sum(1 for a, b in combinations(order, 2) if rank[a] < rank[b])
    result = grade(OR, list(order))
    assert result.score == pytest.approx(right / 6, abs=1e-6)
    assert result.correct == (list(order) == ["biopsy", "imaging", "mdt", "consent"])


def test_views_collect_fill_and_key_the_new_types():
    for item in (KF, SC, OR):
        view = ItemView(item, 1)
        with pytest.raises(InvalidResponse):
            grade(item, view.response()) if item.type == "key_feature" else view.response()
        key = view.key_response()
        view.fill(key)
        assert view.response() == key and grade(item, key).correct
        view.lock()
    ordering = ItemView(OR, 1)
    shown = [value for _label, value in ordering.positions[0].options if value is not None]
    assert shown != [step.id for step in OR.steps]  # the key's order is never the order shown
    assert all(len(box.options) == 5 for box in ordering.positions)
    sct = ItemView(SC, 1)
    assert "feeding-tube dependence" in sct.stem.value and "offering curative" in sct.stem.value


def test_lint_catches_key_count_killer_keys_empty_panels_and_duplicate_steps(tmp_path):
    from ruamel.yaml import YAML

    from hnscc_edu.content.course import load_course
    from tests.helpers import FIXTURE_COURSE

    root = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, root)
    objective = load_course(root).info.objectives[0].id
    killer_key = {
        **KEY_FEATURE,
        "id": "kf1",
        "options": KEY_FEATURE["options"][:3] + [{**KEY_FEATURE["options"][3], "correct": True}],
    }
    too_few_keys = {
        **KEY_FEATURE,
        "id": "kf2",
        "options": [{**o, "correct": False} if o["id"] == "dose" else o for o in KEY_FEATURE["options"]],
    }
    empty_panel = {**SCT, "panel": {**SCT["panel"], "counts": [0, 0, 0, 0, 0]}}
    repeated = {**ORDERING, "steps": ORDERING["steps"][:3] + [{**ORDERING["steps"][0], "text": "Again"}]}
    data = bank(KEY_FEATURE).model_dump(exclude_defaults=True)
    data["items"] = [{**item, "objective": objective} for item in (killer_key, too_few_keys, empty_panel, repeated)]
    with open(root / "quizzes" / "new-types.yaml", "w", encoding="utf-8") as out:
        YAML().dump(data, out)
    messages = [p.message for p in load_course(root).problems if "new-types" in str(p.file)]
    assert any("both a key and a killer" in m for m in messages), messages
    assert any("select is 2 but 1 options are keys" in m for m in messages), messages
    assert any("has no answers" in m for m in messages), messages
    assert any("duplicate step id" in m for m in messages), messages


def test_an_ordering_answer_keeps_its_order_through_a_case_session_and_the_store(tmp_path):
    from hnscc_edu.content.course import load_course
    from hnscc_edu.rules.grading import canonical_response
    from hnscc_edu.sessions.case_session import CaseSession
    from hnscc_edu.store import Store
    from tests.helpers import ROOT

    case = load_course(ROOT).case("systemic-later-lines-11")
    item = next(i for i in case.items if i.type == "ordering")
    key = [step.id for step in item.steps]
    assert canonical_response(item, key) == key and canonical_response(KF, ["start", "dose"]) == ["dose", "start"]
    store = Store(f"sqlite:///{tmp_path / 'order.sqlite3'}")
    session = CaseSession(case, store, "orderer")
    stage = next(s for s in case.stages if item in s.items)
    while session.state.current != stage.id:  # answer with the keys up to the ordering item's stage
        for earlier in session.stage.items:
            if session.result(earlier.id) is None:
                from hnscc_edu.ui.item_views import ItemView

                session.submit(earlier.id, ItemView(earlier, 1).key_response())
        session.advance()
    assert session.submit(item.id, key).score == 1.0
    assert CaseSession(case, store, "orderer").response(item.id) == key
