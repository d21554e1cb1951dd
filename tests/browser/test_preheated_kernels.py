"""Pre-heated Voila kernels (voila.json pools for lecture notebooks) never show a learner a stale copy of their work.

Voila runs a pooled notebook before anyone opens it. The course runs the whole page then, but reads nothing of the
learner's until the page is requested (``identity.wait_for_viewer``; their progress is filled in afterwards,
``ui.viewer``). The test lets the pooled kernel settle, stores an answer as another tab would, then opens the page:
the progress and the answer must be there.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import SingleBestAnswer
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from tests.browser.walk import feedback_text, open_case, opener
from tests.helpers import ROOT
from tests.voila_server import VoilaServer

pytestmark = pytest.mark.browser

NOTEBOOK = "01_reirradiation.ipynb"
CASE = load_course(ROOT).case("reirr-candidacy-01")
ITEM = next(item for item in CASE.stage(CASE.start).items if isinstance(item, SingleBestAnswer))
KEY = next(option for option in ITEM.options if option.correct)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _pooled_kernel_settled(server: VoilaServer, log: Path, timeout: float = 120) -> None:
    """Wait until the pool is filled and its kernel has stopped working (run as far as it may before a viewer)."""
    deadline = time.monotonic() + timeout
    while f"Kernel pool of {NOTEBOOK} is filled" not in log.read_text():
        assert time.monotonic() < deadline, "the kernel pool was never filled"
        time.sleep(0.5)
    pids: list[int] = []
    while not pids:
        assert time.monotonic() < deadline, "no pooled kernel process appeared"
        pids = [
            int(p.parent.name)
            for p in Path("/proc").glob("[0-9]*/status")
            if f"PPid:\t{server.process.pid}\n" in p.read_text(errors="replace")
        ]
        time.sleep(0.5)
    previous = -1
    while (ticks := sum(_cpu_ticks(pid) for pid in pids)) != previous:
        assert time.monotonic() < deadline, "the pooled kernel never settled"
        previous = ticks
        time.sleep(2)


def test_an_answer_stored_after_the_kernel_was_heated_is_shown(tmp_path, page):
    store_path, log = tmp_path / "store.sqlite3", tmp_path / "voila.log"
    # the course folder as ``make present`` serves it, with voila.json's pools (the test server turns them off
    # unless asked)
    server = VoilaServer(
        "",
        store_path,
        "preheat-learner",
        log,
        notebook_path=ROOT / "notebooks",
        extra_args=["--VoilaConfiguration.preheat_kernel=True"],
    )
    try:
        _pooled_kernel_settled(server, log)
        # another tab answers while the pooled kernel waits for its viewer
        CaseSession(CASE, Store(f"sqlite:///{store_path}"), "preheat-learner").submit(ITEM.id, KEY.id)

        page.goto(f"{server.url}voila/render/{NOTEBOOK}")
        # the page was drawn before anyone asked for it; the learner's progress is read once it is requested
        opener(page, CASE.id).locator(".hnscc-opener-progress", has_text="Started: your answers are saved").wait_for()
        player = open_case(page, CASE.id)
        assert "Using pre-heated kernel" in log.read_text()  # the page came from the pool, not a cold kernel
        assert "Correct" in feedback_text(player, ITEM)
        assert player.locator(f".hnscc-input-{ITEM.id} input:checked").is_disabled()
        assert "Traceback" not in page.content()
    finally:
        server.stop()
