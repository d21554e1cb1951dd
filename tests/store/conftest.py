"""Every store test runs on SQLite and on a real PostgreSQL server (the store of a hub)."""

from __future__ import annotations

import uuid

import pytest

from tests.postgres_server import PostgresServer


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported as a failed run, never a skip
        pytest.fail(f"The PostgreSQL store tests need a local server: {exc}. Install Debian's postgresql package.")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    server = request.getfixturevalue("postgres")
    # one schema-free database per test keeps tests independent without restarting the server
    name = f"t_{uuid.uuid4().hex[:12]}"
    from sqlalchemy import create_engine, text

    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"
