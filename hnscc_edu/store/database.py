"""The store of every submitted answer and every move through a case: append-only, written at submission time.

SQLite by default, in the platform's data folder (never inside the course repository, so content updates cannot
clash with learner data); any SQLAlchemy URL through ``HNSCC_EDU_DB_URL`` (for example PostgreSQL on a hub).
SQLite runs in WAL mode with a busy timeout so several kernels of one class can write to one file.

Every transaction goes through one helper, ``retry_transient``: when SQLite says the database is locked or busy, or
PostgreSQL reports a serialization failure or a deadlock, the whole transaction is run again after a short, growing,
jittered pause, for up to about ten seconds. Only then does the learner see a ``StoreError``, in plain words.

The layout of the store carries a version: an Alembic revision (table ``alembic_version``; ``schema_info`` keeps a
note of each version reached). Opening a store creates it at the latest version when it is empty, upgrades an older
one in place (``store/migrations``: one transaction, all or nothing) and refuses one written by a newer release.
``hnscc-edu upgrade-db`` does the same from the command line, for a hub's administrator.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from sqlalchemy import Table, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from . import migrations
from .errors import StoreError
from .identity import wait_for_viewer
from .schema import ANSWER_COLUMNS, ANSWER_KEY, answer_index, attempts, case_moves, metadata, schema_info

__all__ = [
    "ANSWER_COLUMNS",
    "ANSWER_KEY",
    "SCHEMA_VERSION",
    "BankHistory",
    "CaseHistory",
    "RetryPolicy",
    "Store",
    "StoreError",
    "answer_index",
    "attempts",
    "case_moves",
    "default_url",
    "metadata",
    "retry_transient",
    "schema_info",
    "utc_now",
]

log = logging.getLogger(__name__)

# SQLite's own busy handler waits this long for a lock before failing; retry_transient then tries the whole
# transaction again, so a learner waits at most about BUSY_TIMEOUT_MS + RetryPolicy.budget_s.
BUSY_TIMEOUT_MS = 5_000

# The store's layout version (store/schema.py says what each one holds; store/migrations brings a store to it).
SCHEMA_VERSION = migrations.LATEST_VERSION

# PostgreSQL error codes worth a retry: serialization_failure and deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})

T = TypeVar("T")

# The dialects whose INSERT can skip a row the unique index refuses (ON CONFLICT DO NOTHING); the live polls use it too.
DIALECT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}

# An answer's insert, built once per dialect and given its values as parameters: a statement built with ``values()``
# for every answer spent more time in SQLAlchemy's coercion and cache-key code than in the database (a simulated class
# of 50 learners: a third of its CPU time). The first answer stands (``ANSWER_KEY``).
_ANSWER_INSERTS = {
    name: insert(attempts)
    .on_conflict_do_nothing(index_elements=[attempts.c[column] for column in ANSWER_KEY])
    .returning(attempts.c.id)
    for name, insert in DIALECT_INSERTS.items()
}


def default_url() -> str:
    configured = os.environ.get("HNSCC_EDU_DB_URL")
    if configured:
        return configured
    folder = Path(platformdirs.user_data_dir("hnscc-edu", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'hnscc-edu.sqlite3'}"


def utc_now() -> dt.datetime:
    """The time stamps of the store: timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def utc(value: dt.datetime) -> dt.datetime:
    """A time stamp read back from the store, as aware UTC (SQLite hands back naive datetimes; all are written in
    UTC)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# -- retry ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often a transaction is tried again after a transient error."""

    budget_s: float = 10.0  # no new try starts once this much time has passed since the first one
    first_delay_s: float = 0.02
    max_delay_s: float = 1.0


DEFAULT_RETRY = RetryPolicy()

# SystemRandom, not a seeded Random: writer processes forked from one parent would otherwise share one sequence and
# retry in lockstep, which is what jitter is there to prevent.
_JITTER = random.SystemRandom()


def is_transient(exc: BaseException) -> bool:
    """True for errors that go away when the transaction is simply run again: SQLite's "database is locked" or
    "busy", PostgreSQL's serialization failures and deadlocks."""
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if (getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)) in RETRYABLE_SQLSTATES:
        return True
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return "locked" in message or "busy" in message
    return False


