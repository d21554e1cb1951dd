"""A tiny JSON client for the live-poll tests (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message


def call(
    method: str,
    url: str,
    body: object | bytes | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict, Message]:
    """(status, JSON body, headers: case-insensitive) of one request; never raises for an HTTP error status."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    if data is None and method == "POST":
        data = b""
    sent = {"Content-Type": "application/json"} if data else {}  # as the participant page sends its bodies
    request = urllib.request.Request(url, data=data, method=method, headers={**sent, **(headers or {})})
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, error.headers
    try:
        return status, json.loads(raw), got
    except ValueError:
        return status, {"_raw": raw.decode("utf-8", "replace")}, got


def join(live_url: str, code: str) -> str:
    """A participant id issued by the session (``POST {session}/join``), as the participant page gets one."""
    status, body, _ = call("POST", f"{live_url}/{code}/join")
    assert status == 200, (status, body)
    return body["participant"]
