"""The projector view's routes (issue 20 §5) on a real tornado server, on SQLite and PostgreSQL: the page and its QR
code for an existing session only, the join address built from the request's own host (or
HNSCC_EDU_LIVE_PUBLIC_URL) under the server's base URL, the public vote count, and the revealed answer that only the
presenter token reads. Odd input is a 4xx with a message, never a 500."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from hnscc_edu.rules.live import Choice
from tests.helpers import fixture_course
from tests.live.client import call
from tests.live.conftest import ThreadServer

CONTENT = fixture_course()
CHOICES = (Choice("a", "Key"), Choice("b", "Distractor"), Choice("c", "Other"))  # fx-single's key is "a"


@pytest.fixture
def server(url):  # the fixture course, so a poll on fx-single has a known key
    running = ThreadServer(url, content=CONTENT)
    yield running
    running.stop()


@pytest.fixture
def session(live):
    return live.create_session("Grand rounds", min_votes=2)


def get(address: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(address, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_the_projector_page_shows_the_full_join_address_code_and_qr_without_outside_resources(server, session):
    code = session[0].code
    status, page, headers = get(f"{server.url}/{code.lower()}/projector")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    join = f"http://127.0.0.1:{server.port}/hnscc/live/{code}"
    assert f'<p id="address" class="address">{join}</p>' in page  # the full address phones use, not a path
    assert f'<p id="code" class="code">{code}</p>' in page and f'data-code="{code}"' in page
    assert f'src="/hnscc/live/{code}/qr.svg"' in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # nothing from another origin: every src and href is a path on this server
    assert all(ref.startswith("/") for ref in re.findall(r'(?:src|href)="([^"]*)"', page))
    assert "<h1" in page and 'aria-live="polite"' in page and '<html lang="en">' in page
    assert "<button" not in page and "<input" not in page and "<form" not in page  # no controls on the room's screen
    for asset in ("projector.js", "projector.css"):
        status, text, _ = get(f"{server.url}/_static/{asset}")
        assert status == 200 and "http://" not in text and "https://" not in text


def test_the_join_address_follows_the_host_the_request_came_to(server, session):
    code = session[0].code
    for host in ("localhost:8866", "course.example.org", "10.0.0.5:8866", "[::1]:8866"):
        status, page, _ = get(f"{server.url}/{code}/projector", {"Host": host})
        assert status == 200 and f">http://{host}/hnscc/live/{code}<" in page, host
        status, svg, headers = get(f"{server.url}/{code}/qr.svg", {"Host": host})
        assert status == 200 and headers["Content-Type"] == "image/svg+xml"
        assert svg.lstrip().startswith("<svg") and f"QR code of the join address http://{host}/hnscc/live/{code}" in svg


def test_the_public_url_wins_when_set(server, session, monkeypatch):
    code = session[0].code
    monkeypatch.setenv("HNSCC_EDU_LIVE_PUBLIC_URL", "https://course.example.org/")
    page = get(f"{server.url}/{code}/projector")[1]
    assert f">https://course.example.org/hnscc/live/{code}<" in page and "127.0.0.1" not in page
    assert f"https://course.example.org/hnscc/live/{code}" in get(f"{server.url}/{code}/qr.svg")[1]


def test_the_projector_follows_the_servers_base_url(url, live):
    code = live.create_session("Hub room")[0].code
    running = ThreadServer(url, base_url="/user/ana/")
    try:
        status, page, _ = get(f"{running.url}/{code}/projector")
        assert status == 200
        assert f">http://127.0.0.1:{running.port}/user/ana/hnscc/live/{code}<" in page
        assert 'href="/user/ana/hnscc/live/_static/projector.css"' in page
        assert f'src="/user/ana/hnscc/live/{code}/qr.svg"' in page
    finally:
        running.stop()


@pytest.mark.parametrize("code", ["NOSUCH", "ZZZZ99", "%3Cscript%3E", "a" * 40, "..", "%00", "AB%20CD"])
def test_an_unknown_or_odd_code_is_a_404_never_a_500(server, code):
    status, page, headers = get(f"{server.url}/{code}/projector")
    assert status == 404 and "no live session" in page and "Traceback" not in page
    assert headers["Content-Type"].startswith("text/html") and "<script" not in page
    status, body, _ = call("GET", f"{server.url}/{code}/qr.svg")
    assert status == 404 and body["error"]
    status, body, _ = call("GET", f"{server.url}/{code}/count")
    assert status == 404 and body["error"]


# Hosts that tornado lets through (it refuses spaces, "<", "@" and "/" itself) but that are no host name: an empty
# one, and RFC 3986 "sub-delims" or percent-escapes that could break out of an attribute or a URL.
@pytest.mark.parametrize("host", ["", "a;b", "evil'x", "%3Cscript%3E", "a=b:80", "(x)", "a,b"])
def test_a_forged_host_header_is_refused_not_echoed(server, session, host):
    code = session[0].code
    status, page, _ = get(f"{server.url}/{code}/projector", {"Host": host})
    assert status == 400 and "Traceback" not in page and (not host or host not in page)
    status, body, _ = call("GET", f"{server.url}/{code}/qr.svg", headers={"Host": host})
    assert status == 400 and "Traceback" not in str(body)


def test_the_count_is_public_and_says_nothing_of_the_choices(server, live, session):
    created, token = session
    assert call("GET", f"{server.url}/{created.code}/count")[:2] == (
        200,
        {"session": created.code, "poll": None, "state": None, "total": 0},
    )
    poll = live.open_poll(created.code, token, "Which first?", CHOICES, item_id="fx-single")
    live.vote(created.code, poll.id, "participant-0001", "a")
    live.vote(created.code, poll.id, "participant-0002", "b")
    status, body, _ = call("GET", f"{server.url}/{created.code.lower()}/count")
    assert (status, body) == (200, {"session": created.code, "poll": poll.id, "state": "open", "total": 2})


def test_the_answer_is_for_the_presenter_and_only_after_the_reveal(server, live, session):
    created, token = session
    other = live.create_session("Other room")[1]
    poll = live.open_poll(created.code, token, "Which first?", CHOICES, item_id="fx-single")
    answer = f"{server.url}/{created.code}/polls/{poll.id}/answer"
    live.vote(created.code, poll.id, "participant-0001", "a")
    assert call("GET", answer)[0] == 401
    assert call("GET", answer, token=other)[0] == 403
    status, body, _ = call("GET", answer, token=token)
    assert status == 409 and "reveals" in body["error"] and "correct" not in body  # the key stays off the wire
    live.transition(created.code, token, poll.id, "reveal")
    status, body, _ = call("GET", answer, token=token)
    # one vote, the session's minimum is 2: the counts exist, the histogram may not show
    assert status == 200 and body["histogram"] is False and body["min_votes"] == 2 and body["correct"] == ["a"]
    live.transition(created.code, token, poll.id, "reset")
    for n, choice in enumerate("aab"):
        live.vote(created.code, poll.id, f"participant-000{n}", choice)
    live.transition(created.code, token, poll.id, "reveal")
    assert call("GET", answer, token=token)[1] == {
        "poll": poll.id,
        "item": "fx-single",
        "state": "revealed",
        "counts": {"a": 2, "b": 1, "c": 0},
        "total": 3,
        "percent": {"a": 67, "b": 33, "c": 0},
        "correct": ["a"],
        "min_votes": 2,
        "histogram": True,
    }
    assert call("GET", answer)[0] == 401  # revealed or not, the counts need the token


def test_a_poll_that_asks_no_course_item_names_no_answer(server, live, session):
    created, token = session
    poll = live.open_poll(created.code, token, "Coffee?", (Choice("y", "Yes"), Choice("n", "No")))
    live.transition(created.code, token, poll.id, "reveal")
    body = call("GET", f"{server.url}/{created.code}/polls/{poll.id}/answer", token=token)[1]
    assert body["item"] is None and body["correct"] == [] and body["total"] == 0


@pytest.mark.parametrize("poll", ["abc", "-1", "99999", "1" * 20])
def test_an_odd_poll_number_for_the_answer_is_a_404(server, session, poll):
    created, token = session
    status, body, _ = call("GET", f"{server.url}/{created.code}/polls/{poll}/answer", token=token)
    assert status == 404 and body["error"] and "Traceback" not in str(body)
