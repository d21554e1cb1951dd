"""Live audience polls in the course store: sessions, polls and votes, on SQLite or PostgreSQL.

The rules (states, tokens, tallies) are the pure functions of ``hnscc_edu.rules.live``; this module makes them hold
under concurrency. Votes are written in batches (``record_ballots``: one transaction for what a crowd sent while the last batch was
written), and a vote counts by when the server *received* it, not when it was written: from the poll's round start
(opening or last reset, ``round_at``) to its lock (``locked_at``). A lock reads its own time once it holds the poll's
row, after every batch in progress, so a vote written before the lock was received before it, and a vote received
before the lock but written after it still counts (the unfairness of a busy server refusing votes tapped in time):

- on PostgreSQL a batch takes a share lock on its polls' rows (``FOR SHARE``); a lock, reveal or reset takes the row
  for update, so it waits for batches in flight, and batches that come later read its time;
- on SQLite a batch and a transition each hold the database's single write lock (``BEGIN IMMEDIATE``).

The unique constraint on (poll, participant) makes "one vote per participant per poll" a property of the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..rules import live as rules
from ..rules.live import Choice, LiveNotFound, LiveSession, Poll, PollAction, PollResults, PollState
from .database import DIALECT_INSERTS, Store, StoreError, utc, utc_now
from .schema import live_sessions, polls, votes

T = TypeVar("T")


class PresenterGrant:
    """A presenter the course server has already authorised by other means than the session's token: on a hub, a
    hub admin or course director, checked with the hub. The live-poll handlers make it only after that check; nothing
    a request carries turns into one."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "PresenterGrant()"


PRESENTER_GRANT = PresenterGrant()
Presenter = str | PresenterGrant | None  # a session's token, a grant, or nothing


def _poll(row) -> Poll:
    choices = tuple(Choice(c["id"], c["text"]) for c in json.loads(row.choices))
    locked_at = utc(row.locked_at) if row.locked_at is not None else None
    round_at = utc(row.round_at) if row.round_at is not None else None
    state = PollState(row.state)
    return Poll(row.id, row.session_code, row.item_id, row.phase, row.question, choices, state, locked_at, round_at)


