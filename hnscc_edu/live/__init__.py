"""Live audience polls, the public certificate verification page and the course service, served by the course's own
Jupyter or Voila server: a participant's phone costs a request and a database row, never a kernel; a certificate's
verifier needs no login; a learner's kernel reaches the course service (``hnscc_edu.service``), the one writer of
everything credit-bearing, over HTTP with the per-server secret this server puts in its kernels' environment.

Under ``jupyter lab`` / ``jupyter server`` this package is a server extension (enabled by
``etc/jupyter/jupyter_server_config.d/hnscc_edu.live.json``). Standalone ``voila`` loads no server extensions, so
``voila.json`` names :class:`hnscc_edu.live.voila.LiveRoutesIdentityProvider`, which adds the same routes.
"""

from __future__ import annotations

import functools
import os

from ..service import announce, external_service, in_server_app, loopback_url, service_handlers
from ..service.certificate_page import CertificateService, certificate_handlers
from .handlers import PREFIX, LiveService, live_handlers

__all__ = [
    "PREFIX",
    "CertificateService",
    "LiveService",
    "certificate_handlers",
    "certificate_service",
    "course_handlers",
    "live_handlers",
    "service",
]


@functools.cache
def service() -> LiveService:
    """The one live-poll service of this server process (the store named by HNSCC_EDU_DB_URL)."""
    return LiveService()


@functools.cache
def certificate_service() -> CertificateService:
    """The one certificate-page service of this server process (the same store; the key of HNSCC_EDU_KEY_DIR)."""
    return CertificateService()


def course_handlers(base_url: str, shared_viewers: bool = False) -> list[tuple[str, type, dict]]:
    """Every route this package adds to a server: the live polls, the certificate verification page and the course
    service (``shared_viewers``: standalone Voila, see ``service.in_server_app``)."""
    own_service = [] if external_service() else service_handlers(base_url, in_server_app(shared_viewers))
    return [*live_handlers(base_url, service()), *certificate_handlers(base_url, certificate_service()), *own_service]


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "hnscc_edu.live"}]


def _load_jupyter_server_extension(serverapp) -> None:
    base_url = serverapp.web_app.settings.get("base_url", "/")
    if external_service():
        # A learner's server on a hub: the hub's course server (hnscc_edu.hub_service) holds the store and serves the
        # live polls and the certificate page. Served here they would answer without a hub login and write to a
        # store of this learner's own, so this server adds no course route at all.
        serverapp.log.info(
            "hnscc-edu: learners' kernels use the course service at %s; live polls and certificates "
            "are the course service's",
            os.environ.get("HNSCC_EDU_SERVICE_URL"),
        )
        return
    serverapp.web_app.add_handlers(".*$", course_handlers(base_url))
    scheme = "https" if getattr(serverapp, "certfile", None) else "http"

    def url() -> str:
        return loopback_url(serverapp.ip, serverapp.port, base_url, scheme)

    announce(url())  # before any kernel starts; again once the server is bound (it may have moved to a free port)
    loop = serverapp.io_loop
    loop.add_callback(lambda: loop.add_callback(lambda: announce(url())))
    serverapp.log.info(
        "hnscc-edu live polls: participants join at %s%s/; certificates are verified at %shnscc/certificates/ID",
        base_url,
        PREFIX,
        base_url,
    )
