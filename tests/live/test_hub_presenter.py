"""The presenter on a hub (issue 17 section 1): the kernel holds no store, so the dashboard calls the live polls of
the hub's course server; course directors (a hub admin, or a member of the course-directors group) start sessions
and present with their hub token, as well as with a session's presenter token; learners cannot.

The live-poll routes run on a real tornado server in a thread with the real ``HubAuthenticator``, which asks a
stand-in for the hub's ``GET /hub/api/user`` (tests/hub_api_stand_in.py; tests/hub/ runs a real hub)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from hnscc_edu.content.course import load_course
from hnscc_edu.rules.live import TokenRejected
from hnscc_edu.service import HubAuthenticator
from hnscc_edu.service.live_client import RemoteLiveStore
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from hnscc_edu.ui.presenter import PresenterDashboard
from tests.helpers import ROOT
from tests.hub_api_stand_in import hub  # noqa: F401 - the fixture
from tests.live.conftest import ThreadServer

DIRECTOR, ADMIN, LEARNER, LOOKALIKE = ("token dee-token", "token root-token", "token ana-token", "token eve-token")


@pytest.fixture
def hub_server(url, hub) -> Iterator[ThreadServer]:  # noqa: F811 - ``hub`` is the imported fixture
    running = ThreadServer(url, directors=HubAuthenticator(hub))
    yield running
    running.stop()


def _post(server: ThreadServer, path: str, authorization: str | None, **body) -> requests.Response:
    headers = {"Authorization": authorization} if authorization else {}
    return requests.post(f"{server.url}/{path}", json=body, headers=headers, timeout=30)


def test_only_course_directors_start_a_session_with_their_hub_token(hub_server):
    assert _post(hub_server, "sessions", None, title="x").status_code == 401
    for refused in (LEARNER, LOOKALIKE, "token forged"):
        answer = _post(hub_server, "sessions", refused, title="x")
        assert answer.status_code == 403, refused
    assert "course's directors" in _post(hub_server, "sessions", LEARNER).json()["error"]
    for director in (DIRECTOR, ADMIN):
        made = _post(hub_server, "sessions", director, title="Tumour board", min_votes=4)
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["min_votes"] == 4 and body["title"] == "Tumour board" and body["token"]
        # the store holds the session, and its token is the presenter token of that session alone
        assert LiveStore(Store(hub_server.service.url)).authorize(body["code"], body["token"]).code == body["code"]
    assert _post(hub_server, "sessions", DIRECTOR, min_votes=0).status_code == 400
    assert _post(hub_server, "sessions", DIRECTOR, colour="red").status_code == 400


def test_a_director_presents_with_the_hub_token_a_learner_cannot_and_the_session_token_still_works(hub_server):
    made = _post(hub_server, "sessions", DIRECTOR, title="Board").json()
    code, token = made["code"], made["token"]
    opened = _post(
        hub_server,
        f"{code}/polls",
        ADMIN,
        question="Which?",
        choices=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
    )
    assert opened.status_code == 201, opened.text  # another director (an admin) may run it too
    poll = opened.json()["poll"]
    phone = _post(hub_server, f"{code}/join", None).json()["participant"]
    assert _post(hub_server, f"{code}/polls/{poll}/votes", None, participant=phone, choice="a").status_code == 200
    assert _post(hub_server, f"{code}/polls/{poll}/lock", LEARNER).status_code == 403
    assert _post(hub_server, f"{code}/polls/{poll}/lock", DIRECTOR).json()["state"] == "locked"
    assert _post(hub_server, f"{code}/polls/{poll}/reveal", f"Bearer {token}").json()["state"] == "revealed"
    results = requests.get(
        f"{hub_server.url}/{code}/polls/{poll}/results", headers={"Authorization": LEARNER}, timeout=30
    )
    assert results.status_code == 403
    assert requests.get(f"{hub_server.url}/{code}/session", headers={"Authorization": DIRECTOR}, timeout=30).json() == {
        "code": code,
        "title": "Board",
        "min_votes": 3,
        "current_poll": poll,
    }
    assert _post(hub_server, f"{code}/session", DIRECTOR, min_votes=9).json()["min_votes"] == 9
    assert _post(hub_server, f"{code}/session", DIRECTOR, min_votes="9").status_code == 400
    assert _post(hub_server, f"{code}/session", f"Bearer {token}x", min_votes=5).status_code == 403


def test_without_a_hub_no_session_is_started_over_http_and_a_hub_token_is_no_presenter(server):
    """A one-machine server (no directors authenticator): sessions start in the presenter's kernel only."""
    live = LiveStore(Store(server.service.url))
    session, _ = live.create_session("Local", 3)
    assert _post(server, "sessions", DIRECTOR, title="x").status_code in (404, 405)
    assert (
        requests.get(f"{server.url}/{session.code}/polls", headers={"Authorization": DIRECTOR}, timeout=30).status_code
        == 401
    )


def test_the_dashboard_runs_a_poll_on_the_hubs_course_server(hub_server):
    """The dashboard of a director's kernel on a hub: start, step to a question, open, votes from phones, lock and
    reveal, all on the course server's store; the join address and the projector are the course server's."""
    content = load_course(ROOT)
    environ = {"VOILA_BASE_URL": "/user/dee/", "SERVER_NAME": "hub.example.org", "SERVER_PORT": "443"}
    remote = RemoteLiveStore(url=hub_server.root, hub_token="dee-token")
    dashboard = PresenterDashboard(content, remote, environ=environ, base_url="/services/hnscc/")
    line = dashboard.rehearse()
    assert line == "Rehearsal: one poll revealed; 5 votes counted; histogram shown (minimum 3)."
    code = dashboard.session.code
    store = LiveStore(Store(hub_server.service.url))
    assert store.tally(code, dashboard.poll.id).total == 5
    assert f"http://hub.example.org:443/services/hnscc/hnscc/live/{code}" in dashboard.session_html.value
    assert f'href="/services/hnscc/hnscc/live/{code}/projector#token=' in dashboard.projector_html.value

    # after a reload the director resumes with the code alone (the hub token presents)
    again = PresenterDashboard(
        content,
        RemoteLiveStore(url=hub_server.root, hub_token="dee-token"),
        environ=environ,
        base_url="/services/hnscc/",
    )
    again.resume_code.value = code.lower()
    again.resume_button.click()
    assert not again.boundary.message.value and again.poll.id == dashboard.poll.id
    assert again.poll.state.value == "revealed"


def test_a_learner_on_the_hub_cannot_start_a_session_and_is_told_why(hub_server):
    learner = PresenterDashboard(
        load_course(ROOT),
        RemoteLiveStore(url=hub_server.root, hub_token="ana-token"),
        environ={},
        base_url="/services/hnscc/",
    )
    learner.start_button.click()
    assert learner.session is None and "Starting a live session is for the course" in learner.boundary.message.value
    with pytest.raises(TokenRejected):
        RemoteLiveStore(url=hub_server.root, hub_token="ana-token").create_session("x")
