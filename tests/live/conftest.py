"""Live-poll fixtures: the store tests' SQLite/PostgreSQL ``url`` (one real PostgreSQL server per run), and the HTTP
handlers (live polls and the certificate verification page) on a real tornado server in a thread, as Jupyter's server
mounts them (XSRF cookies on)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import tornado.web

from hnscc_edu.content.course import CourseContent
from hnscc_edu.live import CertificateService, LiveService, certificate_handlers, live_handlers
from hnscc_edu.service.auth import Authenticator
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore


class ThreadServer:
    """The live-poll and certificate routes on 127.0.0.1 in a background thread with its own event loop. ``url`` is
    the live polls' root; ``root`` the server's."""

    def __init__(
        self,
        db_url: str,
        base_url: str = "/",
        content: CourseContent | None = None,
        directors: Authenticator | None = None,
        service: LiveService | None = None,
    ) -> None:
        self.directors = directors
        self.service = service or LiveService(db_url, content=content)
        self.certificates = CertificateService(db_url)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(base_url,), daemon=True)
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("the test server did not start")
        self.root = f"http://127.0.0.1:{self.port}{base_url.rstrip('/')}/"
        self.url = f"{self.root}hnscc/live"

    def _serve(self, base_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        routes = [
            *live_handlers(base_url, self.service, self.directors),
            *certificate_handlers(base_url, self.certificates),
        ]
        app = tornado.web.Application(routes, base_url=base_url, xsrf_cookies=True)
        self.server = app.listen(0, "127.0.0.1")
        self.port = next(iter(self.server._sockets.values())).getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.service.executor.shutdown(wait=True)
        self.certificates.executor.shutdown(wait=True)


@pytest.fixture
def live(url) -> LiveStore:
    return LiveStore(Store(url))


@pytest.fixture
def server(url) -> Iterator[ThreadServer]:
    running = ThreadServer(url)
    yield running
    running.stop()
