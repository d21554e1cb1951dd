"""Fixtures of the credit tests: the real course, a fresh store per test, a clock the test sets, and paths walked
to a chosen step through the real session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.rules.credit import CertificateRecord
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.sessions.credit_session import LearnerPath, record_from_row
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.helpers import ROOT, finish_with_keys

COURSE = load_course(ROOT)
INFO = COURSE.info


class Clock:
    """A clock the test moves: starts inside the activity's dates."""

    def __init__(self, when: dt.datetime | None = None) -> None:
        self.now = when or dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def set_date(self, day: dt.date) -> None:
        self.now = dt.datetime.combine(day, dt.time(12), dt.UTC)


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'credit.sqlite3'}")


@pytest.fixture
def clock():
    return Clock()


def key(item) -> str:
    return next(o.id for o in item.options if o.correct)


def wrong(item) -> str:
    return next(o.id for o in item.options if not o.correct)


def take_test(path: LearnerPath, correct: int | None = None) -> None:
    """Answer the test in progress: the first ``correct`` items with the key (all when None), the rest wrongly."""
    for number, item in enumerate(path.test_items()):
        path.answer(item.id, key(item) if correct is None or number < correct else wrong(item))
    path.finish_test()


def finish_case(store: Store, learner: str, case_id: str) -> None:
    """Finish a case with the keys, through the real session (what the course service does for a learner)."""
    finish_with_keys(CaseSession(COURSE.case(case_id), store, learner), case_id)


def finish_core_path(path: LearnerPath) -> None:
    """Finish every case of the core path; the session then records that the core path is finished."""
    for case_id in path.core_case_ids:
        finish_case(path.store, path.learner_id, case_id)
    path.refresh()


# The rest of a complete evaluation (rules/evaluation.py): intent per objective and the rated questions.
EVALUATION = {
    "intents": {o.id: "will change" for o in INFO.objectives},
    "answers": {
        "relevance": "agree",
        "quality": "strongly agree",
        "balance": "agree",
        "faculty": "agree",
        "format": "strongly agree",
        "time": "about as estimated",
        "barriers": ["time"],
    },
}


def walk(
    store: Store,
    learner: str,
    clock,
    profession: str = "radiation_oncologist",
    degree: str = "MD",
    until: str = "certificate",
    minutes: int = 60,
    name: str = "Dr Alex Example",
) -> LearnerPath:
    """A learner's path through the real session, stopped before ``until`` (or with the certificate issued)."""
    path = LearnerPath(COURSE, store, learner, clock=clock)
    steps = ["acknowledge", "pretest", "modules", "posttest", "evaluation", "attestation", "certificate"]
    for step in steps[: steps.index(until) + (1 if until == "certificate" else 0)]:
        if step == "acknowledge":
            path.acknowledge(profession, degree)
        elif step == "pretest":
            path.start_pretest()
            take_test(path, correct=4)
        elif step == "modules":
            finish_core_path(path)
        elif step == "posttest":
            path.start_posttest()
            take_test(path)
        elif step == "evaluation":
            path.submit_evaluation(
                {o.id: "yes" for o in INFO.objectives},
                {INFO.objectives[0].id: "Record the interval and MIRI class"},
                True,
                **EVALUATION,
            )
        elif step == "attestation":
            path.attest(name, minutes, True)
        elif step == "certificate":
            path.certificate()
    return path


@pytest.fixture
def service(store, clock):
    """The course service on the test's store and clock, in a thread of this process (a practice service, as on one
    machine); ``service.client(learner)`` is that learner's connection."""
    from hnscc_edu.service import CourseService
    from tests.service_harness import ThreadedService

    threaded = ThreadedService(CourseService(store.url, content=COURSE, practice=True, clock=clock))
    yield threaded
    threaded.stop()


def lookup_in(store: Store) -> Callable[[str], CertificateRecord | None]:
    """The course's record of a certificate by its id, as ``certificate_check.verify_with_store`` asks for it."""
    credit_store = CreditStore(store)

    def lookup(certificate_id: str) -> CertificateRecord | None:
        row = credit_store.certificate(certificate_id)
        return record_from_row(row) if row else None

    return lookup
