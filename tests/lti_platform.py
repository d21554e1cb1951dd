"""A learning platform on loopback for the LTI 1.3 tests (named so as not to shadow the standard ``platform``): its
own RSA key, its key set at ``/jwks``, launches it signs the way an LMS does after its OIDC login step, and the two
endpoints of grade passback (LTI Advantage AGS): ``/token`` (client credentials with a client assertion, checked
against the tool's published key set) and ``/lineitems/<id>/scores`` (checked for the access token and the score's
media type). ``fail_scores`` makes the next score posts fail with 503, as an LMS that is down."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
KEY_ID = "platform-1"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM = "post-test"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    def __init__(self, client_id: str = "hnscc-tool") -> None:
        self.key = new_key()
        self.client_id = client_id
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
        keyset = json.dumps({"keys": [jwk]}).encode()
        self.tool_jwks_url: str | None = None  # where the tool publishes its key set (set once the hub runs)
        self.scores: dict[str, list[dict]] = {}  # line item id -> the scores it accepted
        self.tokens: set[str] = set()
        self.fail_scores = 0
        self.refused: list[str] = []  # why a token or score request was refused
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict | bytes) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path != "/jwks":
                    self.send_error(404)
                    return
                self._answer(200, keyset)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    self._answer(*platform._token(body))
                elif self.path.startswith("/lineitems/") and self.path.endswith("/scores"):
                    self._answer(*platform._score(self.path.split("/")[2], self.headers, body))
                else:
                    self.send_error(404)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.url
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def hub_environment(self) -> dict[str, str]:
        return {
            "HNSCC_LTI_ISSUER": self.issuer,
            "HNSCC_LTI_AUTHORIZE_URL": f"{self.url}/auth",
            "HNSCC_LTI_JWKS_URL": f"{self.url}/jwks",
            "HNSCC_LTI_CLIENT_ID": self.client_id,
            "HNSCC_LTI_TOKEN_URL": f"{self.url}/token",
        }

    def _token(self, body: bytes) -> tuple[int, dict]:
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            self.refused.append("grant")
            return 400, {"error": "unsupported_grant_type"}
        try:
            key = jwt.PyJWKClient(self.tool_jwks_url).get_signing_key_from_jwt(form["client_assertion"])
            claims = jwt.decode(form["client_assertion"], key.key, algorithms=["RS256"], audience=f"{self.url}/token")
        except Exception as exc:  # noqa: BLE001 - any bad assertion is a refusal, as a platform answers
            self.refused.append(f"assertion: {exc}")
            return 401, {"error": "invalid_client"}
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            self.refused.append("client")
            return 401, {"error": "invalid_client"}
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": form.get("scope", "")}

    def _score(self, lineitem: str, headers, body: bytes) -> tuple[int, dict]:
        if headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            self.refused.append("score token")
            return 401, {"error": "invalid_token"}
        if headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
            self.refused.append("media type")
            return 415, {"error": "unsupported media type"}
        if self.fail_scores > 0:
            self.fail_scores -= 1
            return 503, {"error": "the gradebook is down"}
        self.scores.setdefault(lineitem, []).append(json.loads(body))
        return 200, {}

    def id_token(
        self,
        sub: str,
        nonce: str,
        target: str,
        roles: list[str],
        *,
        key=None,
        audience: str | None = None,
        expires_in: int = 300,
        name: str = "Test Person",
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience or self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + expires_in,
            "nonce": nonce,
            "name": name,
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": "deployment-1",
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "target_link_uri": target,
            CLAIM + "resource_link": {"id": "course-link-1"},
            CLAIM + "roles": roles,
            AGS_CLAIM: {
                "scope": [SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"],
                "lineitem": f"{self.url}/lineitems/{LINEITEM}",
                "lineitems": f"{self.url}/lineitems",
            },
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def launch(
        self, hub_url: str, sub: str, roles: list[str], **token_options
    ) -> tuple[requests.Session, requests.Response, dict]:
        """An LMS launch into the hub: OIDC login initiation, then the signed id_token posted back with the browser's
        cookies. Returns the browser (session), the hub's answer to the launch, and what an eavesdropper would have
        captured: the posted form and the cookies it went with."""
        browser = requests.Session()
        target = f"{hub_url}hub/"
        started = browser.get(
            f"{hub_url}hub/lti13/oauth_login",
            allow_redirects=False,
            timeout=30,
            params={
                "iss": self.issuer,
                "login_hint": sub,
                "target_link_uri": target,
                "client_id": self.client_id,
                "lti_message_hint": str(uuid.uuid4()),
            },
        )
        assert started.status_code == 302, started.text
        asked = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started.headers["Location"]).query))
        posted = {
            "id_token": self.id_token(sub, asked["nonce"], target, roles, **token_options),
            "state": asked["state"],
        }
        captured = {"form": dict(posted), "cookies": browser.cookies.get_dict(), "url": asked["redirect_uri"]}
        answer = browser.post(asked["redirect_uri"], data=posted, allow_redirects=False, timeout=60)
        return browser, answer, captured

    def stop(self) -> None:
        self.server.shutdown()
