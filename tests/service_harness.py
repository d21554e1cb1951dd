"""The course service for tests: in a thread of the test process (``ThreadedService``) or as its own process
(``ServiceProcess``, what nbval's kernels and the notebook refresh talk to), and the service-side harness that
answers what a learner's kernel cannot (``answer_test``, ``finish_core_path``): it works on the service's own
objects, which hold the keys, never through a learner's kernel.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import tornado.httpserver
import tornado.netutil
import tornado.web

from hnscc_edu.rules.grading.keys import key_response
from hnscc_edu.service import CourseService, ServiceApp, service_handlers
from hnscc_edu.service.auth import Authenticator, AuthMissing, AuthRejected, Identity, token_from
from hnscc_edu.service.certificate_page import CertificateService, certificate_handlers
from hnscc_edu.service.client import ServiceClient
from hnscc_edu.sessions.case_session import CaseSession
from tests.helpers import finish_with_keys

ROOT = Path(__file__).resolve().parents[1]


class TokenTable(Authenticator):
    """Tests only: one token per learner (a one-machine service has one learner; tests need several)."""

    mode = "local"

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}

    def token(self, learner: str) -> str:
        for token, who in self.tokens.items():
            if who == learner:
                return token
        token = secrets.token_urlsafe(16)
        self.tokens[token] = learner
        return token

    def identify(self, authorization: str | None) -> Identity:
        token = token_from(authorization)
        if token is None:
            raise AuthMissing("This request has no credentials for the course server.")
        if token not in self.tokens:
            raise AuthRejected("These credentials are not this course server's.")
        return Identity(self.tokens[token], "local")


class ThreadedService:
    """A course service on a free loopback port, served by a thread of this process."""

    def __init__(self, service: CourseService, authenticator: Authenticator | None = None) -> None:
        self.service = service
        self.authenticator = authenticator or TokenTable()
        self.app = ServiceApp(service, self.authenticator)
        application = tornado.web.Application(
            [*service_handlers("/", self.app), *certificate_handlers("/", CertificateService(service.url))]
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.server = tornado.httpserver.HTTPServer(application)
            self.server.add_sockets(sockets)
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="hnscc-test-service", daemon=True)
        self.thread.start()
        started.wait(10)

    def client(self, learner: str) -> ServiceClient:
        assert isinstance(self.authenticator, TokenTable)
        return ServiceClient(self.url, token=self.authenticator.token(learner))

    def env(self, learner: str) -> dict[str, str]:
        """What a learner's kernel of this service holds: the address and its credentials, no database."""
        assert isinstance(self.authenticator, TokenTable)
        return {"HNSCC_EDU_SERVICE_URL": self.url, "HNSCC_EDU_SERVICE_TOKEN": self.authenticator.token(learner)}

    def stop(self) -> None:
        def shutdown() -> None:
            self.server.stop()
            self.loop.stop()

        self.loop.call_soon_threadsafe(shutdown)
        self.thread.join(10)
        self.app.executor.shutdown(wait=False)
        if self.service._store is not None:
            self.service._store.engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """``python -m hnscc_edu.service --auth local`` on a free loopback port, for one learner (as a one-machine
    server has): the service nbval's kernels and the notebook refresh talk to."""

    def __init__(self, db_url: str, learner: str, log_path: Path, extra_env: Mapping[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.token = secrets.token_urlsafe(16)
        env = dict(
            os.environ,
            HNSCC_EDU_DB_URL=db_url,
            HNSCC_EDU_LEARNER_ID=learner,
            HNSCC_EDU_SERVICE_TOKEN=self.token,
            HNSCC_EDU_COURSE_ROOT=str(ROOT),
        )
        env.update(extra_env or {})
        with open(log_path, "w") as log:  # the service keeps its own handle on the log
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "hnscc_edu.service",
                    "--auth",
                    "local",
                    "--ip",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the course service exited with {self.process.returncode}; see {log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the course service did not start within a minute")

    def env(self) -> dict[str, str]:
        return {"HNSCC_EDU_SERVICE_URL": self.url, "HNSCC_EDU_SERVICE_TOKEN": self.token}

    def client(self) -> ServiceClient:
        return ServiceClient(self.url, token=self.token)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# -- the service-side harness: it holds the keys; a learner's kernel does not -----------------------------------
def finish_core_path(service: CourseService, learner: str) -> None:
    """Finish every case of the core path with the keys, on the service's own sessions (then its path moves on)."""
    path = service.path(learner)
    for case_id in path.core_case_ids:
        finish_with_keys(CaseSession(service.content.case(case_id), service.store, learner), case_id)
    path.refresh()


def answer_test(service: CourseService, learner: str, correct: int | None = None) -> None:
    """Answer the test in progress on the service's side: the first ``correct`` items with the key (all when None),
    the rest with a wrong option; then finish it."""
    path = service.path(learner)
    for number, item in enumerate(path.test_items()):
        if correct is None or number < correct:
            response = key_response(item)
        else:
            response = next(o.id for o in item.options if not o.correct)
        path.answer(item.id, response)
    path.finish_test()


def acknowledge(
    db_url: str, learner: str, root: Path = ROOT, profession: str = "radiation_oncologist", degree: str = "MD"
) -> None:
    """The activity information acknowledged for ``learner`` in the store at ``db_url``, through the course service's
    own code (as the service records it when the learner presses Acknowledge); nothing when already done."""
    from hnscc_edu.content.cache import load_course_cached
    from hnscc_edu.rules.learner_path import PathError

    service = CourseService(db_url, content=load_course_cached(root))
    try:
        service.act(learner, "acknowledge", {"profession": profession, "degree": degree})
    except PathError:
        pass
    finally:
        service.store.engine.dispose()


def finish_case_through(client: ServiceClient, case) -> None:
    """Finish ``case`` with the keys through a course service's HTTP interface (``client``), as a learner who knows
    every answer would through the case player."""
    from hnscc_edu.service.client import RemoteCaseSession

    finish_with_keys(RemoteCaseSession(case, client), case.id)


PRIVATE_MARK = "PRIVATE-POOL-RATIONALE"


def write_private_pool(folder: Path) -> Path:
    """A private post-test pool in ``folder`` (outside the repository, as ``HNSCC_EDU_PRIVATE_CONTENT`` names it): the
    public pool with every rationale marked ``PRIVATE-POOL-RATIONALE <item>/<option>:`` and every stem prefixed
    ``[private pool]``, so a test can tell its texts from the public pool's and search memory and messages for them.
    The course's lint still passes on it (the marks change no key, option or pairing)."""
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments and layout kept
    yaml.width = 4096
    data = yaml.load((ROOT / "quizzes" / "post-test.yaml").read_text(encoding="utf-8"))
    for item in data["items"]:
        item["stem"] = f"[private pool] {item['stem']}"
        for option in item.get("options", []):
            option["rationale"] = f"{PRIVATE_MARK} {item['id']}/{option['id']}: {option['rationale']}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "post-test.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path
