"""The live-poll HTTP interface: tornado handlers on the Jupyter or Voila server itself, so a room of phones costs a
few database rows, not a kernel each. The interface is documented in the README ("Live polls: HTTP interface").

Every answer is JSON; every error is ``{"error": "<message for a person>"}`` with the status the README lists, and no
traceback ever leaves the server (the detail goes to the server's log). Store calls block, so they run on a small
thread pool: the server's event loop also carries the kernels' websockets and must never wait on a database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any, TypeVar

import segno
import tornado.iostream
import tornado.web

from .. import templating
from ..content.course import CourseContent, load_course
from ..content.models import SingleBestAnswer
from ..json_handler import JsonApiHandler, outside_jupyter_login
from ..rules import live as rules
from ..service.auth import Authenticator, AuthError, require_director
from ..store import Store, StoreError
from ..store.live import PRESENTER_GRANT, LiveSession, LiveStore, Presenter
from .ballots import BallotBox

log = logging.getLogger("hnscc_edu.live")
T = TypeVar("T")

PREFIX = rules.PREFIX
_STATUS = [  # the order matters: the first class that matches gives the status
    (rules.TooManyRequests, 429),
    (rules.NotThisSessionsParticipant, 403),
    (rules.LiveInputError, 400),
    (rules.TokenMissing, 401),
    (rules.TokenRejected, 403),
    (rules.LiveNotFound, 404),
    (rules.PollStateError, 409),
    (StoreError, 503),
]
_KNOWN_ERRORS = tuple(cls for cls, _ in _STATUS)
_STATIC = {
    "participant.js": "application/javascript; charset=UTF-8",
    "participant.css": "text/css; charset=UTF-8",
    "projector.js": "application/javascript; charset=UTF-8",
    "projector.css": "text/css; charset=UTF-8",
}
# The pages' policy: their own script and style only, nothing from another origin (no CDN), no framing.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


JOIN_BURST_VARIABLE, JOIN_RATE_VARIABLE = "HNSCC_EDU_LIVE_JOIN_BURST", "HNSCC_EDU_LIVE_JOIN_RATE"
WATCH_SECONDS = 0.25  # how often a session with phones listening is read for pushed updates
KEEP_ALIVE_SECONDS = 20  # a comment on an idle event stream, so proxies and the server keep it open


class LiveService:
    """One per server process: the store (opened on first use, so a database that is down does not stop the server
    from starting), the thread pool its calls run on, and the rate limits of this process:

    - joins per address: ``HNSCC_EDU_LIVE_JOIN_BURST`` at once (300), then ``HNSCC_EDU_LIVE_JOIN_RATE`` a second (10).
      A lecture hall's Wi-Fi is one address, so this is sized for a room, not a person: 2,000 phones behind one
      address are all in after about three minutes, while one laptop cannot mint ids faster than that;
    - votes per participant: 10 at once, then one a second (a person changing their mind is far slower);
    - unknown session codes per address: 60, then one a second; past that the address is told to wait (429) for
      every code, so guessing codes is slow and a hit cannot be told from a miss while it waits."""

    def __init__(
        self,
        url: str | None = None,
        workers: int = 4,
        content: CourseContent | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        self.url = url
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hnscc-live")
        self._store: LiveStore | None = None
        self._content = content
        self._lock = threading.Lock()
        self._keys: dict[str, str] = {}
        self.joins = rules.RateLimiter(
            float(environ.get(JOIN_BURST_VARIABLE) or 300), float(environ.get(JOIN_RATE_VARIABLE) or 10)
        )
        self.votes = rules.RateLimiter(10, 1)
        self.misses = rules.RateLimiter(60, 1)
        self._watchers: dict[str, set[asyncio.Queue]] = {}  # session code -> the open event streams of its phones
        self._following: set[str] = set()  # sessions whose follow task is running (one each)
        self._latest: dict[str, dict] = {}  # the last snapshot sent of each followed session
        self.proxies = rules.trusted_proxies(environ)
        self.ballots = BallotBox(lambda batch: self.call("record_ballots", batch))

    # -- pushed updates: one store read per session and quarter-second, however many phones listen ------------------
    def snapshot(self, code: str) -> dict:
        """What every phone of a session may know now: the session, its current poll as a participant sees it
        (question, choices, state; never a count) and the poll's stamp (it changes with every state change and
        reset). A phone needs nothing else to follow the room: it knows its own vote, and a new poll or a reset
        (a new stamp while open) clears it. So a pushed change costs the server no request per phone."""
        session, poll, _ = self.store().current(code)
        return {
            "session": session.code,
            "title": session.title,
            "poll": None if poll is None else poll.public_json(),
            "stamp": None if poll is None else poll.stamp,
        }

    def watch(self, code: str) -> asyncio.Queue:
        """A queue that receives the session's snapshot whenever it changes (the first one at once)."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=4)
        self._watchers.setdefault(code, set()).add(queue)
        if code in self._latest:  # a phone joining a followed session hears the state at once
            queue.put_nowait(self._latest[code])
        if code not in self._following:
            self._following.add(code)
            asyncio.get_running_loop().create_task(self._follow(code))
        return queue

    def unwatch(self, code: str, queue: asyncio.Queue) -> None:
        listeners = self._watchers.get(code)
        if listeners is not None:
            listeners.discard(queue)

    async def _follow(self, code: str, every: float = WATCH_SECONDS) -> None:
        last: dict | None = None
        while self._watchers.get(code):
            try:
                now = await self.run(self.snapshot, code)
            except rules.LiveNotFound:  # the session ended: tell the phones, then stop
                now = {"session": code, "ended": True}
            except Exception:
                log.warning("live poll events for %s could not read the store", code, exc_info=True)
                now = last
            if now is not None and now != last:
                self._latest[code] = now
                for queue in list(self._watchers.get(code, ())):
                    if queue.full():  # a phone that is not reading: it gets the newest state, not a backlog
                        queue.get_nowait()
                    queue.put_nowait(now)
                last = now
            if last is not None and last.get("ended"):
                break
            await asyncio.sleep(every)
        # no await since the loop's last check: no phone can have started listening in between
        self._watchers.pop(code, None)
        self._latest.pop(code, None)
        self._following.discard(code)

    def session_key(self, code: str) -> str:
        """The session's participant-id key (cached: it never changes); LiveNotFound for an unknown code."""
        code = rules.normalise_code(code)
        with self._lock:
            key = self._keys.get(code)
        if key is None:
            key = self.store().session_key(code)
            with self._lock:
                if len(self._keys) > 10_000:
                    self._keys.clear()
                self._keys[code] = key
        return key

    def join(self, code: str) -> dict:
        # read afresh (a join is once per phone): an ended session issues no id even when its key is cached
        return {
            "session": rules.normalise_code(code),
            "participant": rules.issue_participant(self.store().session_key(code)),
        }

    def is_participant(self, code: str, participant: str) -> bool:
        """Whether ``participant`` is an id the session ``code`` issued (False for an unknown code or a bad id)."""
        try:
            self.check_participant(code, participant)
        except rules.LiveError:
            return False
        return True

    async def participant(self, code: str, participant: str) -> str:
        """``check_participant`` without leaving the event loop once the session's key is cached (every vote of a
        room asks it; only the first of a session reads the store)."""
        with self._lock:
            cached = rules.normalise_code(code) in self._keys
        if cached:
            return self.check_participant(code, participant)
        return await self.run(self.check_participant, code, participant)

    def check_participant(self, code: str, participant: str) -> str:
        """The id, when this session issued it (NotThisSessionsParticipant otherwise)."""
        participant = rules.check_participant(participant)
        if not rules.issued_by(self.session_key(code), participant):
            raise rules.NotThisSessionsParticipant(
                "This phone's place in the session is not valid any more; the page "
                "joins again by itself (reload it if it does not)."
            )
        return participant

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

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """Run one of this service's own methods (several store calls) on the pool."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, lambda: work(*args))

    def content(self) -> CourseContent | None:
        """The course (for a polled item's key), loaded on the first reveal a projector shows; None when it cannot
        be loaded (the projector then shows the counts without naming an answer)."""
        with self._lock:
            if self._content is None:
                try:
                    self._content = load_course()
                except Exception:
                    log.exception("the course could not be loaded for the projector's answers")
                    return None
            return self._content

    def item(self, item_id: str | None) -> SingleBestAnswer | None:
        content = self.content() if item_id else None
        if content is None:
            return None
        for case in content.cases.values():
            for item in case.items:
                if item.id == item_id and isinstance(item, SingleBestAnswer):
                    return item
        return None

    # -- what the projector reads (several store calls each, on the pool) ------------------------------------------
    def count(self, code: str) -> dict:
        """The current poll's number of votes, which anyone in the room may see (no token): never which choices."""
        session, poll, _ = self.store().current(code)
        if poll is None:
            return {"session": session.code, "poll": None, "state": None, "total": 0}
        results = self.store().tally(session.code, poll.id)
        return {"session": session.code, "poll": poll.id, "state": results.state.value, "total": results.total}

    def answer(self, code: str, token: Presenter, poll_id: int) -> dict:
        """A revealed poll for the room's screen (token): counts, percentages, the correct choice(s) when the poll
        asks a course item, and whether the histogram may show (the session's minimum number of votes)."""
        session = self.store().authorize(code, token)
        results = self.store().results(session.code, token, poll_id)
        if results.state is not rules.PollState.revealed:
            raise rules.PollStateError("The answer shows once the presenter reveals the poll.")
        poll = self.store().poll(session.code, poll_id)
        item = self.item(poll.item_id)
        correct = [c for c in rules.answer_key(item) if c in results.counts] if item else []
        return {
            **results.as_json(),
            "poll": poll_id,
            "item": poll.item_id,
            "correct": correct,
            "percent": rules.shares_percent(results),
            "min_votes": session.min_votes,
            "histogram": rules.histogram_visible(results.state, results.total, session.min_votes),
        }


@functools.cache
def _asset(name: str) -> bytes:
    return (resources.files("hnscc_edu.live") / "static" / name).read_bytes()


def session_json(session: LiveSession) -> dict:
    """A session as the presenter's calls answer it (never its token)."""
    return {
        "code": session.code,
        "title": session.title,
        "min_votes": session.min_votes,
        "current_poll": session.current_poll,
    }


class LiveHandler(JsonApiHandler):
    """Base of every live-poll handler: JSON errors, no caching, no cookies (votes are anonymous by design).

    ``directors`` (the hub's course server only): the course service's authenticator, with which a presenter's call
    carrying a hub token (``Authorization: token ...``) is allowed when the hub says its user is an admin or a course
    director, as an alternative to the session's presenter token (``Authorization: Bearer ...``)."""

    SERVER_NAME = "live-poll server"

    def initialize(self, service: LiveService, directors: Authenticator | None = None) -> None:
        self.service = service
        self.directors = directors

    async def answer(
        self,
        work: Callable[[], Any],
        status: int = 200,
        joined: tuple[str, str] | None = None,
        received: dt.datetime | None = None,
    ) -> None:
        """Run ``work`` (a coroutine function returning the JSON body) and turn our errors into their statuses. An
        address that asked for too many unknown session codes waits (429) before anything is looked up, except a
        phone already in the session (``joined``: its code and an id that session issued): a room behind one
        address keeps voting while someone on it guesses codes."""
        address = self.client()[0]
        try:
            waiting = self.service.misses.wait(address)
            if waiting and joined is not None and await self.service.run(self.service.is_participant, *joined):
                waiting = 0.0
            if waiting:
                raise rules.TooManyRequests(
                    "Too many session codes that do not exist were tried from this network; "
                    "wait a moment and check the code.",
                    waiting,
                )
            body = await work()
        except rules.LiveNotFound as exc:
            self.service.misses.take(address)
            self.refuse(exc)
            return
        except _KNOWN_ERRORS as exc:
            self.refuse(exc, received)
            return
        except AuthError as exc:  # a hub token that is not a course director's, or a hub that cannot be asked
            self.finish_json({"error": str(exc)}, exc.status)
            return
        except Exception:
            log.exception("live poll request %s %s failed", self.request.method, self.request.path)
            self.finish_json({"error": "Sorry, the live-poll server had a problem; please try again."}, 500)
            return
        self.finish_json(body, status)

    def refuse(self, exc: Exception, received: dt.datetime | None = None) -> None:
        """One of our errors as its status and ``{"error": ...}`` (a refused vote also says when it was received,
        so anyone can check it against the poll's ``locked_at``)."""
        status = next(code for cls, code in _STATUS if isinstance(exc, cls))
        body: dict[str, Any] = {"error": str(exc)}
        if received is not None and status == 409:
            body["received_at"] = received.isoformat()
        if status == 401:
            self.set_header("WWW-Authenticate", 'Bearer realm="hnscc-edu live polls"')
        if status == 429:
            self.set_header("Retry-After", str(max(1, math.ceil(exc.retry_after))))
        if isinstance(exc, rules.NotThisSessionsParticipant):
            body["rejoin"] = True
        if status == 503:
            log.warning("live poll store unavailable: %s", exc.__cause__ or exc)
        self.finish_json(body, status)

    def client(self) -> tuple[str, str]:
        """(address, scheme) of the phone or browser behind this request, through a trusted reverse proxy."""
        return rules.client_of(
            self.request.remote_ip or "?",
            self.request.headers.get("X-Real-IP"),
            self.request.headers.get("X-Forwarded-Proto"),
            self.request.protocol,
            self.service.proxies,
        )

    def join_address(self, code: str) -> str:
        """The join address of the request's own server (``HNSCC_EDU_LIVE_PUBLIC_URL`` when set): the scheme and
        ``Host`` this request came with, under the server's base URL; LiveInputError for a forged Host."""
        return rules.join_address(
            code,
            self.client()[1],
            self.request.host,
            self.settings.get("base_url", "/"),
            os.environ.get(rules.PUBLIC_URL_VARIABLE, ""),
        )

    def token(self) -> str | None:
        return rules.bearer_token(self.request.headers.get("Authorization"))

    async def presenter(self) -> Presenter:
        """Who is presenting: the session's token (``Bearer``), or on the hub's course server a course director's
        hub token (``token``), checked with the hub (AuthError when it is not a director's)."""
        token = self.token()
        header = self.request.headers.get("Authorization") or ""
        if token is not None or self.directors is None or header.split(" ", 1)[0].lower() != "token":
            return token
        await self.require_director("Running a live session")
        return PRESENTER_GRANT

    async def require_director(self, what: str) -> None:
        """AuthError unless the request's hub token is a course director's (the hub's course server only)."""
        identity = await self.service.run(self.directors.identify, self.request.headers.get("Authorization"))
        require_director(identity, what)

    def prepare(self) -> None:
        super().prepare()
        if self._finished or self.request.method != "POST":
            return
        # a body is JSON, said so: a page of another site can send text/plain without asking (no CORS preflight),
        # so a vote cast from any page a participant visits would otherwise count
        headers = self.request.headers
        has_body = headers.get("Content-Length", "") not in ("", "0") or "Transfer-Encoding" in headers
        if has_body and headers.get("Content-Type", "").split(";", 1)[0].strip().lower() != "application/json":
            self.finish_json({"error": "Send the body as JSON (Content-Type: application/json)."}, 415)

    @staticmethod
    def poll_number(raw: str) -> int:
        # ASCII digits only ("²".isdigit() is True) and within the store's integer column
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) > 2_147_483_647:
            raise rules.LiveNotFound("There is no poll with that number.")
        return int(raw)


