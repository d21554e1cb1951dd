"""Figures at a million answers, for benchmarks/run.py: grading throughput and the time of ``hnscc-edu report``.

The store is filled the way real use fills it: a seeded synthetic cohort walks the real path (``simulate_cohort``),
then its rows are copied under new learner ids until the attempts table holds the target count. Copying keeps every
learner's events, evaluation, attestation and certificate together, so the report sees complete, consistent learners.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
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
    base = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    replicas = -(-target_attempts // base) - 1  # the seed cohort counts as the first copy
    for k in range(1, replicas + 1):
        for table, columns in _COPIES.items():
            renamed = columns.replace("learner_id", f"learner_id || '-c{k}'", 1)
            conn.execute(
                f"INSERT INTO {table} ({columns}) SELECT {renamed} FROM {table} WHERE learner_id NOT LIKE '%-c%'"
            )
        _copy_evaluations(conn, k)
        _copy_certificates(conn, k)
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
        "SELECT id, learner_id, free_of_bias, bias_comment, submitted_at FROM evaluations "
        "WHERE learner_id NOT LIKE '%-c%'"
    ).fetchall()
    for old_id, learner, free, comment, at in rows:
        new_id = conn.execute(
            "INSERT INTO evaluations (learner_id, free_of_bias, bias_comment, submitted_at) VALUES (?, ?, ?, ?)",
            (f"{learner}-c{k}", free, comment, at),
        ).lastrowid
        conn.execute(
            "INSERT INTO evaluation_objectives (evaluation_id, learner_id, objective_id, met, commitment) "
            "SELECT ?, learner_id || ?, objective_id, met, commitment FROM evaluation_objectives "
            "WHERE evaluation_id = ?",
            (new_id, f"-c{k}", old_id),
        )


def _copy_certificates(conn: sqlite3.Connection, k: int) -> None:
    conn.execute(
        "INSERT INTO certificates (certificate_id, learner_id, payload, sha256, issued_at) "
        "SELECT certificate_id || ?, learner_id || ?, payload, sha256, issued_at FROM certificates "
        "WHERE learner_id NOT LIKE '%-c%'",
        (f"-c{k}", f"-c{k}"),
    )


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
    """Wall time of the ``hnscc-edu report`` command on the store (a fresh process, as a course director runs it)."""
    command = [
        str(Path(sys.executable).with_name("hnscc-edu")),
        "report",
        "--db",
        f"sqlite:///{path}",
        "--out",
        str(out),
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, HNSCC_EDU_COURSE_ROOT=str(ROOT)),
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"hnscc-edu report failed: {done.stderr.strip()[-500:]}")
    return {"seconds": round(seconds, 2), "said": done.stdout.strip()}
