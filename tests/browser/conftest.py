"""Browser fixtures: Voila on a free loopback port for one notebook, and a page of Debian's Chromium.

A missing browser fails the test run; it never skips it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

CHROMIUM = os.environ.get("HNSCC_EDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WIDGET_TIMEOUT_MS = 90_000  # the first load includes starting a kernel and running the notebook


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VoilaServer:
    def __init__(self, notebook: str, db_path: Path, learner: str, log_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, HNSCC_EDU_DB_URL=f"sqlite:///{db_path}", HNSCC_EDU_LEARNER_ID=learner,
                   HNSCC_EDU_AUTO_ANSWER="0", HNSCC_EDU_COURSE_ROOT=str(ROOT))
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "voila", str(ROOT / "notebooks" / notebook), f"--port={self.port}",
             "--no-browser", "--Voila.ip=127.0.0.1"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited with {self.process.returncode}; see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("voila did not start within a minute")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


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

    def start(notebook: str, learner: str = "browser-learner") -> VoilaServer:
        server = VoilaServer(notebook, tmp_path / "store.sqlite3", learner, tmp_path / f"voila-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
