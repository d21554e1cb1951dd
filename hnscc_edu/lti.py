"""LTI 1.3 launches into the course hub (issue 17): who a launch makes a course director, and a launch used twice.

``jupyterhub-ltiauthenticator`` does the launch itself: the platform's OIDC login initiation, then the id_token checked
against the platform's published keys (signature), our client id (audience), its expiry and issue time, and its nonce
against the cookie the browser was given. Two things it leaves to the tool, done here as JupyterHub's
``post_auth_hook`` (deploy/jupyterhub_config.py):

- **Roles.** The launch's roles claim (LTI 1.3 core, the ``lis/v2`` vocabularies) decides the hub groups: an
  instructor, a content developer or an administrator of the course or the institution is a course director (group
  ``course-directors``); everyone else a learner (group ``learners``).
- **Replay.** The cookie check stops a launch replayed from another browser, but a launch captured together with its
  cookies would sign in again until the token expires. Every nonce is recorded on first use in a small SQLite file
  of the hub's; a second use is refused (403), in any browser.

The hub user's name is the launch's ``sub`` (the platform's stable id of the person), which is also the course's
learner id; the launch's whole claim set is kept as the user's auth state (encrypted by the hub), where the course
service finds the gradebook line item of the launch for grade passback.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .service.auth import directors_group_name

ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
DIRECTOR_ROLES = frozenset(
    {
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
    }
)
LEARNERS_GROUP = "learners"


def is_course_director(claims: Mapping[str, Any]) -> bool:
    """Whether the launch's roles include one that directs the course (sub-roles such as ``Instructor#TeachingAssistant``
    are not the role itself, so they do not count)."""
    roles = claims.get(ROLES_CLAIM) or []
    return isinstance(roles, list) and any(role in DIRECTOR_ROLES for role in roles if isinstance(role, str))


def groups_for(claims: Mapping[str, Any]) -> list[str]:
    return [directors_group_name()] if is_course_director(claims) else [LEARNERS_GROUP]


class ReplayedLaunch(Exception):
    """A launch whose nonce was used before."""


class NonceRecord:
    """The nonces of the launches seen, each kept until its token would have expired anyway (then purged)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("CREATE TABLE IF NOT EXISTS lti_nonces (nonce TEXT PRIMARY KEY, expires REAL)")
        self._lock = threading.Lock()
        self._clock = clock

    def first_use(self, nonce: str, expires: float) -> bool:
        """Record ``nonce``; False when it was recorded before (a replay)."""
        with self._lock:
            self._connection.execute("DELETE FROM lti_nonces WHERE expires < ?", (self._clock(),))
            cursor = self._connection.execute(
                "INSERT OR IGNORE INTO lti_nonces (nonce, expires) VALUES (?, ?)", (nonce, expires)
            )
            return cursor.rowcount == 1


def check_launch(claims: Mapping[str, Any], record: NonceRecord) -> list[str]:
    """The hub groups of a validated launch; ``ReplayedLaunch`` when its nonce was used before."""
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ReplayedLaunch("This launch carries no nonce.")
    expires = claims.get("exp")
    if not record.first_use(nonce, float(expires) if isinstance(expires, (int, float)) else time.time() + 3600):
        raise ReplayedLaunch("This launch was already used. Please launch the course again from your LMS.")
    return groups_for(claims)


def launch_hook(record_path: Path) -> Callable[..., Any]:
    """JupyterHub's ``Authenticator.post_auth_hook`` for LTI 1.3 launches: refuses a replayed launch (403) and sets
    the user's groups from the launch's roles (with ``Authenticator.manage_groups``)."""
    record = NonceRecord(record_path)

    def hook(authenticator, handler, authentication: dict[str, Any]) -> dict[str, Any]:
        from tornado.web import HTTPError

        claims = authentication.get("auth_state") or {}
        try:
            authentication["groups"] = check_launch(claims, record)
        except ReplayedLaunch as exc:
            raise HTTPError(403, str(exc)) from None
        return authentication

    return hook
