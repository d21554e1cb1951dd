"""The live-poll server of a JupyterHub class: ``python -m hnscc_edu.hub_live`` (deploy/jupyterhub_config.py runs it
as the hub service ``hnscc-live``, next to the course server ``hnscc``).

Phones, projectors and presenters' dashboards reach the live polls here, in a process of their own: a lecture hall
voting at once keeps this process busy, not the course server that learners' dashboards and credit wait on. It
serves only the live-poll routes (``hnscc_edu.live``) under the service's prefix (``/services/hnscc-live/``), on the
same store (``HNSCC_EDU_DB_URL``); the course directors who may present are checked with the hub, as on the course
server. Several of these may run behind the proxy's route (a Kubernetes Service over replicas): a vote counts by when
it was received against the poll's lock time in the store, whichever process wrote it; each process keeps its own
rate limits and pushes its own phones' events.
"""

from __future__ import annotations

import logging
import os
import sys

import tornado.web

from .live import live_handlers
from .live import service as live_service
from .service import HubAuthenticator
from .service.__main__ import options, serve, where


def main(argv: list[str] | None = None) -> int:
    prog = "python -m hnscc_edu.hub_live"
    args = options(prog, __doc__.split("\n\n")[0]).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ip, port, base_url = where(args)
    directors = None
    if args.auth == "hub":
        api = os.environ.get("JUPYTERHUB_API_URL", "")
        if not api:
            print(f"{prog}: --auth hub needs JUPYTERHUB_API_URL (run it as a hub service)", file=sys.stderr)
            return 2
        directors = HubAuthenticator(api)

    def application() -> tornado.web.Application:
        return tornado.web.Application(live_handlers(base_url, live_service(), directors=directors), base_url=base_url)

    return serve(application, ip, port, f"live polls ({args.auth})")


if __name__ == "__main__":
    sys.exit(main())
