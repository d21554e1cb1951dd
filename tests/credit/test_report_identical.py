"""The outcomes report built where the data are (``export/report_data.py``, issue 19 section 1) gives the same CSV
files, byte for byte, and the same page as the per-row algorithm it replaced (``report_reference.py``, the code of
5f768f2), on SQLite and on PostgreSQL.

The cohort is small (a few seconds) but reaches every table: simulated learners walk the real path, then are copied
the way ``benchmarks/attempts_at_scale.py`` copies them (so 30 learners share a post-test form, which gets its own
KR-20), and hand-made rows add what a simulation never writes: a case started again, with one question answered in
run 2 before run 1 (racing tabs); answers from a learner with no path; a pre-test started and never finished; a
pre-test answer to an item the learner was not given and one to an item no longer in the bank; partial credit whose
sums depend on the order of addition; an answer to a question removed from its case; a second evaluation from a
racing tab; a path event out of order; follow-ups.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, insert, literal, select, update

from hnscc_edu.export import report
from hnscc_edu.export.report_data import CSV_FILES, ReportData
from hnscc_edu.rules.follow_up import OUTCOMES
from hnscc_edu.rules.signing import Signer
from hnscc_edu.sessions.simulation import simulate_cohort
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.store.schema import attempts, evaluation_answers, evaluation_objectives, evaluations, path_events
from tests.conftest import fresh_database
from tests.credit import report_reference
from tests.credit.conftest import COURSE

SEED_LEARNERS = 8
COPIES = 30  # every seed learner's post-test form is then taken by 31 learners: a form with its own KR-20
TODAY = dt.date(2027, 9, 1)  # inside every simulated learner's follow-up window or past it
PRE = next(b for b in COURSE.banks.values() if b.purpose == "pre")
POST = next(b for b in COURSE.banks.values() if b.purpose == "post")
T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def without_id(row, **changes) -> dict:
    """A stored row's values for a new row (the database numbers it)."""
    return {name: value for name, value in row._mapping.items() if name != "id"} | changes


def copy_learners(store: Store, copies: int) -> None:
    """Copy every learner's answers, events, attestation and first-evaluation rows under new ids (``-c1``...)."""
    copied = {
        attempts: (
            "learner_id",
            "context",
            "context_id",
            "run",
            "stage_id",
            "item_id",
            "response",
            "score",
            "max_score",
            "correct",
            "submitted_at",
        ),
        path_events: ("learner_id", "event", "data", "at"),
    }

    def work(conn) -> None:
        for k in range(1, copies + 1):
            for table, columns in copied.items():
                source = [
                    (table.c.learner_id + literal(f"-c{k}")).label("learner_id")
                    if name == "learner_id"
                    else table.c[name]
                    for name in columns
                ]
                conn.execute(
                    insert(table).from_select(
                        list(columns), select(*source).where(table.c.learner_id.not_like("%-c%")).order_by(table.c.id)
                    )
                )
            for row in conn.execute(select(evaluations).where(evaluations.c.learner_id.not_like("%-c%"))).all():
                new = without_id(row, learner_id=f"{row.learner_id}-c{k}")
                new_id = conn.execute(insert(evaluations).values(new)).inserted_primary_key[0]
                for table in (evaluation_objectives, evaluation_answers):
                    for child in conn.execute(select(table).where(table.c.evaluation_id == row.id)).all():
                        values = without_id(child, evaluation_id=new_id, learner_id=new["learner_id"])
                        conn.execute(insert(table).values(values))

    store.transaction(work, write=True)


