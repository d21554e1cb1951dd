"""Posting xAPI statements to a learning record store (LRS), with the standard library's HTTP client.

The endpoint is the LRS's xAPI base URL (statements go to ``<endpoint>/statements``), with HTTP Basic credentials.
Statements are posted in batches; an LRS answers each batch with the ids it stored. Errors become one-line
``ExportError`` messages naming the LRS's answer, never a traceback.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

from .common import ExportError
from .xapi import XAPI_VERSION


@dataclass(frozen=True)
class LrsEndpoint:
    """An LRS's xAPI endpoint and the credentials of a client allowed to write statements."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never shown in a repr or an error
    timeout: float = 30.0

    @property
    def statements_url(self) -> str:
        return self.url.rstrip("/") + "/statements"

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
        if self.username is not None:
            token = base64.b64encode(f"{self.username}:{self.password or ''}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        return headers


def post_statements(statements: Sequence[dict], endpoint: LrsEndpoint, batch_size: int = 100) -> list[str]:
    """POST the statements in batches; return the ids the LRS stored, in order."""
    if not endpoint.url.startswith(("http://", "https://")):
        raise ExportError(f"the LRS endpoint must be an http(s) URL, not {endpoint.url!r}")
    stored: list[str] = []
    for start in range(0, len(statements), batch_size):
        body = json.dumps(list(statements[start : start + batch_size]), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(endpoint.statements_url, data=body, headers=endpoint.headers(), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").replace("\n", " ")
            raise ExportError(
                f"the LRS at {endpoint.statements_url} refused the statements (HTTP {exc.code}): {detail}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ExportError(f"cannot reach the LRS at {endpoint.statements_url}: {reason}") from None
        try:
            ids = json.loads(answer or b"[]")
        except ValueError:
            ids = []
        stored.extend(str(i) for i in ids if isinstance(i, str))
    return stored
