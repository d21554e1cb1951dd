"""The base of the course server's JSON handlers (live polls and the course service): errors as JSON in plain words,
no caching, no content sniffing, no referrer, no cookie-based XSRF check, and a request body that is never read
beyond the handler's limit (``MAX_BODY``): a declared length over it is refused with 413 before a byte of the body is
read, and a chunked body is cut off at the limit by the connection itself. Jupyter's and Voila's servers otherwise
buffer up to 512 MB or 100 MB per request before a handler sees it, which a few phones' worth of uploads turns into
an out-of-memory kill of the process that also serves every dashboard."""

from __future__ import annotations

import json
from typing import Any

import tornado.web


@tornado.web.stream_request_body
class JsonApiHandler(tornado.web.RequestHandler):
    """``SERVER_NAME`` names the server in a 5xx message (the details go to its log); ``MAX_BODY``: the largest
    request body, in bytes; ``body_bytes``: the body received (at most ``MAX_BODY + 1`` bytes, so a check of its
    length still sees one that was too long)."""

    SERVER_NAME = "course server"
    ENSURE_ASCII = True
    MAX_BODY = 4096

    def prepare(self) -> None:
        self._body = bytearray()
        if self.request.method not in ("POST", "PUT", "PATCH"):
            return
        declared = self.request.headers.get("Content-Length", "")
        if declared and (not (declared.isascii() and declared.isdigit()) or int(declared) > self.MAX_BODY):
            self.finish_json({"error": f"The request body is too large (at most {self.MAX_BODY} bytes)."}, 413)
            return
        limit = getattr(self.request.connection, "set_max_body_size", None)
        if limit is not None:
            limit(self.MAX_BODY + 1)

    def data_received(self, chunk: bytes) -> None:
        room = self.MAX_BODY + 1 - len(self._body)
        if room > 0:
            self._body.extend(chunk[:room])

    @property
    def body_bytes(self) -> bytes:
        return bytes(getattr(self, "_body", b""))

    def check_xsrf_cookie(self) -> None:
        """No XSRF check (Jupyter's server turns it on for every handler): nothing here reads a cookie, and every
        request that acts carries a bearer token in a header, which another site cannot make a browser send."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        message = {
            404: "There is nothing here. Check the address.",
            405: "This address does not accept that method.",
        }.get(status_code, self._reason)
        if status_code >= 500:
            message = f"Sorry, the {self.SERVER_NAME} had a problem; please try again. The details are in its log."
        self.finish_json({"error": message}, status_code)

    def finish_json(self, body: dict, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(body, ensure_ascii=self.ENSURE_ASCII))


Route = tuple[str, type[tornado.web.RequestHandler], dict]


def outside_jupyter_login(routes: list[Route]) -> list[Route]:
    """Declare ``routes`` as not guarded by Jupyter's login, on purpose: each is public (a phone's page, a vote, a
    certificate's verification) or checks its own credential (a presenter token, the server's per-kernel secret, a
    hub token). Marked with Jupyter Server's own ``allow_unauthenticated``, so a server whose administrator turns off
    unauthenticated access (``ServerApp.allow_unauthenticated_access = False``) lists none of them as unprotected and
    leaves them as designed, while every other route stays under the administrator's rule."""
    from jupyter_server.auth.decorator import allow_unauthenticated

    for _pattern, handler, _kwargs in routes:
        for verb in handler.SUPPORTED_METHODS:
            method = getattr(handler, verb.lower(), None)
            if method is None or method is tornado.web.RequestHandler._unimplemented_method:
                continue
            if not hasattr(method, "__allow_unauthenticated"):
                setattr(handler, verb.lower(), allow_unauthenticated(method))
    return routes
