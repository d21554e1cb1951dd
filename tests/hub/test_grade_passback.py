"""Grade passback's own rules (hnscc_edu.grade_passback): the tool's key and key set, the score, which launches
allow posting, and the retry of a score the LMS did not take, against the loopback platform of the LTI tests and a
store on SQLite. The hub's API is played by a small loopback server that answers as JupyterHub does for
``GET /users/{name}`` (the whole hub is in test_lti.py)."""

from __future__ import annotations

import datetime as dt
import json
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from hnscc_edu import grade_passback as gp
from hnscc_edu.store import Store
from hnscc_edu.store.passbacks import OwedScore, PassbackStore
from tests.lti_platform import LINEITEM, Platform

T0 = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def test_the_tool_key_is_made_once_private_and_published_as_its_public_half(tmp_path):
    key = gp.ToolKey.load_or_create(tmp_path)
    assert stat.S_IMODE((tmp_path / gp.KEY_FILE).stat().st_mode) == 0o600
    assert gp.ToolKey.load_or_create(tmp_path).kid == key.kid  # loaded, not made again
    published = jwt.PyJWK(key.jwks()["keys"][0])
    token = jwt.encode({"sub": "x"}, key.private, algorithm="RS256", headers={"kid": key.kid})
    assert jwt.decode(token, published.key, algorithms=["RS256"]) == {"sub": "x"}
    assert "d" not in key.jwks()["keys"][0]  # no private part in the key set


def test_only_a_launch_with_a_line_item_and_the_score_scope_takes_scores():
    endpoint = {"scope": [gp.SCORE_SCOPE], "lineitem": "https://lms/li/1"}
    assert gp.gradebook_target({"sub": "u1", gp.AGS_CLAIM: endpoint}) == ("https://lms/li/1", "u1")
    assert gp.gradebook_target({"sub": "u1", gp.AGS_CLAIM: {**endpoint, "scope": []}}) is None
    assert gp.gradebook_target({"sub": "u1", gp.AGS_CLAIM: {"scope": [gp.SCORE_SCOPE]}}) is None
    assert gp.gradebook_target({"sub": "u1"}) is None and gp.gradebook_target(None) is None


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [(gp.next_try(n, T0) - T0).total_seconds() for n in (1, 2, 3, 8, 20)]
    assert waits == [30, 60, 120, 3600, 3600]


class _Hub:
    """JupyterHub's ``GET /users/{name}`` for a service with ``admin:auth_state`` (the user's launch claims), and the
    tool's key set where the course server publishes it."""

    def __init__(self, launches: dict[str, dict], token: str, jwks: dict) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/jwks":
                    data = json.dumps(jwks).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(data)
                    return
                name = self.path.rsplit("/", 1)[-1]
                if self.headers.get("Authorization") != f"token {token}" or name not in launches:
                    self.send_error(403 if name in launches else 404)
                    return
                data = json.dumps({"name": name, "auth_state": launches[name]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.root}/hub/api"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def world(tmp_path):
    lms = Platform()
    key = gp.ToolKey.load_or_create(tmp_path / "keys")
    launch = jwt.decode(lms.id_token("u1", "n", "t", []), options={"verify_signature": False})
    hub = _Hub({"u1": launch, "nolineitem": {"sub": "nolineitem"}}, "service-token", key.jwks())
    lms.tool_jwks_url = f"{hub.root}/jwks"
    now = [T0]
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    passback = gp.GradePassback(
        lambda: store, key, lms.client_id, f"{lms.url}/token", hub.url, "service-token", clock=lambda: now[0]
    )
    yield lms, passback, now
    hub.server.shutdown()
    lms.stop()


def test_a_refused_score_is_kept_and_sent_on_a_later_try(world):
    lms, passback, now = world

    class Passed:
        score, max_score = 27.5, 36.0

    passback.owe("u1", Passed())
    lms.fail_scores = 1  # the gradebook is down
    assert passback.send_due() == 0
    row = passback.owed.all_rows()[0]
    assert row["sent_at"] is None and row["attempts"] == 1 and "503" in row["last_error"]
    assert passback.send_due() == 0 and lms.scores == {}  # not before its next try
    now[0] = T0 + dt.timedelta(seconds=31)
    assert passback.send_due() == 1
    assert lms.scores[LINEITEM] == [
        {
            "userId": "u1",
            "scoreGiven": 27.5,
            "scoreMaximum": 36.0,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": "2026-12-05T09:00:31+00:00",
        }
    ]
    assert passback.send_due() == 0  # sent once


def test_a_launch_without_a_gradebook_is_recorded_as_such_and_not_sent(world):
    lms, passback, _ = world
    passback.owed.owe("nolineitem", 30.0, 36.0, T0)
    assert passback.send_due() == 0
    row = PassbackStore(passback.owed.store).all_rows()[0]
    assert "names no gradebook line item" in row["last_error"] and lms.scores == {}


def test_the_score_is_what_the_post_test_gave():
    owed = OwedScore(1, "u", 30.123456, 36.0, T0, 0)
    assert gp.score_payload("lms-7", owed, T0)["scoreGiven"] == 30.1235
