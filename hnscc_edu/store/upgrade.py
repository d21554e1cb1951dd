"""``hnscc-edu upgrade-db``: bring a course store to this release's layout from the command line, as a hub's
administrator does after an update (JupyterHub's own ``jupyterhub upgrade-db`` is the model). Opening the store does
the same; this command says what it found and what it did, and keeps a copy of a SQLite store first.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from . import migrations
from .database import Store, StoreError


@dataclass(frozen=True)
class UpgradeReport:
    where: str  # the store's URL, password hidden
    before: int  # the layout version found (0: empty)
    after: int
    backup: Path | None  # the copy of a SQLite store made before upgrading it


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store; None for another database or SQLite in memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def found_version(url: str) -> int:
    """The layout version of the store at ``url``, read without changing anything (0: empty).
    Raises ``migrations.NewerStore`` for a store of a newer release, ``StoreError`` when it cannot be read."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revision = migrations.current_revision(conn)
            if revision is not None:
                if revision not in migrations.VERSION_OF:
                    raise migrations.NewerStore(f"revision {revision}")
                return migrations.VERSION_OF[revision]
            legacy = max(migrations.recorded_versions(conn), default=1 if migrations.has_any_table(conn) else 0)
            if legacy > migrations.LATEST_VERSION:
                raise migrations.NewerStore(f"store version {legacy}")
            return legacy
    except SQLAlchemyError as exc:
        raise StoreError(f"The course database cannot be read ({exc.__class__.__name__}).") from exc
    finally:
        engine.dispose()


def backup_sqlite(path: Path, version: int) -> Path:
    """A consistent copy of a SQLite store (SQLite's backup API, so a WAL store is copied whole), beside it."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def upgrade(url: str, backup: bool = True) -> UpgradeReport:
    """Bring the store at ``url`` to the latest layout; a SQLite file is copied first when it needs upgrading."""
    where = make_url(url).render_as_string(hide_password=True)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise StoreError(f"There is no course database at {path}; nothing to upgrade.")
    before = found_version(url)
    copy = (
        backup_sqlite(path, before) if backup and path is not None and 0 < before < migrations.LATEST_VERSION else None
    )
    store = Store(url)
    store.engine.dispose()
    return UpgradeReport(where, before, store.schema_version, copy)
