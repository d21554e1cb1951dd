"""The HTTP interface exactly as the README documents it, including every authorization negative, on SQLite and
PostgreSQL. The handlers run on a real tornado server (XSRF cookies on, as under Jupyter's server)."""

from __future__ import annotations

import datetime as dt

import pytest

from hnscc_edu.rules.live import Choice
from tests.live.client import call, join
from tests.live.conftest import ThreadServer

CHOICES = (Choice("a", "Key"), Choice("b", "Distractor"), Choice("c", "Other"))


@pytest.fixture
def poll(live):
    session, token = live.create_session("Room 1")
    opened = live.open_poll(session.code, token, "Which first?", CHOICES, item_id="fx-single")
    return session.code, token, opened.id


@pytest.fixture
def voters(server, poll) -> list[str]:
    """Three participant ids issued by the session, as three phones' pages get them."""
    return [join(server.url, poll[0]) for _ in range(3)]


def test_vote_results_lock_reveal_reset(server, poll, voters):
    code, token, number = poll
    voter = voters[0]
    base = f"{server.url}/{code}/polls/{number}"
    status, body, _ = call("POST", f"{base}/votes", {"participant": voter, "choice": "a"})
    assert (status, body["poll"], body["choice"]) == (200, number, "a")
    assert dt.datetime.fromisoformat(body["received_at"]).tzinfo is not None  # when the server received it
    assert call("POST", f"{base}/votes", {"participant": voter, "choice": "b"})[0] == 200  # replaces
    assert call("POST", f"{base}/votes", {"participant": voters[1], "choice": "b"})[0] == 200
    status, body, headers = call("GET", f"{base}/results", token=token)
    assert (status, body) == (200, {"state": "open", "counts": {"a": 0, "b": 2, "c": 0}, "total": 2})
    assert headers["Content-Type"].startswith("application/json") and headers["Cache-Control"] == "no-store"
    status, locked, _ = call("POST", f"{base}/lock", token=token)
    assert (status, locked["poll"], locked["state"]) == (200, number, "locked")
    status, body, _ = call("POST", f"{base}/votes", {"participant": voters[2], "choice": "a"})
    assert status == 409 and "locked" in body["error"]
    # a refused vote says when it arrived: after the lock's time
    assert dt.datetime.fromisoformat(body["received_at"]) >= dt.datetime.fromisoformat(locked["locked_at"])
    assert call("POST", f"{base}/reveal", token=token)[1]["state"] == "revealed"
    assert call("GET", f"{base}/results", token=token)[1] == {
        "state": "revealed",
        "counts": {"a": 0, "b": 2, "c": 0},
        "total": 2,
    }
    assert call("POST", f"{base}/reveal", token=token)[0] == 409
    assert call("POST", f"{base}/reset", token=token)[1]["state"] == "open"
    assert call("GET", f"{base}/results", token=token)[1]["total"] == 0


def test_what_a_participant_page_reads(server, poll, voters):
    code, _token, number = poll
    voter = voters[0]
    status, body, _ = call("GET", f"{server.url}/{code.lower()}/current?participant={voter}")
    assert status == 200 and body["session"] == code and body["title"] == "Room 1"
    assert body["poll"] == {
        "id": number,
        "state": "open",
        "question": "Which first?",
        "your_choice": None,
        "choices": [{"id": c.id, "text": c.text} for c in CHOICES],
    }
    call("POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": voter, "choice": "c"})
    assert call("GET", f"{server.url}/{code}/current?participant={voter}")[1]["poll"]["your_choice"] == "c"
    assert call("GET", f"{server.url}/NOSUCH/current")[0] == 404
    assert call("GET", f"{server.url}/{code}/current?participant=no")[0] == 400
    # an id the session did not issue (made up, or another session's): 403, and the page joins again
    made_up = "participant-0001"
    for stranger in (made_up, voters[1][:-1] + ("A" if voters[1][-1] != "A" else "B")):
        status, body, _ = call("GET", f"{server.url}/{code}/current?participant={stranger}")
        assert status == 403 and body["rejoin"] is True
        status, body, _ = call(
            "POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": stranger, "choice": "a"}
        )
        assert status == 403 and body["rejoin"] is True


def test_opening_a_poll_over_http(server, poll):
    code, token, first = poll
    body = {
        "question": "After discussion?",
        "choices": [{"id": "x", "text": "Yes"}, {"id": "y", "text": "No"}],
        "item": "fx-single",
        "phase": "post",
    }
    status, answer, _ = call("POST", f"{server.url}/{code}/polls", body, token=token)
    assert status == 201 and answer["state"] == "open" and answer["poll"] != first
    listed = call("GET", f"{server.url}/{code}/polls", token=token)[1]["polls"]
    assert [(p["id"], p["phase"], p["item"]) for p in listed] == [
        (first, None, "fx-single"),
        (answer["poll"], "post", "fx-single"),
    ]
    assert call("GET", f"{server.url}/{code}/current")[1]["poll"]["id"] == answer["poll"]
    for bad in (
        {**body, "choices": []},
        {**body, "phase": "later"},
        {**body, "extra": 1},
        {"choices": 1},
        {**body, "item": 5},
        {**body, "question": ""},
    ):
        assert call("POST", f"{server.url}/{code}/polls", bad, token=token)[0] == 400