def add_edge_cases(store: Store) -> None:
    """The rows a simulation never writes (see the module docstring)."""

    def answer(conn, learner, context, context_id, run, item_id, response, score, max_score, correct) -> None:
        conn.execute(
            insert(attempts).values(
                learner_id=learner,
                context=context,
                context_id=context_id,
                run=run,
                stage_id=None,
                item_id=item_id,
                response=json.dumps(response),
                score=score,
                max_score=max_score,
                correct=correct,
                submitted_at=T0,
            )
        )

    def event(conn, learner, kind, data, at=T0) -> None:
        conn.execute(insert(path_events).values(learner_id=learner, event=kind, data=json.dumps(data), at=at))

    def work(conn) -> None:
        # a case started again by a copied learner: two questions answered again in run 2, and one question (its
        # run-1 answer removed) answered in run 2 *before* run 1, as racing tabs would store it
        learner = "sim-00001-c3"
        scored: dict[str, list[str]] = {}
        for row in conn.execute(
            select(attempts.c.context_id, attempts.c.item_id)
            .where(attempts.c.learner_id == learner, attempts.c.context == "case", attempts.c.correct.is_not(None))
            .order_by(attempts.c.id)
        ):
            scored.setdefault(row.context_id, []).append(row.item_id)
        case_id, items = next((case, items) for case, items in scored.items() if len(items) >= 3)
        first_item, second_item, third_item = items[:3]
        for item in (first_item, second_item):
            answer(conn, learner, "case", case_id, 2, item, "x", 0.1, 1.0, False)
        conn.execute(
            attempts.delete().where(
                attempts.c.learner_id == learner, attempts.c.context_id == case_id, attempts.c.item_id == third_item
            )
        )
        answer(conn, learner, "case", case_id, 2, third_item, "x", 1.0, 1.0, True)
        answer(conn, learner, "case", case_id, 1, third_item, "x", 0.0, 1.0, False)
        # an answer to a question since removed from the case (counted for the case and profession, not listed)
        answer(conn, "sim-00004-c7", "case", case_id, 1, "retired-question", "x", 0.5, 1.0, True)
        # answers from a learner who has no path (not registered)
        answer(conn, "edge-ghost", "case", case_id, 1, first_item, "x", 1.0 / 3, 1.0, True)
        answer(conn, "edge-ghost", "bank", PRE.id, 1, PRE.items[0].id, "a", 1.0, 1.0, True)
        # a pre-test started and never finished, with answers
        event(conn, "edge-dropout", "acknowledged", {"profession": "nurse", "degree": "RN"})
        drawn = [item.id for item in PRE.items[:3]]
        event(conn, "edge-dropout", "pretest_started", {"items": drawn})
        for item in drawn:
            answer(conn, "edge-dropout", "bank", PRE.id, 1, item, "a", 1.0, 1.0, True)
        # pre-test answers to an item the learner was not given and to one no longer in the bank
        answer(conn, "sim-00002-c5", "bank", PRE.id, 1, "pre-retired-item", "b", 1.0, 1.0, True)
        answer(conn, "sim-00002-c6", "bank", PRE.id, 2, PRE.items[1].id, "b", 1.0, 1.0, True)
        # partial credit on the pre-test whose sums depend on the order of addition (thirds, tenths, sevenths; the
        # post-test stays all-or-nothing, which its decision consistency needs)
        for number, share in enumerate((1 / 3, 0.1, 2 / 3, 1 / 7, 0.7), start=1):
            conn.execute(
                update(attempts)
                .where(
                    attempts.c.learner_id.like(f"sim-0000{number}%"),
                    attempts.c.context_id == PRE.id,
                    attempts.c.id % 3 == number % 3,
                )
                .values(score=attempts.c.max_score * share)
            )
        # a second evaluation from a racing tab (not counted) and an event out of order (skipped on replay)
        first = conn.execute(select(evaluations).order_by(evaluations.c.id).limit(1)).one()
        conn.execute(insert(evaluations).values(without_id(first, free_of_bias=not first.free_of_bias)))
        event(conn, first.learner_id, "evaluation_submitted", {})
        event(conn, "sim-00003-c2", "pretest_started", {"items": drawn})

    store.transaction(work, write=True)
    # follow-ups of learners who committed to a change, with barriers
    credit = CreditStore(store)
    _, objective_rows = credit.first_evaluations()
    committed: dict[str, list[str]] = {}
    for row in objective_rows:
        if row["intent"] == "will change":
            committed.setdefault(row["learner_id"], []).append(row["objective_id"])
    for number, (learner, objectives) in enumerate(sorted(committed.items())[:40]):
        outcomes = {objective: OUTCOMES[(number + k) % len(OUTCOMES)] for k, objective in enumerate(objectives)}
        barriers = f"[synthetic] barrier {number % 4}" if number % 3 else None
        credit.record_follow_up(learner, T0 + dt.timedelta(days=90), outcomes, barriers)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def cohort(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('identical') / 'cohort.sqlite3'}"
    else:
        url = fresh_database(request.getfixturevalue("postgres"))
    store = Store(url)
    simulate_cohort(COURSE, store, SEED_LEARNERS, seed=19, prefix="sim", signer=Signer.generate())
    copy_learners(store, COPIES)
    add_edge_cases(store)
    yield store
    store.engine.dispose()


