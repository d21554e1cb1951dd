"""Live audience polls, the pure part: poll states and their transitions, session codes, presenter tokens, vote
parsing and tallies. No I/O, no widgets and no web server: the store, the HTTP handlers and the presenter dashboard
all call these functions, so the rules hold the same way on every path.

A poll is ``open`` (votes accepted, a participant's new vote replaces the earlier one), then ``locked`` (no votes),
then ``revealed`` (the presenter shows the histogram and the answer). ``reset`` empties it and opens it again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote

from ..content.models import SingleBestAnswer
from .json_input import JsonInputError, bounded_json

# The audience reads the code off a projector and types it on a phone: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to confuse.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
# fullmatch everywhere: "$" also matches before a trailing newline, which let "id\n" through as another id
_CODE = re.compile(r"[A-Za-z0-9]{4,12}")
# Participants are anonymous: the page makes a random id and keeps it in the phone's browser, nothing else.
_PARTICIPANT = re.compile(r"[A-Za-z0-9_-]{8,64}")
_CHOICE = re.compile(r"[A-Za-z0-9_-]{1,80}")
MAX_BODY_BYTES = 4096
DEFAULT_MIN_VOTES = 3
MAX_MIN_VOTES = 500


class LiveError(Exception):
    """A live-poll request that cannot be carried out; the message is written for the person who made it."""


class LiveInputError(LiveError, ValueError):
    """A malformed request: an unknown choice, a participant id that is not one of ours, a body that is not JSON."""


class LiveNotFound(LiveError, LookupError):
    """No session or poll by that code or number."""


class PollStateError(LiveError):
    """The poll is not in a state that allows this (a vote on a locked poll, revealing twice)."""


class TokenMissing(LiveError, PermissionError):
    """A presenter action without a presenter token."""


class TokenRejected(LiveError, PermissionError):
    """A presenter token that does not belong to this session."""


class NotThisSessionsParticipant(LiveError, PermissionError):
    """A participant id this session did not issue (made up, or issued by another session): the phone joins again."""


class TooManyRequests(LiveError):
    """More requests from one phone or one address than a person makes; ``retry_after``: seconds to wait."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PollState(str, Enum):
    open = "open"
    locked = "locked"
    revealed = "revealed"


class PollAction(str, Enum):
    lock = "lock"
    reveal = "reveal"
    reset = "reset"


# Which states each action may start from. Revealing an open poll locks it too: the answer is out, voting ends.
ALLOWED_FROM: Mapping[PollAction, frozenset[PollState]] = {
    PollAction.lock: frozenset({PollState.open}),
    PollAction.reveal: frozenset({PollState.open, PollState.locked}),
    PollAction.reset: frozenset(PollState),
}
RESULT_OF: Mapping[PollAction, PollState] = {
    PollAction.lock: PollState.locked,
    PollAction.reveal: PollState.revealed,
    PollAction.reset: PollState.open,
}
_REFUSAL = {
    PollAction.lock: "Only an open poll can be locked; this one is {state}.",
    PollAction.reveal: "This poll is already revealed.",
}


def next_state(state: PollState | str, action: PollAction | str) -> PollState:
    """The state after ``action``; raises PollStateError when the action is not allowed from ``state``."""
    state, action = PollState(state), PollAction(action)
    if state not in ALLOWED_FROM[action]:
        raise PollStateError(_REFUSAL[action].format(state=state.value))
    return RESULT_OF[action]


def check_can_vote(state: PollState | str) -> None:
    state = PollState(state)
    if state is not PollState.open:
        raise PollStateError(f"This poll is {state.value}: votes are no longer accepted.")


@dataclass(frozen=True)
class Ballot:
    """A vote as the server received it: ``received_at`` is when the request reached the server (aware UTC), which
    is what decides whether it counts, however long it then waits to be written."""

    session_code: str
    poll_id: int
    participant: str
    choice: str
    received_at: dt.datetime


