"""Browser fixtures: Voila on a free loopback port for one notebook, and a page of Debian's Chromium.

A missing browser fails the test run; it never skips it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.voila_server import VoilaServer

CHROMIUM = os.environ.get("HNSCC_EDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WIDGET_TIMEOUT_MS = 90_000  # the first load includes starting a kernel and running the notebook


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM}. "
                    "Install Debian's package: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


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
        server = VoilaServer(notebook, tmp_path / "store.sqlite3", learner, tmp_path / f"voila-{len(servers)}.log",
                             **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
