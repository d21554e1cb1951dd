"""Many kernels answering at once: 20 writer processes x 200 answers against one store, started together.

The same workload as tests/hardening/test_contention.py (each writer its own process and Store; every 10th answer
double-clicked; all writers racing on one shared learner's items), on a fresh SQLite file and, with --postgres, on a
throw-away PostgreSQL server (or --url). Prints one JSON document; asserts nothing.

Run: .venv/bin/python benchmarks/store_contention.py [--writers 20] [--answers 200] [--postgres] [--url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hnscc_edu.store import Store
from tests.hardening.writers import write_answers


def _percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))]


def measure(url: str, writers: int, answers: int) -> dict:
    """Run the writers against ``url`` (a fresh store) and summarise what they saw."""
    context = mp.get_context("spawn")
    barrier, results = context.Barrier(writers), context.Queue()
    processes = [
        context.Process(target=write_answers, args=(url, n, answers, barrier, results)) for n in range(writers)
    ]
    for process in processes:
        process.start()
    summaries = [results.get(timeout=1800) for _ in processes]
    for process in processes:
        process.join()
    store = Store(url)
    rows = len(store.attempt_rows())
    store.engine.dispose()
    latencies = sorted(x for s in summaries for x in s["latencies"])
    submissions = len(latencies)
    # the writing phase: from the first writer's first write to the last writer's last (process start excluded)
    started = min(s["started"] for s in summaries if s["started"] is not None)
    finished = max(s["finished"] for s in summaries if s["finished"] is not None)
    elapsed = finished - started
    return {
        "writers": writers,
        "answers_each": answers,
        "submissions": submissions,
        "rows_stored": rows,
        "duplicates_refused": sum(s["refused"] for s in summaries),
        "errors": sum(len(s["errors"]) for s in summaries),
        "seconds": round(elapsed, 3),
        "answers_per_s": round(submissions / elapsed, 1),
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 2),
            "p95": round(_percentile(latencies, 0.95) * 1000, 2),
            "p99": round(_percentile(latencies, 0.99) * 1000, 2),
            "max": round(latencies[-1] * 1000, 2),
        },
        "retries": sum(s["retries"] for s in summaries),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="also on a throw-away local PostgreSQL server")
    parser.add_argument("--url", help="also on this (empty) database")
    args = parser.parse_args()
    report: dict = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    with tempfile.TemporaryDirectory() as folder:
        report["sqlite"] = measure(f"sqlite:///{Path(folder) / 'contention.sqlite3'}", args.writers, args.answers)
    if args.postgres:
        from tests.postgres_server import PostgresServer

        server = PostgresServer()
        try:
            report["postgresql"] = measure(server.url, args.writers, args.answers)
        finally:
            server.stop()
    if args.url:
        report["url"] = measure(args.url, args.writers, args.answers)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