class ParticipantPageHandler(LiveHandler):
    """The participant's page: static HTML and JavaScript from this package (no CDN), for any session code."""

    def get(self, code: str | None = None) -> None:
        base = self.settings.get("base_url", "/").rstrip("/") + "/"
        page = templating.render("live/participant.html.j2", base=base)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Content-Security-Policy", _PAGE_POLICY)
        self.finish(page)


class ProjectorPageHandler(LiveHandler):
    """``GET {session}/projector``: the room's screen, an HTML page for an existing session (404 otherwise). The
    question, the join address, the code and its QR code, the live count, and after the reveal the histogram; the
    presenter token, when the page has one, travels in the URL fragment and never reaches this handler."""

    async def get(self, code: str) -> None:
        try:
            session = await self.service.call("session", code)
            join = self.join_address(session.code)
        except rules.LiveInputError as exc:
            self._page_error(400, str(exc))
            return
        except rules.LiveNotFound as exc:
            self._page_error(404, str(exc))
            return
        except StoreError:
            log.warning("live poll store unavailable for a projector page", exc_info=True)
            self._page_error(503, "The live-poll store cannot be reached right now; reload this page in a moment.")
            return
        base = self.settings.get("base_url", "/").rstrip("/") + "/"
        page = templating.render("live/projector.html.j2", base=base, code=session.code, join=join)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Content-Security-Policy", _PAGE_POLICY)
        self.finish(page)

    def _page_error(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Content-Security-Policy", "default-src 'none'; base-uri 'none'; frame-ancestors 'none'")
        self.finish(templating.render("live/projector_error.html.j2", message=message))


class QrHandler(LiveHandler):
    """``GET {session}/qr.svg``: the join address of this request's server as a QR code (SVG, drawn offline)."""

    async def get(self, code: str) -> None:
        try:
            session = await self.service.call("session", code)
            join = self.join_address(session.code)
        except _KNOWN_ERRORS as exc:
            self.refuse(exc)
            return
        buffer = io.BytesIO()
        segno.make(join, error="m").save(
            buffer,
            kind="svg",
            scale=10,
            border=2,
            dark="#000",
            light="#fff",
            xmldecl=False,
            title=f"QR code of the join address {join}",
        )
        self.set_header("Content-Type", "image/svg+xml")
        self.set_header("Content-Security-Policy", "default-src 'none'")
        self.finish(buffer.getvalue())


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
            if participant is not None:
                await self.service.run(self.service.check_participant, code, participant)
            session, poll, mine = await self.service.call("current", code, participant)
            shown = None if poll is None else {**poll.public_json(), "your_choice": mine}
            stamp = None if poll is None else poll.stamp
            return {"session": session.code, "title": session.title, "poll": shown, "stamp": stamp}

        await self.answer(work, joined=(code, participant) if participant else None)


class JoinHandler(LiveHandler):
    """``POST {session}/join`` (no body, no login): ``{"session", "participant"}``, a new participant id issued by
    this session for this phone; 429 with ``Retry-After`` past the address's join limit."""

    async def post(self, code: str) -> None:
        async def work() -> dict:
            self.service.joins.require(
                self.client()[0],
                "Many phones are joining from this network; this page tries again in a moment by itself.",
            )
            return await self.service.run(self.service.join, code)

        await self.answer(work)


class EventsHandler(LiveHandler):
    """``GET {session}/events``: server-sent events. Each ``data:`` line is the session's snapshot (``{"session",
    "title", "poll": {"id", "state", "question", "choices"} or null, "stamp"}``, or ``{"session", "ended": true}``),
    sent at once and then whenever it changes (read four times a second, once for all the phones of a server
    process); a comment every 20 s keeps it open. The participant page follows the room from these alone (no request
    per change), and polls ``current`` only while the stream is down (and once a minute while it is up)."""

    async def get(self, code: str) -> None:
        try:
            session = await self.service.call("session", code)
        except _KNOWN_ERRORS as exc:
            self.refuse(exc)
            return
        self.set_header("Content-Type", "text/event-stream; charset=UTF-8")
        self.set_header("X-Accel-Buffering", "no")  # nginx: pass each event on at once
        queue = self.service.watch(session.code)
        try:
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    self.write(": still here\n\n")
                    await self.flush()
                    continue
                self.write(f"data: {json.dumps(event)}\n\n")
                await self.flush()
                if event.get("ended"):
                    break
        except tornado.iostream.StreamClosedError:
            pass
        finally:
            self.service.unwatch(session.code, queue)


class CountHandler(LiveHandler):
    """``GET {session}/count``: ``{"session", "poll", "state", "total"}``, the current poll's number of votes (no
    token: the room sees the count on the projector, never the choices)."""

    async def get(self, code: str) -> None:
        async def work() -> dict:
            return await self.service.run(self.service.count, code)

        await self.answer(work)


class PollsHandler(LiveHandler):
    """``GET {session}/polls`` lists the session's polls; ``POST`` opens a new one (both need the token)."""

    async def get(self, code: str) -> None:
        async def work() -> dict:
            found = await self.service.call("polls", code, await self.presenter())
            return {"polls": [{**p.public_json(), "item": p.item_id, "phase": p.phase} for p in found]}

        await self.answer(work)

    async def post(self, code: str) -> None:
        async def work() -> dict:
            presenter = await self.presenter()
            await self.service.call("authorize", code, presenter)  # 401/403 before any word about the body
            data = rules.parse_json_object(self.body_bytes)
            unknown = set(data) - {"question", "choices", "item", "phase"}
            if unknown:
                raise rules.LiveInputError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
            poll = await self.service.call(
                "open_poll",
                code,
                presenter,
                data.get("question"),
                rules.check_choices(data.get("choices")),
                rules.check_item(data.get("item")),
                data.get("phase"),
            )
            return {"poll": poll.id, "state": poll.state.value}

        await self.answer(work, status=201)


class VoteHandler(LiveHandler):
    """``POST {session}/polls/{poll}/votes`` with ``{"participant": str, "choice": str}``: no token, no login."""

    async def post(self, code: str, poll: str) -> None:
        try:
            participant, choice = rules.parse_vote(self.body_bytes)
        except rules.LiveInputError as exc:
            self.refuse(exc)
            return

        # when the request reached the server (tornado notes it as the headers arrive): what decides, against the
        # poll's lock, whether the vote counts, however long it then waits for the store
        received = dt.datetime.fromtimestamp(getattr(self.request, "_start_time", None) or time.time(), dt.UTC)

        async def work() -> dict:
            number = self.poll_number(poll)
            checked = await self.service.participant(code, participant)
            self.service.votes.require(checked, "Too many votes from this phone; wait a moment and send it again.")
            await self.service.ballots.cast(rules.Ballot(rules.normalise_code(code), number, checked, choice, received))
            return {"poll": number, "choice": choice, "received_at": received.isoformat()}

        await self.answer(work, joined=(code, participant), received=received)


class ResultsHandler(LiveHandler):
    """``GET {session}/polls/{poll}/results`` (token): ``{"state", "counts", "total"}``."""

    async def get(self, code: str, poll: str) -> None:
        async def work() -> dict:
            results = await self.service.call("results", code, await self.presenter(), self.poll_number(poll))
            return results.as_json()

        await self.answer(work)


class AnswerHandler(LiveHandler):
    """``GET {session}/polls/{poll}/answer`` (token): a revealed poll for the projector (409 before the reveal)."""

    async def get(self, code: str, poll: str) -> None:
        async def work() -> dict:
            return await self.service.run(self.service.answer, code, await self.presenter(), self.poll_number(poll))

        await self.answer(work)


class TransitionHandler(LiveHandler):
    """``POST {session}/polls/{poll}/lock|reveal|reset`` (token)."""

    async def post(self, code: str, poll: str, action: str) -> None:
        async def work() -> dict:
            presenter = await self.presenter()
            changed = await self.service.call("transition", code, presenter, self.poll_number(poll), action)
            # votes this process received before the lock and has not written yet count: written before the
            # presenter hears "locked", so the counts read after it are final
            await self.service.ballots.settle()
            body = {"poll": changed.id, "state": changed.state.value}
            if changed.locked_at is not None:
                body["locked_at"] = changed.locked_at.isoformat()
            return body

        await self.answer(work)


class EndHandler(LiveHandler):
    """``POST {session}/end`` (presenter): the session ends; its code stops working for phones and the projector."""

    async def post(self, code: str) -> None:
        async def work() -> dict:
            presenter = await self.presenter()
            await self.service.call("end_session", code, presenter)
            return {"code": rules.normalise_code(code), "ended": True}

        await self.answer(work)


class SessionsHandler(LiveHandler):
    """``POST sessions`` with ``{"title"?, "min_votes"?}`` (the hub's course server only; a course director's hub
    token): a new session, answered with its code and presenter token (201)."""

    async def post(self) -> None:
        async def work() -> dict:
            if not self.request.headers.get("Authorization"):
                raise rules.TokenMissing("Starting a live session needs your hub sign-in (Authorization: token ...).")
            await self.require_director("Starting a live session")
            data = rules.parse_json_object(self.body_bytes)
            unknown = set(data) - {"title", "min_votes"}
            if unknown:
                raise rules.LiveInputError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
            title = data.get("title", "hnscc-edu live session")
            if not isinstance(title, str) or not title.strip():
                raise rules.LiveInputError("The session's title must be some text.")
            min_votes = rules.check_min_votes(data.get("min_votes", rules.DEFAULT_MIN_VOTES))
            session, token = await self.service.call("create_session", title.strip(), min_votes)
            return {**session_json(session), "token": token}

        await self.answer(work, status=201)


class SessionHandler(LiveHandler):
    """``GET {session}/session`` (presenter): the session; ``POST`` with ``{"min_votes": n}`` changes its minimum
    number of votes before a histogram shows."""

    async def get(self, code: str) -> None:
        async def work() -> dict:
            return session_json(await self.service.call("authorize", code, await self.presenter()))

        await self.answer(work)

    async def post(self, code: str) -> None:
        async def work() -> dict:
            presenter = await self.presenter()
            await self.service.call("authorize", code, presenter)
            data = rules.parse_json_object(self.body_bytes)
            if set(data) != {"min_votes"}:
                raise rules.LiveInputError("Send exactly one field: min_votes.")
            number = rules.check_min_votes(data["min_votes"])
            return session_json(await self.service.call("set_min_votes", code, presenter, number))

        await self.answer(work)


class NotFoundHandler(LiveHandler):
    """Anything else under the prefix: a JSON 404 (under Voila the notebook's catch-all route would answer)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def live_handlers(
    base_url: str, service: LiveService, directors: Authenticator | None = None
) -> list[tuple[str, type, dict]]:
    """The routes, under ``base_url`` (the server's, e.g. ``/`` or ``/user/ana/``). With ``directors`` (the hub's
    course server) course directors may start sessions and present with their hub token."""
    root = "/" + "/".join(p for p in (base_url.strip("/"), PREFIX) if p)
    code, poll = r"(?P<code>[^/]+)", r"(?P<poll>[^/]+)"
    args = {"service": service, "directors": directors}
    starting = [(rf"{root}/sessions", SessionsHandler, args)] if directors is not None else []
    return outside_jupyter_login(
        [
            *starting,
            (rf"{root}/?", ParticipantPageHandler, args),
            (rf"{root}/_static/(?P<name>[^/]+)", StaticHandler, args),
            (rf"{root}/{code}/?", ParticipantPageHandler, args),
            (rf"{root}/{code}/current", CurrentPollHandler, args),
            (rf"{root}/{code}/count", CountHandler, args),
            (rf"{root}/{code}/events", EventsHandler, args),
            (rf"{root}/{code}/join", JoinHandler, args),
            (rf"{root}/{code}/session", SessionHandler, args),
            (rf"{root}/{code}/end", EndHandler, args),
            (rf"{root}/{code}/projector", ProjectorPageHandler, args),
            (rf"{root}/{code}/qr\.svg", QrHandler, args),
            (rf"{root}/{code}/polls", PollsHandler, args),
            (rf"{root}/{code}/polls/{poll}/votes", VoteHandler, args),
            (rf"{root}/{code}/polls/{poll}/results", ResultsHandler, args),
            (rf"{root}/{code}/polls/{poll}/answer", AnswerHandler, args),
            (rf"{root}/{code}/polls/{poll}/(?P<action>lock|reveal|reset)", TransitionHandler, args),
            (rf"{root}/.*", NotFoundHandler, args),
        ]
    )
