"""A module self-check bound to the store: every answer is stored before it is shown, a new session (a kernel restart,
a Voila reload) resumes the same run, the first answer is the one kept, nonsense stores nothing, and "Start again"
opens a new run with the old one kept. On a SQLite file and on PostgreSQL, as every store test."""

from __future__ import annotations

import json

import pytest

from hnscc_edu.rules.case_flow import FlowError
from hnscc_edu.rules.grading import InvalidResponse
from hnscc_edu.sessions.bank_session import CONTEXT, BankSession
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from hnscc_edu.store.database import bank_run_key
from tests.helpers import fixture_course

CONTENT = fixture_course()
CASE = CONTENT.case("fixture-case")
# The fixture bank holds one question; the fixture case's questions give the self-check every input kind to refuse.
BANK = CONTENT.banks["fixture-bank"].model_copy(
    update={
        "items": [
            *CONTENT.banks["fixture-bank"].items,
            *(item for item in CASE.items if item.id in ("fx-single", "fx-multi", "fx-numeric")),
        ]
    }
)


def rows(store: Store, learner: str = "learner-1") -> list[tuple[str, int, str, object]]:
    return [(r["context"], r["run"], r["item_id"], json.loads(r["response"])) for r in store.attempt_rows(learner)]


def test_an_answer_is_graded_and_stored_before_it_is_kept(url):
    store = Store(url)
    session = BankSession(BANK, store, "learner-1")
    assert session.run == 1 and session.progress() == (0, 4) and session.score() == (0, 0)
    result = session.submit("fx-multi", ["b", "a"])
    assert result.correct is True and result.score == result.max_score == 1
    assert rows(store) == [(CONTEXT, 1, "fx-multi", ["a", "b"])]  # one spelling of the answer, as stored
    assert [r["context_id"] for r in store.attempt_rows("learner-1")] == [BANK.id]
    assert session.result("fx-multi") == result and session.response("fx-multi") == ["a", "b"]
    assert session.result("fx-single") is None and session.response("fx-single") is None
    session.submit("fx-numeric", "65 Gy")
    assert session.progress() == (2, 4) and session.score() == (1, 2) and not session.complete


def test_a_new_session_resumes_the_same_run_with_the_same_answers(url):
    first = BankSession(BANK, Store(url), "learner-1")
    first.submit("fxb-1", "b")
    first.submit("fx-numeric", "70")
    again = BankSession(BANK, Store(url), "learner-1")  # a kernel restart: a new store object and a new session
    assert again.run == 1 and again.progress() == (2, 4) and again.score() == (1, 2)
    assert again.response("fxb-1") == "b" and again.result("fxb-1").correct is False
    assert again.result("fx-numeric").correct is True
    assert BankSession(BANK, Store(url), "someone-else").progress() == (0, 4)


def test_a_second_submit_keeps_the_first_answer(url):
    store = Store(url)
    session = BankSession(BANK, store, "learner-1")
    first = session.submit("fx-single", "a")
    assert session.submit("fx-single", "b") == first  # a double click
    other_tab = BankSession(BANK, Store(url), "learner-1")
    stale_tab = BankSession(BANK, Store(url), "learner-1")
    other_tab.submit("fxb-1", "a")
    shown = stale_tab.submit("fxb-1", "b")  # this tab had not seen the other's answer: the stored one wins
    assert shown.correct is True and stale_tab.response("fxb-1") == "a"
    assert rows(store) == [(CONTEXT, 1, "fx-single", "a"), (CONTEXT, 1, "fxb-1", "a")]


def test_an_answer_that_cannot_be_graded_raises_and_stores_nothing(url):
    store = Store(url)
    session = BankSession(BANK, store, "learner-1")
    with pytest.raises(InvalidResponse, match="Please type a number"):
        session.submit("fx-numeric", "about seventy")
    with pytest.raises(InvalidResponse, match="at least one option"):
        session.submit("fx-multi", [])
    with pytest.raises(InvalidResponse):
        session.submit("fx-single", "z")
    with pytest.raises(FlowError, match="not part of this self-check"):
        session.submit("fx-branch", "main")  # a question of the case, not of this bank
    assert rows(store) == [] and session.progress() == (0, 4)
    assert session.submit("fx-numeric", "70").correct is True  # nothing was lost: the question is still open


def test_start_again_opens_a_new_run_and_keeps_the_old_one(url):
    store = Store(url)
    session = BankSession(BANK, store, "learner-1")
    session.submit("fxb-1", "b")
    session.submit("fx-single", "a")
    session.restart()
    assert session.run == 2 and session.progress() == (0, 4) and session.result("fxb-1") is None
    resumed = BankSession(BANK, Store(url), "learner-1")  # the restart is on record before any new answer
    assert resumed.run == 2 and resumed.progress() == (0, 4)
    resumed.submit("fxb-1", "a")
    assert rows(store) == [(CONTEXT, 1, "fxb-1", "b"), (CONTEXT, 1, "fx-single", "a"), (CONTEXT, 2, "fxb-1", "a")]
    assert BankSession(BANK, store, "learner-1").result("fxb-1").correct is True


def test_start_again_in_a_stale_tab_goes_past_the_latest_run(url):
    store = Store(url)
    one, two = BankSession(BANK, store, "learner-1"), BankSession(BANK, store, "learner-1")
    one.restart()
    two.restart()  # it still showed run 1, but run 2 exists: the new run is 3, never an old one reused
    assert (one.run, two.run) == (2, 3)
    assert BankSession(BANK, store, "learner-1").run == 3


def test_bank_runs_stay_apart_from_cases_and_from_the_credit_tests(url):
    store = Store(url)
    case = CaseSession(CASE, store, "learner-1")
    case.submit("fx-single", "a")
    session = BankSession(BANK, store, "learner-1")
    session.submit("fx-single", "b")  # the same item id, answered in the case and in the bank
    session.restart()
    session.restart()
    assert store.current_run("learner-1", CASE.id) == 1  # the bank's restarts do not move the case
    assert CaseSession(CASE, store, "learner-1").response("fx-single") == "a"
    assert ":" in bank_run_key(CONTEXT, BANK.id)  # never a content id, so never a case's key
    store.record_attempt("learner-1", "bank", BANK.id, 3, "fxb-1", "b", 0, 1, False)  # a credit test's answer
    assert BankSession(BANK, store, "learner-1").progress() == (0, 4)


def test_a_stored_answer_the_bank_no_longer_fits_is_kept_but_not_shown(url):
    store = Store(url)
    BankSession(BANK, store, "learner-1").submit("fx-numeric", "70")
    smaller = BANK.model_copy(update={"items": [i for i in BANK.items if i.id != "fx-numeric"]})
    assert BankSession(smaller, store, "learner-1").progress() == (0, 3)
    assert len(store.attempt_rows("learner-1")) == 1