def ballot_counts(round_at: dt.datetime, locked_at: dt.datetime | None, received_at: dt.datetime) -> bool:
    """Fairness by receipt time: a vote counts when the server received it during the poll's current round (from
    its opening or last reset) and before the poll was locked, even when a busy server writes it after the lock.
    ``locked_at`` is None while the poll is open; a reveal of an open poll locks it too."""
    return round_at <= received_at and (locked_at is None or received_at < locked_at)


def refuse_ballot(
    state: PollState | str, round_at: dt.datetime, locked_at: dt.datetime | None, received_at: dt.datetime
) -> None:
    """PollStateError, in the participant's words, for a vote that does not count (see ``ballot_counts``)."""
    if ballot_counts(round_at, locked_at, received_at):
        return
    if received_at < round_at:
        raise PollStateError("The presenter restarted this poll after your vote was sent: please vote again.")
    raise PollStateError(
        f"This poll is {PollState(state).value}: it was locked before your vote arrived, so the vote does not count."
    )


def latest_ballots(ballots: Iterable[Ballot]) -> dict[tuple[int, str], Ballot]:
    """One ballot per poll and participant, the last received: a phone that changed its mind twice within one
    write keeps its last choice (ties keep the later one in the list)."""
    latest: dict[tuple[int, str], Ballot] = {}
    for ballot in ballots:
        key = (ballot.poll_id, ballot.participant)
        if key not in latest or latest[key].received_at <= ballot.received_at:
            latest[key] = ballot
    return latest


def histogram_visible(state: PollState | str, total: int, min_votes: int) -> bool:
    """A histogram shows only once revealed, and only with enough votes that no single answer can be told apart."""
    return PollState(state) is PollState.revealed and total >= max(1, min_votes)


def check_min_votes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MIN_VOTES:
        raise LiveInputError(f"The minimum number of votes must be a whole number from 1 to {MAX_MIN_VOTES}.")
    return value


# -- session codes and presenter tokens -------------------------------------------------------------------------------
def new_session_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """The code as stored (upper case); raises LiveNotFound for text that cannot be a code."""
    code = (code or "").strip()
    if not _CODE.fullmatch(code):
        raise LiveNotFound("There is no live session with that code. Check the code on the presenter's screen.")
    return code.upper()


def new_presenter_token() -> str:
    return secrets.token_urlsafe(24)


# -- participants: ids the server issues, one per phone and session ------------------------------------------------
# A phone joins a session and gets an id: a random part and a MAC of it keyed by the session's presenter-token hash
# (a secret of the store, different for every session). A vote or a "what is my vote" carries the id; one the
# session did not issue is refused, so a client cannot make up ids at will, and ids of two sessions cannot be linked.
_NONCE_CHARS = 12  # secrets.token_urlsafe(9)
_MAC_BYTES = 12  # 16 characters of URL-safe base64
_ID_CHARS = _NONCE_CHARS + 16


def _participant_mac(session_key: str, nonce: str) -> str:
    digest = hmac.new(
        session_key.encode("utf-8"), f"hnscc-live-participant|{nonce}".encode("ascii"), hashlib.sha256
    ).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def issue_participant(session_key: str) -> str:
    """A new participant id for the session whose key (its presenter-token hash) is ``session_key``: 28 letters,
    digits, ``-`` or ``_``."""
    nonce = secrets.token_urlsafe(9)
    return nonce + _participant_mac(session_key, nonce)


def issued_by(session_key: str, participant: str) -> bool:
    """Whether ``participant`` is an id this session issued (constant-time comparison of the MAC)."""
    if len(participant) != _ID_CHARS:
        return False
    nonce, mac = participant[:_NONCE_CHARS], participant[_NONCE_CHARS:]
    return _PARTICIPANT.fullmatch(participant) is not None and hmac.compare_digest(
        mac.encode("ascii"), _participant_mac(session_key, nonce).encode("ascii")
    )


