"""Store migrations with Alembic: each layout version is a revision in ``versions/``; the store is brought to the
latest one when it is opened (one transaction, under PostgreSQL's advisory lock), or by ``hnscc-edu upgrade-db``.

Stores from before Alembic kept their version in ``schema_info`` only. The revisions are written so that running them
over such a store is safe: a table, column or index that exists is kept, and the data change of a version (version
2's removal of duplicate answers) runs only when the store does not have that version's change yet. So an old store
without ``alembic_version`` is simply upgraded from the start.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Connection, inspect, select, text

from ..schema import metadata, schema_info

log = logging.getLogger(__name__)

# The latest revision, and the layout version each revision is (schema_info.version). A new revision adds a line.
HEAD = "0008"
VERSION_OF = {"0001": 1, "0002": 2, "0003": 3, "0004": 4, "0005": 5, "0006": 6, "0007": 7, "0008": 8}
LATEST_VERSION = VERSION_OF[HEAD]

FOLDER = Path(__file__).parent
VERSION_TABLE = "alembic_version"

# Any constant works; it only has to be the same in every process that opens a store (pg_advisory_xact_lock).
_PG_SCHEMA_LOCK = 0x686E_7363


class NewerStore(Exception):
    """The store was written by a newer release of hnscc-edu; the message says which version."""


def lock(conn: Connection) -> None:
    """PostgreSQL has no database-wide write lock: this lock makes processes that open a new store at the same moment
    create or upgrade it one after the other (it ends with the transaction). SQLite's BEGIN IMMEDIATE does the same."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SCHEMA_LOCK})


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision the store is at; None for an empty store or one from before Alembic."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def recorded_versions(conn: Connection) -> set[int]:
    """The layout versions ``schema_info`` records (empty when it does not exist yet)."""
    if not inspect(conn).has_table(schema_info.name):
        return set()
    return set(conn.execute(select(schema_info.c.version)).scalars())


def has_any_table(conn: Connection) -> bool:
    return bool(set(inspect(conn).get_table_names()) & set(metadata.tables))


def alembic_config(conn: Connection | None = None):
    """Alembic's configuration for the store's revisions; ``conn``: run them in that connection's transaction."""
    from alembic.config import Config  # only loaded when a store needs creating from old or upgrading

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = conn
    return config


def bring_to_latest(conn: Connection, where: str) -> tuple[int, int]:
    """Create, upgrade or check the store's layout inside the open write transaction ``conn`` (all or nothing).
    Returns (the layout version found, the version now); raises ``NewerStore`` for a store of a newer release."""
    lock(conn)
    revision = current_revision(conn)
    if revision == HEAD:  # the every-day case: one query, Alembic not even imported
        return LATEST_VERSION, LATEST_VERSION
    if revision is not None and revision not in VERSION_OF:
        raise NewerStore(f"revision {revision}")
    if revision is None:
        legacy = max(recorded_versions(conn), default=1 if has_any_table(conn) else 0)
        if legacy > LATEST_VERSION:
            raise NewerStore(f"store version {legacy}")
        if legacy == 0:
            create_latest(conn)
            return 0, LATEST_VERSION
        found = legacy
    else:
        found = VERSION_OF[revision]
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
    log.info(
        "Course database %s is at store version %d (revision %s), upgraded from version %d",
        where,
        LATEST_VERSION,
        HEAD,
        found,
    )
    return found, LATEST_VERSION


def create_latest(conn: Connection) -> None:
    """An empty store: every table at the latest layout, marked as at the head revision (Alembic's "create_all, then
    stamp"). The test suite checks that the revisions, run from nothing, build exactly this layout."""
    from ..database import utc_now

    metadata.create_all(conn)
    conn.execute(schema_info.insert().values(version=LATEST_VERSION, applied_at=utc_now(), note="created"))
    conn.execute(
        text(
            f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL, "
            f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))"
        )
    )
    conn.execute(text(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES (:head)"), {"head": HEAD})


def record(conn: Connection, version: int, note: str) -> None:
    """Write what a revision did to ``schema_info`` and to the log, unless the store had already reached that version
    (a store from before Alembic, taken through the revisions again)."""
    from ..database import utc_now

    if max(recorded_versions(conn), default=0) >= version:
        return
    conn.execute(schema_info.insert().values(version=version, applied_at=utc_now(), note=note))
    log.info("Course database upgraded to store version %d: %s", version, note)
