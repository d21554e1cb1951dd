"""kill -9 of a kernel right after a submission returns: a new process finds the answer and the case resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine

from tests.helpers import ROOT

# The kernel: walks the fixture case to the second stage, submits its answer there, says so, then waits to be killed.
KERNEL = textwrap.dedent("""
    import sys, time
    from hnscc_edu.sessions.case_session import CaseSession
    from hnscc_edu.store import Store
    from tests.helpers import fixture_course

    session = CaseSession(fixture_course().case("fixture-case"), Store(sys.argv[1]), "learner-1")
    session.submit("fx-single", "a")
    session.submit("fx-multi", ["b", "a"])
    session.advance()
    session.submit("fx-numeric", "70 Gy")
    print("stored", flush=True)
    time.sleep(600)
""")

# A new kernel on the same store: what the learner would see after a restart.
RESUME = textwrap.dedent("""
    import json, sys
    from hnscc_edu.sessions.case_session import CaseSession
    from hnscc_edu.store import Store
    from tests.helpers import fixture_course

    session = CaseSession(fixture_course().case("fixture-case"), Store(sys.argv[1]), "learner-1")
    print(json.dumps({"path": session.state.path, "stage": session.stage.id,
                      "answers": {i: session.response(i) for i in session.state.answers},
                      "numeric_correct": session.result("fx-numeric").correct}))
""")

# A kernel that submits answer after answer and reports each one once it is saved, until it is killed mid-stream.
STREAM = textwrap.dedent("""
    import sys
    from hnscc_edu.store import Store

    store = Store(sys.argv[1])
    n = 0
    while True:
        store.record_attempt("learner-2", "case", "stream", 1, f"item-{n}", {"n": n}, 1.0, 1.0, True, "stage")
        print(f"stored {n}", flush=True)
        n += 1
""")


def start(script: str, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def kill_hard(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    process.stdout.close()


@pytest.mark.timeout(300)
def test_an_answer_survives_kill_9_right_after_it_is_stored(url):
    kernel = start(KERNEL, url)
    try:
        assert kernel.stdout.readline().strip() == "stored"
    finally:
        kill_hard(kernel)  # at once: no clean shutdown, no engine disposal, no checkpoint of the WAL
    resumed = subprocess.run([sys.executable, "-c", RESUME, url], cwd=ROOT, capture_output=True, text=True, check=True)
    state = json.loads(resumed.stdout)
    assert state["path"] == ["history", "plan"]
    assert state["stage"] == "plan"
    assert state["answers"] == {"fx-single": "a", "fx-multi": ["a", "b"], "fx-numeric": "70 Gy"}
    assert state["numeric_correct"] is True


@pytest.mark.timeout(300)
def test_kill_9_in_the_middle_of_a_stream_of_writes_loses_no_reported_answer(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    kernel = start(STREAM, url)
    try:
        reported = [kernel.stdout.readline().strip() for _ in range(200)]
    finally:
        kill_hard(kernel)
    assert reported == [f"stored {n}" for n in range(200)]
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        items = conn.exec_driver_sql("SELECT item_id FROM attempts ORDER BY id").scalars().all()
    engine.dispose()
    # every reported answer is there; at most the one in flight at the kill is there without having been reported
    assert items[:200] == [f"item-{n}" for n in range(200)]
    assert items == [f"item-{n}" for n in range(len(items))]
