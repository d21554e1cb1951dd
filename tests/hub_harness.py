"""A real JupyterHub on loopback for the tests and the hub benchmark: deploy/jupyterhub_config.py as a provider runs
it, with configurable-http-proxy from npm, the course server (``hnscc_edu.hub_service``) as its service, learners'
single-user servers started by the local process spawner, and the store the test gives (PostgreSQL in the tests).

``HubProcess.learner(name)`` signs a learner in through the hub's own login form, gets a hub API token and starts
their server, as a browser and the learner's kernels would.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.voila_server import free_port

ROOT = Path(__file__).resolve().parents[1]
# inherited from the test session, they would make a learner's server or the service use the test's own service
_NOT_INHERITED = (
    "HNSCC_EDU_SERVICE_URL",
    "HNSCC_EDU_LIVE_SERVICE_URL",
    "HNSCC_EDU_SERVICE_TOKEN",
    "HNSCC_EDU_LEARNER_ID",
    "HNSCC_EDU_AUTO_ANSWER",
    "HNSCC_EDU_SHARED_VIEWERS",
    "JUPYTERHUB_USER",
    "JUPYTERHUB_API_TOKEN",
)


@dataclass
class Learner:
    name: str
    session: requests.Session  # signed in to the hub (its cookies)
    token: str  # a hub API token of this learner, as their server and kernels hold one

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


class HubProcess:
    def __init__(
        self,
        folder: Path,
        store_url: str,
        key_dir: Path,
        *,
        directors: str = "director",
        cull_timeout: int = 3600,
        auth: str = "shared",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        from scripts.hub import HUB_COMMAND, proxy_program

        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.password = secrets.token_urlsafe(12)
        self.admin_password = secrets.token_urlsafe(33)
        self.store_url = store_url
        env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
        env.update(
            {
                "HNSCC_HUB_STATE": str(folder / "hub"),
                "HNSCC_HUB_AUTH": auth,
                "HNSCC_HUB_PORT": str(self.port),
                "HNSCC_HUB_API_PORT": str(free_port()),
                "HNSCC_HUB_PROXY_API_PORT": str(free_port()),
                "HNSCC_HUB_SERVICE_PORT": str(free_port()),
                "HNSCC_HUB_LIVE_PORT": str(free_port()),
                "HNSCC_HUB_PASSWORD": self.password,
                "HNSCC_HUB_ADMIN_PASSWORD": self.admin_password,
                "HNSCC_HUB_DIRECTORS": directors,
                "HNSCC_HUB_PROXY": str(proxy_program(Path(sys.prefix) / "hub-proxy")),
                "HNSCC_HUB_CULL_TIMEOUT": str(cull_timeout),
                "HNSCC_HUB_CULL_EVERY": str(max(5, cull_timeout // 4)),
                "HNSCC_EDU_DB_URL": store_url,
                "HNSCC_EDU_KEY_DIR": str(key_dir),
                "HNSCC_EDU_COURSE_ROOT": str(ROOT),
            }
        )
        env.update(extra_env or {})
        self.log_path = folder / "hub.log"
        # start_new_session: the hub and everything it starts can be stopped as one group; HUB_COMMAND restores
        # SIGINT so the hub can stop its services with it (a background process may inherit it as ignored). The
        # hub keeps its own handle on the log, so ours is closed at once.
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                HUB_COMMAND, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}; see {self.log_path}")
            try:
                if (
                    requests.get(f"{self.url}hub/api/", timeout=2).status_code == 200
                    # both course processes answer through the proxy: the course server (401 without a token)
                    # and the live-poll server (the participant page)
                    and requests.get(self.service("api/v1/me"), timeout=2).status_code == 401
                    and requests.get(self.live(""), timeout=2).status_code == 200
                ):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(
            f"the hub and its course service did not come up within {timeout:.0f} s; see {self.log_path}"
        )

    # -- as a learner would -------------------------------------------------------------------------------------
    def sign_in(self, name: str, password: str | None = None) -> Learner:
        session = requests.Session()
        session.get(f"{self.url}hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf", "")
        answer = session.post(
            f"{self.url}hub/login",
            data={"username": name, "password": password or self.password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            raise AssertionError(f"{name} could not sign in: {answer.status_code}")
        xsrf = next((c.value for c in session.cookies if c.name == "_xsrf"), xsrf)  # the signed-in session's
        made = session.post(
            f"{self.url}hub/api/users/{name}/tokens",
            json={"expires_in": 3600, "note": "test"},
            headers={"X-XSRFToken": xsrf, "Referer": f"{self.url}hub/token"},
            timeout=60,
        )
        made.raise_for_status()
        return Learner(name, session, made.json()["token"])

    def start_server(self, learner: Learner, timeout: float = 240) -> None:
        answer = requests.post(f"{self.url}hub/api/users/{learner.name}/server", headers=learner.auth, timeout=60)
        if answer.status_code not in (201, 202, 400):  # 400: already running
            raise AssertionError(f"{learner.name}'s server did not start: {answer.status_code} {answer.text}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = requests.get(f"{self.url}hub/api/users/{learner.name}", headers=learner.auth, timeout=30).json()
            if (model.get("servers") or {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{learner.name}'s server was not ready within {timeout:.0f} s")

    def service(self, path: str) -> str:
        """The address of a course-service route through the hub's proxy (``path`` under /hnscc/)."""
        return f"{self.url}services/hnscc/hnscc/{path.lstrip('/')}"

    def live(self, path: str) -> str:
        """The address of a live-poll route through the hub's proxy (the live-poll server's, ``path`` under
        /hnscc/live/)."""
        return f"{self.url}services/hnscc-live/hnscc/live/{path.lstrip('/')}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # anything of the group still running
        except ProcessLookupError:
            pass


def learner_processes(name: str) -> dict[int, dict[str, str]]:
    """Every process this machine runs for hub user ``name`` (their server and its kernels), by pid, with its
    environment as the operating system holds it (/proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "environ").read_bytes()
        except OSError:
            continue
        env = dict(item.split("=", 1) for item in raw.decode("utf-8", "replace").split("\0") if "=" in item)
        if env.get("JUPYTERHUB_USER") == name:
            found[int(entry.name)] = env
    return found


def server_environments(name: str) -> list[dict[str, str]]:
    """The environments of hub user ``name``'s processes."""
    return list(learner_processes(name).values())
