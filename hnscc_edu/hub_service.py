"""The course server of a JupyterHub class: ``python -m hnscc_edu.hub_service`` (deploy/jupyterhub_config.py runs it
as the hub service ``hnscc``).

It is the course service (``hnscc_edu.service``: learners identified by their hub tokens, the one writer of
everything credit-bearing) plus the public certificate verification page. The live polls run beside it in a process
of their own (``hnscc_edu.hub_live``, the hub service ``hnscc-live``), so a room of phones never slows this one;
neither runs on learners' single-user servers (which on a hub serve no course routes at all: see
``hnscc_edu.live``). On a hub launched from an LMS with a token endpoint configured it also sends passed post-test
scores to the LMS gradebook (``hnscc_edu.grade_passback``) and serves the tool's public key at ``hnscc/lti/jwks``.
"""

from __future__ import annotations

import json
import logging
import sys

import tornado.ioloop
import tornado.web

from .grade_passback import GradePassback, from_environment
from .service import ServiceApp
from .service.__main__ import main as service_main

SEND_EVERY_MS = 5_000
log = logging.getLogger("hnscc_edu.hub_service")


class ToolKeysHandler(tornado.web.RequestHandler):
    """The tool's public key set (JWKS), public: the LMS checks the passback's client assertion with it."""

    def initialize(self, passback: GradePassback) -> None:
        self.passback = passback

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "max-age=300")
        self.finish(json.dumps(self.passback.key.jwks()))


def _hub_routes(base_url: str, app: ServiceApp) -> list:
    routes: list = []
    passback = from_environment(lambda: app.service.store)  # opened on first use, as the service's own
    if passback is None:
        return routes
    app.service.on_post_test_passed = passback.owe
    loop = tornado.ioloop.IOLoop.current()

    async def send() -> None:
        try:
            await loop.run_in_executor(None, passback.send_due)
        except Exception:
            log.exception("the grade passback loop failed")

    tornado.ioloop.PeriodicCallback(send, SEND_EVERY_MS).start()
    log.info("grade passback to %s every %d s", passback.token_url, SEND_EVERY_MS // 1000)
    root = "/" + "/".join(p for p in (base_url.strip("/"), "hnscc/lti/jwks") if p)
    return [(root, ToolKeysHandler, {"passback": passback}), *routes]


def main(argv: list[str] | None = None) -> int:
    return service_main(argv, extra=_hub_routes, prog="python -m hnscc_edu.hub_service")


if __name__ == "__main__":
    sys.exit(main())
