"""The store of every submitted answer and every move through a case: append-only, written at submission time.

SQLite by default, in the platform's data folder (never inside the course repository, so content updates cannot
clash with learner data); any SQLAlchemy URL through ``HNSCC_EDU_DB_URL`` (for example PostgreSQL on a hub).
SQLite runs in WAL mode with a busy timeout so several kernels of one class can write to one file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import (Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine,
                        event, func, select)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

BUSY_TIMEOUT_MS = 10_000

metadata = MetaData()

attempts = Table(
    "attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("context", String(20), nullable=False),  # "case" or "bank"
    Column("context_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("stage_id", String(100)),
    Column("item_id", String(100), nullable=False),
    Column("response", Text, nullable=False),  # JSON
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("correct", Boolean),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)

case_moves = Table(
    "case_moves", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("case_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("event", String(20), nullable=False),  # "advance", "complete" or "restart"
    Column("from_stage", String(100)),
    Column("to_stage", String(100)),
    Column("at", DateTime(timezone=True), nullable=False),
)


class StoreError(RuntimeError):
    """The store could not be read or written; the message says what to do."""


def default_url() -> str:
    configured = os.environ.get("HNSCC_EDU_DB_URL")
    if configured:
        return configured
    folder = Path(platformdirs.user_data_dir("hnscc-edu", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'hnscc-edu.sqlite3'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class CaseHistory:
    """What the store holds of one learner's current run through one case."""

    run: int
    answers: list[tuple[str, object]]
    moves: int
    completed: bool


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            kwargs = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}} if self.url.startswith("sqlite") else {}
            self.engine: Engine = create_engine(self.url, future=True, **kwargs)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"The course database at {self.url!r} cannot be opened ({exc.__class__.__name__}). "
                             "Check HNSCC_EDU_DB_URL or the folder's permissions.") from exc

    def _write(self, table: Table, **values) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(table.insert().values(**values))
        except SQLAlchemyError as exc:
            raise StoreError("Your answer could not be saved, so it was not submitted. Please try again in a "
                             f"moment. ({exc.__class__.__name__})") from exc

    def record_attempt(self, learner_id: str, context: str, context_id: str, run: int, item_id: str,
                       response: object, score: float, max_score: float, correct: bool | None,
                       stage_id: str | None = None) -> None:
        self._write(attempts, learner_id=learner_id, context=context, context_id=context_id, run=run,
                    stage_id=stage_id, item_id=item_id, response=json.dumps(response), score=score,
                    max_score=max_score, correct=correct, submitted_at=_now())

    def record_move(self, learner_id: str, case_id: str, run: int, event: str, from_stage: str | None,
                    to_stage: str | None) -> None:
        self._write(case_moves, learner_id=learner_id, case_id=case_id, run=run, event=event,
                    from_stage=from_stage, to_stage=to_stage, at=_now())

    def current_run(self, learner_id: str, case_id: str) -> int:
        with self.engine.connect() as conn:
            runs = [
                conn.execute(select(func.max(attempts.c.run)).where(
                    attempts.c.learner_id == learner_id, attempts.c.context == "case",
                    attempts.c.context_id == case_id)).scalar(),
                conn.execute(select(func.max(case_moves.c.run)).where(
                    case_moves.c.learner_id == learner_id, case_moves.c.case_id == case_id)).scalar(),
            ]
        return max([r for r in runs if r is not None], default=1)

    def case_history(self, learner_id: str, case_id: str) -> CaseHistory:
        try:
            run = self.current_run(learner_id, case_id)
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(attempts.c.item_id, attempts.c.response).where(
                        attempts.c.learner_id == learner_id, attempts.c.context == "case",
                        attempts.c.context_id == case_id, attempts.c.run == run).order_by(attempts.c.id)).all()
                moves = conn.execute(
                    select(case_moves.c.event).where(
                        case_moves.c.learner_id == learner_id, case_moves.c.case_id == case_id,
                        case_moves.c.run == run).order_by(case_moves.c.id)).scalars().all()
        except SQLAlchemyError as exc:
            raise StoreError(f"Your saved progress could not be read ({exc.__class__.__name__}).") from exc
        answers = [(item_id, json.loads(response)) for item_id, response in rows]
        return CaseHistory(run, answers, sum(1 for m in moves if m == "advance"), "complete" in moves)

    def attempt_rows(self, learner_id: str | None = None) -> list[dict]:
        query = select(attempts).order_by(attempts.c.id)
        if learner_id is not None:
            query = query.where(attempts.c.learner_id == learner_id)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

