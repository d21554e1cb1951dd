"""The store counting the case answers for the outcomes report, in a thread beside the report's own work.

The count (``store.report_reads.first_case_answer_counts``: most of the answers table, grouped by the database) needs
only each learner's profession, read from the acknowledgements, so it can start before anything else: this module
imports neither pandas nor numpy, and ``hnscc-edu report`` starts the count before it loads them. While this thread
waits on the database (SQLite's C code lets Python threads run), the report's process imports its libraries and
replays every learner's path on the other core.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Self, TypeVar

from ..content.course import CourseContent
from ..rules.learner_path import PathState, Rules, replay_stored
from ..store import Store, report_reads
from ..store.report_reads import CaseAnswerCount

T = TypeVar("T")


def early_professions(store: Store, rules: Rules) -> dict[str, str]:
    """Each learner's profession, from the acknowledgements alone: the first one the path accepts (``apply`` from
    the start, the step every other event needs first), as replay takes it."""
    professions: dict[str, str] = {}
    decided: set[str] = set()
    for learner, at, data in report_reads.acknowledgements(store):
        if learner in decided:
            continue
        state = replay_stored(PathState(), "acknowledged", at, data, rules)
        if state.acknowledged_at is not None:
            decided.add(learner)
            if state.profession:
                professions[learner] = state.profession
    return professions


def _beside(pool: ThreadPoolExecutor, store: Store, work: Callable[..., T], *args: Any) -> Future[T]:
    """``work(*args)`` in the pool's thread, on a connection of its own; here and now for a SQLite database in
    memory, which each connection sees as a database of its own (empty)."""
    url = store.engine.url
    if url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:"):
        return pool.submit(work, *args)
    done: Future[T] = Future()
    done.set_result(work(*args))
    return done


class CaseCounting:
    """The count of every learner's first answers to the case questions, started on creation in a thread of its own
    with the professions the acknowledgements give; a context manager that waits for the thread on leaving."""

    def __init__(self, content: CourseContent, store: Store, rules: Rules) -> None:
        self.store = store
        self.rules = rules  # the course's path rules, which the report replays the paths with too
        self.questions = [(case.id, item.id) for case in content.cases.values() for item in case.items]
        self.professions = early_professions(store, rules)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hnscc-case-counts")
        self._counts = self._count(self.professions)

    @classmethod
    def start(cls, content: CourseContent, store: Store) -> CaseCounting:
        """The count for ``content``'s course (ValueError when its course file is missing or has problems)."""
        if content.info is None:
            raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
        return cls(content, store, Rules.from_course(content.info))

    def _count(self, professions: dict[str, str]) -> Future[list[CaseAnswerCount]]:
        return _beside(
            self._pool, self.store, report_reads.first_case_answer_counts, self.store, self.questions, professions
        )

    def result(self, professions: dict[str, str]) -> list[CaseAnswerCount]:
        """The counts by ``professions`` (the replay's). They cannot differ from the acknowledgements' (only the
        first accepted acknowledgement sets a profession); were they ever to, the store counts again with the
        replay's rather than give a table that disagrees with the others."""
        if professions != self.professions:
            self.professions = professions
            self._counts = self._count(professions)
        return self._counts.result()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
