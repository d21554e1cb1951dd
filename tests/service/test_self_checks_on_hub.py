"""Module self-checks on a hub (issue 17): the learner's kernel has no store, so the course server keeps each
self-check answer under the hub user, and the self-check resumes from it after a kernel restart or on another
server; the door only opens module banks, never the pre- or post-test."""

from __future__ import annotations

import pytest

from hnscc_edu import notebook
from hnscc_edu.content.course import load_course
from hnscc_edu.rules.grading.keys import key_response
from hnscc_edu.service import CourseService
from hnscc_edu.service.client import RemoteBankSession, ServiceClient, ServiceRefused
from hnscc_edu.sessions.bank_session import CONTEXT
from hnscc_edu.store import Store
from tests.helpers import ROOT
from tests.service_harness import ThreadedService

COURSE = load_course(ROOT)
BANK = next(b for b in COURSE.banks.values() if b.purpose == "module")


@pytest.fixture
def course_server(tmp_path):
    threaded = ThreadedService(CourseService(f"sqlite:///{tmp_path / 'hub.sqlite3'}", content=COURSE, practice=False))
    yield threaded
    threaded.stop()


def test_a_self_check_is_kept_by_the_course_server_and_resumes(course_server):
    ana, bo = course_server.client("ana"), course_server.client("bo")
    first = BANK.items[0]
    session = RemoteBankSession(BANK, ana)
    assert session.progress() == (0, len(BANK.items)) and session.run == 1
    result = session.submit(first.id, key_response(first))
    assert result.correct and session.result(first.id).correct
    assert session.submit(first.id, key_response(first)).correct  # a double click: the first answer is the record
    store = Store(course_server.service.url)
    assert store.bank_history("ana", CONTEXT, BANK.id).answers == [(first.id, key_response(first))]
    assert store.bank_history("bo", CONTEXT, BANK.id).answers == []

    again = RemoteBankSession(BANK, ana)  # a new kernel: the run comes back from the course server
    assert again.progress() == (1, len(BANK.items)) and again.result(first.id).correct
    assert RemoteBankSession(BANK, bo).progress() == (0, len(BANK.items))
    again.restart()
    assert again.run == 2 and again.progress() == (0, len(BANK.items))
    assert RemoteBankSession(BANK, ana).run == 2


def test_only_module_banks_go_through_that_door(course_server):
    client = course_server.client("ana")
    for bank in (b for b in COURSE.banks.values() if b.purpose != "module"):
        with pytest.raises(ServiceRefused) as refused:
            client.bank(bank.id)
        assert refused.value.status == 404
    with pytest.raises(ServiceRefused):
        client.bank_action(BANK.id, "delete")


def test_the_notebook_uses_the_course_server_on_a_hub(course_server, monkeypatch):
    for name, value in course_server.env("ana").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HNSCC_EDU_SERVICE_TOKEN")  # a hub's learner server: a service address and no secret
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", course_server.authenticator.token("ana"))
    monkeypatch.setattr(notebook, "display", lambda *things, **_: None)
    player = notebook.show_module_check(BANK.id, auto_answer=True).player
    assert isinstance(player.session, RemoteBankSession) and player.session.complete
    assert len(Store(course_server.service.url).bank_history("ana", CONTEXT, BANK.id).answers) == len(BANK.items)
    assert ServiceClient(environ={**course_server.env("ana")}).bank(BANK.id)["run"] == 1
