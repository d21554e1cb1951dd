"""Browser fixtures: Voila on a free loopback port for one notebook, and a page of Debian's Chromium (the session's
one Chromium is ``browser`` in tests/conftest.py, shared with the hub tests).

A missing browser fails the test run; it never skips it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.voila_server import VoilaServer

WIDGET_TIMEOUT_MS = 90_000  # the first load includes starting a kernel and running the notebook


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WIDGET_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def voila(tmp_path) -> Iterator:
    """Start Voila for a notebook: ``voila("01_reirradiation.ipynb")`` returns the server; stopped afterwards."""
    servers: list[VoilaServer] = []

    def start(notebook: str, learner: str = "browser-learner", **options) -> VoilaServer:
        server = VoilaServer(
            notebook, tmp_path / "store.sqlite3", learner, tmp_path / f"voila-{len(servers)}.log", **options
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