class LiveStore:
    """Sessions, polls and votes in the course store. Presenter actions take the presenter token; votes do not."""

    def __init__(self, store: Store | None = None, idle: dt.timedelta | None = None) -> None:
        self.store = store or Store()
        self.idle = idle or rules.idle_limit(os.environ)
        self.engine = self.store.engine
        if self.engine.dialect.name not in DIALECT_INSERTS:
            raise StoreError("Live polls need a SQLite or PostgreSQL store; set HNSCC_EDU_DB_URL to one of them.")
        # the store was opened at the latest layout, so its live-poll tables exist (store/schema.py)
        self._insert = DIALECT_INSERTS[self.engine.dialect.name]

    def _guard(self, work: Callable[[], T]) -> T:
        """Run ``work`` (which opens its own transactions) through the store's retry helper, so a busy database
        is waited for; what still fails becomes a StoreError in plain words."""
        try:
            return self.store.retrying(work)
        except SQLAlchemyError as exc:
            raise StoreError(
                "The live-poll store cannot be reached right now; please try again in a moment. "
                f"({exc.__class__.__name__})"
            ) from exc

    # -- sessions -------------------------------------------------------------------------------------------------
    def create_session(self, title: str, min_votes: int = rules.DEFAULT_MIN_VOTES) -> tuple[LiveSession, str]:
        """A new session with a fresh code; returns it with its presenter token (shown once, stored hashed)."""
        rules.check_min_votes(min_votes)
        token = rules.new_presenter_token()
        for _ in range(20):  # 25^6 codes: a collision is rare, and another draw settles it
            code = rules.new_session_code()
            try:
                now = utc_now()
                self.store.transaction(
                    lambda conn, code=code, now=now: conn.execute(
                        live_sessions.insert().values(
                            code=code,
                            title=title[:300],
                            token_hash=rules.hash_token(token),
                            min_votes=min_votes,
                            created_at=now,
                            last_active_at=now,
                        )
                    ),
                    write=True,
                )
                return LiveSession(code, title[:300], min_votes, None), token
            except IntegrityError:
                continue
            except SQLAlchemyError as exc:
                raise StoreError(
                    f"The live session could not be created; please try again in a moment. ({exc.__class__.__name__})"
                ) from exc
        raise StoreError("No free session code was found; please try again.")

    def _session_row(self, code: str):
        code = rules.normalise_code(code)
        row = self._guard(lambda: self._one(select(live_sessions).where(live_sessions.c.code == code)))
        if row is None:
            raise LiveNotFound(
                f"There is no live session with the code {code}. Check the code on the presenter's screen."
            )
        self._check_running(row.code, row.ended_at, row.last_active_at, row.created_at)
        return row

    def _check_running(self, code: str, ended_at, last_active_at, created_at) -> None:
        """LiveNotFound (with why) for a session its presenter ended or left idle longer than ``self.idle``."""
        over = rules.session_over(
            code, utc(ended_at) if ended_at else None, utc(last_active_at or created_at), utc_now(), self.idle
        )
        if over:
            raise LiveNotFound(over)

    def _touch(self, conn, code: str) -> None:
        """A presenter action: the session's idle time starts again."""
        conn.execute(update(live_sessions).where(live_sessions.c.code == code).values(last_active_at=utc_now()))

    def end_session(self, code: str, token: Presenter) -> None:
        """The presenter ends the session: its code, votes and results stop (they stay in the store)."""
        session = self.authorize(code, token)
        self._guard(
            lambda: self.store.transaction(
                lambda conn: conn.execute(
                    update(live_sessions).where(live_sessions.c.code == session.code).values(ended_at=utc_now())
                ),
                write=True,
            )
        )

    def session(self, code: str) -> LiveSession:
        row = self._session_row(code)
        return LiveSession(row.code, row.title, row.min_votes, row.current_poll)

    def session_key(self, code: str) -> str:
        """The session's key for participant ids (its presenter-token hash: a secret of the store, never sent)."""
        return self._session_row(code).token_hash

    def authorize(self, code: str, token: Presenter) -> LiveSession:
        """The session, once the presenter token is checked (TokenMissing, TokenRejected, LiveNotFound); a
        ``PresenterGrant`` (a hub's course director) needs no token."""
        row = self._session_row(code)
        if not isinstance(token, PresenterGrant):
            rules.check_token(token, row.token_hash)
        return LiveSession(row.code, row.title, row.min_votes, row.current_poll)

    def set_min_votes(self, code: str, token: Presenter, min_votes: int) -> LiveSession:
        session = self.authorize(code, token)
        rules.check_min_votes(min_votes)

        def work() -> None:
            with self.engine.begin() as conn:
                conn.execute(
                    update(live_sessions)
                    .where(live_sessions.c.code == session.code)
                    .values(min_votes=min_votes, last_active_at=utc_now())
                )

        self._guard(work)
        return LiveSession(session.code, session.title, min_votes, session.current_poll)

    # -- polls ----------------------------------------------------------------------------------------------------
    def open_poll(
        self,
        code: str,
        token: Presenter,
        question: str,
        choices: tuple[Choice, ...],
        item_id: str | None = None,
        phase: str | None = None,
    ) -> Poll:
        """Open a new poll and make it the one participants see."""
        session = self.authorize(code, token)
        question = rules.check_question(question)
        choices = rules.check_choices([{"id": c.id, "text": c.text} for c in choices])
        item_id, phase = rules.check_item(item_id), rules.check_phase(phase)
        now = utc_now()

        def work() -> int:
            with self.engine.begin() as conn:
                poll_id = conn.execute(
                    polls.insert().values(
                        session_code=session.code,
                        item_id=item_id,
                        phase=phase,
                        question=question,
                        choices=json.dumps([{"id": c.id, "text": c.text} for c in choices]),
                        state=PollState.open.value,
                        opened_at=now,
                        changed_at=now,
                        round_at=now,
                    )
                ).inserted_primary_key[0]
                conn.execute(
                    update(live_sessions)
                    .where(live_sessions.c.code == session.code)
                    .values(current_poll=poll_id, last_active_at=now)
                )
                return poll_id

        poll_id = self._guard(work)
        return Poll(poll_id, session.code, item_id, phase, question, choices, PollState.open, None, now)

    def poll(self, code: str, poll_id: int) -> Poll:
        code = rules.normalise_code(code)
        row = self._guard(
            lambda: self._one(
                select(
                    polls,
                    live_sessions.c.ended_at,
                    live_sessions.c.last_active_at,
                    live_sessions.c.created_at.label("session_created_at"),
                )
                .join(live_sessions, live_sessions.c.code == polls.c.session_code)
                .where(polls.c.id == poll_id, polls.c.session_code == code)
            )
        )
        if row is None:
            self.session(code)  # an unknown (or ended) session says so first
            raise LiveNotFound(f"Session {code} has no poll {poll_id}.")
        self._check_running(code, row.ended_at, row.last_active_at, row.session_created_at)
        return _poll(row)

    def polls(self, code: str, token: Presenter) -> list[Poll]:
        session = self.authorize(code, token)
        rows = self._guard(
            lambda: self._all(select(polls).where(polls.c.session_code == session.code).order_by(polls.c.id))
        )
        return [_poll(row) for row in rows]

    def transition(self, code: str, token: Presenter, poll_id: int, action: PollAction | str) -> Poll:
        """Lock, reveal or reset a poll (reset also deletes its votes), atomically: the state only changes from one
        the rules allow, checked inside the UPDATE itself. The time it takes effect is read once the poll's row is
        held (after every vote being written has been), so each vote written before it was received before it:
        a lock's time (or a reveal's, of an open poll) ends the round, a reset's starts a new one."""
        session = self.authorize(code, token)
        action = PollAction(action)
        allowed = [s.value for s in rules.ALLOWED_FROM[action]]
        new = rules.RESULT_OF[action]

        def work(conn) -> int:
            if self.engine.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already holds the write lock
                conn.execute(select(polls.c.id).where(polls.c.id == poll_id).with_for_update())
            now = utc_now()
            values: dict = {"state": new.value, "changed_at": now}
            if action is PollAction.reset:
                values |= {"round_at": now, "locked_at": None}
            changed = conn.execute(
                update(polls)
                .where(polls.c.id == poll_id, polls.c.session_code == session.code, polls.c.state.in_(allowed))
                .values(**values)
            ).rowcount
            if changed and action is not PollAction.reset:
                # ends the round once: revealing a locked poll keeps the lock's time
                conn.execute(
                    update(polls).where(polls.c.id == poll_id, polls.c.locked_at.is_(None)).values(locked_at=now)
                )
            if changed:
                self._touch(conn, session.code)
            if changed and action is PollAction.reset:
                conn.execute(delete(votes).where(votes.c.poll_id == poll_id))
            return changed

        if not self._guard(lambda: self.store.transaction(work, write=True)):
            current = self.poll(session.code, poll_id)  # LiveNotFound when there is no such poll
            rules.next_state(current.state, action)  # raises PollStateError with the reason
            raise rules.PollStateError("The poll changed at the same moment; please try again.")
        return self.poll(session.code, poll_id)

    # -- votes ----------------------------------------------------------------------------------------------------
    def vote(self, code: str, poll_id: int, participant: str, choice: str) -> None:
        """Record or replace a participant's vote, received now. LiveNotFound (no such poll), LiveInputError (not a
        choice of the poll), PollStateError (the poll is locked or revealed)."""
        ballot = rules.Ballot(
            rules.normalise_code(code), poll_id, rules.check_participant(participant), choice, utc_now()
        )
        refusal = self.record_ballots([ballot])[0]
        if refusal is not None:
            raise refusal

    def record_ballots(self, ballots: Sequence[rules.Ballot]) -> list[rules.LiveError | None]:
        """Write many votes in one transaction (a server under a crowd writes what arrived while it wrote the last
        batch); for each ballot, None when it counts, or the error that refuses it (LiveNotFound, LiveInputError,
        PollStateError). Whether it counts is decided by when it was received (``rules.ballot_counts``); a stored vote
        is only replaced by one received later. StoreError when the store cannot be reached: nothing is written."""
        poll_ids = sorted({b.poll_id for b in ballots})

        def work(conn) -> list[rules.LiveError | None]:
            query = (
                select(
                    polls.c.id,
                    polls.c.session_code,
                    polls.c.choices,
                    polls.c.state,
                    polls.c.round_at,
                    polls.c.locked_at,
                    live_sessions.c.ended_at,
                    live_sessions.c.last_active_at,
                    live_sessions.c.created_at,
                )
                .join(live_sessions, live_sessions.c.code == polls.c.session_code)
                .where(polls.c.id.in_(poll_ids))
            )
            if self.engine.dialect.name == "postgresql":
                # FOR SHARE: a lock, reveal or reset of these polls waits for this write, then reads its own time
                query = query.with_for_update(read=True, of=polls)
            found = {row.id: row for row in conn.execute(query)}
            refusals: list[rules.LiveError | None] = []
            counted: list[rules.Ballot] = []
            for ballot in ballots:
                refusal = self._judge(ballot, found.get(ballot.poll_id))
                refusals.append(refusal)
                if refusal is None:
                    counted.append(ballot)
            latest = rules.latest_ballots(counted)
            if latest:
                statement = self._insert(votes)
                statement = statement.on_conflict_do_update(
                    index_elements=[votes.c.poll_id, votes.c.participant],
                    set_={"choice": statement.excluded.choice, "voted_at": statement.excluded.voted_at},
                    where=votes.c.voted_at <= statement.excluded.voted_at,
                )
                conn.execute(
                    statement,
                    [
                        {
                            "poll_id": b.poll_id,
                            "participant": b.participant,
                            "choice": b.choice,
                            "voted_at": b.received_at,
                        }
                        for b in latest.values()
                    ],
                )
            return refusals

        return self._guard(lambda: self.store.transaction(work, write=True))

    def _judge(self, ballot: rules.Ballot, row) -> rules.LiveError | None:
        """Why one ballot does not count (its poll's row read in the writing transaction), or None."""
        try:
            if row is None or row.session_code != ballot.session_code:
                self.session(ballot.session_code)  # an unknown (or ended) session says so first
                raise LiveNotFound(f"Session {ballot.session_code} has no poll {ballot.poll_id}.")
            self._check_running(row.session_code, row.ended_at, row.last_active_at, row.created_at)
            poll_choices = tuple(Choice(c["id"], c["text"]) for c in json.loads(row.choices))
            rules.check_choice(ballot.choice, poll_choices)
            round_at = utc(row.round_at)
            rules.refuse_ballot(
                row.state, round_at, utc(row.locked_at) if row.locked_at is not None else None, ballot.received_at
            )
        except rules.LiveError as exc:
            return exc
        return None

    def participant_choice(self, poll_id: int, participant: str) -> str | None:
        return self._guard(
            lambda: self._scalar(
                select(votes.c.choice).where(votes.c.poll_id == poll_id, votes.c.participant == participant)
            )
        )

    def results(self, code: str, token: Presenter, poll_id: int) -> PollResults:
        self.authorize(code, token)
        return self.tally(code, poll_id)

    def tally(self, code: str, poll_id: int) -> PollResults:
        """The counts without a token check: for callers that already hold the session's token (the dashboard)."""
        poll = self.poll(code, poll_id)  # the state first: once it reads "locked", the counts below are final
        rows = self._guard(
            lambda: self._all(
                select(votes.c.choice, func.count()).where(votes.c.poll_id == poll_id).group_by(votes.c.choice)
            )
        )
        return rules.tally(poll.state, poll.choices, [(choice, n) for choice, n in rows])

    def current(self, code: str, participant: str | None = None) -> tuple[LiveSession, Poll | None, str | None]:
        """What a participant's page shows: the session, its current poll and this participant's vote on it."""
        session = self.session(code)
        if session.current_poll is None:
            return session, None, None
        poll = self.poll(session.code, session.current_poll)
        mine = None
        if participant is not None:
            mine = self.participant_choice(poll.id, rules.check_participant(participant))
        return session, poll, mine

    # -- small helpers --------------------------------------------------------------------------------------------
    def _one(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).first()

    def _all(self, query) -> list:
        with self.engine.connect() as conn:
            return conn.execute(query).all()

    def _scalar(self, query):
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()
