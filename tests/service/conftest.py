"""The course service's tests run on SQLite and on a real PostgreSQL server (the store of a hub), like the store's."""

from __future__ import annotations

import uuid

import pytest

from tests.postgres_server import PostgresServer


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported as a failed run, never a skip
        pytest.fail(f"The course service tests need a local PostgreSQL server: {exc}. Install Debian's postgresql "
                    "package.")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'service.sqlite3'}"
    server = request.getfixturevalue("postgres")
    name = f"t_{uuid.uuid4().hex[:12]}"
    from sqlalchemy import create_engine, text

    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"
