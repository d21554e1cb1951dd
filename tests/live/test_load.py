"""Load: 500 simulated participants vote at once against a real Voila server on loopback, on SQLite and PostgreSQL.

Bounded in count (500 participants, four rounds) and in time (the test's timeout), and exact: every accepted vote is
counted once, re-votes replace, and a vote counts exactly when the server received it before the lock, including votes that race it. No wall-clock
assertions: throughput and latency are the benchmark's business (``benchmarks/live_polls.py``).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import datetime as dt

import pytest

from hnscc_edu.rules.live import Choice
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from tests.live.client import call
from tests.live.crowd import close_all, join_all, vote_all
from tests.voila_server import VoilaServer

PARTICIPANTS = 500
CHOICES = ("a", "b", "c", "d")


@pytest.mark.timeout(600)
def test_500_participants_vote_revote_and_race_the_lock(url, tmp_path):
    live = LiveStore(Store(url))
    session, token = live.create_session("Load test")
    poll = live.open_poll(session.code, token, "Which?", tuple(Choice(c, c.upper()) for c in CHOICES)).id
    # all 1,000 phones come from this one address: the join limit is raised for the load itself (the limit of a
    # room behind one address is tests/live/test_rate_limits.py's)
    server = VoilaServer(
        "live_presenter.ipynb",
        tmp_path / "unused.sqlite3",
        "load",
        tmp_path / "voila.log",
        db_url=url,
        extra_env={"HNSCC_EDU_LIVE_JOIN_BURST": "5000"},
    )
    base = server.url.rstrip("/")
    results_url = f"{base}/hnscc/live/{session.code}/polls/{poll}/results"

    def results() -> dict:
        status, body, _ = call("GET", results_url, token=token)
        assert status == 200
        return body

    def expected(latest: dict[str, str], state: str) -> dict:
        counts = collections.Counter(latest.values())
        return {"state": state, "counts": {c: counts[c] for c in CHOICES}, "total": len(latest)}

    async def scenario() -> None:
        first = await join_all(base, session.code, [f"participant-{n:04d}" for n in range(PARTICIPANTS)])
        newcomers = await join_all(base, session.code, [f"newcomer-{n:04d}" for n in range(PARTICIPANTS)])
        try:
            # 1. everyone votes at once
            chosen = [CHOICES[n % 4] for n in range(PARTICIPANTS)]
            outcomes = await vote_all(first, poll, chosen)
            assert collections.Counter(o.status for o in outcomes) == {200: PARTICIPANTS}
            latest = {o.participant: o.choice for o in outcomes}
            assert results() == expected(latest, "open")

            # 2. two in five change their minds, at once: their votes are replaced, not added
            changers = first[: PARTICIPANTS * 2 // 5]
            outcomes = await vote_all(changers, poll, ["d"] * len(changers))
            assert {o.status for o in outcomes} == {200}
            latest |= {o.participant: o.choice for o in outcomes}
            assert results() == expected(latest, "open")

            # 3. newcomers vote while the presenter locks, once the first answers are back and the rest are in
            # flight: each vote is either counted (200) or refused (409), never anything else
            locking: list[asyncio.Future] = []

            def lock_midway(answered: int) -> None:
                if answered == 25:
                    locking.append(
                        asyncio.get_running_loop().run_in_executor(
                            None,
                            lambda: call("POST", f"{base}/hnscc/live/{session.code}/polls/{poll}/lock", token=token),
                        )
                    )

            raced = await vote_all(newcomers, poll, [CHOICES[n % 4] for n in range(PARTICIPANTS)], lock_midway)
            status, lock, _ = await locking[0]
            assert status == 200
            assert {o.status for o in raced} <= {200, 409}
            # fairness by receipt time: a vote the server received before the lock counts, even when the busy
            # server wrote it after; one received after is refused (each answer says when it was received)
            locked_at = dt.datetime.fromisoformat(lock["locked_at"])
            for o in raced:
                received = dt.datetime.fromisoformat(o.received_at)
                assert o.status == (200 if received < locked_at else 409), (o, locked_at)
            latest |= {o.participant: o.choice for o in raced if o.status == 200}
            final = expected(latest, "locked")
            assert results() == final

            # 4. after the lock every vote is refused and nothing changes
            late = await vote_all(first, poll, ["a"] * PARTICIPANTS)
            assert collections.Counter(o.status for o in late) == {409: PARTICIPANTS}
            assert results() == final
            assert live.results(session.code, token, poll).as_json() == final  # the store agrees with the API
        finally:
            await close_all(first + newcomers)

    try:
        # A fresh event loop in its own thread: earlier tests in the same run (Playwright's sync API) may leave an
        # event loop running in this one, where asyncio.run() refuses to start.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
            runner.submit(asyncio.run, scenario()).result()
    finally:
        server.stop()
    assert "Traceback" not in (tmp_path / "voila.log").read_text()
