"""The real session and store under random use (hypothesis stateful testing): learners click anything in any order,
answer right or wrong, give bad input and move the clock past the termination date. Whatever they do:

- the store never holds a certificate without a stored post-test pass, an evaluation and an attestation, recomputed
  here from the raw tables (not through the code under test), nor one issued after the termination date;
- a new session built from the store (a reload) is at the same step with the same state.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from hnscc_edu.rules.learner_path import PathError
from hnscc_edu.sessions.credit_session import LearnerPath
from hnscc_edu.store import Store
from hnscc_edu.store.credit import attestations, certificates, evaluations, path_events
from tests.credit.conftest import COURSE, EVALUATION, INFO, finish_core_path, key, wrong

LEARNERS = itertools.count()
STORE: dict[str, Store] = {}
SEEN: dict[str, int] = {}


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class PathMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = STORE["store"]
        self.learner = f"machine-{next(LEARNERS)}"
        self.clock = Clock()
        self.path = LearnerPath(COURSE, self.store, self.learner, clock=self.clock)

    def _try(self, action) -> None:
        try:
            action()
        except PathError:
            pass  # a refusal is a legitimate answer; the invariants check that it refused the right things

    @rule(
        profession=st.sampled_from(["nurse", "radiation_oncologist", "surgeon", "astronaut", None]),
        degree=st.sampled_from(["RN", "MD", "DO", "PhD", "XYZ", None]),
    )
    def acknowledge(self, profession, degree):
        self._try(lambda: self.path.acknowledge(profession, degree))

    @rule()
    def start_pretest(self):
        self._try(self.path.start_pretest)

    @rule()
    def skip_pretest(self):
        self._try(self.path.skip_pretest)

    @rule()
    def finish_core_path(self):
        """Finish the core path's cases (the session then opens the post-test); nothing else can."""
        self._try(lambda: finish_core_path(self.path))

    @rule()
    def start_posttest(self):
        self._try(self.path.start_posttest)

    @rule(right=st.sampled_from([12, 10, 9, 8, 3, 0]))
    def answer_everything(self, right):
        def action():
            for number, item in enumerate(self.path.test_items()):
                if item.id not in self.path.answers():
                    self.path.answer(item.id, key(item) if number < right else wrong(item))

        self._try(action)

    @rule(response=st.sampled_from(["a", "zzz", "", None]))
    def answer_one_oddly(self, response):
        def action():
            items = [i for i in self.path.test_items() if i.id not in self.path.answers()]
            if items:
                self.path.answer(items[0].id, response)

        try:
            action()
        except ValueError:
            pass  # PathError or InvalidResponse: refused, nothing stored

    @rule()
    def finish_test(self):
        self._try(self.path.finish_test)

    @rule(complete=st.booleans(), bias=st.sampled_from([True, False, None]))
    def evaluate(self, complete, bias):
        met = {o.id: "yes" for o in INFO.objectives} if complete else {INFO.objectives[0].id: "no"}
        self._try(lambda: self.path.submit_evaluation(met, {}, bias, **EVALUATION))

    @rule(
        minutes=st.one_of(st.integers(-5, 200), st.none()),
        confirmed=st.booleans(),
        name=st.sampled_from(["Dr A. Example", "", "  "]),
    )
    def attest(self, minutes, confirmed, name):
        self._try(lambda: self.path.attest(name, minutes, confirmed))

    def _progress(self):
        """The step the page invites, done right (random rules alone rarely get far along the path)."""
        step = self.path.step.value
        actions = {
            "activity_info": lambda: self.path.acknowledge("radiation_oncologist", "MD"),
            "pre_test": self.path.skip_pretest,
            "modules": lambda: finish_core_path(self.path),
            "evaluation": lambda: self.evaluate(True, True),
            "attestation": lambda: self.path.attest("Dr A. Example", 45, True),
            "certificate": self.path.certificate,
        }
        if step == "post_test":
            if self.path.state.current_attempt is None:
                self.path.start_posttest()
            self.answer_everything(12)
            self.path.finish_test()
        elif step in actions:
            actions[step]()

    @rule()
    def progress(self):
        self._try(self._progress)

    @rule()
    def progress_again(self):
        self._try(self._progress)

    @rule(days=st.integers(0, 90))
    def time_passes(self, days):
        self.clock.now += dt.timedelta(days=days)

    @rule()
    def the_day_after_the_termination_date(self):
        self.clock.now = dt.datetime.combine(INFO.termination_date + dt.timedelta(days=1), dt.time(0, 1), dt.UTC)

    @rule()
    def certificate(self):
        try:
            self.path.certificate()
        except PathError as exc:
            if "ended on" in str(exc):
                SEEN["refused after the end"] = SEEN.get("refused after the end", 0) + 1

    # -- invariants, from the raw tables ---------------------------------------------------------------------
    def _rows(self, table):
        with self.store.engine.connect() as conn:
            return [
                r._mapping
                for r in conn.execute(
                    select(table).where(table.c.learner_id == self.learner).order_by(*table.primary_key)
                )
            ]

    @invariant()
    def no_certificate_without_pass_evaluation_and_attestation(self):
        issued = self._rows(certificates)
        if not issued:
            return
        SEEN["issued"] = SEEN.get("issued", 0) + 1
        assert len(issued) == 1
        events = self._rows(path_events)
        started = {
            json.loads(e["data"])["attempt"]: json.loads(e["data"]) for e in events if e["event"] == "posttest_started"
        }
        passes = [
            e
            for e in events
            if e["event"] == "posttest_finished"
            and json.loads(e["data"])["percent"] >= started[json.loads(e["data"])["attempt"]]["pass_mark"]
        ]
        assert passes, "a certificate without a stored pass"
        assert self._rows(evaluations), "a certificate without an evaluation"
        assert self._rows(attestations), "a certificate without an attestation"
        when = issued[0]["issued_at"]
        assert when.date() <= INFO.termination_date
        cert_event = next(e for e in events if e["event"] == "certificate_issued")
        order = [e["id"] for e in events]
        evaluation = next(e["id"] for e in events if e["event"] == "evaluation_submitted")
        attested = next(e["id"] for e in events if e["event"] == "time_attested")
        assert (
            order.index(passes[0]["id"])
            < order.index(evaluation)
            < order.index(attested)
            < order.index(cert_event["id"])
        )

    @invariant()
    def a_reload_resumes_at_the_same_step(self):
        again = LearnerPath(COURSE, self.store, self.learner, clock=self.clock)
        assert again.step == self.path.step
        assert again.state == self.path.state
        SEEN[again.step.value] = SEEN.get(again.step.value, 0) + 1


def test_random_use_of_the_real_session_never_breaks_the_rules(tmp_path):
    STORE["store"] = Store(f"sqlite:///{tmp_path / 'machine.sqlite3'}")
    SEEN.clear()
    run_state_machine_as_test(
        PathMachine,
        settings=settings(
            max_examples=80,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # the search must have got somewhere: past the post-test, and to issued certificates
    assert SEEN.get("issued", 0) > 0 and SEEN.get("evaluation", 0) and SEEN.get("attestation", 0), SEEN
    # (refusals after the termination date occur here too; test_certificates checks them with a fixed clock)
