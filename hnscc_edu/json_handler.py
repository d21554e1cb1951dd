"""The base of the course server's JSON handlers (live polls and the course service): errors as JSON in plain words,
no caching, no content sniffing, no referrer, and no cookie-based XSRF check."""

from __future__ import annotations

import json
from typing import Any

import tornado.web


class JsonApiHandler(tornado.web.RequestHandler):
    """``SERVER_NAME`` names the server in a 5xx message (the details go to its log)."""

    SERVER_NAME = "course server"
    ENSURE_ASCII = True

    def check_xsrf_cookie(self) -> None:
        """No XSRF check (Jupyter's server turns it on for every handler): nothing here reads a cookie, and every
        request that acts carries a bearer token in a header, which another site cannot make a browser send."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        message = {404: "There is nothing here. Check the address.",
                   405: "This address does not accept that method."}.get(status_code, self._reason)
        if status_code >= 500:
            message = f"Sorry, the {self.SERVER_NAME} had a problem; please try again. The details are in its log."
        self.finish_json({"error": message}, status_code)

    def finish_json(self, body: dict, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(body, ensure_ascii=self.ENSURE_ASCII))
