"""The live-poll routes and the certificate verification page answer on the servers faculty and learners actually
run: standalone ``voila`` (through the key in voila.json) and ``jupyter lab`` (the server extension, enabled by the
environment's config), each started as a real process with Jupyter's folders isolated, so nothing but the environment
and the repository enables them. Neither needs a Jupyter token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hnscc_edu.rules.live import Choice
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from tests.credit.conftest import Clock, walk
from tests.helpers import ROOT
from tests.live.client import call, join
from tests.voila_server import VoilaServer, free_port

ENABLED = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d" / "hnscc_edu.live.json"


class LabServer:
    """``jupyter lab`` on a free loopback port with a Jupyter token (which the live-poll routes do not need)."""

    def __init__(self, db_url: str, log_path: Path, base_url: str = "/", extra_args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{base_url}"
        self.log = open(log_path, "w")  # noqa: SIM115 - held for the server's life; stop() closes it
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={self.port}",
            "--ip=127.0.0.1",
            "--ServerApp.token=lab-secret",
            f"--ServerApp.base_url={base_url}",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
            *extra_args,
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=dict(os.environ, HNSCC_EDU_DB_URL=db_url), stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}; see {log_path}")
            if "is running at" in Path(log_path).read_text() and self._answers():
                return
            time.sleep(0.3)
        raise RuntimeError("jupyter lab did not start within 90 s")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.url + "api/status?token=lab-secret", timeout=2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _poll_round_trip(base: str, db_url: str) -> None:
    """A participant page, a vote and the presenter's results on a running server."""
    live = LiveStore(Store(db_url))
    session, token = live.create_session("Real server")
    poll = live.open_poll(session.code, token, "Which?", (Choice("a", "A"), Choice("b", "B"))).id
    root = f"{base.rstrip('/')}/hnscc/live"
    with urllib.request.urlopen(f"{root}/{session.code}") as page:
        assert page.status == 200 and "Live poll" in page.read().decode()
    assert call("GET", f"{root}/{session.code}/current")[1]["poll"]["id"] == poll
    assert (
        call(
            "POST",
            f"{root}/{session.code}/polls/{poll}/votes",
            {"participant": join(root, session.code), "choice": "b"},
        )[0]
        == 200
    )
    assert call("GET", f"{root}/{session.code}/polls/{poll}/results")[0] == 401
    assert call("GET", f"{root}/{session.code}/polls/{poll}/results", token=token)[1] == {
        "state": "open",
        "counts": {"a": 0, "b": 1},
        "total": 1,
    }
    assert call("GET", f"{root}/nothing/here/at/all")[0] == 404


def _certificate_lookup(base: str, db_url: str) -> None:
    """A certificate issued in the server's store, looked up on the server as JSON and as a page, with no token."""
    store = Store(db_url)
    record = walk(store, "server-learner", Clock(), "nurse", "RN", name="Dr Server Check").certificate()
    store.engine.dispose()
    root = f"{base.rstrip('/')}/hnscc/certificates"
    assert record.payload["verification_url"].endswith(f"/hnscc/certificates/{record.certificate_id}")
    status, body, _ = call("GET", f"{root}/{record.certificate_id}", headers={"Accept": "application/json"})
    assert status == 200 and (body["status"], body["learner_name"]) == ("valid", "Dr Server Check")
    status, body, _ = call("GET", f"{root}/HNSCC-0000000000", headers={"Accept": "application/json"})
    assert status == 404 and "no certificate HNSCC-0000000000" in body["error"]
    with urllib.request.urlopen(f"{root}/{record.certificate_id}") as page:
        assert page.status == 200 and "<strong>Valid.</strong>" in page.read().decode()


def test_voila_json_adds_the_routes_to_standalone_voila():
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["Voila"]["identity_provider_class"] == "hnscc_edu.live.voila.LiveRoutesIdentityProvider"


@pytest.mark.parametrize("notebook", ["live_presenter.ipynb", "01_reirradiation.ipynb"])
def test_routes_answer_under_voila(tmp_path, notebook):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    server = VoilaServer(notebook, tmp_path / "store.sqlite3", "servers", tmp_path / "voila.log")
    try:
        _poll_round_trip(server.url, db_url)
        _certificate_lookup(server.url, db_url)
    finally:
        server.stop()


def test_the_environment_enables_the_server_extension():
    assert ENABLED.is_file(), (
        f"{ENABLED} is missing: run 'make env' (it installs the live-poll server "
        "extension's config into the environment)"
    )
    assert json.loads(ENABLED.read_text()) == json.loads(
        (ROOT / "jupyter-config" / "jupyter_server_config.d" / "hnscc_edu.live.json").read_text()
    )


@pytest.mark.parametrize("base_url", ["/", "/user/ana/"])
def test_routes_answer_under_jupyter_lab_without_a_jupyter_token(tmp_path, base_url):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    server = LabServer(db_url, tmp_path / "lab.log", base_url=base_url)
    try:
        _poll_round_trip(server.url, db_url)  # phones have no Jupyter token, and need none
        _certificate_lookup(server.url, db_url)  # nor does a certificate's verifier
        assert call("GET", server.url + "api/contents")[0] == 403  # Jupyter's own API still does
    finally:
        server.stop()
    assert "hnscc_edu.live | extension was successfully loaded" in (tmp_path / "lab.log").read_text()


def test_a_server_that_refuses_unauthenticated_access_keeps_the_course_routes_as_designed(tmp_path):
    """An administrator who hardens Jupyter Server (``allow_unauthenticated_access=False``) is warned of any route
    that is neither behind Jupyter's login nor declared public; the course's routes are declared (public, or with
    their own credential), so none is listed, phones and verifiers still need no Jupyter token, and Jupyter's own
    API still refuses them. Without the declaration this server warned of 27 routes."""
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    server = LabServer(db_url, tmp_path / "lab.log", extra_args=("--ServerApp.allow_unauthenticated_access=False",))
    try:
        _poll_round_trip(server.url, db_url)
        _certificate_lookup(server.url, db_url)
        assert call("GET", server.url + "api/contents")[0] == 403
    finally:
        server.stop()
    log = (tmp_path / "lab.log").read_text()
    assert "hnscc_edu.live | extension was successfully loaded" in log
    # other extensions' routes may be listed (jupyter_lsp, terminals, voila's static files); none of ours is
    assert "without @allow_unauthenticated" in log  # the check ran
    assert not [line for line in log.splitlines() if "registered for /hnscc/" in line]
