"""Learning records written the way the course writes them: a real SQLite store, a case walked through
``CaseSession`` (real grading, real moves) and a bank answered through ``Store.record_attempt``."""

from __future__ import annotations

from pathlib import Path

from hnscc_edu.content.course import CourseContent
from hnscc_edu.rules.grading import grade
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store

CASE_ANSWERS = [  # (stage, item, response): a wrong single answer, a partial multiple select, two correct
    ("history", "fx-single", "b"),
    ("history", "fx-multi", ["a", "c"]),
    ("plan", "fx-numeric", "70.2 Gy"),
    ("plan", "fx-branch", "main"),
    ("end", "fx-last", "a"),
]


def fill_store(path: Path, fixture: CourseContent) -> Store:
    """Learner "ana" completes the fixture case; "ben" answers the whole fixture bank, then one item of it again in
    a second run that he does not finish."""
    store = Store(f"sqlite:///{path}")
    case = fixture.cases["fixture-case"]
    session = CaseSession(case, store, "ana")
    for stage_id, item_id, response in CASE_ANSWERS:
        assert session.stage.id == stage_id
        session.submit(item_id, response)
        if not session.state.completed and not [
            i for s, i, _ in CASE_ANSWERS if s == stage_id and i not in session.state.answers
        ]:
            session.advance()
    assert session.state.completed
    bank = fixture.banks["fixture-bank"]
    for run, answers in ((1, {"fxb-1": "b"}), (2, {"fxb-1": "a"})):
        for item in bank.items:
            if item.id in answers:
                result = grade(item, answers[item.id])
                store.record_attempt(
                    "ben",
                    "bank",
                    bank.id,
                    run,
                    item.id,
                    answers[item.id],
                    result.score,
                    result.max_score,
                    result.correct,
                )
    return store
