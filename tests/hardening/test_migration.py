"""The store's layout is versioned: a v1 store (before versions were recorded) and a v2 store (certificates hashed,
not signed) are upgraded in place, an empty one is created at the latest version, and one from a newer release is
refused."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from sqlalchemy import (Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text, create_engine,
                        inspect, select)

from hnscc_edu.engine.case_session import CaseSession
from hnscc_edu.store import Store, StoreError
from hnscc_edu.store import database
from hnscc_edu.store.database import SCHEMA_VERSION, schema_info
from tests.helpers import fixture_course

CASE = fixture_course().case("fixture-case")

# What version 1 was, written out here on purpose: the store module has moved on, this fixture must not.
V1 = MetaData()
V1_ATTEMPTS = Table(
    "attempts", V1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("context", String(20), nullable=False),
    Column("context_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("stage_id", String(100)),
    Column("item_id", String(100), nullable=False),
    Column("response", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("correct", Boolean),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)
V1_MOVES = Table(
    "case_moves", V1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("case_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("event", String(20), nullable=False),
    Column("from_stage", String(100)),
    Column("to_stage", String(100)),
    Column("at", DateTime(timezone=True), nullable=False),
)

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def attempt(learner: str, item: str, response: object, minute: int, context: str = "case",
            context_id: str = "fixture-case", run: int = 1, stage: str | None = "history",
            score: float = 1.0) -> dict:
    return dict(learner_id=learner, context=context, context_id=context_id, run=run, stage_id=stage, item_id=item,
                response=json.dumps(response), score=score, max_score=1.0, correct=score == 1.0,
                submitted_at=T0 + dt.timedelta(minutes=minute))


V1_ATTEMPT_ROWS = [
    attempt("ana", "fx-single", "a", 1),
    attempt("ana", "fx-single", "b", 1, score=0.0),  # the double click of v1: a second row, a different answer
    attempt("ana", "fx-multi", ["a", "b"], 2),
    attempt("ana", "fx-numeric", "70 Gy", 4, stage="plan"),
    attempt("ana", "fx-single", "b", 9, run=2, score=0.0),  # another run: not a duplicate
    attempt("ben", "fxb-1", "b", 5, context="bank", context_id="fixture-bank", stage=None, score=0.0),
    attempt("ben", "fxb-1", "b", 5, context="bank", context_id="fixture-bank", stage=None, score=0.0),
    attempt("ben", "fxb-1", "b", 5, context="bank", context_id="fixture-bank", stage=None, score=0.0),
    attempt("ben", "fxb-1", "a", 7, context="bank", context_id="fixture-bank", run=2, stage=None),
]
V1_MOVE_ROWS = [
    dict(learner_id="ana", case_id="fixture-case", run=1, event="advance", from_stage="history", to_stage="plan",
         at=T0 + dt.timedelta(minutes=3)),
    dict(learner_id="ana", case_id="fixture-case", run=2, event="restart", from_stage=None, to_stage="history",
         at=T0 + dt.timedelta(minutes=8)),
    dict(learner_id="ana", case_id="fixture-case", run=1, event="advance", from_stage="history", to_stage="plan",
         at=T0 + dt.timedelta(minutes=3)),  # moves are a log: equal rows are kept as they are
]
REMOVED_IDS = {2, 7, 8}  # the later rows of each duplicate group


def make_v1_store(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        V1.create_all(conn)
        for row in V1_ATTEMPT_ROWS:
            conn.execute(V1_ATTEMPTS.insert().values(**row))
        for row in V1_MOVE_ROWS:
            conn.execute(V1_MOVES.insert().values(**row))
    engine.dispose()


def rows(url: str, table: Table) -> list[dict]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]
    engine.dispose()
    for row in found:  # SQLite hands datetimes back naive; they were written in UTC
        for key, value in row.items():
            if isinstance(value, dt.datetime) and value.tzinfo is None:
                row[key] = value.replace(tzinfo=dt.timezone.utc)
    return found


def test_a_v1_store_is_upgraded_in_place(url, caplog):
    make_v1_store(url)
    before_attempts, before_moves = rows(url, V1_ATTEMPTS), rows(url, V1_MOVES)
    assert len(before_attempts) == 9

    with caplog.at_level(logging.INFO, logger="hnscc_edu.store.database"):
        store = Store(url)
    assert store.schema_version == SCHEMA_VERSION == 3
    assert any("upgraded to store version 2" in r.getMessage() and "removed 3 duplicate" in r.getMessage()
               for r in caplog.records)
    assert any("upgraded to store version 3" in r.getMessage() for r in caplog.records)
    with store.engine.connect() as conn:
        info = conn.execute(select(schema_info.c.version, schema_info.c.note)).all()
        indexes = {ix["name"]: ix for ix in inspect(conn).get_indexes("attempts")}
    assert [tuple(r) for r in info] == [(2, "removed 3 duplicate attempt row(s), keeping the earliest of each"),
                                        (3, "no certificates yet; certificates will be signed and can be revoked")]
    assert indexes["uq_attempts_answer"]["unique"]

    # duplicates gone, earliest kept; every other row exactly as it was
    assert rows(url, V1_ATTEMPTS) == [r for r in before_attempts if r["id"] not in REMOVED_IDS]
    assert rows(url, V1_MOVES) == before_moves

    # the case resumes in run 2 (its one answer); in run 1 the first answer ("a") is the one kept
    assert CaseSession(CASE, store, "ana").state.answers.keys() == {"fx-single"}
    kept = [r for r in store.attempt_rows("ana") if r["item_id"] == "fx-single" and r["run"] == 1]
    assert [json.loads(r["response"]) for r in kept] == ["a"]

    # the upgraded store refuses a second answer like a new one does
    assert store.record_attempt("ben", "bank", "fixture-bank", 1, "fxb-1", "a", 1.0, 1.0, True) is False
    assert store.record_attempt("ben", "bank", "fixture-bank", 3, "fxb-1", "a", 1.0, 1.0, True) is True

    # opening it again changes nothing
    assert Store(url).schema_version == SCHEMA_VERSION
    with store.engine.connect() as conn:
        assert conn.execute(select(schema_info.c.version)).scalars().all() == [2, 3]
    store.engine.dispose()


def test_a_v1_case_in_progress_resumes_at_its_stage_after_the_upgrade(url):
    make_v1_store(url)
    engine = create_engine(url)
    with engine.begin() as conn:  # leave only run 1 of ana's case: the learner was on stage "plan"
        conn.execute(V1_ATTEMPTS.delete().where(V1_ATTEMPTS.c.run == 2))
        conn.execute(V1_MOVES.delete().where(V1_MOVES.c.run == 2))
        conn.execute(V1_MOVES.delete().where(V1_MOVES.c.id == 3))
    engine.dispose()
    session = CaseSession(CASE, Store(url), "ana")
    assert session.state.path == ("history", "plan")
    assert session.stage.id == "plan"
    assert session.response("fx-single") == "a" and session.result("fx-single").correct is True
    assert session.response("fx-multi") == ["a", "b"]
    assert session.result("fx-numeric").correct is True


def test_an_empty_database_is_created_at_the_latest_version(url):
    store = Store(url)
    with store.engine.connect() as conn:
        info = conn.execute(select(schema_info.c.version, schema_info.c.note)).all()
        unique = {ix["name"] for ix in inspect(conn).get_indexes("attempts") if ix["unique"]}
    assert [tuple(r) for r in info] == [(SCHEMA_VERSION, "created")]
    assert "uq_attempts_answer" in unique
    assert store.record_attempt("ana", "case", "c", 1, "i", "a", 1.0, 1.0, True) is True
    assert store.record_attempt("ana", "case", "c", 1, "i", "b", 0.0, 1.0, False) is False
    assert [json.loads(r["response"]) for r in store.attempt_rows()] == ["a"]
    store.engine.dispose()


def test_a_store_from_a_newer_release_is_refused(url):
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(schema_info.insert().values(version=SCHEMA_VERSION + 1, applied_at=T0, note="from the future"))
    store.engine.dispose()
    with pytest.raises(StoreError, match=f"newer release of hnscc-edu \\(store version {SCHEMA_VERSION + 1}"):
        Store(url)


def test_an_upgrade_that_fails_half_way_leaves_the_v1_store_untouched(url, monkeypatch):
    """The upgrade runs in the one transaction that opens the store (DDL included, on SQLite and PostgreSQL)."""
    make_v1_store(url)
    before = rows(url, V1_ATTEMPTS)

    upgrade = database.MIGRATIONS[2]

    def breaks_after_the_work(conn):
        upgrade(conn)  # duplicates deleted, index and schema_info created ...
        raise RuntimeError("power cut")  # ... and then the process dies before the commit

    monkeypatch.setitem(database.MIGRATIONS, 2, breaks_after_the_work)
    with pytest.raises(RuntimeError, match="power cut"):
        Store(url)
    assert rows(url, V1_ATTEMPTS) == before
    engine = create_engine(url)
    with engine.connect() as conn:
        assert not inspect(conn).has_table("schema_info")
        assert "uq_attempts_answer" not in {ix["name"] for ix in inspect(conn).get_indexes("attempts")}
    engine.dispose()
    monkeypatch.undo()
    assert Store(url).schema_version == SCHEMA_VERSION
    assert len(rows(url, V1_ATTEMPTS)) == len(before) - len(REMOVED_IDS)


# What a version 2 store held of a certificate: its record, hashed and not signed (written out here on purpose).
V2 = MetaData()
V2_SCHEMA_INFO = Table(
    "schema_info", V2,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("note", String(300), nullable=False),
)
V2_CERTIFICATES = Table(
    "certificates", V2,
    Column("certificate_id", String(40), primary_key=True),
    Column("learner_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)


def test_a_v2_certificate_keeps_its_record_and_is_signed_when_re_issued(url):
    from hnscc_edu import keys
    from hnscc_edu.engine.credit import payload_hash
    from hnscc_edu.engine.credit_session import LearnerPath
    from hnscc_edu.export import certificate_check, certificates
    from hnscc_edu.store.credit import CreditStore
    from tests.credit.conftest import COURSE, INFO

    legacy = {"certificate_id": "HNSCC-79B6E58747", "learner_id": "sim-00002", "learner_name": "Synthetic Learner 2",
              "profession": "medical_oncologist", "profession_label": "Medical oncologist", "degree": "MD",
              "activity_title": INFO.title, "completion_date": "2026-12-01", "issued_on": "2026-12-01",
              "credit_type": "ama-pra-category-1", "certificate_title": "Certificate of Credit",
              "amount_heading": "Credit awarded", "amount_label": "AMA PRA Category 1 Credit™",
              "credit_amount": "1.00", "designation_statement": INFO.credit.types[0].designation_statement,
              "provider": INFO.provider, "accreditation_statement": INFO.accreditation_statement}
    make_v1_store(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        V2.create_all(conn)
        conn.execute(V2_SCHEMA_INFO.insert().values(version=2, applied_at=T0, note="v2"))
        conn.execute(V2_CERTIFICATES.insert().values(certificate_id="HNSCC-79B6E58747", learner_id="sim-00002",
                                                     payload=json.dumps(legacy, sort_keys=True),
                                                     sha256=payload_hash(legacy), issued_at=T0))
    engine.dispose()

    store = Store(url)
    assert store.schema_version == SCHEMA_VERSION
    with store.engine.connect() as conn:
        info = conn.execute(select(schema_info.c.version, schema_info.c.note)).all()
        columns = {c["name"] for c in inspect(conn).get_columns("certificates")}
        assert inspect(conn).has_table("certificate_revocations")
    assert [tuple(r) for r in info][-1] == (3, "certificates are signed and can be revoked; 1 certificate(s) issued "
                                               "before are signed when next re-issued")
    assert "signature" in columns
    stored = CreditStore(store).certificate("HNSCC-79B6E58747")
    assert stored["payload"] == legacy and stored["signature"] is None and stored["revoked_at"] is None

    record = LearnerPath(COURSE, store, "sim-00002").certificate()  # the re-issue signs it
    assert record.certificate_id == "HNSCC-79B6E58747" and record.signature is not None
    assert {k: v for k, v in legacy.items() if k != "learner_id"}.items() <= record.payload.items()
    assert "learner_id" not in record.payload and record.payload["key_id"] == keys.load_signer().key_id
    assert certificate_check.verify(certificates.render(record), keys.load_public()).ok
    assert LearnerPath(COURSE, store, "sim-00002").certificate() == record  # signed once, then kept as it is
    store.engine.dispose()
