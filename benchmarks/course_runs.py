"""Whole-course figures for benchmarks/run.py: the nbval run of every notebook and content validation.

Both run as the maintainer runs them, in fresh processes with the test suite's isolation (conftest.py), so the
figure includes starting Python and the kernels, as a course build does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "HNSCC_EDU_COURSE_ROOT"},
    )
    return time.perf_counter() - started, done


def nbval_whole_course() -> dict[str, object]:
    """Every notebook under notebooks/ through nbval, as ``make test`` runs them (auto-answer mode)."""
    seconds, done = _timed(
        [
            str(BIN / "python"),
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-q",
            "-p",
            "no:cacheprovider",
            "notebooks",
        ]
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]
    return {
        "seconds": round(seconds, 1),
        "passed": done.returncode == 0,
        "pytest_said": summary,
        "notebooks": len(list((ROOT / "notebooks").glob("*.ipynb"))),
    }


def content_validation() -> dict[str, object]:
    """``hnscc-edu validate``: parse and lint every content file (a fresh process, no cache involved)."""
    seconds, done = _timed([str(BIN / "hnscc-edu"), "validate"])
    in_process = _in_process_load()
    return {
        "command_seconds": round(seconds, 2),
        "passed": done.returncode == 0,
        "load_and_lint_seconds": round(in_process, 3),
    }


def _in_process_load() -> float:
    from hnscc_edu.content.course import load_course

    started = time.perf_counter()
    load_course(ROOT)
    return time.perf_counter() - started
