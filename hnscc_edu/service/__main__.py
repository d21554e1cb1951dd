"""Run the course service on its own: ``python -m hnscc_edu.service [--auth hub|local] [--port N]``.

- ``--auth hub`` (a JupyterHub service): learners are the hub's users, identified by their hub tokens with the hub's
  API (``JUPYTERHUB_API_URL``); the routes live under the service's prefix (``JUPYTERHUB_SERVICE_PREFIX``, e.g.
  ``/services/hnscc-edu/``) and it listens where the hub says (``JUPYTERHUB_SERVICE_URL``). It issues certificates
  in the course's mode. The hub's own deployment is issue 17's; this is the process it runs.
- ``--auth local`` (tests and the notebook refresh): the secret ``HNSCC_EDU_SERVICE_TOKEN`` and one learner
  (``HNSCC_EDU_LEARNER_ID``); practice records only, as inside ``make course``.

Either way it also serves the public certificate verification page (``/hnscc/certificates/ID``). It reads the store
from ``HNSCC_EDU_DB_URL``, the private item banks from ``HNSCC_EDU_PRIVATE_CONTENT`` and the provider's key from
``HNSCC_EDU_KEY_DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import urllib.parse
from collections.abc import Callable

import tornado.web

from . import SERVICE_TOKEN_VARIABLE, CourseService, HubAuthenticator, LocalAuthenticator, ServiceApp, service_handlers

IDLE_SECONDS_VARIABLE = "HNSCC_EDU_IDLE_SECONDS"  # how long an idle or trickling connection is kept (default 60)

# (base URL, the service) -> more (pattern, handler, kwargs) routes for the same application; it may also set the
# service up (the hub's course server adds the live polls and the grade passback)
ExtraRoutes = Callable[[str, ServiceApp], list]


def build_application(base_url: str, app: ServiceApp, extra: ExtraRoutes | None = None) -> tornado.web.Application:
    from .certificate_page import CertificateService, certificate_handlers

    # base_url in the settings as Jupyter's server has it: the pages it serves (the phones' participant page, the
    # projector) build their links and requests under it, e.g. /services/hnscc/ on a hub
    return tornado.web.Application(
        [
            *service_handlers(base_url, app),
            *certificate_handlers(base_url, CertificateService(app.service.url)),
            *(extra(base_url, app) if extra else []),
        ],
        base_url=base_url,
    )


def main(
    argv: list[str] | None = None, extra: ExtraRoutes | None = None, prog: str = "python -m hnscc_edu.service"
) -> int:
    """Parse the options and serve until interrupted; ``extra`` adds routes (the hub's course server adds the live
    polls, which live in a layer above this one)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    parser.add_argument("--auth", choices=("hub", "local"), default="hub")
    parser.add_argument("--ip", default=None, help="default: from JUPYTERHUB_SERVICE_URL, else 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default: from JUPYTERHUB_SERVICE_URL, else 8890")
    parser.add_argument("--base-url", default=None, help="default: JUPYTERHUB_SERVICE_PREFIX, else /")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    bind = urllib.parse.urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    ip = args.ip or bind.hostname or "127.0.0.1"
    port = args.port or bind.port or 8890
    base_url = args.base_url or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    if args.auth == "hub":
        api = os.environ.get("JUPYTERHUB_API_URL", "")
        if not api:
            print(
                "python -m hnscc_edu.service: --auth hub needs JUPYTERHUB_API_URL (run it as a hub service)",
                file=sys.stderr,
            )
            return 2
        app = ServiceApp(CourseService(practice=False), HubAuthenticator(api))
    else:
        secret = os.environ.get(SERVICE_TOKEN_VARIABLE, "")
        if not secret:
            print(f"python -m hnscc_edu.service: --auth local needs {SERVICE_TOKEN_VARIABLE}", file=sys.stderr)
            return 2
        app = ServiceApp(CourseService(practice=True), LocalAuthenticator(secret))

    async def serve() -> None:
        application = build_application(base_url, app, extra)
        # Phones reach this server (live polls): a connection that idles or trickles its headers is closed after a
        # minute, not tornado's hour (a laptop holding a thousand idle connections would otherwise exhaust the file
        # limit); no route takes a body over 64 KiB, so none is buffered beyond 1 MiB
        idle = float(os.environ.get(IDLE_SECONDS_VARIABLE) or 60)
        # xheaders: behind the hub's proxy every phone arrives from the proxy; the address the proxy saw (the last
        # X-Forwarded-For entry) is what the live polls' per-address limits count
        application.listen(
            port, ip, idle_connection_timeout=idle, body_timeout=idle, max_body_size=1024 * 1024, xheaders=True
        )
        logging.getLogger("hnscc_edu.service").info(
            "course service (%s) at http://%s:%d%s", args.auth, ip, port, base_url
        )
        await asyncio.Event().wait()

    # A hub stops its services with SIGINT, then SIGTERM; either ends the service at once (a process started in the
    # background may inherit SIGINT as ignored, so SIGTERM must work on its own).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
