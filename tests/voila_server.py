"""Start Voila for one notebook on a free loopback port, with its own store and learner (tests and benchmarks).

The course service runs inside the Voila server (``hnscc_edu.live.voila``); the test gives it a known secret
(``HNSCC_EDU_SERVICE_TOKEN``), so ``server.client()`` reaches the same service a page's kernel does. Unless
``acknowledged=False``, the learner's acknowledgement of the activity information is recorded first through the
service's own code, so case pages open (they wait for it).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# voila.json pre-heats kernels for the lecture notebooks. A test's page gets a cold kernel unless the test turns the
# pools on (``extra_args``, later on the command line, wins): every test server would otherwise start a spare kernel
# per pooled notebook and refill it after each page, on a 2-core machine. tests/browser/test_preheated_kernels.py
# serves the pools as voila.json sets them. (Voila refuses an option given twice.)
PREHEAT = "--VoilaConfiguration.preheat_kernel"


def free_port() -> int:
    """A free TCP port on the loopback interface (for the servers the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VoilaServer:
    """``notebook`` is a name under ``notebooks/``; a test may serve a notebook of its own (``notebook_path``) and
    add or override environment variables (``extra_env``, e.g. ``HNSCC_EDU_COURSE_ROOT`` for a fixture course) and
    pass Voila options (``extra_args``; ``notebook_path`` may be a folder, served as a tree).
    Voila always runs from the project root, so it reads the project's ``voila.json``."""

    def __init__(
        self,
        notebook: str,
        db_path: Path,
        learner: str,
        log_path: Path,
        db_url: str | None = None,
        *,
        notebook_path: Path | None = None,
        extra_env: Mapping[str, str] | None = None,
        extra_args: Sequence[str] = (),
        acknowledged: bool = True,
        profession: str = "radiation_oncologist",
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.token = secrets.token_urlsafe(16)
        self.db_url = db_url or f"sqlite:///{db_path}"
        env = dict(
            os.environ,
            HNSCC_EDU_DB_URL=self.db_url,
            HNSCC_EDU_LEARNER_ID=learner,
            HNSCC_EDU_AUTO_ANSWER="0",
            HNSCC_EDU_COURSE_ROOT=str(ROOT),
            HNSCC_EDU_SERVICE_TOKEN=self.token,
        )
        for inherited in ("HNSCC_EDU_SERVICE_URL", "HNSCC_EDU_SHARED_VIEWERS"):  # the test session's own service
            env.pop(inherited, None)
        env.update(extra_env or {})
        if acknowledged:
            from tests.service_harness import acknowledge

            acknowledge(
                self.db_url,
                learner,
                Path(env["HNSCC_EDU_COURSE_ROOT"]),
                profession=profession,
                degree="MD" if profession == "radiation_oncologist" else "RN",
            )
        self.log_path = log_path
        with open(log_path, "w") as log:  # Voila keeps its own handle on the log
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "voila",
                    str(notebook_path or ROOT / "notebooks" / notebook),
                    f"--port={self.port}",
                    "--no-browser",
                    "--Voila.ip=127.0.0.1",
                    *extra_args,
                    *(() if any(arg.startswith(PREHEAT) for arg in extra_args) else (f"{PREHEAT}=False",)),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited with {self.process.returncode}; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("voila did not start within a minute")

    def client(self):
        """The course service of this Voila server, with its secret: what the page's kernel reaches."""
        from hnscc_edu.service.client import ServiceClient

        return ServiceClient(self.url, token=self.token)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
