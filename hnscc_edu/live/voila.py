"""The live-poll and certificate routes under standalone ``voila``.

Voila's own application (0.5) loads no Jupyter server extensions; the one place its configuration reaches its route
table is the identity provider, whose ``get_handlers()`` Voila adds to its routes (they exist for login pages). This
subclass of Voila's default provider changes nothing about identity and adds the live-poll routes and the
certificate verification page. ``voila.json``
selects it: ``{"Voila": {"identity_provider_class": "hnscc_edu.live.voila.LiveRoutesIdentityProvider"}}``.
"""

from __future__ import annotations

from jupyter_server.auth.identity import PasswordIdentityProvider

from . import course_handlers


class LiveRoutesIdentityProvider(PasswordIdentityProvider):
    def get_handlers(self) -> list:
        base_url = getattr(self.parent, "base_url", "/") or "/"
        return [*super().get_handlers(), *course_handlers(base_url)]
