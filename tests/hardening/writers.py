"""The writer processes of the contention test and benchmark: each opens its own Store on one shared database.

A module of its own (not a test file) so that ``multiprocessing`` with the spawn start method can import it in a
fresh interpreter, as a separate kernel would start.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

SHARED_LEARNER = "two-tabs"  # every writer answers this learner's items too: the same answer raced from 20 tabs
SHARED_ITEMS = 10
REPEAT_EVERY = 10  # every 10th answer is submitted twice in a row, as a double click would


def shared_item(n: int) -> int | None:
    """The shared item a writer submits after its own answer number ``n``, if any (spread over the run)."""
    return n // 20 if n % 20 == 5 and n // 20 < SHARED_ITEMS else None


def write_answers(url: str, writer: int, answers: int, barrier: Any, results: Any) -> None:
    """Submit ``answers`` answers for learner ``learner-<writer>``, repeat some, race on the shared ones, and put a
    summary on ``results``: new rows, refused repeats, the shared items this writer won, errors, retries, latencies."""
    summary: dict[str, Any] = {
        "writer": writer,
        "new": 0,
        "refused": 0,
        "won": [],
        "errors": [],
        "retries": 0,
        "latencies": [],
        "started": None,
        "finished": None,
    }
    try:
        from hnscc_edu.store import Store

        barrier.wait(timeout=300)  # every writer opens the fresh store at the same moment
        store = Store(url)
        summary["started"] = time.monotonic()  # CLOCK_MONOTONIC: comparable between processes on one machine

        def submit(learner: str, context_id: str, item_id: str, response: object) -> bool:
            started = time.perf_counter()
            new = store.record_attempt(learner, "case", context_id, 1, item_id, response, 1.0, 1.0, True, "stage")
            summary["latencies"].append(time.perf_counter() - started)
            summary["new" if new else "refused"] += 1
            return new

        for n in range(answers):
            submit(f"learner-{writer:02d}", "contention", f"item-{n:03d}", {"writer": writer, "n": n})
            if n % REPEAT_EVERY == 0:
                submit(f"learner-{writer:02d}", "contention", f"item-{n:03d}", {"writer": writer, "n": n})
            shared = shared_item(n)
            if shared is not None and submit(SHARED_LEARNER, "race", f"shared-{shared}", {"writer": writer}):
                summary["won"].append(shared)
        summary["finished"] = time.monotonic()
        summary["retries"] = store.retries
        store.engine.dispose()
    except BaseException:  # noqa: BLE001 - everything is reported to the parent, which fails the test on it
        summary["errors"].append(traceback.format_exc())
    results.put(summary)


def expected_refused(writers: int, answers: int) -> int:
    """Refused submissions in a run: each writer's own repeats, and every losing shared submission."""
    own = len(range(0, answers, REPEAT_EVERY))
    shared = sum(1 for n in range(answers) if shared_item(n) is not None)
    return writers * own + writers * shared - shared
