"""A real learning record store for the tests: ralph's LRS (FastAPI under uvicorn) with its file-system backend,
on a free loopback port, in a temporary folder, with one Basic-auth client. Started and stopped by the test."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import bcrypt

USERNAME = "course-director"
PASSWORD = "not-a-real-secret"


@dataclass(frozen=True)
class RunningLrs:
    url: str  # the xAPI endpoint, ending in /xAPI/
    username: str
    password: str
    log: Path

    def get(self, path_and_query: str) -> dict:
        """GET a path of the server (``/xAPI/statements?...``) as the client, parsed JSON."""
        root = self.url.split("/xAPI/")[0]
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            root + path_and_query, headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def all_statements(self) -> list[dict]:
        """Every stored statement, following the LRS's ``more`` links."""
        found: list[dict] = []
        page = self.get("/xAPI/statements/?limit=100")
        for _ in range(1000):  # bounded: a broken "more" link cannot loop forever
            found.extend(page["statements"])
            more = page.get("more")
            if not more:
                return found
            page = self.get(more)
        raise AssertionError("the LRS kept answering with more pages")


# ralph's "runserver" command runs this same app under uvicorn; starting it here avoids ralph's CLI extra. One
# setting differs: ralph 5.1's file-system LRS backend writes in "create" mode, which refuses every POST after the
# first because its one statements file then exists. The backend's own "append" mode keeps every POST; nothing else
# of the LRS (authentication, validation, storage, queries) is touched.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def ralph_lrs(folder: Path) -> Iterator[RunningLrs]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    auth = folder / "auth.json"
    digest = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode()
    auth.write_text(
        json.dumps(
            [
                {
                    "agent": {"mbox": "mailto:director@example.org"},
                    "scopes": ["all"],
                    "hash": digest,
                    "username": USERNAME,
                }
            ]
        )
    )
    env = {
        **os.environ,
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_APP_DIR": str(folder / "app"),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
        "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    port = _free_port()
    log = folder / "lrs.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(port)], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    lrs = RunningLrs(f"http://127.0.0.1:{port}/xAPI/", USERNAME, PASSWORD, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the LRS exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the LRS did not answer within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield lrs
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