def csv_files(tables) -> dict[str, str]:
    return {name: tables[name.removesuffix(".csv")].to_csv(index=False) for name in CSV_FILES}


def test_the_cohort_reaches_every_table(cohort):
    """The comparison below means something only if every table has rows that depend on the data."""
    data = report.build(COURSE, cohort, today=TODAY)
    for name, frame in data.frames().items():
        assert len(frame) > 0, name
    assert (data.reliability["form"].astype(str).str.startswith("one form")).any()
    assert data.decision_consistency["agreement_p0"].notna().all()
    assert (data.item_flags["flags"] != "").any()
    assert data.follow_up["answered"].sum() > 0
    assert "not registered" in set(data.case_concordance_by_profession["profession"])
    assert data.summary["paired_learners"] > 30
    count = cohort.transaction(
        lambda conn: conn.execute(select(func.count()).select_from(attempts)).scalar(), write=False
    )
    assert count > 10_000


def test_every_csv_file_is_byte_for_byte_the_per_row_algorithms(cohort):
    new = report.build(COURSE, cohort, today=TODAY)
    with report_reference.replay_as_before():
        old = report_reference.build(COURSE, cohort, today=TODAY)
    expected, found = csv_files(old), csv_files(vars(new))
    for name in CSV_FILES:
        assert found[name] == expected[name], f"{name} differs from the per-row algorithm's"
    assert new.summary == old["summary"]


def test_the_page_is_the_per_row_algorithms(cohort, tmp_path):
    new = report.build(COURSE, cohort, today=TODAY)
    with report_reference.replay_as_before():
        old = report_reference.build(COURSE, cohort, today=TODAY)
    summary = old.pop("summary")
    report.write(new, COURSE, tmp_path / "new")
    report.write(ReportData(**old, summary=summary), COURSE, tmp_path / "old")
    assert (tmp_path / "new" / "report.html").read_bytes() == (tmp_path / "old" / "report.html").read_bytes()


def test_case_counts_follow_the_replay_when_the_early_professions_disagree(cohort, monkeypatch):
    """The case answers are counted with professions read before the replay; were they ever to differ from the
    replay's, the counts are made again with the replay's, so the tables still agree with the per-row algorithm."""
    from hnscc_edu.export import case_counts

    monkeypatch.setattr(case_counts, "early_professions", lambda store, rules: {})
    new = report.build(COURSE, cohort, today=TODAY)
    with report_reference.replay_as_before():
        old = report_reference.build(COURSE, cohort, today=TODAY)
    for name in ("case_concordance.csv", "case_concordance_by_profession.csv"):
        assert csv_files(vars(new))[name] == csv_files(old)[name], name


def test_a_store_in_memory_gets_its_case_counts_too():
    """The case answers are counted on a connection of their own, beside the replay; a SQLite database in memory is
    a different, empty database on every connection, so there they are counted on the report's own."""
    store = Store("sqlite://")
    simulate_cohort(COURSE, store, 3, seed=7, prefix="mem", signer=Signer.generate())
    new = report.build(COURSE, store, today=TODAY)
    with report_reference.replay_as_before():
        old = report_reference.build(COURSE, store, today=TODAY)
    assert len(new.case_concordance) > 0
    assert csv_files(vars(new)) == csv_files(old)
