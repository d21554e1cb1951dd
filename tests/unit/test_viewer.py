"""A Voila pre-heated kernel runs the whole page before anyone opens it (issue 19 §1), reading nothing of the learner's
until the page is requested; then one thread fills in what belongs to the viewer: their progress in the course map
and in each case, or why a case cannot open for them. Voila's wait for the request is replaced by an event here."""

from __future__ import annotations

import threading
import time

import pytest

from hnscc_edu import notebook
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import identity
from hnscc_edu.ui import viewer
from hnscc_edu.ui.opener import CASE_PROGRESS, CHECKING

CASE_ID = "reirr-candidacy-01"


@pytest.fixture
def course_service(tmp_path, monkeypatch):
    """The real course in a course service (a thread of this process); this process is the learner's kernel."""
    from hnscc_edu.content.course import load_course
    from hnscc_edu.service import CourseService
    from tests.helpers import ROOT
    from tests.service_harness import ThreadedService

    threaded = ThreadedService(CourseService(f"sqlite:///{tmp_path / 'service.sqlite3'}", content=load_course(ROOT)))
    for name, value in threaded.env("kernel-learner").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HNSCC_EDU_DB_URL", raising=False)
    yield threaded
    threaded.stop()


class Request:
    """Voila's ``wait_for_request`` in a pre-heated kernel: it returns once the page is requested (``arrive``)."""

    def __init__(self, monkeypatch):
        self.arrived = threading.Event()
        self.waits = 0
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setattr(identity, "_viewer_arrived", False)
        monkeypatch.setattr("voila.utils.wait_for_request", self.wait)

    def wait(self, url=None):
        self.waits += 1
        self.arrived.wait(30)

    def arrive(self, until, timeout: float = 30) -> None:
        self.arrived.set()
        deadline = time.monotonic() + timeout
        while not until():
            assert time.monotonic() < deadline, "the page's viewer part was never filled in"
            time.sleep(0.02)


@pytest.fixture
def shown(monkeypatch):
    """What the page displays, in order (the widgets themselves, as the browser would get them)."""
    out: list = []
    monkeypatch.setattr(notebook, "display", lambda *things, **_: out.extend(things))
    return out


def _calls(course_service, monkeypatch) -> list[str]:
    """Every request the kernel sends to the course service."""
    from hnscc_edu.service.client import ServiceClient

    seen: list[str] = []
    original = ServiceClient.request

    def request(self, method, path, body=None):
        seen.append(path)
        return original(self, method, path, body)

    monkeypatch.setattr(ServiceClient, "request", request)
    return seen


def test_a_preheated_case_page_reads_nothing_before_the_request_then_shows_the_progress(
    course_service, monkeypatch, shown
):
    client = course_service.client("kernel-learner")
    client.path("acknowledge", profession="nurse", degree="RN")
    request = Request(monkeypatch)
    calls = _calls(course_service, monkeypatch)

    notebook.show_course_map(module=1)
    opener = notebook.show_case(CASE_ID)
    assert calls == [] and opener is not None and opener.button.disabled  # the page ran; nothing was read
    table = shown[0]
    assert "Your progress" not in table.value and CHECKING in opener.summary.value
    assert "Synthetic patient" not in opener.summary.value  # nothing of the case before the viewer is known

    case = notebook.course().case(CASE_ID)  # another tab answers while the kernel waits in its pool
    item = case.stage(case.start).items[0]
    key = next(o.id for o in item.options if o.correct)
    CaseSession(case, course_service.service.store, "kernel-learner").submit(item.id, key)

    request.arrive(until=lambda: not opener.button.disabled)
    assert request.waits == 1 and "me" in calls
    assert CASE_PROGRESS["started"] in opener.summary.value and "Synthetic patient" in opener.summary.value
    assert "Your progress" in table.value and "Started" in table.value
    opener.button.click()
    assert opener.player is not None and opener.player.session.result(item.id) is not None  # the other tab's answer


def test_a_preheated_case_for_a_viewer_who_has_not_acknowledged_says_why_it_is_closed(
    course_service, monkeypatch, shown
):
    request = Request(monkeypatch)
    opener = notebook.show_case(CASE_ID)
    request.arrive(until=lambda: opener.button not in opener.widget.children)
    (locked,) = opener.widget.children
    assert "opens after the activity information" in locked.value and 'href="00_start_here.ipynb"' in locked.value
    assert opener.player is None


def test_the_request_is_waited_for_once_whichever_thread_asks_first(monkeypatch):
    request = Request(monkeypatch)
    waiting = [threading.Thread(target=identity.wait_for_viewer) for _ in range(3)]
    for thread in waiting:
        thread.start()
    request.arrived.set()
    for thread in waiting:
        thread.join(30)
    assert request.waits == 1 and not identity.viewer_pending()


def test_outside_a_preheated_kernel_the_viewer_part_is_filled_in_at_once(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    ran: list[int] = []
    assert viewer.when_viewer_known(lambda: ran.append(1)) and ran == [1]