class RateLimiter:
    """Token buckets per key (an address, a participant): ``burst`` requests at once, then ``per_second``. Keeps at
    most ``max_keys`` buckets (the oldest are forgotten, which only ever lets a request through)."""

    def __init__(
        self, burst: float, per_second: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self.burst, self.per_second, self.clock, self.max_keys = burst, per_second, clock, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - at) * self.per_second)

    def _wait(self, tokens: float) -> float:
        return 0.0 if tokens >= 1 else (1 - tokens) / self.per_second

    def wait(self, key: str) -> float:
        """The seconds until a request of ``key`` may go ahead, without counting one."""
        with self._lock:
            return self._wait(self._tokens(key, self.clock()))

    def take(self, key: str) -> float:
        """0 when a request of ``key`` may go ahead now (and counts it), else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens = self._tokens(key, now)
            wait = self._wait(tokens)
            self._buckets.pop(key, None)  # re-inserted below: the newest at the end, the oldest forgotten first
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.max_keys:
                del self._buckets[next(iter(self._buckets))]
            return wait

    def require(self, key: str, message: str) -> None:
        """Count a request of ``key``, or raise TooManyRequests (``message``, with the wait) when it must wait."""
        waiting = self.take(key)
        if waiting:
            raise TooManyRequests(message, waiting)


# -- sessions end -----------------------------------------------------------------------------------------------
IDLE_HOURS_VARIABLE = "HNSCC_EDU_LIVE_IDLE_HOURS"
DEFAULT_IDLE_HOURS = 6.0  # longer than a teaching day's gap between polls; a code does not outlive its lecture


TRUSTED_PROXIES_VARIABLE = "HNSCC_EDU_TRUSTED_PROXIES"


def trusted_proxies(environ: Mapping[str, str]) -> frozenset[str]:
    """The addresses of reverse proxies in front of this server (``HNSCC_EDU_TRUSTED_PROXIES``, comma-separated;
    none by default): only a request that comes from one of them may name its client's address and scheme."""
    return frozenset(a.strip() for a in environ.get(TRUSTED_PROXIES_VARIABLE, "").split(",") if a.strip())


def client_of(
    peer: str, real_ip: str | None, proto: str | None, scheme: str, proxies: frozenset[str]
) -> tuple[str, str]:
    """(address, scheme) of the person behind a request: what a trusted proxy says (``X-Real-IP``, which nginx
    sets to the address it saw, overwriting anything the client sent; ``X-Forwarded-Proto``), else the peer's own.
    A request that does not come from a trusted proxy cannot choose the address its rate limits count."""
    if peer not in proxies:
        return peer, scheme
    address = (real_ip or "").strip() or peer
    forwarded = (proto or "").strip().lower()
    return address, forwarded if forwarded in ("http", "https") else scheme


def idle_limit(environ: Mapping[str, str]) -> dt.timedelta:
    """How long a session lives without a presenter action (``HNSCC_EDU_LIVE_IDLE_HOURS``, default 6 hours)."""
    try:
        hours = float(environ.get(IDLE_HOURS_VARIABLE) or DEFAULT_IDLE_HOURS)
    except ValueError:
        hours = DEFAULT_IDLE_HOURS
    return dt.timedelta(hours=hours if hours > 0 else DEFAULT_IDLE_HOURS)


def session_over(
    code: str, ended_at: dt.datetime | None, last_active_at: dt.datetime, now: dt.datetime, idle: dt.timedelta
) -> str | None:
    """Why a session no longer takes part (ended by its presenter, or left idle), in the participant's words; None
    while it runs. Times are aware UTC datetimes."""
    if ended_at is not None:
        return f"The live session {code} has ended. Thank you for taking part."
    if now - last_active_at > idle:
        return f"The live session {code} has ended (its presenter has not used it for a while)."
    return None


