"""Issue 18 §2: the evaluation is asked of every learner who finishes, pass or not, and the report gives it item by
item, split by whether the learner passed, with the comments on bias and barriers but never the learner's id."""

from __future__ import annotations

from hnscc_edu.export import report
from tests.credit.conftest import COURSE, EVALUATION, INFO, take_test, walk


def finish_failing(store, learner: str, clock) -> None:
    path = walk(store, learner, clock, until="posttest")
    for _ in range(INFO.post_test.max_attempts):
        path.start_posttest()
        take_test(path, correct=0)
    path.submit_evaluation(
        {o.id: "partly" for o in INFO.objectives},
        {},
        False,
        "One drug was over-emphasised",
        intents={o.id: "no change planned" for o in INFO.objectives},
        answers={**EVALUATION["answers"], "relevance": "disagree", "barriers": ["cost or reimbursement"]},
        barrier_comment="No PET access",
    )


def test_the_report_gives_every_evaluation_item_by_item_for_passers_and_non_passers(store, clock):
    walk(store, "passes", clock, until="attestation")  # passes and evaluates with EVALUATION
    finish_failing(store, "fails", clock)
    walk(store, "halfway", clock, until="evaluation")  # passed, has not evaluated yet: not counted
    data = report.build(COURSE, store)
    items = data.evaluation_items

    def row(question, answer, objective=""):
        found = items[(items.question == question) & (items.answer == answer) & (items.objective == objective)]
        assert len(found) == 1, (question, answer, objective)
        return found.iloc[0]

    relevance_agree, relevance_disagree = row("relevance", "agree"), row("relevance", "disagree")
    assert (relevance_agree.learners, relevance_agree.passed, relevance_agree.not_passed) == (1, 1, 0)
    assert (relevance_disagree.learners, relevance_disagree.passed, relevance_disagree.not_passed) == (1, 0, 1)
    assert relevance_agree.responses == 2 and relevance_agree.percent == 50.0
    assert relevance_agree.percent_of_passed == 100.0 and relevance_disagree.percent_of_not_passed == 100.0
    assert row("relevance", "strongly disagree").learners == 0  # every answer is listed, chosen or not
    assert row("barriers", "time").learners == 1 and row("barriers", "cost or reimbursement").not_passed == 1
    objective = INFO.objectives[0].id
    assert row("intent to change", "will change", objective).passed == 1
    assert row("intent to change", "no change planned", objective).not_passed == 1

    comments = data.evaluation_comments
    assert sorted(zip(comments.about, comments.comment, comments.passed, strict=True)) == [
        ("barriers", "No PET access", False),
        ("commercial bias", "One drug was over-emphasised", False),
    ]
    assert "learner_id" not in comments.columns and "fails" not in comments.to_csv()


def test_the_csvs_and_the_page_carry_the_evaluation(store, clock, tmp_path):
    finish_failing(store, "fails", clock)
    data = report.build(COURSE, store)
    written = report.write(data, COURSE, tmp_path)
    assert {"evaluation_items.csv", "evaluation_comments.csv"} <= {p.name for p in written}
    page = (tmp_path / "report.html").read_text()
    assert "The evaluation, item by item" in page and "No PET access" in page
    assert "Commitments to change (intent)" in page
