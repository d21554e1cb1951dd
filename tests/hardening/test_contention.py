"""20 writer processes x 200 answers against one store (a SQLite file, then PostgreSQL), started together.

Each writer is its own process with its own Store, as each kernel of a class is; they open the fresh store at the
same moment (so creating the schema is raced too), double-click some answers and race each other on a shared
learner's items, as two tabs would. Bounded in time only by pytest-timeout; nothing here asserts a duration.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections import Counter

import pytest
from sqlalchemy import func, select

from hnscc_edu.store import Store
from hnscc_edu.store.database import ANSWER_KEY, attempts
from tests.hardening import writers as w

WRITERS = 20
ANSWERS = 200


def run_writers(url: str, count: int = WRITERS, answers: int = ANSWERS) -> list[dict]:
    """Start the writers in fresh interpreters (spawn: nothing is inherited), wait for all, return their summaries."""
    context = mp.get_context("spawn")
    barrier = context.Barrier(count)
    results = context.Queue()
    processes = [
        context.Process(target=w.write_answers, args=(url, n, answers, barrier, results)) for n in range(count)
    ]
    for process in processes:
        process.start()
    try:
        summaries = [results.get(timeout=600) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():  # only on a failure above: never leave a writer behind
                process.kill()
                process.join()
    assert [p.exitcode for p in processes] == [0] * count
    return sorted(summaries, key=lambda s: s["writer"])


@pytest.mark.timeout(900)
def test_twenty_writers_store_every_answer_once(url):
    summaries = run_writers(url)
    assert [s["errors"] for s in summaries] == [[]] * WRITERS  # no StoreError (nor anything else) in any writer

    store = Store(url)
    rows = store.attempt_rows()
    shared = set(range(w.SHARED_ITEMS))
    assert len(rows) == WRITERS * ANSWERS + len(shared)
    assert sum(s["new"] for s in summaries) == len(rows)
    assert sum(s["refused"] for s in summaries) == w.expected_refused(WRITERS, ANSWERS)

    # no key twice, checked by the database itself as well as here
    with store.engine.connect() as conn:
        key = [attempts.c[name] for name in ANSWER_KEY]
        twice = conn.execute(select(*key).group_by(*key).having(func.count() > 1)).all()
    assert twice == []
    per_learner = Counter(row["learner_id"] for row in rows)
    assert per_learner == {**{f"learner-{n:02d}": ANSWERS for n in range(WRITERS)}, w.SHARED_LEARNER: len(shared)}
    for row in rows:
        if row["learner_id"] != w.SHARED_LEARNER:
            response = json.loads(row["response"])
            assert f"learner-{response['writer']:02d}" == row["learner_id"]
            assert row["item_id"] == f"item-{response['n']:03d}"

    # each shared item was won by exactly one writer, and the stored answer is that writer's: the first one counts
    winners = {item: s["writer"] for s in summaries for item in s["won"]}
    assert sorted(item for s in summaries for item in s["won"]) == sorted(shared)
    stored = {
        int(r["item_id"].split("-")[1]): json.loads(r["response"])["writer"]
        for r in rows
        if r["learner_id"] == w.SHARED_LEARNER
    }
    assert stored == winners
    store.engine.dispose()