def hash_token(token: str) -> str:
    """Tokens are long random strings, so one SHA-256 is enough: a stolen database reveals no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_token(token: str | None, token_hash: str) -> None:
    """Raises TokenMissing (no token) or TokenRejected (a token of another session, or none of ours)."""
    if not token:
        raise TokenMissing("This needs the presenter token of the session (Authorization: Bearer <token>).")
    if not hmac.compare_digest(hash_token(token), token_hash):
        raise TokenRejected("That presenter token does not belong to this session.")


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None when there is none."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


# -- polls and votes --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    id: str
    text: str


# A live session and a poll as the presenter's dashboard and the course server read them (the store keeps them;
# these values need no database, so a presenter's kernel on a hub loads none).
@dataclass(frozen=True)
class LiveSession:
    code: str
    title: str
    min_votes: int
    current_poll: int | None


@dataclass(frozen=True)
class Poll:
    id: int
    session_code: str
    item_id: str | None
    phase: str | None
    question: str
    choices: tuple[Choice, ...]
    state: PollState
    locked_at: dt.datetime | None = None  # when votes stopped counting (None while open)
    round_at: dt.datetime | None = None  # when votes started counting: the opening, or the last reset

    @property
    def stamp(self) -> str | None:
        """Names the poll's current round: a phone that sees a new one on the same poll knows it was reset."""
        return None if self.round_at is None else self.round_at.isoformat()

    def public_json(self) -> dict:
        """What a participant's page may see: the question and the choices, never the key or a count."""
        return {
            "id": self.id,
            "state": self.state.value,
            "question": self.question,
            "choices": [{"id": c.id, "text": c.text} for c in self.choices],
        }


def item_choices(item: SingleBestAnswer) -> tuple[Choice, ...]:
    """The choices of a poll on a case item: the options' ids and texts, never the key or the rationale."""
    if not isinstance(item, SingleBestAnswer):
        raise LiveInputError("Only single-best-answer questions can be polled (one choice per participant).")
    return tuple(Choice(o.id, o.text) for o in item.options)


def check_choices(raw: object) -> tuple[Choice, ...]:
    """Choices given over HTTP when a tool opens a poll: a list of {"id", "text"} with unique ids."""
    if not isinstance(raw, list) or not 2 <= len(raw) <= 26:
        raise LiveInputError('"choices" must be a list of 2 to 26 objects with "id" and "text".')
    choices = []
    for entry in raw:
        if not isinstance(entry, dict) or set(entry) != {"id", "text"}:
            raise LiveInputError('Each choice must be an object with exactly "id" and "text".')
        cid, text = entry["id"], entry["text"]
        if not isinstance(cid, str) or not _CHOICE.fullmatch(cid):
            raise LiveInputError("A choice id must be 1 to 80 letters, digits, '-' or '_'.")
        if not isinstance(text, str) or not text.strip() or len(text) > 1000:
            raise LiveInputError("A choice text must be 1 to 1000 characters.")
        choices.append(Choice(cid, text.strip()))
    if len({c.id for c in choices}) != len(choices):
        raise LiveInputError("Choice ids must be unique.")
    return tuple(choices)


