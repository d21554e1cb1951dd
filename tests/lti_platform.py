"""A learning platform on loopback for the LTI 1.3 tests (named so as not to shadow the standard ``platform``): its
own RSA key, its key set at ``/jwks``, and launches it signs the way an LMS does after its OIDC login step."""

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


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    def __init__(self, client_id: str = "hnscc-tool") -> None:
        self.key = new_key()
        self.client_id = client_id
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KEY_ID, "alg": "RS256", "use": "sig"})
        keyset = json.dumps({"keys": [jwk]}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                if self.path != "/jwks":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(keyset)))
                self.end_headers()
                self.wfile.write(keyset)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.url
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def hub_environment(self) -> dict[str, str]:
        return {"HNSCC_LTI_ISSUER": self.issuer, "HNSCC_LTI_AUTHORIZE_URL": f"{self.url}/auth",
                "HNSCC_LTI_JWKS_URL": f"{self.url}/jwks", "HNSCC_LTI_CLIENT_ID": self.client_id}

    def id_token(self, sub: str, nonce: str, target: str, roles: list[str], *, key=None, audience: str | None = None,
                 expires_in: int = 300, name: str = "Test Person") -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": audience or self.client_id, "sub": sub, "iat": now, "exp": now + expires_in,
            "nonce": nonce, "name": name,
            CLAIM + "version": "1.3.0", CLAIM + "deployment_id": "deployment-1",
            CLAIM + "message_type": "LtiResourceLinkRequest", CLAIM + "target_link_uri": target,
            CLAIM + "resource_link": {"id": "course-link-1"}, CLAIM + "roles": roles,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def launch(self, hub_url: str, sub: str, roles: list[str], **token_options) -> tuple[requests.Session,
                                                                                             requests.Response, dict]:
        """An LMS launch into the hub: OIDC login initiation, then the signed id_token posted back with the browser's
        cookies. Returns the browser (session), the hub's answer to the launch, and what an eavesdropper would have
        captured: the posted form and the cookies it went with."""
        browser = requests.Session()
        target = f"{hub_url}hub/"
        started = browser.get(f"{hub_url}hub/lti13/oauth_login", allow_redirects=False, timeout=30, params={
            "iss": self.issuer, "login_hint": sub, "target_link_uri": target, "client_id": self.client_id,
            "lti_message_hint": str(uuid.uuid4())})
        assert started.status_code == 302, started.text
        asked = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started.headers["Location"]).query))
        posted = {"id_token": self.id_token(sub, asked["nonce"], target, roles, **token_options),
                  "state": asked["state"]}
        captured = {"form": dict(posted), "cookies": browser.cookies.get_dict(), "url": asked["redirect_uri"]}
        answer = browser.post(asked["redirect_uri"], data=posted, allow_redirects=False, timeout=60)
        return browser, answer, captured

    def stop(self) -> None:
        self.server.shutdown()
