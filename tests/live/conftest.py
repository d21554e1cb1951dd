"""Live-poll fixtures: the store tests' SQLite/PostgreSQL ``url`` (one real PostgreSQL server per run), and the HTTP
handlers on a real tornado server in a thread, as Jupyter's server mounts them (XSRF cookies on)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import tornado.web

from hnscc_edu.live import LiveService, live_handlers
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from tests.store.conftest import postgres, url  # noqa: F401 - the same fixtures as the store tests


class ThreadServer:
    """The live-poll routes on 127.0.0.1 in a background thread with its own event loop."""

    def __init__(self, db_url: str, base_url: str = "/") -> None:
        self.service = LiveService(db_url)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(base_url,), daemon=True)
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError("the test server did not start")
        self.url = f"http://127.0.0.1:{self.port}{base_url.rstrip('/')}/hnscc/live"

    def _serve(self, base_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        app = tornado.web.Application(live_handlers(base_url, self.service), base_url=base_url, xsrf_cookies=True)
        self.server = app.listen(0, "127.0.0.1")
        self.port = next(iter(self.server._sockets.values())).getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.service.executor.shutdown(wait=True)


@pytest.fixture
def live(url) -> LiveStore:  # noqa: F811 - ``url`` is the imported fixture
    return LiveStore(Store(url))


@pytest.fixture
def server(url) -> Iterator[ThreadServer]:  # noqa: F811
    running = ThreadServer(url)
    yield running
    running.stop()
