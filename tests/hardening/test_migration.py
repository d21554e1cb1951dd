"""The store's layout is versioned with Alembic revisions: a v1 store (before versions were recorded), a v2 store
(certificates hashed, not signed) and a v3 store from before Alembic are upgraded in place, an empty one is created
at the latest version, the revisions run from nothing build exactly the tables of ``store/schema.py``, and a store
from a newer release is refused. ``hnscc-edu upgrade-db`` and Alembic's own command do the same."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    select,
    text,
)

from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store, StoreError, migrations
from hnscc_edu.store.database import SCHEMA_VERSION, schema_info
from tests.helpers import fixture_course

CASE = fixture_course().case("fixture-case")

# What version 1 was, written out here on purpose: the store module has moved on, this fixture must not.
V1 = MetaData()
V1_ATTEMPTS = Table(
    "attempts",
    V1,
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
    "case_moves",
    V1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner_id", String(200), nullable=False, index=True),
    Column("case_id", String(100), nullable=False),
    Column("run", Integer, nullable=False),
    Column("event", String(20), nullable=False),
    Column("from_stage", String(100)),
    Column("to_stage", String(100)),
    Column("at", DateTime(timezone=True), nullable=False),
)

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def attempt(
    learner: str,
    item: str,
    response: object,
    minute: int,
    context: str = "case",
    context_id: str = "fixture-case",
    run: int = 1,
    stage: str | None = "history",
    score: float = 1.0,
) -> dict:
    return {
        "learner_id": learner,
        "context": context,
        "context_id": context_id,
        "run": run,
        "stage_id": stage,
        "item_id": item,
        "response": json.dumps(response),
        "score": score,
        "max_score": 1.0,
        "correct": score == 1.0,
        "submitted_at": T0 + dt.timedelta(minutes=minute),
    }


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
    {
        "learner_id": "ana",
        "case_id": "fixture-case",
        "run": 1,
        "event": "advance",
        "from_stage": "history",
        "to_stage": "plan",
        "at": T0 + dt.timedelta(minutes=3),
    },
    {
        "learner_id": "ana",
        "case_id": "fixture-case",
        "run": 2,
        "event": "restart",
        "from_stage": None,
        "to_stage": "history",
        "at": T0 + dt.timedelta(minutes=8),
    },
    {
        "learner_id": "ana",
        "case_id": "fixture-case",
        "run": 1,
        "event": "advance",
        "from_stage": "history",
        "to_stage": "plan",
        "at": T0 + dt.timedelta(minutes=3),
    },  # moves are a log: equal rows are kept as they are
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
                row[key] = value.replace(tzinfo=dt.UTC)
    return found


def revision(url: str) -> str | None:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = migrations.current_revision(conn)
    engine.dispose()
    return found


def test_a_v1_store_is_upgraded_in_place(url, caplog):
    make_v1_store(url)
    before_attempts, before_moves = rows(url, V1_ATTEMPTS), rows(url, V1_MOVES)
    assert len(before_attempts) == 9

    with caplog.at_level(logging.INFO, logger="hnscc_edu.store"):
        store = Store(url)
    assert store.schema_version == SCHEMA_VERSION == 8
    assert any(
        "upgraded to store version 2" in r.getMessage() and "removed 3 duplicate" in r.getMessage()
        for r in caplog.records
    )
    assert any("upgraded to store version 3" in r.getMessage() for r in caplog.records)
    with store.engine.connect() as conn:
        info = conn.execute(select(schema_info.c.version, schema_info.c.note)).all()
        indexes = {ix["name"]: ix for ix in inspect(conn).get_indexes("attempts")}
    assert [tuple(r) for r in info] == [
        (2, "removed 3 duplicate attempt row(s), keeping the earliest of each"),
        (3, "no certificates yet; certificates will be signed and can be revoked"),
        (4, "the full evaluation; 0 evaluation(s) submitted before keep their answers, without the new questions"),
        (5, "follow-ups of commitments to change, 60-90 days after the evaluation"),
        (6, "scores owed to an LMS gradebook (LTI Advantage grade passback)"),
        (7, "live sessions end: by the presenter, or after a time without presenter actions"),
        (8, "live-poll votes count by when the server received them (polls.round_at, locked_at)"),
    ]
    assert indexes["uq_attempts_answer"]["unique"]
    assert revision(url) == migrations.HEAD

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
        assert conn.execute(select(schema_info.c.version)).scalars().all() == [2, 3, 4, 5, 6, 7, 8]
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
        conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    store.engine.dispose()
    with pytest.raises(StoreError, match="newer release of hnscc-edu \\(revision 9001"):
        Store(url)
    assert revision(url) == "9001"  # refused, not touched


def test_a_store_from_before_alembic_of_a_newer_version_is_refused(url):
    make_v1_store(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        V2_SCHEMA_INFO.create(conn)
        conn.execute(V2_SCHEMA_INFO.insert().values(version=SCHEMA_VERSION + 1, applied_at=T0, note="from the future"))
    engine.dispose()
    with pytest.raises(StoreError, match=f"newer release of hnscc-edu \\(store version {SCHEMA_VERSION + 1}"):
        Store(url)


def test_an_upgrade_that_fails_half_way_leaves_the_v1_store_untouched(url, monkeypatch):
    """The revisions run in the one transaction that opens the store (DDL included, on SQLite and PostgreSQL)."""
    make_v1_store(url)
    before = rows(url, V1_ATTEMPTS)
    record = migrations.record

    def power_cut_after_version_2(conn, version, note):
        record(conn, version, note)  # duplicates deleted, index and schema_info created, version 2 recorded ...
        if version == 2:
            raise RuntimeError("power cut")  # ... and then the process dies before the commit

    monkeypatch.setattr(migrations, "record", power_cut_after_version_2)
    with pytest.raises(RuntimeError, match="power cut"):
        Store(url)
    assert rows(url, V1_ATTEMPTS) == before
    engine = create_engine(url)
    with engine.connect() as conn:
        assert not inspect(conn).has_table("schema_info")
        assert not inspect(conn).has_table("alembic_version")
        assert not inspect(conn).has_table("path_events")  # revision 0001's new tables went with the rest
        assert "uq_attempts_answer" not in {ix["name"] for ix in inspect(conn).get_indexes("attempts")}
    engine.dispose()
    monkeypatch.undo()
    assert Store(url).schema_version == SCHEMA_VERSION
    assert len(rows(url, V1_ATTEMPTS)) == len(before) - len(REMOVED_IDS)
    assert revision(url) == migrations.HEAD


# What a version 2 store held of a certificate: its record, hashed and not signed (written out here on purpose).
V2 = MetaData()
V2_SCHEMA_INFO = Table(
    "schema_info",
    V2,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("note", String(300), nullable=False),
)
V2_CERTIFICATES = Table(
    "certificates",
    V2,
    Column("certificate_id", String(40), primary_key=True),
    Column("learner_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)


def test_a_v2_certificate_keeps_its_record_and_is_signed_when_re_issued(url):
    from hnscc_edu import keys
    from hnscc_edu.content import statements
    from hnscc_edu.export import certificate_check, certificates
    from hnscc_edu.rules.credit import payload_hash
    from hnscc_edu.sessions.credit_session import LearnerPath
    from hnscc_edu.store.credit import CreditStore
    from tests.credit.conftest import COURSE, INFO

    legacy = {
        "certificate_id": "HNSCC-79B6E58747",
        "learner_id": "sim-00002",
        "learner_name": "Synthetic Learner 2",
        "profession": "medical_oncologist",
        "profession_label": "Medical oncologist",
        "degree": "MD",
        "activity_title": INFO.title,
        "completion_date": "2026-12-01",
        "issued_on": "2026-12-01",
        "credit_type": "ama-pra-category-1",
        "certificate_title": "Certificate of Credit",
        "amount_heading": "Credit awarded",
        "amount_label": "AMA PRA Category 1 Credit™",
        "credit_amount": "1.00",
        "designation_statement": statements.designation_statement(INFO),
        "provider": INFO.provider,
        "accreditation_statement": statements.accreditation_statement(INFO),
    }
    make_v1_store(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        V2.create_all(conn)
        conn.execute(V2_SCHEMA_INFO.insert().values(version=2, applied_at=T0, note="v2"))
        conn.execute(
            V2_CERTIFICATES.insert().values(
                certificate_id="HNSCC-79B6E58747",
                learner_id="sim-00002",
                payload=json.dumps(legacy, sort_keys=True),
                sha256=payload_hash(legacy),
                issued_at=T0,
            )
        )
    engine.dispose()

    store = Store(url)
    assert store.schema_version == SCHEMA_VERSION
    with store.engine.connect() as conn:
        info = conn.execute(select(schema_info.c.version, schema_info.c.note)).all()
        columns = {c["name"] for c in inspect(conn).get_columns("certificates")}
        assert inspect(conn).has_table("certificate_revocations")
    assert next(tuple(r) for r in info if r.version == 3) == (
        3,
        "certificates are signed and can be revoked; 1 certificate(s) issued before are signed when next re-issued",
    )
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


def test_the_revisions_run_from_nothing_build_exactly_the_tables_of_the_schema(url):
    """What an empty store gets (every table at once, stamped at the head revision) and what the revisions build one
    by one must be the same layout; Alembic's own comparison lists every difference (tables, columns, types,
    indexes, unique constraints)."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from hnscc_edu.store.schema import metadata

    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrations.alembic_config(conn), "head")
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == migrations.HEAD
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        versions = conn.execute(select(schema_info.c.version)).scalars().all()
    engine.dispose()
    assert differences == []
    assert versions == [2, 3, 4, 5, 6, 7, 8]
    assert Store(url).schema_version == SCHEMA_VERSION  # and the course opens it as it is


