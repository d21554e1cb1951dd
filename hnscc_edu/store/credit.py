"""The store of the learner's path to credit: path events, evaluations, attestations and certificates.

Append-only like the attempts: each step is one transaction that writes its event together with its details, so a
step is either saved whole or not at all. Answers to the pre- and post-test are ordinary attempts
(``context="bank"``, ``run`` = the attempt number) in the attempts table of ``database.py``.

A certificate's row keeps its record (the canonical JSON the provider signs), its digest and the provider's Ed25519
signature (store version 3; a certificate issued before has none until it is re-issued, signed). A revocation is a
row of its own in ``certificate_revocations``, never an edit of the certificate.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from . import report_reads
from .database import Store, StoreError, utc
from .schema import (
    attestations,
    certificate_revocations,
    certificates,
    evaluation_answers,
    evaluation_objectives,
    evaluations,
    follow_ups,
    path_events,
)

# An event as the store keeps it: (kind, time, data). The engine turns these into its own PathEvent values; the store
# knows nothing of the path's rules.
StoredEvent = tuple[str, dt.datetime, Mapping[str, Any]]


class CreditStore:
    """Reads and writes of the path tables, on the engine of an existing ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store  # opened at the latest layout, so its credit tables exist (store/schema.py)

    # -- writes: one transaction per step ----------------------------------------------------------------------
    def _insert_event(self, conn: Connection, learner_id: str, event: StoredEvent) -> None:
        kind, at, data = event
        # the statement without values(), its values as parameters: SQLAlchemy then compiles it once, not per event
        conn.execute(
            path_events.insert(), {"learner_id": learner_id, "event": kind, "data": json.dumps(dict(data)), "at": at}
        )

    def _transaction(self, what: str, work) -> Any:
        """One step in one transaction, retried by the store when another writer holds the database."""
        try:
            return self.store.transaction(work, write=True)
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(
                f"Your {what} could not be saved, so nothing changed. Please try again in a moment. "
                f"({exc.__class__.__name__})"
            ) from exc

    def record_event(self, learner_id: str, event: StoredEvent) -> None:
        self._transaction("progress", lambda conn: self._insert_event(conn, learner_id, event))

    def record_evaluation(
        self,
        learner_id: str,
        event: StoredEvent,
        free_of_bias: bool,
        bias_comment: str | None,
        objectives: Sequence[tuple[str, str, str | None, str | None]],
        answers: Mapping[str, Sequence[str]] | None = None,
        barrier_comment: str | None = None,
    ) -> None:
        """One evaluation in one transaction: its row, (objective, met, commitment, intent) per objective, a row per
        chosen answer of the rated questions, and the path event."""

        def work(conn: Connection) -> None:
            result = conn.execute(
                evaluations.insert().values(
                    learner_id=learner_id,
                    free_of_bias=free_of_bias,
                    bias_comment=bias_comment,
                    submitted_at=event[1],
                    barrier_comment=barrier_comment,
                )
            )
            evaluation_id = result.inserted_primary_key[0]
            for objective_id, met, commitment, intent in objectives:
                conn.execute(
                    evaluation_objectives.insert().values(
                        evaluation_id=evaluation_id,
                        learner_id=learner_id,
                        objective_id=objective_id,
                        met=met,
                        commitment=commitment,
                        intent=intent,
                    )
                )
            for question, choices in (answers or {}).items():
                for choice in choices:
                    conn.execute(
                        evaluation_answers.insert().values(
                            evaluation_id=evaluation_id, learner_id=learner_id, question=question, choice=choice
                        )
                    )
            self._insert_event(conn, learner_id, event)

        self._transaction("evaluation", work)

    def record_attestation(
        self, learner_id: str, event: StoredEvent, full_name: str, minutes: int, credit: float
    ) -> None:
        def work(conn: Connection) -> None:
            conn.execute(
                attestations.insert().values(
                    learner_id=learner_id, full_name=full_name, minutes=minutes, credit=credit, attested_at=event[1]
                )
            )
            self._insert_event(conn, learner_id, event)

        self._transaction("attestation", work)

    def record_certificate(
        self,
        learner_id: str,
        event: StoredEvent,
        certificate_id: str,
        payload: Mapping[str, Any],
        sha256: str,
        signature: str,
    ) -> bool:
        """Store a new certificate with its event; False when the learner already has one (a second tab won)."""

        def work(conn: Connection) -> None:
            conn.execute(
                certificates.insert().values(
                    certificate_id=certificate_id,
                    learner_id=learner_id,
                    payload=json.dumps(dict(payload), sort_keys=True),
                    sha256=sha256,
                    issued_at=event[1],
                    signature=signature,
                )
            )
            self._insert_event(conn, learner_id, event)

        try:
            self._transaction("certificate", work)
        except IntegrityError:
            return False
        return True

    def sign_certificate(self, certificate_id: str, payload: Mapping[str, Any], sha256: str, signature: str) -> bool:
        """Sign a certificate issued before certificates were signed (its record made ready to sign by the caller).
        False when it was signed meanwhile (another process won); a signed certificate is never changed."""

        def work(conn: Connection) -> int:
            return conn.execute(
                certificates.update()
                .where(certificates.c.certificate_id == certificate_id, certificates.c.signature.is_(None))
                .values(payload=json.dumps(dict(payload), sort_keys=True), sha256=sha256, signature=signature)
            ).rowcount

        return self._transaction("certificate", work) == 1

    def revoke(self, certificate_id: str, reason: str, at: dt.datetime) -> bool:
        """Revoke a certificate; False when it was already revoked (the first revocation stands)."""
        try:
            self._transaction(
                "revocation",
                lambda conn: conn.execute(
                    certificate_revocations.insert().values(certificate_id=certificate_id, reason=reason, revoked_at=at)
                ),
            )
        except IntegrityError:
            return False
        return True

    # -- reads -----------------------------------------------------------------------------------------------
    def _rows(self, query) -> list[Mapping[str, Any]]:
        try:
            return self.store.transaction(lambda conn: [row._mapping for row in conn.execute(query)], write=False)
        except SQLAlchemyError as exc:
            raise StoreError(f"Your saved progress could not be read ({exc.__class__.__name__}).") from exc

    def events(self, learner_id: str) -> list[StoredEvent]:
        rows = self._rows(select(path_events).where(path_events.c.learner_id == learner_id).order_by(path_events.c.id))
        return [(row["event"], utc(row["at"]), json.loads(row["data"])) for row in rows]

    def event_rows(self) -> list[dict[str, Any]]:
        """Every learner's events, oldest first (for the course director's report)."""
        rows = self._rows(select(path_events).order_by(path_events.c.id))
        return [dict(row, data=json.loads(row["data"]), at=utc(row["at"])) for row in rows]

    def evaluation_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows(select(evaluations).order_by(evaluations.c.id))]

    def evaluation_objective_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows(select(evaluation_objectives).order_by(evaluation_objectives.c.id))]

    def record_follow_up(self, learner_id: str, at, outcomes: Mapping[str, str], barriers: str | None) -> bool:
        """The follow-up of one learner, one row per committed objective, in one transaction. False when it was
        already recorded (a second tab): the first one stands."""

        def work(conn: Connection) -> None:
            for objective_id, outcome in outcomes.items():
                conn.execute(
                    follow_ups.insert().values(
                        learner_id=learner_id,
                        objective_id=objective_id,
                        outcome=outcome,
                        barriers=barriers,
                        submitted_at=at,
                    )
                )

        try:
            self._transaction("follow-up", work)
        except IntegrityError:
            return False
        return True

    def follow_up_rows(self, learner_id: str | None = None) -> list[dict[str, Any]]:
        query = select(follow_ups).order_by(follow_ups.c.id)
        if learner_id is not None:
            query = query.where(follow_ups.c.learner_id == learner_id)
        return [dict(row) for row in self._rows(query)]

    def first_evaluation(self, learner_id: str) -> tuple[Any, list[tuple[str, str | None]]] | None:
        """When the learner's first evaluation was submitted, and its (objective, intent to change) rows."""
        rows = self._rows(
            select(evaluations).where(evaluations.c.learner_id == learner_id).order_by(evaluations.c.id).limit(1)
        )
        if not rows:
            return None
        intents = self._rows(
            select(evaluation_objectives.c.objective_id, evaluation_objectives.c.intent)
            .where(evaluation_objectives.c.evaluation_id == rows[0]["id"])
            .order_by(evaluation_objectives.c.id)
        )
        return rows[0]["submitted_at"], [(r["objective_id"], r["intent"]) for r in intents]

    def first_evaluations(self) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """Each learner's first evaluation ({learner id: row}; a second one, from a racing tab, is not counted) and
        the per-objective rows of those evaluations only: what the report and the follow-ups read (through the
        report's reads, which skip SQLAlchemy's row objects: ``report_reads.first_evaluations``)."""
        return report_reads.first_evaluations(self.store)

    def evaluation_answer_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows(select(evaluation_answers).order_by(evaluation_answers.c.id))]

    def attestation_rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows(select(attestations).order_by(attestations.c.id))]

    @staticmethod
    def _certificate(row: Mapping[str, Any]) -> dict[str, Any]:
        revoked = row["revoked_at"]
        return dict(
            row,
            payload=json.loads(row["payload"]),
            issued_at=utc(row["issued_at"]),
            revoked_at=utc(revoked) if revoked is not None else None,
        )

    @staticmethod
    def _certificates_query():
        """Certificates with their revocation (reason and time; None when not revoked)."""
        joined = certificates.outerjoin(
            certificate_revocations, certificate_revocations.c.certificate_id == certificates.c.certificate_id
        )
        return select(
            certificates,
            certificate_revocations.c.reason.label("revocation_reason"),
            certificate_revocations.c.revoked_at,
        ).select_from(joined)

    def certificate(self, certificate_id: str) -> dict[str, Any] | None:
        rows = self._rows(self._certificates_query().where(certificates.c.certificate_id == certificate_id))
        return self._certificate(rows[0]) if rows else None

    def certificate_for(self, learner_id: str) -> dict[str, Any] | None:
        rows = self._rows(self._certificates_query().where(certificates.c.learner_id == learner_id))
        return self._certificate(rows[0]) if rows else None

    def certificate_rows(self) -> list[dict[str, Any]]:
        return [
            self._certificate(row) for row in self._rows(self._certificates_query().order_by(certificates.c.issued_at))
        ]

    def learner_ids(self) -> list[str]:
        rows = self._rows(select(path_events.c.learner_id).distinct())
        return sorted(row["learner_id"] for row in rows)
