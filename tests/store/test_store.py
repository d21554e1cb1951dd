import subprocess
import sys
import textwrap

import pytest

from hnscc_edu.rules.grading import InvalidResponse
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store, StoreError
from tests.helpers import FIXTURE_COURSE, ROOT, fixture_course

CASE = fixture_course().case("fixture-case")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_each_answer_is_written_when_submitted(url):
    session = CaseSession(CASE, Store(url), "learner-1")
    session.submit("fx-single", "b")
    # read through a separate engine and connection: the row is committed, not only held in memory
    from sqlalchemy import create_engine, text

    other = create_engine(url)
    with other.connect() as conn:
        rows = conn.execute(text("select learner_id, item_id, response, score from attempts")).all()
    other.dispose()
    assert [tuple(r) for r in rows] == [("learner-1", "fx-single", '"b"', 0.0)]


def test_a_refused_answer_stores_nothing_and_keeps_earlier_ones(url):
    store = Store(url)
    session = CaseSession(CASE, store, "learner-1")
    session.submit("fx-single", "a")
    with pytest.raises(InvalidResponse):
        session.submit("fx-multi", [])
    assert [r["item_id"] for r in store.attempt_rows()] == ["fx-single"]


def test_a_new_session_resumes_at_the_same_stage_with_the_same_answers(url):
    first = CaseSession(CASE, Store(url), "learner-1")
    first.submit("fx-single", "a")
    first.submit("fx-multi", ["b", "a"])
    first.advance()
    first.submit("fx-numeric", "70 Gy")
    again = CaseSession(CASE, Store(url), "learner-1")
    assert again.state.path == ("history", "plan")
    assert again.result("fx-numeric").correct is True
    assert again.response("fx-multi") == ["a", "b"]
    assert CaseSession(CASE, Store(url), "someone-else").state.path == ("history",)


def test_restart_begins_a_new_run_and_keeps_the_old_record(url):
    store = Store(url)
    session = CaseSession(CASE, store, "learner-1")
    session.submit("fx-single", "b")
    session.restart()
    assert CaseSession(CASE, store, "learner-1").state.answers == {}
    assert len(store.attempt_rows("learner-1")) == 1


def test_progress_survives_a_real_process_restart(url):
    """Two separate Python processes, as two kernels would be: the second sees what the first submitted."""
    script = textwrap.dedent(f"""
        import sys
        from hnscc_edu.content.course import load_course
        from hnscc_edu.sessions.case_session import CaseSession
        from hnscc_edu.store import Store
        case = load_course(__import__('pathlib').Path({str(FIXTURE_COURSE)!r})).case('fixture-case')
        session = CaseSession(case, Store({url!r}), 'learner-1')
        if sys.argv[1] == 'write':
            session.submit('fx-single', 'a'); session.submit('fx-multi', ['a', 'b']); session.advance()
        print(session.state.path[-1], len(session.state.answers))
    """)

    def run(mode: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", script, mode], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert run("write") == "plan 2"
    assert run("read") == "plan 2"


def test_an_unusable_database_url_gets_a_clear_message(tmp_path):
    with pytest.raises(StoreError, match="cannot be opened"):
        Store(f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}")
