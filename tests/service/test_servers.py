"""The course service inside JupyterLab (``make course``), a real process: it answers its own kernels' secret, for the
server's one learner, as a practice service. (Standalone Voila: tests/browser/test_shared_voila.py.)"""

from __future__ import annotations

import os

import pytest

from hnscc_edu.service.client import ServiceClient, ServiceRefused
from tests.live.test_servers import LabServer


def test_jupyter_lab_serves_the_course_service_to_its_kernels_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("HNSCC_EDU_SERVICE_TOKEN", "lab-kernels-secret")  # what the extension finds, as a launcher
    monkeypatch.delenv("HNSCC_EDU_SERVICE_URL", raising=False)
    monkeypatch.setenv("HNSCC_EDU_LEARNER_ID", "lab-owner")
    server = LabServer(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path / "lab.log", base_url="/user/ana/")
    try:
        status = ServiceClient(server.url, token="lab-kernels-secret").status()
        assert (status["learner_id"], status["mode"], status["step"]) == ("lab-owner", "practice", "activity_info")
        with pytest.raises(ServiceRefused):
            ServiceClient(server.url, token="lab-secret").status()  # Jupyter's own token is not the service's
    finally:
        server.stop()
    assert os.environ["HNSCC_EDU_SERVICE_TOKEN"] == "lab-kernels-secret"


def test_the_extension_tells_its_kernels_where_the_service_is(monkeypatch):
    """At load, before any kernel starts, the server's environment (which kernels inherit) gets the service's address
    on loopback under the server's base URL, and a per-server secret."""
    from hnscc_edu import live
    from hnscc_edu.service import SERVICE_TOKEN_VARIABLE, SERVICE_URL_VARIABLE, in_server_app

    monkeypatch.delenv(SERVICE_TOKEN_VARIABLE, raising=False)
    monkeypatch.delenv(SERVICE_URL_VARIABLE, raising=False)
    in_server_app.cache_clear()

    class WebApp:
        def __init__(self) -> None:
            self.settings = {"base_url": "/user/ana/"}
            self.routes: list[str] = []

        def add_handlers(self, host, handlers):
            self.routes.extend(pattern for pattern, *_ in handlers)

    class Loop:
        def add_callback(self, callback):
            pass

    class ServerApp:
        web_app, ip, port, certfile, io_loop = WebApp(), "", 8899, None, Loop()

        class log:
            @staticmethod
            def info(*args):
                pass

    try:
        live._load_jupyter_server_extension(ServerApp())
        assert os.environ[SERVICE_URL_VARIABLE] == "http://127.0.0.1:8899/user/ana/"
        assert len(os.environ[SERVICE_TOKEN_VARIABLE]) >= 32
        assert "/user/ana/hnscc/api/v1/me" in ServerApp.web_app.routes

        # a hub's spawner names the hub's course service: the single-user server runs none of its own, and its
        # kernels keep the hub's address (and use their hub token)
        in_server_app.cache_clear()
        ServerApp.web_app.routes.clear()
        monkeypatch.delenv(SERVICE_TOKEN_VARIABLE)
        monkeypatch.setenv(SERVICE_URL_VARIABLE, "http://hub:8081/services/hnscc-edu/")
        live._load_jupyter_server_extension(ServerApp())
        assert os.environ[SERVICE_URL_VARIABLE] == "http://hub:8081/services/hnscc-edu/"
        assert SERVICE_TOKEN_VARIABLE not in os.environ
        # nor live polls nor the certificate page: on a hub they would answer without a login and open a store of
        # the learner's own; the hub's course server (hnscc_edu.hub_service) serves them (issue 17)
        assert ServerApp.web_app.routes == []
    finally:
        in_server_app.cache_clear()
