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


def options(prog: str, description: str) -> argparse.ArgumentParser:
    """The options every course process a hub runs takes: how it authenticates, where it listens."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--auth", choices=("hub", "local"), default="hub")
    parser.add_argument("--ip", default=None, help="default: from JUPYTERHUB_SERVICE_URL, else 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default: from JUPYTERHUB_SERVICE_URL, else 8890")
    parser.add_argument("--base-url", default=None, help="default: JUPYTERHUB_SERVICE_PREFIX, else /")
    return parser


def where(args: argparse.Namespace) -> tuple[str, int, str]:
    """(ip, port, base URL) from the options, else from the hub's service environment."""
    bind = urllib.parse.urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    base_url = args.base_url or os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    return args.ip or bind.hostname or "127.0.0.1", args.port or bind.port or 8890, base_url


def serve(make_application: Callable[[], tornado.web.Application], ip: str, port: int, label: str) -> int:
    """Listen and serve until the hub stops the process (SIGINT or SIGTERM). The application is made inside the
    running event loop, so what it sets up (the grade passback's periodic sending) runs on that loop."""

    async def run() -> None:
        application = make_application()
        # Phones reach this server (live polls): a connection that idles or trickles its headers is closed after a
        # minute, not tornado's hour (a laptop holding a thousand idle connections would otherwise exhaust the file
        # limit); no route takes a body over 64 KiB, so none is buffered beyond 1 MiB
        idle = float(os.environ.get(IDLE_SECONDS_VARIABLE) or 60)
        # xheaders: behind the hub's proxy every phone arrives from the proxy; the address the proxy saw (the last
        # X-Forwarded-For entry) is what the live polls' per-address limits count
        application.listen(
            port, ip, idle_connection_timeout=idle, body_timeout=idle, max_body_size=1024 * 1024, xheaders=True
        )
        base_url = application.settings.get("base_url", "/")
        logging.getLogger("hnscc_edu.service").info("%s at http://%s:%d%s", label, ip, port, base_url)
        await asyncio.Event().wait()

    # A hub stops its services with SIGINT, then SIGTERM; either ends the service at once (a process started in the
    # background may inherit SIGINT as ignored, so SIGTERM must work on its own).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    return 0


def main(
    argv: list[str] | None = None, extra: ExtraRoutes | None = None, prog: str = "python -m hnscc_edu.service"
) -> int:
    """Parse the options and serve until interrupted; ``extra`` adds routes (the hub's course server adds the grade
    passback, which lives in a layer above this one)."""
    args = options(prog, __doc__.split("\n\n")[0]).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    ip, port, base_url = where(args)
    if args.auth == "hub":
        api = os.environ.get("JUPYTERHUB_API_URL", "")
        if not api:
            print(f"{prog}: --auth hub needs JUPYTERHUB_API_URL (run it as a hub service)", file=sys.stderr)
            return 2
        app = ServiceApp(CourseService(practice=False), HubAuthenticator(api))
    else:
        secret = os.environ.get(SERVICE_TOKEN_VARIABLE, "")
        if not secret:
            print(f"{prog}: --auth local needs {SERVICE_TOKEN_VARIABLE}", file=sys.stderr)
            return 2
        app = ServiceApp(CourseService(practice=True), LocalAuthenticator(secret))
    return serve(lambda: build_application(base_url, app, extra), ip, port, f"course service ({args.auth})")


if __name__ == "__main__":
    sys.exit(main())
