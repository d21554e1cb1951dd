"""The live-poll HTTP interface: tornado handlers on the Jupyter or Voila server itself, so a room of phones costs a
few database rows, not a kernel each. The interface is documented in the README ("Live polls: HTTP interface").

Every answer is JSON; every error is ``{"error": "<message for a person>"}`` with the status the README lists, and no
traceback ever leaves the server (the detail goes to the server's log). Store calls block, so they run on a small
thread pool: the server's event loop also carries the kernels' websockets and must never wait on a database.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any, TypeVar

import tornado.web

from ..rules import live as rules
from ..store import Store, StoreError
from ..store.live import LiveStore
from ..json_handler import JsonApiHandler

log = logging.getLogger("hnscc_edu.live")
T = TypeVar("T")

PREFIX = "hnscc/live"
_STATUS = [  # the order matters: the first class that matches gives the status
    (rules.LiveInputError, 400),
    (rules.TokenMissing, 401),
    (rules.TokenRejected, 403),
    (rules.LiveNotFound, 404),
    (rules.PollStateError, 409),
    (StoreError, 503),
]
_KNOWN_ERRORS = tuple(cls for cls, _ in _STATUS)
_STATIC = {"participant.js": "application/javascript; charset=UTF-8", "participant.css": "text/css; charset=UTF-8"}


class LiveService:
    """One per server process: the store (opened on first use, so a database that is down does not stop the server
    from starting) and the thread pool its calls run on."""

    def __init__(self, url: str | None = None, workers: int = 4) -> None:
        self.url = url
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hnscc-live")
        self._store: LiveStore | None = None
        self._lock = threading.Lock()

    def store(self) -> LiveStore:
        with self._lock:
            if self._store is None:
                self._store = LiveStore(Store(self.url))
            return self._store

    async def call(self, method: str, *args: Any) -> Any:
        """Run ``LiveStore.<method>(*args)`` on the pool."""
        def work() -> Any:
            return getattr(self.store(), method)(*args)
        return await asyncio.get_running_loop().run_in_executor(self.executor, work)


@functools.cache
def _asset(name: str) -> bytes:
    return (resources.files("hnscc_edu.live") / "static" / name).read_bytes()


class LiveHandler(JsonApiHandler):
    """Base of every live-poll handler: JSON errors, no caching, no cookies (votes are anonymous by design)."""

    SERVER_NAME = "live-poll server"

    def initialize(self, service: LiveService) -> None:
        self.service = service

    async def answer(self, work: Callable[[], Any], status: int = 200) -> None:
        """Run ``work`` (a coroutine function returning the JSON body) and turn our errors into their statuses."""
        try:
            body = await work()
        except _KNOWN_ERRORS as exc:
            status = next(code for cls, code in _STATUS if isinstance(exc, cls))
            if status == 401:
                self.set_header("WWW-Authenticate", 'Bearer realm="hnscc-edu live polls"')
            if status == 503:
                log.warning("live poll store unavailable: %s", exc.__cause__ or exc)
            self.finish_json({"error": str(exc)}, status)
            return
        except Exception:  # noqa: BLE001 - the last line of defence: nobody sees a traceback
            log.exception("live poll request %s %s failed", self.request.method, self.request.path)
            self.finish_json({"error": "Sorry, the live-poll server had a problem; please try again."}, 500)
            return
        self.finish_json(body, status)

    def token(self) -> str | None:
        return rules.bearer_token(self.request.headers.get("Authorization"))

    @staticmethod
    def poll_number(raw: str) -> int:
        if not raw.isdigit() or len(raw) > 12:
            raise rules.LiveNotFound("There is no poll with that number.")
        return int(raw)


class ParticipantPageHandler(LiveHandler):
    """The participant's page: static HTML and JavaScript from this package (no CDN), for any session code."""

    def get(self, code: str | None = None) -> None:
        base = self.settings.get("base_url", "/")
        page = _asset("participant.html").decode("utf-8").replace("{{base}}", html.escape(base.rstrip("/") + "/"))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Content-Security-Policy",
                        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                        "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        self.finish(page)


