"""The course server of a JupyterHub class: ``python -m hnscc_edu.hub_service`` (deploy/jupyterhub_config.py runs it
as the hub service ``hnscc``).

It is the course service (``hnscc_edu.service``: learners identified by their hub tokens, the one writer of
everything credit-bearing) plus the routes that phones and verifiers use without a hub login: the live-poll
participant pages and vote API (``hnscc_edu.live``) and the public certificate verification page. They run here, in
the one process that holds the store's address, and never on learners' single-user servers (which on a hub serve
no course routes at all: see ``hnscc_edu.live``).
"""

from __future__ import annotations

import sys

from .live import live_handlers, service as live_service
from .service.__main__ import main as service_main


def _live_routes(base_url: str) -> list:
    return live_handlers(base_url, live_service())


def main(argv: list[str] | None = None) -> int:
    return service_main(argv, extra=_live_routes, prog="python -m hnscc_edu.hub_service")


if __name__ == "__main__":
    sys.exit(main())
