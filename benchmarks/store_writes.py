"""How fast answers reach the store, alone and with several kernels writing to one SQLite file at once.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/store_writes.py [--writers 8] [--answers 200]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from pathlib import Path

from hnscc_edu.store import Store


def _writer(url: str, learner: str, answers: int, queue) -> None:
    store = Store(url)
    latencies = []
    for n in range(answers):
        started = time.perf_counter()
        store.record_attempt(learner, "case", "bench-case", 1, f"item-{n}", ["a", "b"], 1.0, 1.0, True, "stage")
        latencies.append(time.perf_counter() - started)
    queue.put(latencies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--answers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        Store(url)
        queue = mp.Queue()
        started = time.perf_counter()
        workers = [
            mp.Process(target=_writer, args=(url, f"learner-{w}", args.answers, queue)) for w in range(args.writers)
        ]
        for worker in workers:
            worker.start()
        latencies = [x for _ in workers for x in queue.get()]
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        rows = len(Store(url).attempt_rows())
    latencies.sort()
    print(f"writers: {args.writers}, answers each: {args.answers}, rows stored: {rows}")
    print(f"throughput: {rows / elapsed:.0f} answers/s over {elapsed:.2f} s (including process start)")
    print(
        f"latency per answer: median {statistics.median(latencies) * 1000:.2f} ms, "
        f"p95 {latencies[int(0.95 * len(latencies))] * 1000:.2f} ms, max {latencies[-1] * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
