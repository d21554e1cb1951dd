"""Live audience polls and the public certificate verification page, served by the course's own Jupyter or Voila
server: a participant's phone costs a request and a database row, never a kernel; a certificate's verifier needs no
login.

Under ``jupyter lab`` / ``jupyter server`` this package is a server extension (enabled by
``etc/jupyter/jupyter_server_config.d/hnscc_edu.live.json``). Standalone ``voila`` loads no server extensions, so
``voila.json`` names :class:`hnscc_edu.live.voila.LiveRoutesIdentityProvider`, which adds the same routes.
"""

from __future__ import annotations

import functools

from .certificate_page import CertificateService, certificate_handlers
from .handlers import PREFIX, LiveService, live_handlers

__all__ = ["PREFIX", "CertificateService", "LiveService", "certificate_handlers", "certificate_service",
           "course_handlers", "live_handlers", "service"]


@functools.cache
def service() -> LiveService:
    """The one live-poll service of this server process (the store named by HNSCC_EDU_DB_URL)."""
    return LiveService()


@functools.cache
def certificate_service() -> CertificateService:
    """The one certificate-page service of this server process (the same store; the key of HNSCC_EDU_KEY_DIR)."""
    return CertificateService()


def course_handlers(base_url: str) -> list[tuple[str, type, dict]]:
    """Every route this package adds to a server: the live polls and the certificate verification page."""
    return [*live_handlers(base_url, service()), *certificate_handlers(base_url, certificate_service())]


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "hnscc_edu.live"}]


def _load_jupyter_server_extension(serverapp) -> None:
    base_url = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", course_handlers(base_url))
    serverapp.log.info("hnscc-edu live polls: participants join at %s%s/; certificates are verified at "
                       "%shnscc/certificates/ID", base_url, PREFIX, base_url)
