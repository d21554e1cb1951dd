"""Issue 21, "The server stays up", against the review's list of inputs (``../shared/reviews/security-load.md``
section 3): each gets a 4xx JSON answer in plain words, never a 500 or a false "store unavailable" 503, on SQLite and
PostgreSQL; bodies over the limit are refused before they are read; a body sent as anything but JSON is refused, so
another site's page cannot make a participant's browser vote."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest

from hnscc_edu.rules.json_input import JsonInputError, bounded_json, nesting_depth
from hnscc_edu.rules.live import Choice
from tests.live.client import call, join


@pytest.fixture
def poll(live):
    session, token = live.create_session("Room 1")
    opened = live.open_poll(session.code, token, "Which first?", (Choice("a", "A"), Choice("b", "B")))
    return session.code, token, opened.id


ISSUED = "ISSUED-BY-THE-SESSION"  # replaced by an id the session issued


def _clean(status: int, body: dict) -> bool:
    return 400 <= status < 500 and isinstance(body.get("error"), str) and "Traceback" not in json.dumps(body)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1500 + b"]" * 1500,  # fits in 4 KB; Python's parser would recurse
        b'{"participant": ' + b"[" * 2000 + b"]" * 2000 + b', "choice": "a"}',
        json.dumps({"participant": "abcdefgh12\n", "choice": "a"}).encode(),  # "$" matched before the newline
        json.dumps({"participant": "p" * 64 + "\n", "choice": "a"}).encode(),  # PostgreSQL: a DataError, once a 503
        json.dumps({"participant": ISSUED, "choice": "a\n"}).encode(),
        b'{"participant": "participant-\\u0000", "choice": "a"}',
        b'{"participant": "' + ISSUED.encode() + b'", "choice": "\\ud800"}',
        b"\xef\xbb\xbf{}",
    ],
)
def test_malformed_votes_are_400_in_plain_words(server, poll, body):
    code, _token, number = poll
    body = body.replace(ISSUED.encode(), join(server.url, code).encode())
    status, answer, _ = call("POST", f"{server.url}/{code}/polls/{number}/votes", body)
    assert status == 400 and _clean(status, answer), (status, answer)


@pytest.mark.parametrize("number", ["%C2%B2", "%D9%A3", "999999999999", str(2**31), "00000000000001"])
def test_poll_numbers_that_are_not_ours_are_404(server, poll, number):
    code, token, _ = poll
    vote = {"participant": join(server.url, code), "choice": "a"}
    for method, suffix, body, presenter in (
        ("POST", "votes", vote, None),
        ("GET", "results", None, token),
        ("POST", "lock", None, token),
    ):
        status, answer, _ = call(method, f"{server.url}/{code}/polls/{number}/{suffix}", body, token=presenter)
        assert status == 404 and _clean(status, answer), (number, suffix, status, answer)


@pytest.mark.parametrize(
    "field, value",
    [
        ("question", "Which \ud800?"),
        ("question", "Which\x00?"),
        ("item", "fx\x00single"),
        ("choices", [{"id": "a\n", "text": "A"}, {"id": "b", "text": "B"}]),
        ("choices", json.loads("[" * 16 + "]" * 16)),
    ],
)
def test_presenter_text_the_store_cannot_hold_is_400(server, poll, field, value):
    code, token, _ = poll
    body = {"question": "Which?", "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], field: value}
    raw = json.dumps(body).encode()  # ensure_ascii: the lone surrogate travels as \ud800, as a client would send it
    status, answer, _ = call("POST", f"{server.url}/{code}/polls", raw, token=token)
    assert status == 400 and _clean(status, answer), (field, status, answer)
    deep = b'{"question": "Q", "choices": ' + b"[" * 1900 + b"]" * 1900 + b"}"
    status, answer, _ = call("POST", f"{server.url}/{code}/polls", deep, token=token)
    assert status == 400 and _clean(status, answer)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"],
)
def test_a_vote_not_sent_as_json_is_refused_so_other_sites_cannot_cast_one(server, poll, content_type, live):
    code, token, number = poll
    vote = json.dumps({"participant": join(server.url, code), "choice": "a"}).encode()
    status, answer, _ = call(
        "POST", f"{server.url}/{code}/polls/{number}/votes", vote, headers={"Content-Type": content_type}
    )
    assert status == 415 and "application/json" in answer["error"]
    assert live.results(code, token, number).total == 0
    assert (
        call(
            "POST",
            f"{server.url}/{code}/polls/{number}/votes",
            vote,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )[0]
        == 200
    )


def _raw_request(url: str, head: str, body_chunks: list[bytes], pause: float = 0.0) -> bytes:
    """Send ``head`` and then ``body_chunks`` on one socket; what the server answered before it closed (or 5 s)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: that is the point
        sock.settimeout(5)
        try:
            while data := sock.recv(65536):
                answer += data
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


def test_a_body_over_the_limit_is_refused_before_it_is_read(server, poll, live):
    """A declared 10 MB body gets 413 at once (the server does not wait for it); a chunked body that never says its
    length is cut off at the limit. The server then still answers, and nothing was counted."""
    code, token, number = poll
    path = f"{urlsplit(server.url).path}/{code}/polls/{number}/votes"
    started = time.perf_counter()
    answer = _raw_request(
        server.url,
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n",
        [b"{" + b" " * 65535],
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"at most 4096 bytes" in answer and time.perf_counter() - started < 8
    chunk = b" " * 8192
    answer = _raw_request(
        server.url,
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"] * 64 + [b"0\r\n\r\n"],
    )
    assert not answer.startswith(b"HTTP/1.1 2"), answer[:200]
    assert call("GET", f"{server.url}/{code}/current")[0] == 200
    assert live.results(code, token, number).total == 0


def test_the_course_service_reads_bounded_json_too():
    assert bounded_json(b'{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    assert nesting_depth('{"a": "[[[[[[", "b": [1]}') == 2  # brackets inside strings do not count
    for bad in (b"[" * 17 + b"]" * 17, b'"\\u0000"', b'"\\udc00"', b"\xff", b"{"):
        with pytest.raises(JsonInputError):
            bounded_json(bad)
