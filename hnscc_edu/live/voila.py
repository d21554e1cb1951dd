"""The live-poll, certificate and course-service routes under standalone ``voila``.

Voila's own application (0.5) loads no Jupyter server extensions; the one place its configuration reaches its route
table is the identity provider, whose ``get_handlers()`` Voila adds to its routes (they exist for login pages). This
subclass of Voila's default provider changes nothing about identity and adds the live-poll routes, the
certificate verification page and the course service (``hnscc_edu.service``). Standalone Voila shows its pages to
anyone who opens them, so without a hub or an explicit ``HNSCC_EDU_LEARNER_ID`` the service stores nothing (every
viewer would share one id) and says so. The service's address and secret go into the server's environment (kernels
started from now on inherit them) and into an announcement file of the Jupyter runtime folder, which Voila's
pre-heated kernels (started before this hook runs) read by their ``VOILA_APP_PORT``. ``voila.json``
selects it: ``{"Voila": {"identity_provider_class": "hnscc_edu.live.voila.LiveRoutesIdentityProvider"}}``.
"""

from __future__ import annotations

import tornado.ioloop
from jupyter_server.auth.identity import PasswordIdentityProvider

from ..service import announce, external_service, loopback_url
from . import course_handlers


class LiveRoutesIdentityProvider(PasswordIdentityProvider):
    def get_handlers(self) -> list:
        parent = self.parent
        base_url = getattr(parent, "base_url", "/") or "/"
        external = external_service()
        handlers = [*super().get_handlers(), *course_handlers(base_url, shared_viewers=True)]
        if external:  # a hub's course service (see service.external_service)
            return handlers

        def publish() -> None:
            port = getattr(parent, "port", 8866)
            announce(loopback_url(getattr(parent, "ip", None), port, base_url), port, shared_viewers=True)

        publish()  # before any cold kernel starts (pre-heated ones read the announcement file when a viewer comes)
        # once Voila listens: the port it really got (it moves to a free one when the configured port is taken)
        tornado.ioloop.IOLoop.current().add_callback(publish)
        return handlers