def check_question(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 4000:
        raise LiveInputError('"question" must be text of 1 to 4000 characters.')
    return raw.strip()


def check_item(raw: object) -> str | None:
    """The id of the case item a poll asks, when it asks one."""
    if raw is None or (isinstance(raw, str) and 1 <= len(raw) <= 100):
        return raw
    raise LiveInputError('"item" must be text of 1 to 100 characters, or left out.')


def check_phase(raw: object) -> str | None:
    if raw is None or raw in ("pre", "post"):
        return raw
    raise LiveInputError('"phase" must be "pre" (before discussion), "post" (after discussion) or left out.')


def check_participant(raw: object) -> str:
    if not isinstance(raw, str) or not _PARTICIPANT.fullmatch(raw):
        raise LiveInputError('"participant" must be 8 to 64 letters, digits, "-" or "_" (the page makes one).')
    return raw


def parse_json_object(body: bytes) -> dict:
    if len(body) > MAX_BODY_BYTES:
        raise LiveInputError(f"The request body is too large (at most {MAX_BODY_BYTES} bytes).")
    try:
        data = bounded_json(body)
    except JsonInputError as exc:
        raise LiveInputError(f"The request body must be a JSON object ({exc}).") from None
    if not isinstance(data, dict):
        raise LiveInputError("The request body must be a JSON object.")
    return data


def parse_vote(body: bytes) -> tuple[str, str]:
    """``{"participant": str, "choice": str}`` -> (participant, choice); raises LiveInputError when malformed. Whether
    the choice is one of the poll's is checked against the poll itself (``check_choice``)."""
    data = parse_json_object(body)
    if set(data) != {"participant", "choice"}:
        raise LiveInputError('A vote is a JSON object with exactly "participant" and "choice".')
    if not isinstance(data["choice"], str):
        raise LiveInputError('"choice" must be the id of one of the poll\'s options.')
    return check_participant(data["participant"]), data["choice"]


def check_choice(choice: str, choices: Iterable[Choice]) -> str:
    if choice not in {c.id for c in choices}:
        raise LiveInputError("That choice is not one of this poll's options.")
    return choice


@dataclass(frozen=True)
class PollResults:
    """What the presenter sees of a poll: its state, the votes per choice (every choice, in display order) and the
    total. ``as_json()`` is exactly the body of ``GET .../results``."""

    state: PollState
    counts: Mapping[str, int]
    total: int

    def as_json(self) -> dict:
        return {"state": self.state.value, "counts": dict(self.counts), "total": self.total}

    def share(self, choice_id: str) -> float:
        return self.counts.get(choice_id, 0) / self.total if self.total else 0.0


def tally(state: PollState | str, choices: Iterable[Choice], rows: Iterable[tuple[str, int]]) -> PollResults:
    """Counts per choice from (choice, n) rows; choices nobody picked count 0, unknown ones are left out."""
    seen = dict(rows)
    counts = {c.id: int(seen.get(c.id, 0)) for c in choices}
    return PollResults(PollState(state), counts, sum(counts.values()))


@dataclass(frozen=True)
class ComparisonRow:
    choice: Choice
    before: int
    before_share: float
    after: int
    after_share: float

    @property
    def change_points(self) -> float:
        """The change in the share of votes, in percentage points."""
        return round((self.after_share - self.before_share) * 100, 1)


def compare(choices: Iterable[Choice], before: PollResults, after: PollResults) -> list[ComparisonRow]:
    """Before- and after-discussion results of the same question, side by side, one row per choice."""
    return [
        ComparisonRow(c, before.counts.get(c.id, 0), before.share(c.id), after.counts.get(c.id, 0), after.share(c.id))
        for c in choices
    ]


# A host as a browser sends it in ``Host``: a name or IPv4 address, or an IPv6 address in brackets, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
PUBLIC_URL_VARIABLE = "HNSCC_EDU_LIVE_PUBLIC_URL"
PREFIX = "hnscc/live"  # the live polls' routes, under the course server's base URL


def live_path(code: str, base_url: str = "/") -> str:
    """The participant page's path on the course server, under its base URL (``/`` or e.g. ``/user/ana/``)."""
    base = "/" + base_url.strip("/")
    return f"{base.rstrip('/')}/{PREFIX}/{code}"


def join_address(code: str, scheme: str, host: str, base_url: str = "/", public_url: str = "") -> str:
    """The full join address for a request that reached the server as ``scheme://host`` under ``base_url``:
    ``public_url`` (``HNSCC_EDU_LIVE_PUBLIC_URL``, the server's address as phones reach it) when given, else that
    request's own scheme and host. Raises LiveInputError for a scheme or host that is not one (a forged Host
    header), so an address built from it is never shown."""
    public = (public_url or "").strip()
    if public:
        return f"{public.rstrip('/')}/{live_path(code).lstrip('/')}"
    if (scheme or "").lower() not in ("http", "https"):
        raise LiveInputError("The join address needs an http or https request.")
    if not _HOST.fullmatch(host or ""):
        raise LiveInputError("The request did not name a host this server can put in a join address.")
    return f"{scheme.lower()}://{host}{live_path(code, base_url)}"


def server_base(environ: Mapping[str, str]) -> str:
    """The base URL of the server a kernel's page came from: Voila's, else a hub's prefix, else ``/``."""
    return environ.get("VOILA_BASE_URL") or environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"


def join_url(code: str, environ: Mapping[str, str], base_url: str | None = None) -> str:
    """The address participants open (and the QR code holds), from a presenter kernel's environment:
    ``HNSCC_EDU_LIVE_PUBLIC_URL`` when set (the course server's address as phones reach it), else the address the
    presenter's Voila page was requested at, else a path on the same server (``join_url_warning`` says so).

    The host comes from Voila's request information (``SERVER_NAME``, ``SERVER_PORT``), which describes the request
    of *this* page, and only then from ``VOILA_REQUEST_URL``: a pre-heated kernel (voila.json's pools) has no
    ``VOILA_REQUEST_URL`` when it is the pool's first, and otherwise the one of the request that made Voila refill the
    pool, i.e. the previous visitor's address. The request information has no scheme; it is taken from
    ``VOILA_REQUEST_URL`` (the same server's), else ``http``; behind TLS, set ``HNSCC_EDU_LIVE_PUBLIC_URL``.
    ``base_url``: the path of the server that serves the polls when it is not this page's (a hub's course server)."""
    public = environ.get(PUBLIC_URL_VARIABLE, "").strip()
    base = base_url or server_base(environ)
    if public:
        return join_address(code, "", "", base, public)
    scheme, sep, rest = environ.get("VOILA_REQUEST_URL", "").partition("://")
    host = rest.split("/", 1)[0] if sep else ""
    name = environ.get("SERVER_NAME", "").strip()
    if name and "VOILA_BASE_URL" in environ:  # Voila's request information, not a stray variable of the machine
        port = environ.get("SERVER_PORT", "").strip()
        host = f"{name}:{port}" if port else name
    scheme = scheme.lower() if sep and scheme.lower() in ("http", "https") else "http"
    if host:
        try:
            return join_address(code, scheme, host, base)
        except LiveInputError:
            pass  # not a usable host: the bare path below, which the dashboard warns about
    return live_path(code, base)


def projector_link(code: str, token: str, base_url: str = "/") -> str:
    """The projector view of a session, on the server the presenter's browser is using (a path), with the presenter
    token in the URL *fragment*: a browser never sends the fragment to a server, so the token stays out of the
    server's and any proxy's logs; the page reads it and sends it only in an ``Authorization`` header."""
    return f"{live_path(code, base_url)}/projector#token={quote(token, safe='')}"


def answer_key(item: SingleBestAnswer) -> tuple[str, ...]:
    """The ids of the correct option(s) of a polled item, for the projector's reveal."""
    return tuple(o.id for o in item.options if o.correct)


def shares_percent(results: PollResults) -> dict[str, int]:
    """Each choice's share of the votes as a whole percentage, rounded as the dashboard's histogram rounds it
    (``ui.poll_figures``), so the laptop and the projector show the same numbers; 0 when nobody voted."""
    return {choice: int(f"{results.share(choice) * 100:.0f}") for choice in results.counts}


def join_url_warning(url: str) -> str | None:
    """Why phones could not open this join address, in the presenter's words; None when it looks reachable.
    A loopback host (``localhost``, ``127.x``, ``::1``) names the presenter's own machine; a bare path has no server."""
    _scheme, sep, rest = url.partition("://")
    if not sep:
        return (
            "This join address is only a path, so phones cannot open it. Open this page at the server's network "
            "address, or set HNSCC_EDU_LIVE_PUBLIC_URL to it before starting the server."
        )
    host = rest.split("/", 1)[0].rsplit(":", 1)[0] if not rest.startswith("[") else rest.split("]", 1)[0] + "]"
    if host.lower() in ("localhost", "[::1]", "0.0.0.0") or host.startswith("127."):
        return (
            f"Phones cannot reach {host}: it is this computer's own name for itself. Open this page at the "
            "server's network address (its name or IP address on the venue's network), or set "
            "HNSCC_EDU_LIVE_PUBLIC_URL to it before starting the server."
        )
    return None