def retry_transient(
    work: Callable[[], T],
    policy: RetryPolicy = DEFAULT_RETRY,
    on_retry: Callable[[SQLAlchemyError, float], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work`` (one whole transaction, which must roll back on failure) and run it again after a transient
    error, with exponential backoff and jitter, until it succeeds or ``policy.budget_s`` is spent; then the last error
    is raised as it is. Other errors are raised at once."""
    deadline = time.monotonic() + policy.budget_s
    delay = policy.first_delay_s
    tries = 0
    while True:
        tries += 1
        try:
            return work()
        except SQLAlchemyError as exc:
            if not is_transient(exc):
                raise
            # "Equal jitter": at least half the nominal delay, so the pauses still grow, plus a random half, so
            # writers that collided once do not collide again on the next try.
            pause = delay / 2 + _JITTER.uniform(0, delay / 2)
            if time.monotonic() + pause > deadline:
                log.warning("Store still busy after %d tries in %.1f s; giving up: %s", tries, policy.budget_s, exc)
                raise
            if on_retry is not None:
                on_retry(exc, pause)
            sleep(pause)
            delay = min(delay * 2, policy.max_delay_s)


# -- the store ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseHistory:
    """What the store holds of one learner's current run through one case."""

    run: int
    answers: list[tuple[str, object]]
    moves: int
    completed: bool


@dataclass(frozen=True)
class BankHistory:
    """What the store holds of one learner's current run through an item bank played on its own (a module
    self-check): the run number and the stored answers of that run, (item id, response), first stored first."""

    run: int
    answers: list[tuple[str, object]]


def bank_run_key(context: str, bank_id: str) -> str:
    """The ``case_moves.case_id`` under which the restarts of a bank are recorded: ``<context>:<bank id>``. Content ids
    cannot contain ':' (``Identifier``), so the key never names a case and a case's runs never see it."""
    return f"{context}:{bank_id}"


class Store:
    """Attempts and case moves in one database. Every method is one short transaction, retried when it collides
    with another writer; a failure that outlasts the retries is a ``StoreError`` with a message for the learner."""

    def __init__(
        self, url: str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, retry: RetryPolicy = DEFAULT_RETRY
    ) -> None:
        wait_for_viewer()  # in a pre-heated Voila kernel, nothing is read from the store before the page is opened
        self.url = url or default_url()
        self.retry_policy = retry
        self.retries = 0  # transient errors retried by this Store so far (benchmarks and tests read it)
        self.schema_version = 0
        try:
            kwargs: dict[str, Any] = {}
            if self.url.startswith("sqlite"):
                kwargs = {"connect_args": {"timeout": busy_timeout_ms / 1000}}
            self.engine: Engine = create_engine(self.url, future=True, **kwargs)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas(busy_timeout_ms))
            self.schema_version = self.transaction(self._open_schema, write=True)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"The course database at {self.url!r} cannot be opened ({exc.__class__.__name__}). "
                "Check HNSCC_EDU_DB_URL or the folder's permissions."
            ) from exc

    # -- transactions -------------------------------------------------------------------------------------------
    def _count_retry(self, exc: SQLAlchemyError, pause: float) -> None:
        self.retries += 1
        log.debug("Store busy (%s); trying again in %.3f s", exc.__class__.__name__, pause)

    def retrying(self, work: Callable[[], T]) -> T:
        """``work`` run through ``retry_transient`` with this store's policy; for callers that open their own
        transactions (the live-poll store). Errors that outlast the retries are raised as they are."""
        return retry_transient(work, self.retry_policy, self._count_retry)

    def transaction(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``work(conn)`` in one transaction, committed at the end, retried on a transient error. Errors that
        outlast the retries are raised as they are (callers turn them into a ``StoreError`` with their wording).

        On SQLite a write transaction starts with BEGIN IMMEDIATE: it takes the write lock before reading anything,
        so it waits in the busy handler instead of failing later when a read snapshot cannot be upgraded; a read
        starts with BEGIN so all its queries see one snapshot."""

        def attempt() -> T:
            with self.engine.connect() as conn:
                if self.engine.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
                result = work(conn)
                conn.commit()
                return result

        return self.retrying(attempt)

    def _save(self, work: Callable[[Connection], T]) -> T:
        try:
            return self.transaction(work, write=True)
        except SQLAlchemyError as exc:
            raise StoreError(
                "Your answer could not be saved, so it was not submitted. Please try again in a "
                f"moment. ({exc.__class__.__name__})"
            ) from exc

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            return self.transaction(work, write=False)
        except SQLAlchemyError as exc:
            raise StoreError(f"Your saved progress could not be read ({exc.__class__.__name__}).") from exc

    def _open_schema(self, conn: Connection) -> int:
        """Create, upgrade or check the layout, inside the write transaction that opens the store."""
        where = self.engine.url.render_as_string(hide_password=True)
        try:
            migrations.bring_to_latest(conn, where)
        except migrations.NewerStore as exc:
            raise StoreError(
                f"The course database at {where!r} was written by a newer release of hnscc-edu "
                f"({exc}; this release knows up to store version {SCHEMA_VERSION}). Update hnscc-edu, "
                "or set HNSCC_EDU_DB_URL to another database."
            ) from exc
        return SCHEMA_VERSION

    # -- writes ---------------------------------------------------------------------------------------------------
    def _write(self, table: Table, **values) -> None:
        self._save(lambda conn: conn.execute(table.insert(), values))

    def record_attempt(
        self,
        learner_id: str,
        context: str,
        context_id: str,
        run: int,
        item_id: str,
        response: object,
        score: float,
        max_score: float,
        correct: bool | None,
        stage_id: str | None = None,
    ) -> bool:
        """Store one answer. True when it is new; False when this learner already has an answer to this item in
        this run (a double click, or a second tab racing the first): the first answer stands, nothing is added."""
        values = {
            "learner_id": learner_id,
            "context": context,
            "context_id": context_id,
            "run": run,
            "stage_id": stage_id,
            "item_id": item_id,
            "response": json.dumps(response),
            "score": score,
            "max_score": max_score,
            "correct": correct,
            "submitted_at": utc_now(),
        }
        statement = _ANSWER_INSERTS.get(self.engine.dialect.name)

        def work(conn: Connection) -> bool:
            if statement is None:  # another database: the unique index still refuses the second row
                try:
                    with conn.begin_nested():
                        conn.execute(attempts.insert(), values)
                except IntegrityError:
                    return False
                return True
            return conn.execute(statement, values).first() is not None

        return self._save(work)

    def record_move(
        self, learner_id: str, case_id: str, run: int, event: str, from_stage: str | None, to_stage: str | None
    ) -> None:
        self._write(
            case_moves,
            learner_id=learner_id,
            case_id=case_id,
            run=run,
            event=event,
            from_stage=from_stage,
            to_stage=to_stage,
            at=utc_now(),
        )

    # -- reads ----------------------------------------------------------------------------------------------------
    @staticmethod
    def _current_run(conn: Connection, learner_id: str, case_id: str) -> int:
        runs = [
            conn.execute(
                select(func.max(attempts.c.run)).where(
                    attempts.c.learner_id == learner_id, attempts.c.context == "case", attempts.c.context_id == case_id
                )
            ).scalar(),
            conn.execute(
                select(func.max(case_moves.c.run)).where(
                    case_moves.c.learner_id == learner_id, case_moves.c.case_id == case_id
                )
            ).scalar(),
        ]
        return max([r for r in runs if r is not None], default=1)

    def current_run(self, learner_id: str, case_id: str) -> int:
        return self._read(lambda conn: self._current_run(conn, learner_id, case_id))

    def case_history(self, learner_id: str, case_id: str) -> CaseHistory:
        def work(conn: Connection) -> tuple[int, list, list[str]]:
            run = self._current_run(conn, learner_id, case_id)
            rows = conn.execute(
                select(attempts.c.item_id, attempts.c.response)
                .where(
                    attempts.c.learner_id == learner_id,
                    attempts.c.context == "case",
                    attempts.c.context_id == case_id,
                    attempts.c.run == run,
                )
                .order_by(attempts.c.id)
            ).all()
            moves = (
                conn.execute(
                    select(case_moves.c.event)
                    .where(
                        case_moves.c.learner_id == learner_id, case_moves.c.case_id == case_id, case_moves.c.run == run
                    )
                    .order_by(case_moves.c.id)
                )
                .scalars()
                .all()
            )
            return run, rows, list(moves)

        run, rows, moves = self._read(work)
        answers = [(item_id, json.loads(response)) for item_id, response in rows]
        return CaseHistory(run, answers, sum(1 for m in moves if m == "advance"), "complete" in moves)

    def completed_cases(self, learner_id: str) -> set[str]:
        """The ids of the cases this learner has finished at least once (a "complete" move in any run): a later
        restart does not undo a finished run."""
        query = (
            select(case_moves.c.case_id)
            .distinct()
            .where(case_moves.c.learner_id == learner_id, case_moves.c.event == "complete")
        )
        return set(self._read(lambda conn: conn.execute(query).scalars().all()))

    def started_cases(self, learner_id: str) -> set[str]:
        """The ids of the cases this learner has answered in or moved through at least once (for the course map)."""
        answered = (
            select(attempts.c.context_id)
            .distinct()
            .where(attempts.c.learner_id == learner_id, attempts.c.context == "case")
        )
        moved = (
            select(case_moves.c.case_id)
            .distinct()
            .where(case_moves.c.learner_id == learner_id, case_moves.c.event.in_(("advance", "complete")))
        )
        return set(
            self._read(lambda conn: [*conn.execute(answered).scalars().all(), *conn.execute(moved).scalars().all()])
        )

    # -- item banks played on their own (module self-checks) ------------------------------------------------------
    # A bank's answers are attempts with the caller's ``context`` and ``context_id`` = the bank id; a "Start again"
    # is a "restart" row in case_moves under ``bank_run_key`` (no new table, no new store version), so a restart is
    # on record before the learner answers anything in the new run.
    @staticmethod
    def _bank_run(conn: Connection, learner_id: str, context: str, bank_id: str) -> int:
        runs = [
            conn.execute(
                select(func.max(attempts.c.run)).where(
                    attempts.c.learner_id == learner_id, attempts.c.context == context, attempts.c.context_id == bank_id
                )
            ).scalar(),
            conn.execute(
                select(func.max(case_moves.c.run)).where(
                    case_moves.c.learner_id == learner_id, case_moves.c.case_id == bank_run_key(context, bank_id)
                )
            ).scalar(),
        ]
        return max([r for r in runs if r is not None], default=1)

    def bank_history(self, learner_id: str, context: str, bank_id: str) -> BankHistory:
        """The current run of a learner through a bank (the highest run answered or restarted; 1 when none) and its
        answers, read in one transaction."""

        def work(conn: Connection) -> tuple[int, list]:
            run = self._bank_run(conn, learner_id, context, bank_id)
            rows = conn.execute(
                select(attempts.c.item_id, attempts.c.response)
                .where(
                    attempts.c.learner_id == learner_id,
                    attempts.c.context == context,
                    attempts.c.context_id == bank_id,
                    attempts.c.run == run,
                )
                .order_by(attempts.c.id)
            ).all()
            return run, rows

        run, rows = self._read(work)
        return BankHistory(run, [(item_id, json.loads(response)) for item_id, response in rows])

    def start_bank_run(self, learner_id: str, context: str, bank_id: str) -> int:
        """Record a new run of a bank (after the highest one on record, whichever tab made it) and return its
        number. Earlier runs and their answers stay as they are."""

        def work(conn: Connection) -> int:
            run = self._bank_run(conn, learner_id, context, bank_id) + 1
            conn.execute(
                case_moves.insert().values(
                    learner_id=learner_id,
                    case_id=bank_run_key(context, bank_id),
                    run=run,
                    event="restart",
                    from_stage=None,
                    to_stage=None,
                    at=utc_now(),
                )
            )
            return run

        try:
            return self.transaction(work, write=True)
        except SQLAlchemyError as exc:
            raise StoreError(
                "Starting again could not be saved; your earlier answers are kept. Please try again in a "
                f"moment. ({exc.__class__.__name__})"
            ) from exc

    def attempt_rows(self, learner_id: str | None = None, context: str | None = None) -> list[dict]:
        """Every stored answer (of ``learner_id``; in ``context``, "case" or "bank", when given), oldest first."""
        query = select(attempts).order_by(attempts.c.id)
        if learner_id is not None:
            query = query.where(attempts.c.learner_id == learner_id)
        if context is not None:
            query = query.where(attempts.c.context == context)
        return self._read(lambda conn: [dict(row._mapping) for row in conn.execute(query)])

    def answer_rows(self) -> list[dict]:
        """Every stored answer, oldest first, without its stage and time: what the course director's report reads.

        Read through the driver's own cursor and zipped with the column names: at a million answers, SQLAlchemy's
        row objects and type processing cost more than the query (benchmarks/run.py). ``correct`` is therefore as the
        driver returns it (SQLite: 1, 0 or None); read it as true, false or missing."""
        query = select(*(attempts.c[name] for name in ANSWER_COLUMNS)).order_by(attempts.c.id)

        def work(conn: Connection) -> list[dict]:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute(str(query.compile(dialect=conn.dialect)))
                return [dict(zip(ANSWER_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
            finally:
                cursor.close()

        return self._read(work)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    """The connect hook of a SQLite store: WAL (readers never block the writer), the busy timeout, foreign keys."""

    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect
