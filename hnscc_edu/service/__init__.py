"""The course service: the one trusted writer of everything that counts for credit.

It owns the store (``HNSCC_EDU_DB_URL`` is read by the server process, never by a learner's kernel for anything
credit-bearing) and the credit-bearing content (the pre- and post-test pools with their keys, optionally from
``HNSCC_EDU_PRIVATE_CONTENT``). It grades credit-bearing answers, records the learner's path (acknowledgement,
pre-test, the case answers that count as participation, post-test, evaluation, attestation) and issues certificates.
Learner kernels and browsers talk to it over HTTP (``client``); ``handlers`` documents the interface.

Where it runs:

- On one machine (``make course``, ``make present``) inside the Jupyter or Voila server, registered with the live
  polls and the certificate page (``hnscc_edu.live``). When it loads, the server puts the service's address and a
  per-server secret in its own environment (``HNSCC_EDU_SERVICE_URL``, ``HNSCC_EDU_SERVICE_TOKEN``); its kernels
  inherit them. Learner and store share the machine, so it issues practice records, never certificates of credit.
- On a hub, as a JupyterHub service (``python -m hnscc_edu.service --auth hub``): learners are the hub's users,
  identified by their hub tokens; it issues certificates in the course's mode (``course.yaml: mode``).
"""

from __future__ import annotations

import atexit
import functools
import importlib
import json
import os
import secrets
from typing import TYPE_CHECKING, Any

from ..store.identity import SHARED_VIEWERS_VARIABLE, announcement_path
from .auth import Authenticator, HubAuthenticator, Identity, LocalAuthenticator

if TYPE_CHECKING:
    from .core import CourseService
    from .handlers import ServiceApp, service_handlers

SERVICE_URL_VARIABLE = "HNSCC_EDU_SERVICE_URL"
SERVICE_TOKEN_VARIABLE = "HNSCC_EDU_SERVICE_TOKEN"
PREFIX = "hnscc/api/v1"  # the service's routes, under the server's base URL

# The server's side (the service, its store and its handlers) loads on first use: a learner's kernel imports this
# package for its client and its address only, and a course page that does not load the store is ready sooner.
_SERVER_SIDE = {"CourseService": "core", "ServiceApp": "handlers", "service_handlers": "handlers"}

__all__ = [
    "PREFIX",
    "SERVICE_TOKEN_VARIABLE",
    "SERVICE_URL_VARIABLE",
    "Authenticator",
    "CourseService",
    "HubAuthenticator",
    "Identity",
    "LocalAuthenticator",
    "ServiceApp",
    "announce",
    "external_service",
    "in_server_app",
    "loopback_url",
    "service_handlers",
]


def __getattr__(name: str) -> Any:
    if name in _SERVER_SIDE:
        return getattr(importlib.import_module(f"{__name__}.{_SERVER_SIDE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def external_service() -> bool:
    """True when the server's environment already names a course service and no per-server secret: a hub's spawner
    pointing single-user servers at the hub's course service (``HNSCC_EDU_SERVICE_URL``). Such a server runs no course
    service of its own, and its kernels authenticate to the hub's with their hub token."""
    return bool(os.environ.get(SERVICE_URL_VARIABLE)) and not os.environ.get(SERVICE_TOKEN_VARIABLE)


@functools.cache
def in_server_app(shared_viewers: bool = False) -> ServiceApp:
    """The course service of this Jupyter or Voila server (one per process): a practice service on the server's
    store, authenticated by a per-server secret (the one already in the environment, when a launcher set one).

    ``shared_viewers``: the server is standalone Voila, which shows its pages to anyone without a sign-in; unless
    a learner id is configured (``HNSCC_EDU_LEARNER_ID``, or the hub user), it then stores nothing."""
    secret = os.environ.get(SERVICE_TOKEN_VARIABLE) or secrets.token_urlsafe(32)
    os.environ[SERVICE_TOKEN_VARIABLE] = secret
    if shared_viewers:
        os.environ[SHARED_VIEWERS_VARIABLE] = "1"  # the kernels' own learner id (self-checks) refuses as well
    from .core import CourseService
    from .handlers import ServiceApp

    return ServiceApp(CourseService(practice=True), LocalAuthenticator(secret, shared_viewers=shared_viewers))


def loopback_url(ip: str | None, port: int, base_url: str = "/", scheme: str = "http") -> str:
    """The address a kernel on this machine reaches the server at (a wildcard or ``localhost`` is loopback)."""
    host = (ip or "").strip()
    if host in ("", "0.0.0.0", "*", "localhost", "127.0.0.1"):
        host = "127.0.0.1"
    elif host in ("::", "::1"):
        host = "[::1]"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return f"{scheme}://{host}:{port}{base}"


def announce(url: str, port: int | None = None, shared_viewers: bool = False) -> None:
    """Tell the kernels this server starts from now on where the service is (they inherit the environment). With
    ``port`` (Voila), also in a file of the Jupyter runtime folder (mode 0600, removed at exit), for the pre-heated
    kernels Voila starts before the service is set up: they find it by their ``VOILA_APP_PORT``."""
    os.environ[SERVICE_URL_VARIABLE] = url
    if port is None:
        return
    path = announcement_path(port)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "url": url,
                "token": os.environ.get(SERVICE_TOKEN_VARIABLE, ""),
                "shared_viewers": shared_viewers,
                "pid": os.getpid(),
            },
            handle,
        )
    atexit.register(_forget, path)


def _forget(path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
