"""Fixtures shared by the store, service, live, browser and hub tests: one real PostgreSQL server for the test session
(the store of a hub), the ``url`` of a fresh store on SQLite and on PostgreSQL for tests that run on both, and one
Chromium for the session (Playwright's sync API allows one per thread)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from tests.postgres_server import PostgresServer


@pytest.fixture(scope="session")
def postgres():
    try:
        server = PostgresServer()
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported as a failed run, never a skip
        pytest.fail(f"These tests need a local PostgreSQL server: {exc}. Install Debian's postgresql package.")
    yield server
    server.stop()


def fresh_database(server: PostgresServer) -> str:
    """A new, empty database on ``server`` (one per test keeps tests independent without restarting the server)."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return fresh_database(request.getfixturevalue("postgres"))


CHROMIUM = os.environ.get("HNSCC_EDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium is required for the browser tests and was not found at {CHROMIUM}. "
            "Install Debian's package: apt-get install chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
