"""Figures at a million answers and more, for benchmarks/run.py: grading throughput, and the time and peak memory of
``hnscc-edu report``.

The store is filled the way real use fills it: a seeded synthetic cohort walks the real path (``simulate_cohort``),
then its rows are copied under new learner ids until the attempts table holds the target count. Copying keeps every
learner's events, evaluation, attestation and certificate together, so the report sees complete, consistent learners.
The seed cohort's rows are read once into temporary tables and each copy is made from them, so building 10,000,000
answers takes minutes, not hours (each copy used to search the whole, growing table for the seed rows).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hnscc_edu.content.course import CourseContent
from hnscc_edu.rules.grading import grade
from hnscc_edu.rules.signing import Signer
from hnscc_edu.sessions.simulation import simulate_cohort
from hnscc_edu.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED_LEARNERS = 60

# Tables copied per replica; {k} is the replica number. Columns left out are the autoincrement ids.
_COPIES = {
    "attempts": "learner_id, context, context_id, run, stage_id, item_id, response, score, max_score, correct, "
    "submitted_at",
    "case_moves": "learner_id, case_id, run, event, from_stage, to_stage, at",
    "path_events": "learner_id, event, data, at",
    "attestations": "learner_id, full_name, minutes, credit, attested_at",
}


def build_store(content: CourseContent, path: Path, target_attempts: int) -> dict[str, float]:
    """A SQLite store at ``path`` holding at least ``target_attempts`` attempts; returns how it was built."""
    started = time.perf_counter()
    store = Store(f"sqlite:///{path}")
    simulate_cohort(content, store, SEED_LEARNERS, seed=2026, prefix="sim", signer=Signer.generate())
    store.engine.dispose()
    simulated = time.perf_counter() - started
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA temp_store = FILE")  # the seed rows are few; keep memory for the copies
    for table, columns in _COPIES.items():
        conn.execute(f"CREATE TEMP TABLE seed_{table} AS SELECT {columns} FROM {table} ORDER BY id")
    conn.execute("CREATE TEMP TABLE seed_evaluations AS SELECT * FROM evaluations ORDER BY id")
    conn.execute("CREATE TEMP TABLE seed_evaluation_objectives AS SELECT * FROM evaluation_objectives ORDER BY id")
    conn.execute("CREATE TEMP TABLE seed_certificates AS SELECT * FROM certificates")
    base = conn.execute("SELECT count(*) FROM seed_attempts").fetchone()[0]
    replicas = -(-target_attempts // base) - 1  # the seed cohort counts as the first copy
    for k in range(1, replicas + 1):
        for table, columns in _COPIES.items():
            renamed = columns.replace("learner_id", f"learner_id || '-c{k}'", 1)
            conn.execute(f"INSERT INTO {table} ({columns}) SELECT {renamed} FROM seed_{table} ORDER BY rowid")
        _copy_evaluations(conn, k)
        _copy_certificates(conn, k)
        if k % 50 == 0:
            conn.commit()
    conn.commit()
    attempts = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    learners = conn.execute("SELECT count(DISTINCT learner_id) FROM path_events").fetchone()[0]
    conn.close()
    return {
        "seed_learners": SEED_LEARNERS,
        "simulate_s": round(simulated, 2),
        "attempts": attempts,
        "learners": learners,
        "build_s": round(time.perf_counter() - started, 2),
        "store_mib": round(path.stat().st_size / 2**20, 1),
    }


def _copy_evaluations(conn: sqlite3.Connection, k: int) -> None:
    rows = conn.execute(
        "SELECT id, learner_id, free_of_bias, bias_comment, submitted_at FROM seed_evaluations ORDER BY id"
    ).fetchall()
    for old_id, learner, free, comment, at in rows:
        new_id = conn.execute(
            "INSERT INTO evaluations (learner_id, free_of_bias, bias_comment, submitted_at) VALUES (?, ?, ?, ?)",
            (f"{learner}-c{k}", free, comment, at),
        ).lastrowid
        conn.execute(
            "INSERT INTO evaluation_objectives (evaluation_id, learner_id, objective_id, met, commitment) "
            "SELECT ?, learner_id || ?, objective_id, met, commitment FROM seed_evaluation_objectives "
            "WHERE evaluation_id = ? ORDER BY id",
            (new_id, f"-c{k}", old_id),
        )


def _copy_certificates(conn: sqlite3.Connection, k: int) -> None:
    conn.execute(
        "INSERT INTO certificates (certificate_id, learner_id, payload, sha256, issued_at) "
        "SELECT certificate_id || ?, learner_id || ?, payload, sha256, issued_at FROM seed_certificates",
        (f"-c{k}", f"-c{k}"),
    )


def attempt_count(path: Path) -> int:
    """How many answers the store at ``path`` holds (0 when there is no store)."""
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


def grading_throughput(content: CourseContent, path: Path, count: int) -> dict[str, float]:
    """Grade ``count`` stored answers (read back from the store, every item type the cohort answered) in one
    process; returns answers graded per second."""
    items = {item.id: item for case in content.cases.values() for item in case.items}
    items |= {item.id: item for bank in content.banks.values() for item in bank.items}
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT item_id, response FROM attempts LIMIT ?", (count,)).fetchall()
    conn.close()
    answers = [(items[item_id], json.loads(response)) for item_id, response in rows if item_id in items]
    started = time.perf_counter()
    points = 0.0
    for item, response in answers:
        points += grade(item, response).score
    seconds = time.perf_counter() - started
    return {
        "answers": len(answers),
        "seconds": round(seconds, 2),
        "answers_per_s": round(len(answers) / seconds),
        "item_types": len({type(item).__name__ for item, _ in answers}),
    }


def report_time(path: Path, out: Path) -> dict[str, float]:
    """Wall time and peak memory (the process's maximum resident set) of the ``hnscc-edu report`` command on the
    store, in a fresh process, as a course director runs it."""
    command = [
        str(Path(sys.executable).with_name("hnscc-edu")),
        "report",
        "--db",
        f"sqlite:///{path}",
        "--out",
        str(out),
    ]
    with tempfile.TemporaryFile("w+") as said, tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=said,
            stderr=errors,
            cwd=ROOT,
            env=dict(os.environ, HNSCC_EDU_COURSE_ROOT=str(ROOT)),
        )
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resource use, peak memory included
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        said.seek(0)
        errors.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"hnscc-edu report failed: {errors.read().strip()[-500:]}")
        return {
            "seconds": round(seconds, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "said": said.read().strip(),
        }
