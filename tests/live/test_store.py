"""Live sessions, polls and votes in the store, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, inspect, text

from hnscc_edu.rules import live as rules
from hnscc_edu.rules.live import Choice, PollState
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore

CHOICES = (Choice("a", "Key"), Choice("b", "Distractor"), Choice("c", "Other"))


def open_poll(live: LiveStore, phase: str | None = None):
    session, token = live.create_session("Tumour board, live", min_votes=3)
    poll = live.open_poll(session.code, token, "Which first?", CHOICES, item_id="fx-single", phase=phase)
    return session, token, poll


def test_the_tables_live_in_the_course_store_and_the_token_is_stored_hashed(live, url):
    session, token, _ = open_poll(live)
    engine = create_engine(url)
    try:
        assert {"live_sessions", "polls", "votes", "attempts"} <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            stored = conn.execute(text("select token_hash from live_sessions")).scalar()
    finally:
        engine.dispose()
    assert stored == rules.hash_token(token) and token not in stored
    assert live.session(session.code.lower()).code == session.code  # codes are typed in any case


def test_one_vote_per_participant_and_a_revote_replaces(live):
    session, token, poll = open_poll(live)
    live.vote(session.code, poll.id, "participant-1", "a")
    live.vote(session.code, poll.id, "participant-2", "a")
    live.vote(session.code, poll.id, "participant-1", "b")
    assert live.results(session.code, token, poll.id).as_json() == {
        "state": "open",
        "counts": {"a": 1, "b": 1, "c": 0},
        "total": 2,
    }
    assert live.participant_choice(poll.id, "participant-1") == "b"


def test_no_vote_after_lock_and_the_count_is_final(live):
    session, token, poll = open_poll(live)
    live.vote(session.code, poll.id, "participant-1", "a")
    assert live.transition(session.code, token, poll.id, "lock").state is PollState.locked
    for participant, choice in (("participant-1", "b"), ("participant-9", "a")):
        with pytest.raises(rules.PollStateError, match="locked"):
            live.vote(session.code, poll.id, participant, choice)
    live.transition(session.code, token, poll.id, "reveal")
    with pytest.raises(rules.PollStateError, match="revealed"):
        live.vote(session.code, poll.id, "participant-9", "a")
    assert live.results(session.code, token, poll.id).as_json() == {
        "state": "revealed",
        "counts": {"a": 1, "b": 0, "c": 0},
        "total": 1,
    }


def test_reset_deletes_the_votes_and_opens_again(live):
    session, token, poll = open_poll(live)
    live.vote(session.code, poll.id, "participant-1", "a")
    live.transition(session.code, token, poll.id, "reveal")
    assert live.transition(session.code, token, poll.id, "reset").state is PollState.open
    assert live.results(session.code, token, poll.id).total == 0
    live.vote(session.code, poll.id, "participant-1", "c")
    assert live.results(session.code, token, poll.id).counts["c"] == 1


def test_refused_transitions_change_nothing(live):
    session, token, poll = open_poll(live)
    live.transition(session.code, token, poll.id, "lock")
    with pytest.raises(rules.PollStateError, match="Only an open poll"):
        live.transition(session.code, token, poll.id, "lock")
    assert live.poll(session.code, poll.id).state is PollState.locked


def test_unknown_sessions_polls_and_choices(live):
    session, _token, poll = open_poll(live)
    with pytest.raises(rules.LiveNotFound, match="no live session"):
        live.vote("NOSUCH", poll.id, "participant-1", "a")
    with pytest.raises(rules.LiveNotFound, match="has no poll"):
        live.vote(session.code, poll.id + 100, "participant-1", "a")
    with pytest.raises(rules.LiveInputError, match="not one of"):
        live.vote(session.code, poll.id, "participant-1", "zz")
    other, other_token = live.create_session("Another room")
    with pytest.raises(rules.LiveNotFound):  # a poll of one session is not reachable through another's code
        live.vote(other.code, poll.id, "participant-1", "a")
    with pytest.raises(rules.LiveNotFound):
        live.results(other.code, other_token, poll.id)


def test_presenter_actions_need_this_sessions_token(live):
    session, token, poll = open_poll(live)
    _other, other_token = live.create_session("Another room")
    for bad, error in (
        (None, rules.TokenMissing),
        ("", rules.TokenMissing),
        (other_token, rules.TokenRejected),
        (token[:-1], rules.TokenRejected),
    ):
        with pytest.raises(error):
            live.results(session.code, bad, poll.id)
        with pytest.raises(error):
            live.transition(session.code, bad, poll.id, "lock")
        with pytest.raises(error):
            live.open_poll(session.code, bad, "Q?", CHOICES)
        with pytest.raises(error):
            live.set_min_votes(session.code, bad, 5)
        with pytest.raises(error):
            live.polls(session.code, bad)
    assert live.poll(session.code, poll.id).state is PollState.open


def test_participants_see_the_current_poll_without_key_or_counts(live):
    session, token, first = open_poll(live, phase="pre")
    assert live.current(session.code) == (live.session(session.code), first, None)
    live.vote(session.code, first.id, "participant-1", "b")
    second = live.open_poll(session.code, token, "Again?", CHOICES, item_id="fx-single", phase="post")
    _shown, poll, mine = live.current(session.code, "participant-1")
    assert poll.id == second.id and mine is None
    assert set(poll.public_json()) == {"id", "state", "question", "choices"}
    assert [p.phase for p in live.polls(session.code, token)] == ["pre", "post"]


def test_a_new_session_has_a_fresh_code_and_its_minimum(live):
    codes = {live.create_session("Room")[0].code for _ in range(20)}
    assert len(codes) == 20
    session, token = live.create_session("Room", min_votes=5)
    assert live.set_min_votes(session.code, token, 8).min_votes == 8
    assert live.session(session.code).min_votes == 8


def test_the_same_participant_voting_at_once_from_many_threads_keeps_one_vote(live):
    session, token, poll = open_poll(live)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: live.vote(session.code, poll.id, "participant-1", "abc"[n % 3]), range(40)))
    assert live.results(session.code, token, poll.id).total == 1


def test_votes_racing_a_lock_are_counted_exactly_when_accepted(url):
    """Every vote that was accepted is counted and every refused one is not, whatever the interleaving."""
    live = LiveStore(Store(url))
    session, token, poll = open_poll(live)
    accepted, refused = [], []
    start = threading.Barrier(9)

    def voter(n: int) -> None:
        other = LiveStore(Store(url))  # its own engine, as another server process would have
        start.wait()
        for k in range(15):
            participant = f"participant-{n:02d}-{k:02d}"
            try:
                other.vote(session.code, poll.id, participant, "abc"[k % 3])
                accepted.append(participant)
            except rules.PollStateError:
                refused.append(participant)
        other.engine.dispose()

    threads = [threading.Thread(target=voter, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    start.wait()
    live.vote(session.code, poll.id, "participant-first", "a")  # at least one vote lands before the lock
    live.transition(session.code, token, poll.id, "lock")
    for thread in threads:
        thread.join(60)
    results = live.results(session.code, token, poll.id)
    assert results.state is PollState.locked
    assert results.total == len(accepted) + 1
    assert len(accepted) + len(refused) == 8 * 15
    assert live.results(session.code, token, poll.id) == results  # final once locked
