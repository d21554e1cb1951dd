"""A stand-in for JupyterHub's ``GET /hub/api/user`` (the owner of a token, with its groups and admin flag, as the
hub answers it; 403 for a token it does not know). Not JupyterHub itself (tests/hub/ runs a real hub): it keeps only
that one route, so what is tested is the course server's side of the exchange."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import pytest

TOKENS = {
    "ana-token": {"kind": "user", "name": "ana"},
    "bo-token": {"kind": "user", "name": "bo@example.org"},
    "service-token": {"kind": "service", "name": "grader"},
    # course directors: a member of the hub's course-directors group, and a hub admin in no group
    "dee-token": {"kind": "user", "name": "dee", "groups": ["learners", "course-directors"]},
    "root-token": {"kind": "user", "name": "root", "admin": True},
    "eve-token": {"kind": "user", "name": "eve", "groups": ["course-directors-2024"]},
}


class HubApi(http.server.BaseHTTPRequestHandler):
    """``GET /hub/api/user``: the model of the token's owner, as JupyterHub answers it."""

    calls: ClassVar[list[str]] = []  # every token asked about, by every request (the test clears it)

    def do_GET(self) -> None:
        scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
        HubApi.calls.append(token)
        owner = TOKENS.get(token) if scheme == "token" else None
        if self.path != "/hub/api/user" or owner is None:
            self.send_response(403)
            body = b'{"status": 403, "message": "Forbidden"}'
        else:
            self.send_response(200)
            body = json.dumps({"admin": False, "groups": [], "scopes": [], **owner}).encode()
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def hub_api() -> Iterator[str]:
    """The stand-in on a free loopback port, for the ``hub`` fixtures: yields its API address (``.../hub/api``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HubApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    HubApi.calls.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hub/api"
    finally:
        server.shutdown()


@pytest.fixture
def hub() -> Iterator[str]:
    with hub_api() as url:
        yield url