def test_the_head_revision_and_the_version_map_match_the_revision_files():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_heads() == [migrations.HEAD]
    assert {r.revision for r in script.walk_revisions()} == set(migrations.VERSION_OF)


def test_a_v3_store_from_before_alembic_is_stamped_without_touching_its_data(url):
    store = Store(url)
    store.record_attempt("ana", "case", "c", 1, "i", "a", 1.0, 1.0, True)
    with store.engine.begin() as conn:  # what the last release without Alembic left: no alembic_version
        conn.execute(text("DROP TABLE alembic_version"))
    store.engine.dispose()
    assert revision(url) is None

    reopened = Store(url)
    assert revision(url) == migrations.HEAD
    assert [json.loads(r["response"]) for r in reopened.attempt_rows()] == ["a"]
    with reopened.engine.connect() as conn:
        assert conn.execute(select(schema_info.c.version)).scalars().all() == [SCHEMA_VERSION]
    reopened.engine.dispose()


def test_upgrade_db_copies_a_sqlite_store_then_upgrades_it(tmp_path, capsys):
    from hnscc_edu.cli import main

    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    make_v1_store(url)
    assert main(["upgrade-db", "--db", url]) == 0
    said = capsys.readouterr().out
    assert "from store version 1 to store version 8" in said
    backups = list(tmp_path.glob("class.sqlite3.v1-*.bak"))
    assert len(backups) == 1 and str(backups[0]) in said
    copy = f"sqlite:///{backups[0]}"  # the copy is the v1 store as it was: every row, no version tables
    assert len(rows(copy, V1_ATTEMPTS)) == len(V1_ATTEMPT_ROWS) and revision(copy) is None
    assert len(rows(url, V1_ATTEMPTS)) == len(V1_ATTEMPT_ROWS) - len(REMOVED_IDS)
    assert revision(url) == migrations.HEAD

    assert main(["upgrade-db", "--db", url]) == 0
    assert "already at store version 8; nothing to do" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.bak"))) == 1

    assert main(["upgrade-db", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"]) == 1
    assert "no course database" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()


def test_upgrade_db_on_postgresql_and_a_newer_store(url, capsys):
    from hnscc_edu.cli import main

    make_v1_store(url)
    assert main(["upgrade-db", "--db", url, "--no-backup"]) == 0
    assert "from store version 1 to store version 8" in capsys.readouterr().out
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    engine.dispose()
    assert main(["upgrade-db", "--db", url]) == 1
    assert "newer release of hnscc-edu (revision 9001" in capsys.readouterr().err


def test_alembics_own_command_upgrades_a_v1_store(tmp_path):
    """Maintainers may use ``alembic upgrade head`` with the repository's alembic.ini: same revisions, same result."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    make_v1_store(url)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("alembic")), "-c", str(root / "alembic.ini"), "upgrade", "head"],
        check=False,
        env={**os.environ, "HNSCC_EDU_DB_URL": url},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert revision(url) == migrations.HEAD
    assert len(rows(url, V1_ATTEMPTS)) == len(V1_ATTEMPT_ROWS) - len(REMOVED_IDS)