class StaticHandler(LiveHandler):
    def get(self, name: str) -> None:
        if name not in _STATIC:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", _STATIC[name])
        self.set_header("Cache-Control", "no-cache")
        self.finish(_asset(name))


class CurrentPollHandler(LiveHandler):
    """``GET {session}/current[?participant=...]``: the poll participants see now, and this participant's vote."""

    async def get(self, code: str) -> None:
        participant = self.get_query_argument("participant", None)

        async def work() -> dict:
            session, poll, mine = await self.service.call("current", code, participant)
            shown = None if poll is None else {**poll.public_json(), "your_choice": mine}
            return {"session": session.code, "title": session.title, "poll": shown}
        await self.answer(work)


class PollsHandler(LiveHandler):
    """``GET {session}/polls`` lists the session's polls; ``POST`` opens a new one (both need the token)."""

    async def get(self, code: str) -> None:
        async def work() -> dict:
            found = await self.service.call("polls", code, self.token())
            return {"polls": [{**p.public_json(), "item": p.item_id, "phase": p.phase} for p in found]}
        await self.answer(work)

    async def post(self, code: str) -> None:
        async def work() -> dict:
            await self.service.call("authorize", code, self.token())  # 401/403 before any word about the body
            data = rules.parse_json_object(self.request.body)
            unknown = set(data) - {"question", "choices", "item", "phase"}
            if unknown:
                raise rules.LiveInputError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
            poll = await self.service.call("open_poll", code, self.token(), data.get("question"),
                                           rules.check_choices(data.get("choices")), rules.check_item(data.get("item")),
                                           data.get("phase"))
            return {"poll": poll.id, "state": poll.state.value}
        await self.answer(work, status=201)


class VoteHandler(LiveHandler):
    """``POST {session}/polls/{poll}/votes`` with ``{"participant": str, "choice": str}``: no token, no login."""

    async def post(self, code: str, poll: str) -> None:
        async def work() -> dict:
            number = self.poll_number(poll)
            participant, choice = rules.parse_vote(self.request.body)
            await self.service.call("vote", code, number, participant, choice)
            return {"poll": number, "choice": choice}
        await self.answer(work)


class ResultsHandler(LiveHandler):
    """``GET {session}/polls/{poll}/results`` (token): ``{"state", "counts", "total"}``."""

    async def get(self, code: str, poll: str) -> None:
        async def work() -> dict:
            results = await self.service.call("results", code, self.token(), self.poll_number(poll))
            return results.as_json()
        await self.answer(work)


class TransitionHandler(LiveHandler):
    """``POST {session}/polls/{poll}/lock|reveal|reset`` (token)."""

    async def post(self, code: str, poll: str, action: str) -> None:
        async def work() -> dict:
            changed = await self.service.call("transition", code, self.token(), self.poll_number(poll), action)
            return {"poll": changed.id, "state": changed.state.value}
        await self.answer(work)


class NotFoundHandler(LiveHandler):
    """Anything else under the prefix: a JSON 404 (under Voila the notebook's catch-all route would answer)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def live_handlers(base_url: str, service: LiveService) -> list[tuple[str, type, dict]]:
    """The routes, under ``base_url`` (the server's, e.g. ``/`` or ``/user/ana/``)."""
    root = "/" + "/".join(p for p in (base_url.strip("/"), PREFIX) if p)
    code, poll = r"(?P<code>[^/]+)", r"(?P<poll>[^/]+)"
    args = {"service": service}
    return [
        (rf"{root}/?", ParticipantPageHandler, args),
        (rf"{root}/_static/(?P<name>[^/]+)", StaticHandler, args),
        (rf"{root}/{code}/?", ParticipantPageHandler, args),
        (rf"{root}/{code}/current", CurrentPollHandler, args),
        (rf"{root}/{code}/polls", PollsHandler, args),
        (rf"{root}/{code}/polls/{poll}/votes", VoteHandler, args),
        (rf"{root}/{code}/polls/{poll}/results", ResultsHandler, args),
        (rf"{root}/{code}/polls/{poll}/(?P<action>lock|reveal|reset)", TransitionHandler, args),
        (rf"{root}/.*", NotFoundHandler, args),
    ]
