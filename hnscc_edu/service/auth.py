"""Who is asking: the course service identifies the learner of every request; a request never names its learner.

An ``Authenticator`` turns a request's ``Authorization`` header into an ``Identity`` or refuses it:

- ``HubAuthenticator`` (a course service running as a JupyterHub service): the header carries the learner's hub token
  (``Authorization: token ...``, the ``JUPYTERHUB_API_TOKEN`` their single-user server and kernels hold); the hub
  says whose token it is (``GET {JUPYTERHUB_API_URL}/user``), and that user is the learner. Results are cached
  briefly. Such a service issues certificates in the course's own mode.
- ``LocalAuthenticator`` (the service inside ``make course`` / ``make present`` on one machine): the header carries
  the per-server secret the server put in its environment when it loaded the extension (its kernels inherit it), and
  the learner is the server's one learner (the hub user of the single-user server it runs in, ``HNSCC_EDU_LEARNER_ID``,
  or this machine's id). Under standalone Voila without a hub or an explicit id, every viewer would share that id, so
  it refuses to store anything and says why. Learner and store share a machine: everything it issues is a practice
  record.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..store.identity import SHARED_ID_MESSAGE, configured_learner_id, machine_learner_id, safe_id


class AuthError(Exception):
    """A request the service will not serve; ``status`` is its HTTP status, the message is for a person."""

    status = 401


class AuthMissing(AuthError):
    status = 401


class AuthRejected(AuthError):
    status = 403


class LearnerIdRefused(AuthError):
    """A server that cannot tell its viewers apart (standalone Voila, no hub): nothing is stored."""

    status = 403


class HubUnavailable(AuthError):
    status = 503


DIRECTOR_GROUP_VARIABLE = "HNSCC_EDU_DIRECTOR_GROUP"
DIRECTOR_GROUP = "course-directors"


def directors_group_name(environ: Mapping[str, str] | None = None) -> str:
    """The hub group whose members are course directors (``HNSCC_EDU_DIRECTOR_GROUP``, else ``course-directors``)."""
    return (os.environ if environ is None else environ).get(DIRECTOR_GROUP_VARIABLE) or DIRECTOR_GROUP


@dataclass(frozen=True)
class Identity:
    learner_id: str
    via: str  # "hub" or "local"
    # may see the outcomes report, run live sessions and revoke certificates: on a hub, a hub admin or a member of
    # the course directors' group; on one machine, its one learner (who holds the store file anyway)
    director: bool = False


class NotDirector(AuthError):
    """A learner asking for a course director's view (the report, a live session's controls)."""

    status = 403


def require_director(identity: Identity, what: str) -> Identity:
    """The identity, when it is a course director's; NotDirector otherwise (``what``: the thing refused)."""
    if not identity.director:
        raise NotDirector(
            f"{what} is for the course's directors. Ask the course hub's administrator to add you to "
            "the course directors' group if you run this course."
        )
    return identity


def token_from(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer X`` or ``Authorization: token X`` header (JupyterHub's spelling)."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() not in ("bearer", "token") or not value.strip():
        return None
    return value.strip()


class Authenticator:
    """Turns a request's ``Authorization`` header into the learner's identity, or raises ``AuthError``."""

    mode = "local"  # "hub": certificates in the course's mode; "local": practice records only

    def identify(self, authorization: str | None) -> Identity:  # pragma: no cover - an interface
        raise NotImplementedError


class LocalAuthenticator(Authenticator):
    """One machine: the per-server ``secret``; the learner is the server's one learner (see the module docstring).

    ``learner_id``: the id to use (default: from this process's environment, else this machine's id);
    ``shared_viewers``: the server shows its pages to anyone (standalone Voila), so without a configured id nothing
    is stored."""

    mode = "local"

    def __init__(
        self,
        secret: str,
        learner_id: str | None = None,
        *,
        shared_viewers: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if not secret:
            raise ValueError("the local course service needs a secret")
        self.secret = secret
        configured = learner_id or configured_learner_id(environ)
        self.refusal = SHARED_ID_MESSAGE if configured is None and shared_viewers else None
        self._learner = configured
        self._lock = threading.Lock()

    @property
    def learner_id(self) -> str | None:
        if self.refusal is not None:
            return None
        with self._lock:
            if self._learner is None:
                self._learner = machine_learner_id()
            return self._learner

    def identify(self, authorization: str | None) -> Identity:
        token = token_from(authorization)
        if token is None:
            raise AuthMissing("This request has no credentials for the course server.")
        if not hmac.compare_digest(token.encode("utf-8"), self.secret.encode("utf-8")):
            raise AuthRejected("These credentials are not this course server's.")
        if self.refusal is not None:
            raise LearnerIdRefused(self.refusal)
        return Identity(self.learner_id, "local", director=True)


Fetch = Callable[[str, str], tuple[int, bytes]]  # (url, token) -> (HTTP status, body)


def _fetch(url: str, token: str, timeout: float = 15.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class HubAuthenticator(Authenticator):
    """A JupyterHub service: the learner's hub token, checked with the hub (``GET {api_url}/user``)."""

    mode = "hub"

    def __init__(
        self,
        api_url: str,
        *,
        cache_seconds: float = 60.0,
        fetch: Fetch | None = None,
        clock: Callable[[], float] = time.monotonic,
        director_group: str | None = None,
    ) -> None:
        if not api_url:
            raise ValueError("the hub's API address (JUPYTERHUB_API_URL) is needed")
        self.api_url = api_url.rstrip("/")
        self.director_group = director_group or directors_group_name()
        self.cache_seconds = cache_seconds
        self.fetch = fetch or _fetch
        self.clock = clock
        self._cache: dict[str, tuple[float, Identity]] = {}
        self._lock = threading.Lock()

    def identify(self, authorization: str | None) -> Identity:
        token = token_from(authorization)
        if token is None:
            raise AuthMissing("Sign in through the course hub: this request carries no hub token.")
        now = self.clock()
        with self._lock:
            cached = self._cache.get(token)
            if cached is not None and cached[0] > now:
                return cached[1]
        try:
            status, body = self.fetch(f"{self.api_url}/user", token)
        except OSError as exc:
            raise HubUnavailable(
                "The course hub cannot be reached to check who you are; please try again in a moment."
            ) from exc
        if status in (401, 403, 404):
            raise AuthRejected("The course hub does not recognise this token; sign in to the hub again.")
        if status != 200:
            raise HubUnavailable(f"The course hub answered {status} when asked who you are; please try again.")
        try:
            model = json.loads(body)
        except ValueError as exc:
            raise HubUnavailable("The course hub's answer could not be read.") from exc
        name = model.get("name") if isinstance(model, dict) else None
        if not isinstance(name, str) or not name.strip() or model.get("kind", "user") != "user":
            raise AuthRejected("Only the hub's users (learners) can use the course path; this token is not a user's.")
        # the hub's "identify" model of a token's own user carries its groups and whether it is an admin
        groups = model.get("groups") if isinstance(model.get("groups"), list) else []
        director = model.get("admin") is True or self.director_group in groups
        identity = Identity(safe_id(name), "hub", director=director)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[token] = (now + self.cache_seconds, identity)
        return identity
