"""Scores owed to an LMS gradebook (table ``grade_passbacks``): written when a learner launched from an LMS passes the
post-test, read by the course server's sender, which marks each one sent, or failed with the time of its next try."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from .database import Store
from .schema import grade_passbacks


@dataclass(frozen=True)
class OwedScore:
    id: int
    learner_id: str
    score_given: float
    score_maximum: float
    created_at: dt.datetime
    attempts: int


class PassbackStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def owe(self, learner_id: str, score_given: float, score_maximum: float, at: dt.datetime) -> None:
        self.store.transaction(
            lambda conn: conn.execute(
                grade_passbacks.insert().values(
                    learner_id=learner_id,
                    score_given=score_given,
                    score_maximum=score_maximum,
                    created_at=at,
                    attempts=0,
                    next_try_at=at,
                )
            ),
            write=True,
        )

    def due(self, now: dt.datetime, limit: int = 50) -> list[OwedScore]:
        """Scores not yet accepted whose next try has come, oldest first."""
        query = (
            select(grade_passbacks)
            .where(grade_passbacks.c.sent_at.is_(None), grade_passbacks.c.next_try_at <= now)
            .order_by(grade_passbacks.c.id)
            .limit(limit)
        )
        rows = self.store.transaction(lambda conn: conn.execute(query).all(), write=False)
        return [OwedScore(r.id, r.learner_id, r.score_given, r.score_maximum, r.created_at, r.attempts) for r in rows]

    def sent(self, owed: OwedScore, at: dt.datetime) -> None:
        self.store.transaction(
            lambda conn: conn.execute(
                update(grade_passbacks)
                .where(grade_passbacks.c.id == owed.id)
                .values(sent_at=at, attempts=owed.attempts + 1, last_error=None)
            ),
            write=True,
        )

    def failed(self, owed: OwedScore, error: str, next_try: dt.datetime) -> None:
        self.store.transaction(
            lambda conn: conn.execute(
                update(grade_passbacks)
                .where(grade_passbacks.c.id == owed.id)
                .values(attempts=owed.attempts + 1, next_try_at=next_try, last_error=error[:2000])
            ),
            write=True,
        )

    def all_rows(self) -> list[dict]:
        """Every row, for the course director and the tests."""
        rows = self.store.transaction(
            lambda conn: conn.execute(select(grade_passbacks).order_by(grade_passbacks.c.id)).all(), write=False
        )
        return [dict(r._mapping) for r in rows]
