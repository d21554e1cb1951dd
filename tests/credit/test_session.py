"""The session bound to the store: every step is stored first, a reload resumes exactly, bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from hnscc_edu.rules.grading import InvalidResponse
from hnscc_edu.rules.learner_path import PathError, Step
from hnscc_edu.sessions.credit_session import LearnerPath
from hnscc_edu.store.credit import CreditStore, attestations, evaluation_objectives, evaluations
from tests.credit.conftest import COURSE, EVALUATION, INFO, key, take_test, walk, wrong


def test_each_step_resumes_after_a_reload(store, clock):
    path = LearnerPath(COURSE, store, "r", clock=clock)
    assert path.step is Step.activity_info
    path.acknowledge("nurse", "RN")
    items = path.start_pretest()
    path.answer(items[0].id, key(items[0]))
    again = LearnerPath(COURSE, store, "r", clock=clock)  # a Voila reload, a kernel restart
    assert again.step is Step.pre_test and [i.id for i in again.test_items()] == [i.id for i in items]
    assert list(again.answers()) == [items[0].id]
    with pytest.raises(PathError, match="already answered"):
        again.answer(items[0].id, wrong(items[0]))
    for item in again.test_items()[1:]:
        again.answer(item.id, wrong(item))
    assert again.finish_test().score == 1
    assert LearnerPath(COURSE, store, "r", clock=clock).step is Step.modules


def test_the_post_test_draw_and_its_order_survive_a_reload(store, clock):
    path = walk(store, "d", clock, until="posttest")
    first = [(i.id, [o.id for o in i.options]) for i in path.start_posttest()]
    again = LearnerPath(COURSE, store, "d", clock=clock)
    assert [(i.id, [o.id for o in i.options]) for i in again.test_items()] == first
    assert len(first) == INFO.post_test.items_per_attempt


def test_the_pass_mark_is_stored_with_the_attempt_and_answers_are_attempts(store, clock):
    path = walk(store, "p", clock, until="posttest")
    path.start_posttest()
    take_test(path, correct=8)  # 8 of 12 = 66.7%: below 70%
    rows = [r for r in store.attempt_rows("p") if r["context_id"] == "post-test"]
    assert len(rows) == 12 and {r["run"] for r in rows} == {1} and sum(r["correct"] for r in rows) == 8
    started = [data for kind, _, data in CreditStore(store).events("p") if kind == "posttest_started"]
    assert started[0]["pass_mark"] == 70 and started[0]["max_attempts"] == INFO.post_test.max_attempts
    assert path.step is Step.post_test and path.attempts_left == INFO.post_test.max_attempts - 1
    path.start_posttest()
    take_test(path, correct=9)  # 9 of 12 = 75%
    assert path.state.passed and path.step is Step.evaluation
    assert {r["run"] for r in store.attempt_rows("p") if r["context_id"] == "post-test"} == {1, 2}


def test_a_test_cannot_be_finished_with_questions_open_and_nonsense_is_not_stored(store, clock):
    path = walk(store, "n", clock, until="posttest")
    items = path.start_posttest()
    with pytest.raises(InvalidResponse):
        path.answer(items[0].id, None)
    with pytest.raises(InvalidResponse):
        path.answer(items[0].id, "no-such-option")
    with pytest.raises(PathError, match="not part of the test"):
        path.answer("pre-lo1-miri-class", "a")
    with pytest.raises(PathError, match="12 still open"):
        path.finish_test()
    assert [r for r in store.attempt_rows("n") if r["context_id"] == "post-test"] == []


def test_the_profile_must_come_from_the_lists(store, clock):
    path = LearnerPath(COURSE, store, "pr", clock=clock)
    with pytest.raises(PathError, match="profession"):
        path.acknowledge("astronaut", "MD")
    with pytest.raises(PathError, match="degree"):
        path.acknowledge("nurse", "Wizard")
    assert CreditStore(store).events("pr") == []


def test_the_evaluation_needs_every_objective_and_the_bias_question(store, clock):
    path = walk(store, "e", clock, until="evaluation")
    with pytest.raises(PathError, match="objective 2"):
        path.submit_evaluation({INFO.objectives[0].id: "yes"}, {}, True, **EVALUATION)
    with pytest.raises(PathError, match="commercial bias"):
        path.submit_evaluation({o.id: "partly" for o in INFO.objectives}, {}, None, **EVALUATION)
    with pytest.raises(PathError, match="intend to change your practice"):
        path.submit_evaluation(
            {o.id: "partly" for o in INFO.objectives}, {}, True, intents={}, answers=EVALUATION["answers"]
        )
    with pytest.raises(PathError, match="relevant to my practice"):
        path.submit_evaluation(
            {o.id: "partly" for o in INFO.objectives},
            {},
            True,
            intents=EVALUATION["intents"],
            answers={**EVALUATION["answers"], "relevance": "maybe"},
        )
    with pytest.raises(PathError, match="either 'none' or the barriers"):
        path.submit_evaluation(
            {o.id: "partly" for o in INFO.objectives},
            {},
            True,
            intents=EVALUATION["intents"],
            answers={**EVALUATION["answers"], "barriers": ["none", "time"]},
        )
    path.submit_evaluation(
        {o.id: "partly" for o in INFO.objectives},
        {INFO.objectives[2].id: "  Test CPS  "},
        False,
        "Too much on one drug",
        **EVALUATION,
        barrier_comment="  Clinic pressure ",
    )
    with store.engine.connect() as conn:
        evaluation = conn.execute(select(evaluations)).one()._mapping
        objectives = [r._mapping for r in conn.execute(select(evaluation_objectives))]
    assert evaluation["free_of_bias"] is False and evaluation["bias_comment"] == "Too much on one drug"
    assert [(r["objective_id"], r["met"], r["commitment"]) for r in objectives] == [
        ("lo1-reirradiation", "partly", None),
        ("lo2-salvage", "partly", None),
        ("lo3-systemic", "partly", "Test CPS"),
    ]
    assert {r["intent"] for r in objectives} == {"will change"} and evaluation["barrier_comment"] == "Clinic pressure"
    assert {(r["question"], r["choice"]) for r in CreditStore(store).evaluation_answer_rows()} == {
        ("relevance", "agree"),
        ("quality", "strongly agree"),
        ("balance", "agree"),
        ("faculty", "agree"),
        ("format", "strongly agree"),
        ("time", "about as estimated"),
        ("barriers", "time"),
    }
    assert path.step is Step.attestation


def test_a_learner_who_uses_every_attempt_without_a_pass_is_still_asked_for_the_evaluation(store, clock):
    path = walk(store, "fails", clock, until="posttest")
    for attempt in range(INFO.post_test.max_attempts):
        path.start_posttest()
        take_test(path, correct=0)
        assert not path.state.passed
    assert path.step is Step.evaluation  # not closed yet: the evaluation comes first
    with pytest.raises(PathError, match="complete the evaluation"):
        path.attest("Dr Fails", 60, True)
    path.submit_evaluation({o.id: "no" for o in INFO.objectives}, {}, True, **EVALUATION)
    assert path.step is Step.closed
    assert [e[0] for e in CreditStore(store).events("fails")][-1] == "evaluation_submitted"
    with pytest.raises(PathError, match="attempts have been used without a pass"):
        path.attest("Dr Fails", 60, True)


@pytest.mark.parametrize(
    "name, minutes, confirmed, message",
    [
        ("Dr A", 60, False, "tick the box"),
        ("   ", 60, True, "your name"),
        ("Dr A", 0, True, "between 1 and"),
        ("Dr A", None, True, "whole number"),
        ("Dr A", 7, True, "at least 8 minutes"),
        ("x" * 201, 60, True, "200 characters"),
    ],
)
def test_a_bad_attestation_is_refused_and_stores_nothing(store, clock, name, minutes, confirmed, message):
    path = walk(store, "a", clock, until="attestation")
    with pytest.raises(PathError, match=message):
        path.attest(name, minutes, confirmed)
    with store.engine.connect() as conn:
        assert conn.execute(select(attestations)).all() == []
    assert path.step is Step.attestation


def test_the_attestation_is_stored_with_its_credit(store, clock):
    path = walk(store, "ok", clock, until="attestation")
    assert path.credit_preview(50) == "0.75"
    assert path.attest("  Dr   Alex  Example ", 50, True) == "0.75"
    with store.engine.connect() as conn:
        row = conn.execute(select(attestations)).one()._mapping
    assert (row["full_name"], row["minutes"], row["credit"]) == ("Dr Alex Example", 50, 0.75)
    events = CreditStore(store).events("ok")
    assert [kind for kind, _, _ in events] == [
        "acknowledged",
        "pretest_started",
        "pretest_completed",
        "core_path_finished",
        "posttest_started",
        "posttest_finished",
        "evaluation_submitted",
        "time_attested",
    ]
    assert json.loads(json.dumps(events[-1][2])) == {
        "minutes": 50,
        "credit": "0.75",
        "full_name": "Dr Alex Example",
        "path_minutes": 0.0,
    }  # the test's clock never moved


def test_a_second_tab_cannot_issue_a_second_certificate(store, clock):
    tab_one = walk(store, "tabs", clock, until="attestation")
    tab_one.attest("Dr Tabs", 60, True)
    tab_two = LearnerPath(COURSE, store, "tabs", clock=clock)
    first = tab_one.certificate()
    # tab two read the store a moment before tab one wrote, so it tries to issue one too: the store refuses the
    # second, and tab two shows the first
    real = tab_two.credit_store.certificate_for
    reads = iter([None])
    tab_two.credit_store.certificate_for = lambda learner: next(reads, None) or real(learner)
    second = tab_two.certificate()
    assert first.certificate_id == second.certificate_id and first.sha256 == second.sha256
    assert len(CreditStore(store).certificate_rows()) == 1
    assert [kind for kind, _, _ in CreditStore(store).events("tabs")].count("certificate_issued") == 1


def test_each_retake_draws_items_the_learner_has_not_seen(store, clock):
    """Issue 15 §4: the session passes the items of earlier attempts (replayed from the store) to the draw."""
    path = walk(store, "u", clock, until="posttest")
    drawn: list[set[str]] = []
    for _ in range(INFO.post_test.max_attempts):
        path = LearnerPath(COURSE, store, "u", clock=clock)  # each retake after a reload: the store is the memory
        drawn.append({item.id for item in path.start_posttest()})
        take_test(path, correct=0)
    assert all(len(items) == INFO.post_test.items_per_attempt for items in drawn)
    assert len(set().union(*drawn)) == INFO.post_test.items_per_attempt * INFO.post_test.max_attempts
