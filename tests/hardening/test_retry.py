"""The store's retry helper against real locks: a SQLite file held with BEGIN EXCLUSIVE by another connection, and
a real PostgreSQL deadlock between two transactions."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store, StoreError
from hnscc_edu.store.database import RetryPolicy, is_transient, retry_transient
from tests.helpers import fixture_course

CASE = fixture_course().case("fixture-case")
SHORT_BUSY_MS = 20  # SQLite's own wait, kept short so the lock outlasts it and the retry helper has to act


class ExclusiveLock:
    """Another connection holding an exclusive lock on the file until ``release`` (or after ``seconds``)."""

    def __init__(self, path, seconds: float | None = None) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN EXCLUSIVE")
        self.released_at: float | None = None
        self.thread = None
        if seconds is not None:
            self.thread = threading.Thread(target=self._release_after, args=(seconds,))
            self.thread.start()

    def _release_after(self, seconds: float) -> None:
        time.sleep(seconds)
        self.release()

    def release(self) -> None:
        if self.released_at is None:
            self.connection.execute("COMMIT")
            self.connection.close()
            self.released_at = time.monotonic()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()


def sqlite_store(tmp_path, **kwargs) -> tuple[Store, object]:
    path = tmp_path / "store.sqlite3"
    return Store(f"sqlite:///{path}", busy_timeout_ms=SHORT_BUSY_MS, **kwargs), path


@pytest.mark.timeout(120)
def test_a_write_is_retried_until_the_lock_is_released(tmp_path):
    store, path = sqlite_store(tmp_path)
    failures = []
    original = store._count_retry

    def count(exc, pause):  # the real errors the helper saw, before it tried again
        failures.append((str(exc.orig), lock.released_at))
        original(exc, pause)

    store._count_retry = count
    lock = ExclusiveLock(path, seconds=0.5)
    try:
        assert store.record_attempt("learner-1", "case", "c", 1, "i", "a", 1.0, 1.0, True) is True
        done_at = time.monotonic()
    finally:
        lock.join()
    assert failures, "the lock should have made the first tries fail"
    assert all("database is locked" in message and released is None for message, released in failures)
    assert store.retries == len(failures)
    assert done_at >= lock.released_at
    assert [r["item_id"] for r in store.attempt_rows()] == ["i"]


@pytest.mark.timeout(120)
def test_a_learner_submission_and_a_read_wait_out_a_lock(tmp_path):
    store, path = sqlite_store(tmp_path)
    session = CaseSession(CASE, store, "learner-1")
    lock = ExclusiveLock(path, seconds=0.4)
    try:
        assert session.submit("fx-single", "a").correct is not None
    finally:
        lock.join()
    lock = ExclusiveLock(path, seconds=0.4)  # an exclusive lock blocks readers too, even in WAL mode
    try:
        assert CaseSession(CASE, store, "learner-1").response("fx-single") == "a"
    finally:
        lock.join()
    assert store.retries >= 2


@pytest.mark.timeout(120)
def test_a_lock_that_outlasts_the_retries_gives_a_plain_message_and_stores_nothing(tmp_path):
    store, path = sqlite_store(tmp_path, retry=RetryPolicy(budget_s=0.3))
    session = CaseSession(CASE, store, "learner-1")
    lock = ExclusiveLock(path)
    try:
        with pytest.raises(StoreError) as raised:
            session.submit("fx-single", "a")
    finally:
        lock.release()
    message = str(raised.value)
    assert "could not be saved" in message and "try again" in message
    assert "locked" not in message.lower() and "busy" not in message.lower()
    assert session.state.answers == {}  # store first: nothing applied that was not saved
    assert store.attempt_rows() == []
    assert store.retries >= 2
    session.submit("fx-single", "a")  # once the lock is gone, the same click works
    assert [r["item_id"] for r in store.attempt_rows()] == ["fx-single"]


def test_errors_that_are_not_transient_are_not_retried(tmp_path):
    store, _ = sqlite_store(tmp_path)
    calls = []

    def broken():
        calls.append(1)
        with store.engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(OperationalError, match="no such table") as raised:  # an OperationalError, but not a lock
        retry_transient(broken)
    assert not is_transient(raised.value) and calls == [1]


@pytest.mark.timeout(120)
def test_a_postgresql_deadlock_is_retried(postgres):
    """Two transactions take two rows in opposite orders; PostgreSQL aborts one (40P01), which then runs again."""
    engine = create_engine(postgres.url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS deadlock_rows (id int PRIMARY KEY, v int NOT NULL)"))
        conn.execute(text("DELETE FROM deadlock_rows"))
        conn.execute(text("INSERT INTO deadlock_rows VALUES (1, 0), (2, 0)"))
    both_hold_one = threading.Barrier(2)
    retried, errors = [], []

    def transfer(first: int, second: int) -> None:
        tries = []

        def work() -> None:
            tries.append(1)
            with engine.begin() as conn:
                conn.execute(text("UPDATE deadlock_rows SET v = v + 1 WHERE id = :id"), {"id": first})
                if len(tries) == 1:
                    both_hold_one.wait(timeout=30)
                conn.execute(text("UPDATE deadlock_rows SET v = v + 1 WHERE id = :id"), {"id": second})

        try:
            retry_transient(work, on_retry=lambda exc, pause: retried.append(exc.orig.sqlstate))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=transfer, args=order) for order in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        values = conn.execute(text("SELECT v FROM deadlock_rows ORDER BY id")).scalars().all()
        conn.execute(text("DROP TABLE deadlock_rows"))
        conn.commit()
    engine.dispose()
    assert errors == []
    assert retried == ["40P01"]
    assert values == [2, 2]


def test_a_second_tab_shows_the_answer_the_first_tab_stored(tmp_path):
    from hnscc_edu.sessions.case_session import CaseSession
    from hnscc_edu.store import Store
    from tests.helpers import fixture_course

    case = fixture_course().case("fixture-case")
    store = Store(f"sqlite:///{tmp_path / 'tabs.sqlite3'}")
    first, second = CaseSession(case, store, "two-tabs"), CaseSession(case, store, "two-tabs")
    assert first.submit("fx-single", "a").correct is True
    shown = second.submit("fx-single", "b")  # this tab still thinks the question is open
    assert shown.correct is True and second.response("fx-single") == "a"
    assert len([r for r in store.attempt_rows("two-tabs") if r["item_id"] == "fx-single"]) == 1
