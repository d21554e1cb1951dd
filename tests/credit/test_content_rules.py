"""The course lint for the pre/post tests and the credit configuration: a problem names file, line and field."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hnscc_edu.content.course import load_course
from tests.helpers import ROOT


@pytest.fixture
def course(tmp_path):
    """A copy of the course's files that a test may break."""
    for name in ("course.yaml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("references", "quizzes", "cases"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1))


def problems(root) -> list[str]:
    return [str(p) for p in load_course(root).problems]


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_the_real_course_has_no_problems():
    assert problems(ROOT) == []


def test_a_dangling_pair_is_reported_with_file_line_and_field(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo1-recovery", "pairs_with: pre-lo1-no-such-item")
    line = line_of(post, "pairs_with: pre-lo1-no-such-item")
    found = problems(course)
    assert (
        f"quizzes/post-test.yaml:{line}: items[1].pairs_with: names no pre-test item: 'pre-lo1-no-such-item'" in found
    )
    # and the pre-test item that lost its twin is reported too
    assert any(
        p.startswith("quizzes/pre-test.yaml:")
        and "no post-test item is paired with this pre-test item" in p
        and "pre-lo1-recovery" in p
        for p in found
    )


def test_a_pair_across_objectives_and_a_double_pair_are_reported(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo2-t4b", "pairs_with: pre-lo1-miri-class")
    found = problems(course)
    assert any(
        "items[16].pairs_with: is paired with 'pre-lo1-miri-class' on objective 'lo1-reirradiation', but "
        "this item's objective is 'lo2-salvage'" in p
        for p in found
    )
    edit(
        post,
        "objective: lo2-salvage\n    skill: recall\n    pairs_with: pre-lo1-miri-class",
        "objective: lo1-reirradiation\n    skill: recall\n    pairs_with: pre-lo1-miri-class",
    )
    assert any(
        "pre-test item 'pre-lo1-miri-class' is already paired with 'post-lo1-miri-class'" in p for p in problems(course)
    )


def test_pairs_belong_to_post_test_items_only(course):
    pre = course / "quizzes" / "pre-test.yaml"
    edit(pre, "  - id: pre-lo1-recovery\n", "  - id: pre-lo1-recovery\n    pairs_with: pre-lo1-miri-class\n")
    assert any(
        "items[1].pairs_with: only post-test items are paired (this bank's purpose is 'pre')" in p
        for p in problems(course)
    )


def test_a_pool_smaller_than_the_draw_is_reported(course):
    edit(course / "course.yaml", "items_per_attempt: 12", "items_per_attempt: 40")
    assert any(
        p.startswith("quizzes/post-test.yaml:")
        and "the post-test pool has 36 items on the course's objectives; course.yaml draws 40 per attempt" in p
        for p in problems(course)
    )


def test_fewer_than_ten_items_per_attempt_is_a_schema_error(course):
    edit(course / "course.yaml", "items_per_attempt: 12", "items_per_attempt: 8")
    assert any(p.startswith("course.yaml:") and "post_test.items_per_attempt" in p for p in problems(course))


def test_ama_wording_for_every_degree_is_refused(course):
    edit(course / "course.yaml", "      degrees: [MD, DO]\n", "")
    assert any(
        "credit.types[0].degrees: AMA PRA Category 1 Credit™ is for physicians only" in p for p in problems(course)
    )


def test_a_course_without_a_certificate_for_everyone_is_reported(course):
    edit(
        course / "course.yaml",
        """    - id: attendance
      certificate_title: "Certificate of Participation"
      amount_heading: "Time of participation"
      amount_label: "hours"
""",
        "",
    )
    assert any("credit.types: no credit type accepts every learner" in p for p in problems(course))


def test_the_validate_command_reports_a_dangling_pair_and_fails(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo3-p16", "pairs_with: pre-lo3-gone")
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "hnscc-edu"), "--root", str(course), "validate"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    line = line_of(post, "pairs_with: pre-lo3-gone")
    assert (
        f"quizzes/post-test.yaml:{line}: items[27].pairs_with: names no pre-test item: 'pre-lo3-gone'" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_a_course_file_without_credit_settings_gets_the_defaults():
    """The fixture course names no credit settings: it gets the defaults, and as a draft says it is not accredited."""
    from hnscc_edu.content import statements
    from tests.helpers import fixture_course

    info = fixture_course().info
    assert info.post_test.items_per_attempt == 12 and info.credit.types[-1].id == "attendance"
    assert info.mode == "draft" and "has not been run for credit" in statements.accreditation_statement(info)


def test_only_the_ama_kind_may_award_ama_credit(course):
    edit(course / "course.yaml", 'amount_label: "hours"', 'amount_label: "AMA PRA Category 1 Credit™"')
    assert any(
        "credit.types[1].kind: only a type of kind ama-pra-category-1 may award AMA PRA credit" in p
        for p in problems(course)
    )


# --- Issue 18 §1: the activity record of a course run for credit ---------------------------------------------------
A_REAL_RECORD = """people:
  - name: "Dana Director"
    degrees: "MD"
    roles: [course_director, planner]
    financial_relationships: none
  - name: "Eli Author"
    degrees: "MD, PhD"
    roles: [faculty]
    financial_relationships:
      - company: "Example Pharma"
        nature: "consulting fee"
        mitigation: "a reviewer without relationships checked every item he wrote"
  - name: "Fay Reviewer"
    degrees: "MD"
    roles: [reviewer]
    financial_relationships: none
"""


def for_credit(course, record: str = A_REAL_RECORD) -> None:
    """The course as an accredited provider would run it: a real provider, contact and people, mode for_credit."""
    path = course / "course.yaml"
    text = path.read_text()
    start, end = text.index("people:\n"), text.index("commercial_support:")
    text = text[:start] + record + text[end:]
    text = text.replace(
        'provider: "TO BE COMPLETED: the accredited provider (this open course kit is not one)"',
        'provider: "Example University School of Medicine"',
    )
    text = text.replace(
        text[text.index("contact: ") : text.index("\n", text.index("contact: "))],
        'contact: "cme@example.org, +1 555 0100"',
    )
    path.write_text(text.replace("mode: draft", "mode: for_credit"))


def test_a_complete_record_for_credit_passes_and_prints_the_ama_wording(course):
    from hnscc_edu.content import statements

    for_credit(course)
    assert problems(course) == []
    info = load_course(course).info
    assert statements.accreditation_statement(info) == (
        "Example University School of Medicine is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians."
    )
    assert statements.designation_statement(info) == (
        "Example University School of Medicine designates this enduring material for a maximum of 1.00 AMA PRA "
        "Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent of their "
        "participation in the activity."
    )
    assert "<em>AMA PRA Category 1 Credit(s)™</em>." in statements.html_with_ama_italics(
        statements.designation_statement(info)
    )


def test_the_designation_follows_the_designated_amount_and_a_joint_provider(course):
    from hnscc_edu.content import statements

    for_credit(course)
    edit(course / "course.yaml", "designated_amount: 1.0", "designated_amount: 1.5")
    edit(course / "course.yaml", "mode: for_credit", 'mode: for_credit\njoint_provider: "Head and Neck Society"')
    info = load_course(course).info
    assert "for a maximum of 1.50 AMA PRA Category 1 Credit(s)™." in statements.designation_statement(info)
    assert statements.accreditation_statement(info).startswith(
        "This activity has been planned and implemented in accordance with the accreditation requirements and "
        "policies of the Accreditation Council for Continuing Medical Education (ACCME) through the joint "
        "providership of Example University School of Medicine and Head and Neck Society. Example University "
        "School of Medicine is accredited by the ACCME"
    )


def test_the_kit_as_shipped_is_a_draft_with_placeholders_and_fails_for_credit(course):
    edit(course / "course.yaml", "mode: draft", "mode: for_credit")
    found = problems(course)
    path = course / "course.yaml"
    for field, line_text in [
        ("provider", "provider: "),
        ("contact", "contact: "),
        ("people[0].team", "team: true"),
        ("people[0].degrees", 'name: "hnscc-edu content team"'),
        ("people[2].name", 'name: "TO BE COMPLETED'),
    ]:
        line = line_of(path, line_text)
        assert any(p.startswith(f"course.yaml:{line}: {field}:") for p in found), (field, found)


@pytest.mark.parametrize(
    "old, new, field, says",
    [
        ('provider: "Example University School of Medicine"', 'provider: "TO BE COMPLETED"', "provider", "placeholder"),
        ('contact: "cme@example.org, +1 555 0100"', 'contact: "TBD"', "contact", "placeholder"),
        ('    degrees: "MD, PhD"\n', "", "people[1].degrees", "'Eli Author' has no degrees"),
        (
            'company: "Example Pharma"',
            'company: "TO BE COMPLETED"',
            "people[1].financial_relationships[0].company",
            "placeholder",
        ),
        (
            'mitigation: "a reviewer without relationships checked every item he wrote"',
            'mitigation: "tbd"',
            "people[1].financial_relationships[0].mitigation",
            "placeholder",
        ),
        ("roles: [course_director, planner]", "roles: [planner]", "people", "names no course director"),
        ("roles: [faculty]", "roles: [reviewer]", "people", "names no faculty"),
        ('name: "Fay Reviewer"', 'name: "Review team"\n    team: true', "people[2].team", "'Review team' is a team"),
        (
            "commercial_support: none",
            'commercial_support:\n  - name: "TO BE COMPLETED"\n    kind: "educational grant"',
            "commercial_support[0].name",
            "placeholder",
        ),
    ],
)
def test_each_placeholder_of_a_course_for_credit_is_named(course, old, new, field, says):
    for_credit(course)
    edit(course / "course.yaml", old, new)
    found = [p for p in problems(course) if f": {field}: " in p]
    assert found and says in found[0], problems(course)
    assert all(p.startswith("course.yaml:") for p in problems(course))


def test_a_person_must_disclose_explicitly(course):
    """No default: a person without financial_relationships is an error, not "none"."""
    edit(
        course / "course.yaml", "    roles: [reviewer]\n    financial_relationships: none\n", "    roles: [reviewer]\n"
    )
    assert any("people[1].financial_relationships: is required but missing" in p for p in problems(course))


# --- Issue 15 §4: the post-test decides credit ------------------------------------------------------------------
def test_a_pool_too_small_for_unseen_retakes_is_reported(course):
    """items_per_attempt x max_attempts: 12 x 4 = 48 > 36, so a fourth attempt would have to repeat items."""
    edit(course / "course.yaml", "max_attempts: 3", "max_attempts: 4")
    assert any(
        p.startswith("quizzes/post-test.yaml:")
        and "the post-test pool has 36 items" in p
        and "at least 12 x 4 = 48 (post_test.items_per_attempt x max_attempts)" in p
        for p in problems(course)
    )


def test_an_objective_too_small_for_unseen_retakes_is_reported(course):
    """The total can be enough while one objective's pool is not: its quota times the attempts must fit."""
    post = course / "quizzes" / "post-test.yaml"
    edit(
        post,
        "  - id: post-lo1-orn\n    type: single_best_answer\n    objective: lo1-reirradiation\n",
        "  - id: post-lo1-orn\n    type: single_best_answer\n    objective: lo2-salvage\n",
    )
    assert any(
        "objective 'lo1-reirradiation' has 11 post-test items; each attempt draws 4, so 3 attempts need 12" in p
        for p in problems(course)
    )


def test_too_few_decision_items_on_an_objective_is_reported(course):
    post = course / "quizzes" / "post-test.yaml"
    for item_id in ("post-lo1-reirradiate-or-not", "post-lo1-imrt-or-sbrt"):
        edit(
            post,
            f"  - id: {item_id}\n    type: single_best_answer\n    objective: lo1-reirradiation\n    skill: decision\n",
            f"  - id: {item_id}\n    type: single_best_answer\n    objective: lo1-reirradiation\n    skill: recall\n",
        )
    assert any(
        p.startswith("quizzes/post-test.yaml:")
        and "objective 'lo1-reirradiation' has 1 post-test item(s) with 'skill: decision'; it needs at least 2" in p
        for p in problems(course)
    )


def test_a_missing_skill_and_a_pair_across_skills_are_reported(course):
    pre = course / "quizzes" / "pre-test.yaml"
    edit(
        pre,
        "  - id: pre-lo1-recovery\n    type: single_best_answer\n    objective: lo1-reirradiation\n"
        "    skill: application\n",
        "  - id: pre-lo1-recovery\n    type: single_best_answer\n    objective: lo1-reirradiation\n    skill: recall\n",
    )
    found = problems(course)
    assert any(
        "items[1].skill: is 'application' but its pre-test twin 'pre-lo1-recovery' is 'recall'; a pair "
        "shares its skill" in p
        for p in found
    )
    edit(
        pre,
        "objective: lo1-reirradiation\n    skill: recall\n    professions: [medical_physicist",
        "objective: lo1-reirradiation\n    professions: [medical_physicist",
    )
    assert any(
        p.startswith("quizzes/pre-test.yaml:") and "items[1].skill: pre-test items name their skill" in p
        for p in problems(course)
    )


def _longest_keys(bank_path, count: int) -> None:
    """Make the key the (strictly) longest option of the first ``count`` single-best-answer items of a bank."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(bank_path.read_text())
    done = 0
    for item in data["items"]:
        if item["type"] != "single_best_answer" or done >= count:
            continue
        longest = max(len(str(o["text"])) for o in item["options"])
        key = next(o for o in item["options"] if o.get("correct"))
        key["text"] = str(key["text"]) + " " + "x" * (longest - len(str(key["text"])) + 1)
        done += 1
    with bank_path.open("w") as out:
        yaml.dump(data, out)


def test_a_bank_whose_key_is_the_longest_option_too_often_is_reported(course):
    """The cue rule applies to every bank: a third is allowed (4 of 12), more is a problem."""
    pre = course / "quizzes" / "pre-test.yaml"
    _longest_keys(pre, 4)
    assert not any("answer cue" in p for p in problems(course) if p.startswith("quizzes/pre-test.yaml:"))
    _longest_keys(pre, 5)
    found = [p for p in problems(course) if p.startswith("quizzes/pre-test.yaml:") and "answer cue" in p]
    assert len(found) == 1 and "the key is the longest option in 5 of 12 single-best-answer items" in found[0]
    assert "pre-lo1-miri-class" in found[0]


def test_the_cue_rule_covers_module_banks_too(course):
    bank = next(
        path for path in sorted((course / "quizzes").glob("module*.yaml")) if "single_best_answer" in path.read_text()
    )
    _longest_keys(bank, 100)
    assert any(
        p.startswith(f"quizzes/{bank.name}:") and "answer cue: the key is the longest option" in p
        for p in problems(course)
    )


@pytest.mark.parametrize("phrase", ["All of the above", "none of the Above"])
def test_all_or_none_of_the_above_is_reported(course, phrase):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, '        text: "Her age of 71 years"', f'        text: "{phrase}"')
    line = line_of(post, phrase)
    assert any(
        p.startswith(f"quizzes/post-test.yaml:{line}:")
        and "answer cue: an option says 'all of the above' or 'none of the above'" in p
        for p in problems(course)
    )


def test_the_real_banks_have_no_answer_cue_and_a_full_pool():
    from hnscc_edu.content.assessment_rules import key_is_longest
    from hnscc_edu.content.models import SingleBestAnswer
    from tests.credit.conftest import COURSE, INFO

    post = next(b for b in COURSE.banks.values() if b.purpose == "post")
    assert len(post.items) >= INFO.post_test.items_per_attempt * INFO.post_test.max_attempts
    for bank in (b for b in COURSE.banks.values() if b.purpose in ("pre", "post")):
        single = [i for i in bank.items if isinstance(i, SingleBestAnswer)]
        assert 3 * sum(key_is_longest(i) for i in single) <= len(single), bank.id
