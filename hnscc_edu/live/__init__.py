"""Live audience polls served by the course's own Jupyter or Voila server: a participant's phone costs a request and
a database row, never a kernel.

Under ``jupyter lab`` / ``jupyter server`` this package is a server extension (enabled by
``etc/jupyter/jupyter_server_config.d/hnscc_edu.live.json``). Standalone ``voila`` loads no server extensions, so
``voila.json`` names :class:`hnscc_edu.live.voila.LiveRoutesIdentityProvider`, which adds the same routes.
"""

from __future__ import annotations

import functools

from .handlers import PREFIX, LiveService, live_handlers

__all__ = ["PREFIX", "LiveService", "live_handlers", "service"]


@functools.cache
def service() -> LiveService:
    """The one live-poll service of this server process (the store named by HNSCC_EDU_DB_URL)."""
    return LiveService()


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "hnscc_edu.live"}]


def _load_jupyter_server_extension(serverapp) -> None:
    base_url = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", live_handlers(base_url, service()))
    serverapp.log.info("hnscc-edu live polls: participants join at %s%s/", base_url, PREFIX)
