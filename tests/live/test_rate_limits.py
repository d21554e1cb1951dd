"""Issue 21, "Fairness and abuse": the session issues participant ids (a client cannot make them up), and the server
limits joins per address, votes per participant and unknown codes per address, each with a clear 429 and
``Retry-After``, sized so that a room behind one address (a lecture hall's Wi-Fi) still gets in and is counted."""

from __future__ import annotations

import collections
import concurrent.futures
import time

import pytest

from hnscc_edu.live import LiveService
from hnscc_edu.rules.live import Choice, RateLimiter
from tests.live.client import call, join
from tests.live.conftest import ThreadServer


@pytest.fixture
def poll(live):
    session, token = live.create_session("Hall")
    opened = live.open_poll(session.code, token, "Which?", (Choice("a", "A"), Choice("b", "B")))
    return session.code, token, opened.id


def test_a_token_bucket_lets_a_burst_through_then_its_rate():
    now = [0.0]
    limiter = RateLimiter(3, 2, clock=lambda: now[0])
    assert [limiter.take("hall") for _ in range(4)] == [0, 0, 0, 0.5]
    assert limiter.take("laptop") == 0  # another key has its own bucket
    now[0] = 0.5
    assert limiter.wait("hall") == 0 and limiter.take("hall") == 0 and limiter.take("hall") == 0.5


def test_ids_are_the_sessions_and_cannot_be_made_up_or_carried_to_another_session(server, live, poll):
    code, token, number = poll
    other, _ = live.create_session("Another room")
    mine, theirs = join(server.url, code), join(server.url, other.code)
    assert mine != theirs and len(mine) == 28
    for stranger in ("participant-0001", theirs):  # made up, or issued by another session
        status, body, _ = call(
            "POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": stranger, "choice": "a"}
        )
        assert (status, body["rejoin"]) == (403, True)
    assert call("POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": mine, "choice": "a"})[0] == 200
    assert live.results(code, token, number).total == 1
    assert call("POST", f"{server.url}/NOSUCH/join")[0] == 404


def test_a_phone_that_votes_too_often_is_told_to_wait(server, poll):
    code, _token, number = poll
    phone = join(server.url, code)
    statuses = [
        call("POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": phone, "choice": "ab"[n % 2]})
        for n in range(14)
    ]
    assert [s for s, _, _ in statuses[:10]] == [200] * 10
    status, body, headers = statuses[-1]
    assert status == 429 and "wait a moment" in body["error"] and int(headers["Retry-After"]) >= 1


def test_guessing_codes_from_one_address_is_slowed_for_every_code_but_the_room_keeps_voting(server, poll):
    code, _token, number = poll
    phone = join(server.url, code)  # a phone of the room, in before someone on its network starts guessing
    misses = [call("GET", f"{server.url}/ZZ{n:04d}/current")[0] for n in range(61)]
    assert misses[:60] == [404] * 60 and misses[60] == 429
    status, body, headers = call("GET", f"{server.url}/{code}/current")  # a real code waits too: no hit to tell
    assert status == 429 and "check the code" in body["error"] and headers["Retry-After"]
    assert call("POST", f"{server.url}/{code}/join")[0] == 429  # so does a new phone, until the address calms down
    # the phone already in the session carries an id the session issued: it reads and votes as before
    assert call("GET", f"{server.url}/{code}/current?participant={phone}")[0] == 200
    assert call("POST", f"{server.url}/{code}/polls/{number}/votes", {"participant": phone, "choice": "b"})[0] == 200
    assert call("GET", f"{server.url}/{code}/current?participant=participant-0001")[0] == 429  # a made-up id waits


def test_a_room_behind_one_address_gets_in_and_every_vote_counts(url, live, poll):
    """200 phones on one address, with a join limit of 50 at once and 50 a second: the rest are told to wait and come
    back after Retry-After, as the page does; all of them join and vote, and the count is exactly theirs. A laptop
    on that address cannot mint ids faster than the limit."""
    code, token, number = poll
    server = ThreadServer(
        url, service=LiveService(url, environ={"HNSCC_EDU_LIVE_JOIN_BURST": "50", "HNSCC_EDU_LIVE_JOIN_RATE": "50"})
    )
    try:

        def phone(n: int) -> tuple[int, int]:
            waits = 0
            while True:
                status, body, headers = call("POST", f"{server.url}/{code}/join")
                if status != 429:
                    break
                waits += 1
                time.sleep(float(headers["Retry-After"]))
            assert status == 200
            voted = call(
                "POST",
                f"{server.url}/{code}/polls/{number}/votes",
                {"participant": body["participant"], "choice": "ab"[n % 2]},
            )[0]
            return voted, waits

        with concurrent.futures.ThreadPoolExecutor(40) as pool:
            outcomes = list(pool.map(phone, range(200)))
        assert collections.Counter(v for v, _ in outcomes) == {200: 200}
        assert sum(w > 0 for _, w in outcomes) > 0  # the limit did make some wait
        assert live.results(code, token, number).as_json()["counts"] == {"a": 100, "b": 100}
    finally:
        server.stop()
