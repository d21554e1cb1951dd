"""Issue 21, pushed updates: ``GET {session}/events`` streams the session's state to phones (server-sent events): at
once, then whenever the poll, its state or its round (a reset) changes (never a count), read four times a second for
all the phones of a server process, whatever their number; the stream ends when the session does. On SQLite and
PostgreSQL."""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Iterator

import requests

from hnscc_edu.rules.live import Choice
from tests.live.client import call, join

CHOICES = (Choice("a", "A"), Choice("b", "B"))


def events(server, code: str) -> Iterator[dict]:
    """The session's events as a phone's EventSource reads them (the stream stays open between them)."""
    response = requests.get(f"{server.url}/{code}/events", stream=True, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/event-stream")
    for line in response.iter_lines():
        if line.startswith(b"data: "):
            yield json.loads(line[6:])


def test_a_phone_hears_each_change_of_its_session(server, live):
    session, token = live.create_session("Pushed")
    stream = events(server, session.code)
    assert next(stream) == {"session": session.code, "title": "Pushed", "poll": None, "stamp": None}
    poll = live.open_poll(session.code, token, "Which?", CHOICES)
    opened = next(stream)
    # the poll as a participant sees it: enough for the page to show it without asking
    assert opened["poll"] == {
        "id": poll.id,
        "state": "open",
        "question": "Which?",
        "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
    }
    voted = call(
        "POST",
        f"{server.url}/{session.code}/polls/{poll.id}/votes",
        {"participant": join(server.url, session.code), "choice": "a"},
    )
    assert voted[0] == 200
    live.transition(session.code, token, poll.id, "lock")
    locked = next(stream)  # the vote itself is no news to the phones (no count is ever pushed)
    assert locked["poll"]["state"] == "locked" and locked["stamp"] == opened["stamp"]  # same round
    assert "total" not in locked and "counts" not in locked
    live.transition(session.code, token, poll.id, "reset")
    reset = next(stream)
    assert reset["poll"]["state"] == "open" and reset["stamp"] != opened["stamp"]  # a new round: votes cleared
    live.end_session(session.code, token)
    assert next(stream) == {"session": session.code, "ended": True}
    assert next(stream, "closed") == "closed"  # the server closes the stream of an ended session


def test_a_room_of_listeners_costs_one_reader(server, live):
    session, token = live.create_session("Hall")
    streams = [events(server, session.code) for _ in range(40)]
    with concurrent.futures.ThreadPoolExecutor(40) as pool:
        assert all(first["poll"] is None for first in pool.map(next, streams))
        assert server.service._following == {session.code}  # one follow task for the 40 phones
        poll = live.open_poll(session.code, token, "Which?", CHOICES)
        assert {event["poll"]["id"] for event in pool.map(next, streams)} == {poll.id}


def test_an_unknown_session_has_no_stream(server):
    status, body, _ = call("GET", f"{server.url}/NOSUCH/events")
    assert status == 404 and body["error"]
