"""Small shared helpers for the tests."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

from hnscc_edu.content.course import CourseContent, load_course
from hnscc_edu.rules.grading.keys import key_response

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_COURSE = ROOT / "tests" / "fixtures" / "course"


def run_cli(
    *args: str, cwd: Path = ROOT, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """``hnscc-edu *args`` run in this process (the console script's ``main``), answered as a finished process.

    In-process, so a command on the real course reuses the parse of its files from earlier loads (a new process
    parses them again, about two seconds); ``tests/content/test_validate_cli.py`` keeps running the installed console
    script itself. ``env`` sets variables for the run (``None`` removes one)."""
    from hnscc_edu import cli

    out, err = io.StringIO(), io.StringIO()
    changes = {k: v for k, v in (env or {}).items() if v is not None}
    removed = [k for k, v in (env or {}).items() if v is None]
    with (
        mock.patch.dict(os.environ, changes),
        contextlib.chdir(cwd),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        for name in removed:
            os.environ.pop(name, None)
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["hnscc-edu", *args], code, out.getvalue(), err.getvalue())


def fixture_course() -> CourseContent:
    content = load_course(FIXTURE_COURSE)
    assert not content.problems, [str(p) for p in content.problems]
    return content


def finish_with_keys(session, case_id: str) -> None:
    """Play a case session (in the store, or through the course service) to its end with every item's key, as a
    learner who knows every answer would."""
    for _ in range(200):
        if session.state.completed:
            return
        for item in session.stage.items:
            if session.result(item.id) is None:
                session.submit(item.id, key_response(item))
        session.advance()
    raise AssertionError(f"case {case_id} did not finish")
