"""Grade passback to the LMS (LTI Advantage, Assignment and Grade Services 2.0), by the hub's course server.

When a learner launched from an LMS passes the post-test, the course service records the pass and this module owes
the LMS a score (``grade_passbacks`` in the store). A loop of the course server then sends what is owed: it reads the
learner's launch (the hub keeps it encrypted as their auth state) for the gradebook line item and the learner's LMS
id, asks the platform's token endpoint for an access token with a client assertion signed by the tool's own RSA key
(OAuth 2 client credentials, RFC 7523), and posts the score to the line item. A refusal or an unreachable LMS is
recorded and tried again later (30 s, doubling, at most hourly); the learner never waits for it.

The tool's public key is served at ``<course server>/hnscc/lti/jwks`` for the platform to check the assertion; the
private key sits in the provider's key folder (``HNSCC_EDU_KEY_DIR``, file ``lti-tool-key.pem``, made on first use).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from .store import Store
from .store.passbacks import OwedScore, PassbackStore

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
KEY_FILE = "lti-tool-key.pem"
TIMEOUT_S = 20.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolKey:
    private: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def load_or_create(cls, folder: Path) -> ToolKey:
        path = folder / KEY_FILE
        if path.exists():
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = private.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
        public = private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(private, hashlib.sha256(public).hexdigest()[:16])

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {"keys": [{**jwk, "alg": "RS256", "use": "sig", "kid": self.kid}]}


def gradebook_target(auth_state: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(line item address, the learner's LMS id) from a launch, or None when the launch allows no score posting."""
    if not auth_state:
        return None
    endpoint = auth_state.get(AGS_CLAIM)
    sub = auth_state.get("sub")
    if not isinstance(endpoint, Mapping) or not isinstance(sub, str):
        return None
    lineitem, scopes = endpoint.get("lineitem"), endpoint.get("scope") or []
    if not isinstance(lineitem, str) or SCORE_SCOPE not in scopes:
        return None
    return lineitem, sub


def score_payload(user_id: str, owed: OwedScore, at: dt.datetime) -> dict[str, Any]:
    """The AGS score: the post-test points, completed and fully graded."""
    return {
        "userId": user_id,
        "scoreGiven": round(owed.score_given, 4),
        "scoreMaximum": round(owed.score_maximum, 4),
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": at.astimezone(dt.UTC).isoformat(timespec="seconds"),
    }


def next_try(attempts: int, now: dt.datetime) -> dt.datetime:
    """When to try again after ``attempts`` failures: 30 s, doubling, at most an hour."""
    return now + dt.timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


class PassbackError(Exception):
    """The LMS or the hub did not accept or answer; the message says which, for the course director's log."""


def _http(method: str, url: str, *, headers: Mapping[str, str], body: bytes | None = None) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            text = response.read()
            return json.loads(text) if text.strip() else {}
    except urllib.error.HTTPError as exc:
        raise PassbackError(f"{method} {url} answered {exc.code}: {exc.read()[:300]!r}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise PassbackError(f"{method} {url} failed: {exc}") from None


class GradePassback:
    """Owes and sends scores; ``send_due`` is the loop's one pass (it blocks: run it off the event loop)."""

    def __init__(
        self,
        store: Callable[[], Store],
        key: ToolKey,
        client_id: str,
        token_url: str,
        hub_api_url: str,
        hub_token: str,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._store = store  # asked for on first use: a database that is down must not stop the server starting
        self.key = key
        self.client_id = client_id
        self.token_url = token_url
        self.hub_api_url = hub_api_url.rstrip("/")
        self.hub_token = hub_token
        self.clock = clock
        self._token: tuple[str, float] | None = None

    @property
    def owed(self) -> PassbackStore:
        return PassbackStore(self._store())

    def owe(self, learner: str, result) -> None:
        """The course service's ``on_post_test_passed``: record the score owed (the loop sends it)."""
        self.owed.owe(learner, float(result.score), float(result.max_score), self.clock())

    def _launch(self, learner: str) -> Mapping[str, Any] | None:
        user = _http(
            "GET",
            f"{self.hub_api_url}/users/{urllib.parse.quote(learner, safe='')}",
            headers={"Authorization": f"token {self.hub_token}", "Accept": "application/json"},
        )
        return user.get("auth_state")

    def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic() + 30:
            return self._token[0]
        now = int(time.time())
        assertion = jwt.encode(
            {
                "iss": self.client_id,
                "sub": self.client_id,
                "aud": self.token_url,
                "iat": now,
                "exp": now + 300,
                "jti": str(uuid.uuid4()),
            },
            self.key.private,
            algorithm="RS256",
            headers={"kid": self.key.kid},
        )
        body = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion,
                "scope": SCORE_SCOPE,
            }
        ).encode()
        answer = _http(
            "POST",
            self.token_url,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        token = answer.get("access_token")
        if not isinstance(token, str):
            raise PassbackError("the platform's token endpoint gave no access token")
        self._token = (token, time.monotonic() + float(answer.get("expires_in") or 300))
        return token

    def send(self, owed: OwedScore) -> None:
        target = gradebook_target(self._launch(owed.learner_id))
        if target is None:
            raise PassbackError(f"{owed.learner_id}'s launch names no gradebook line item that takes scores")
        lineitem, user_id = target
        scores = urllib.parse.urlsplit(lineitem)
        address = urllib.parse.urlunsplit(scores._replace(path=scores.path.rstrip("/") + "/scores"))
        _http(
            "POST",
            address,
            body=json.dumps(score_payload(user_id, owed, self.clock())).encode(),
            headers={
                "Authorization": f"Bearer {self._access_token()}",
                "Content-Type": "application/vnd.ims.lis.v1.score+json",
            },
        )

    def send_due(self) -> int:
        """Send every score whose time has come; returns how many the LMS accepted."""
        accepted = 0
        for owed in self.owed.due(self.clock()):
            try:
                self.send(owed)
            except PassbackError as exc:
                self._token = None  # a refused token may be why; ask for a new one next time
                log.warning(
                    "grade passback %s for %s failed (try %d): %s", owed.id, owed.learner_id, owed.attempts + 1, exc
                )
                self.owed.failed(owed, str(exc), next_try(owed.attempts + 1, self.clock()))
            else:
                self.owed.sent(owed, self.clock())
                accepted += 1
        return accepted


def from_environment(store: Callable[[], Store]) -> GradePassback | None:
    """The passback of a hub course server, when the hub configured one (HNSCC_LTI_TOKEN_URL, HNSCC_LTI_CLIENT_ID,
    and the hub's JUPYTERHUB_API_URL and service token); None otherwise."""
    names = ("HNSCC_LTI_TOKEN_URL", "HNSCC_LTI_CLIENT_ID", "JUPYTERHUB_API_URL", "JUPYTERHUB_API_TOKEN")
    values = [os.environ.get(name, "").strip() for name in names]
    if not all(values):
        return None
    from .keys import key_dir

    token_url, client_id, api_url, hub_token = values
    return GradePassback(store, ToolKey.load_or_create(key_dir()), client_id, token_url, api_url, hub_token)