ISSUED = "<issued>"  # replaced by an id the session issued


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"participant": ISSUED, "choice": "z"}, 400),  # unknown choice
        ({"participant": ISSUED}, 400),
        ({"participant": "x", "choice": "a"}, 400),
        (b"not json", 400),
        (b"", 400),
        (b"[1, 2]", 400),
    ],
)
def test_malformed_votes(server, poll, voters, body, status):
    code, _token, number = poll
    if isinstance(body, dict) and body.get("participant") == ISSUED:
        body = {**body, "participant": voters[0]}
    got, answer, _ = call("POST", f"{server.url}/{code}/polls/{number}/votes", body)
    assert got == status and answer["error"] and "Traceback" not in str(answer)


def test_unknown_session_or_poll_is_404(server, poll, voters):
    code, token, number = poll
    vote = {"participant": voters[0], "choice": "a"}
    for path in (
        f"NOSUCH/polls/{number}/votes",
        f"{code}/polls/{number + 99}/votes",
        f"{code}/polls/abc/votes",
        f"{code}/polls/-1/votes",
        "a%2Fb/polls/1/votes",
    ):
        status, body, _ = call("POST", f"{server.url}/{path}", vote)
        assert status == 404 and body["error"], path
    assert call("GET", f"{server.url}/{code}/polls/{number + 99}/results", token=token)[0] == 404
    assert call("GET", f"{server.url}/{code}/no/such/route")[0] == 404


def test_authorization_negatives(server, live, poll):
    code, token, number = poll
    other = live.create_session("Room 2")[1]
    base = f"{server.url}/{code}/polls/{number}"
    for method, path, body in (
        ("GET", f"{base}/results", None),
        ("POST", f"{base}/lock", None),
        ("POST", f"{base}/reveal", None),
        ("POST", f"{base}/reset", None),
        ("GET", f"{server.url}/{code}/polls", None),
        (
            "POST",
            f"{server.url}/{code}/polls",
            {"question": "Q", "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
        ),
    ):
        status, answer, headers = call(method, path, body)
        assert status == 401 and "Bearer" in headers.get("WWW-Authenticate", ""), (method, path)
        for header in ("Basic " + token, "Bearer", token):  # wrong scheme, no token, no scheme
            assert call(method, path, body, headers={"Authorization": header})[0] == 401, (method, path, header)
        for wrong in (other, token + "x", "x" * 32):
            status, answer, _ = call(method, path, body, token=wrong)
            assert status == 403 and "does not belong" in answer["error"], (method, path)
    assert call("GET", f"{base}/results", token=token)[1]["state"] == "open"  # nothing changed
    assert len(call("GET", f"{server.url}/{code}/polls", token=token)[1]["polls"]) == 1


def test_the_participant_page_is_served_by_the_handler_with_no_outside_resources(server, poll):
    code = poll[0]
    import urllib.request

    for path in ("", "/", f"/{code}"):
        with urllib.request.urlopen(server.url + path) as response:
            page = response.read().decode()
            csp = response.headers["Content-Security-Policy"]
        assert '<html lang="en">' in page and "<main>" in page and "<title>" in page
        assert "http://" not in page and "https://" not in page  # no CDN
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
    for asset in ("participant.js", "participant.css"):
        with urllib.request.urlopen(f"{server.url}/_static/{asset}") as response:
            assert "http://" not in response.read().decode()
    assert call("GET", f"{server.url}/_static/../handlers.py")[0] == 404
    assert call("GET", f"{server.url}/_static/participant.html")[0] == 404


def test_routes_follow_the_servers_base_url(url):
    running = ThreadServer(url, base_url="/user/ana/")
    try:
        assert running.url.endswith("/user/ana/hnscc/live")
        status, body, _ = call("GET", f"{running.url}/NOSUCH/current")
        assert status == 404 and "no live session" in body["error"]
        import urllib.request

        with urllib.request.urlopen(running.url + "/") as response:
            assert 'href="/user/ana/hnscc/live/_static/participant.css"' in response.read().decode()
    finally:
        running.stop()


def test_a_store_that_cannot_be_reached_is_a_503_with_a_message(tmp_path):
    running = ThreadServer(f"sqlite:///{tmp_path}/missing-folder/store.sqlite3")
    try:
        status, body, _ = call("GET", f"{running.url}/ACD347/current")
        assert status == 503 and "cannot be" in body["error"] and "Traceback" not in body["error"]
    finally:
        running.stop()
