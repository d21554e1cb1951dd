"""What the course director's outcomes report reads from the store, shaped so that millions of answers never become
millions of Python objects (issue 19 section 1: ``hnscc-edu report`` on 10,000,000 answers in 20 s under 1 GiB).

Three reads, each in one transaction on any SQLAlchemy URL (SQLite and PostgreSQL are tested):

- ``for_each_learner``: every learner's path events, oldest first, handed over one learner at a time (the caller
  replays them and keeps only the result);
- ``for_each_answer_batch``: the answers of the pre- and post-test (a few per learner), in batches of plain tuples;
- ``first_case_answer_counts``: the case answers (most of the table) counted by the database, per case item and
  profession, so only a few thousand rows leave it;
- ``first_evaluations``: each learner's first evaluation, as ``CreditStore.first_evaluations`` gives it.

Big results are read through the driver's own cursor: at a million rows, SQLAlchemy's row objects and type processing
cost more than the query (the column types that matter are applied here by hand, with SQLAlchemy's own processors).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Column, MetaData, String, Table, and_, case, exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from .database import Store, StoreError, utc
from .schema import attempts, evaluation_objectives, evaluations, path_events

BATCH = 20_000  # rows fetched at a time: large enough for the driver, small enough to keep memory flat

# An event as the store keeps it: (kind, time, data), as in store/credit.py.
StoredEvent = tuple[str, dt.datetime, Mapping[str, Any]]


class CaseAnswerCount(NamedTuple):
    """The learners' first answers to one scored case question, for the learners of one profession."""

    case_id: str
    item_id: str
    profession: str | None  # None: a learner the caller gave no profession for
    answers: int
    concordant: int  # answers marked correct (the faculty key)
    credit: float  # the sum of score / max_score over those answers


def _read(store: Store, work: Callable[[Connection], Any]) -> Any:
    try:
        return store.transaction(work, write=False)
    except SQLAlchemyError as exc:
        raise StoreError(f"The course store could not be read ({exc.__class__.__name__}).") from exc


def _raw_rows(conn: Connection, query: Select) -> Iterator[list[tuple]]:
    """The rows of ``query`` in batches of plain tuples, straight from the driver's cursor (no type processing)."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def for_each_learner(store: Store, visit: Callable[[str, list[StoredEvent]], None]) -> list[str]:
    """Call ``visit(learner_id, events)`` once per learner, with the learner's path events oldest first; return the
    learner ids in the order of their first stored event (the order the report lists learners in).

    Each learner's events are in memory only while ``visit`` runs: the query is ordered by learner, then id."""

    def work(conn: Connection) -> list[str]:
        at_type = path_events.c.at.type.dialect_impl(conn.dialect)
        to_datetime = at_type.result_processor(conn.dialect, None) or (lambda value: value)
        query = select(
            path_events.c.learner_id, path_events.c.id, path_events.c.event, path_events.c.data, path_events.c.at
        ).order_by(path_events.c.learner_id, path_events.c.id)
        first_ids: list[tuple[int, str]] = []
        learner: str | None = None
        events: list[StoredEvent] = []
        for batch in _raw_rows(conn, query):
            for who, event_id, kind, data, at in batch:
                if who != learner:
                    if learner is not None:
                        visit(learner, events)
                    learner, events = who, []
                    first_ids.append((event_id, who))
                events.append((kind, utc(to_datetime(at)), json.loads(data)))
        if learner is not None:
            visit(learner, events)
        return [who for _, who in sorted(first_ids)]

    return _read(store, work)


def for_each_answer_batch(
    store: Store, context_ids: Sequence[str], runs: Iterable[int], visit: Callable[[list[tuple]], None]
) -> None:
    """Call ``visit(rows)`` with the stored answers of the tests ``context_ids`` (context "bank") in ``runs``, in
    batches of (learner_id, context_id, run, item_id, score, max_score, response) tuples, in no particular order."""
    if not context_ids:
        return
    query = select(
        attempts.c.learner_id,
        attempts.c.context_id,
        attempts.c.run,
        attempts.c.item_id,
        attempts.c.score,
        attempts.c.max_score,
        attempts.c.response,
    ).where(
        attempts.c.context == "bank", attempts.c.context_id.in_(list(context_ids)), attempts.c.run.in_(sorted(runs))
    )

    def work(conn: Connection) -> None:
        for batch in _raw_rows(conn, query):
            visit(batch)

    _read(store, work)


def first_case_answer_counts(store: Store, professions: Mapping[str, str]) -> list[CaseAnswerCount]:
    """Each learner's first answer to each scored case question (the earliest stored, whatever the run; a question
    without a key, ``correct`` NULL, is not scored), counted per (case, question, profession of the learner).

    The database does the counting. The store keeps one answer per item and run, so a case a learner went through
    in one run only holds one answer per question, the first; only a case with another run (runs start at 1, so any
    run but 1 marks one) can hold a later answer to the same question. Those learners' rows of those cases are left
    out of the count and their first answers are picked here, by id. ``professions``: learner id -> profession;
    other learners count under None."""
    metadata = MetaData()
    profession_table = Table(
        "report_professions",
        metadata,
        Column("learner_id", String(200), primary_key=True),
        Column("profession", String(100), nullable=False),
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,
    )
    restarted_table = Table(
        "report_restarted_cases",
        metadata,
        Column("learner_id", String(200), primary_key=True),
        Column("case_id", String(100), primary_key=True),
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,
    )
    scored = and_(attempts.c.context == "case", attempts.c.correct.is_not(None))

    def work(conn: Connection) -> list[CaseAnswerCount]:
        restarted = conn.execute(
            select(attempts.c.learner_id, attempts.c.context_id)
            .where(attempts.c.context == "case", attempts.c.run != 1)
            .distinct()
        ).all()
        metadata.create_all(conn)
        try:
            if professions:
                conn.execute(
                    profession_table.insert(),
                    [{"learner_id": who, "profession": what} for who, what in professions.items()],
                )
            if restarted:
                conn.execute(
                    restarted_table.insert(), [{"learner_id": who, "case_id": case_id} for who, case_id in restarted]
                )
            counts = _counted(conn, profession_table, restarted_table, scored, exclude=bool(restarted))
            if restarted:
                _add_first_answers_of_restarted_cases(conn, counts, restarted_table, scored, professions)
        finally:
            metadata.drop_all(conn)
        return [CaseAnswerCount(*key, *value) for key, value in sorted(counts.items(), key=_sort_key)]

    return _read(store, work)


def _sort_key(entry: tuple[tuple[str, str, str | None], list]) -> tuple:
    case_id, item_id, profession = entry[0]
    return case_id, item_id, profession is None, profession or ""


def _counted(conn: Connection, professions: Table, restarted: Table, scored, *, exclude: bool) -> dict[tuple, list]:
    """{(case, item, profession): [answers, concordant, credit]} over the answers of cases never started again."""
    query = (
        select(
            attempts.c.context_id,
            attempts.c.item_id,
            professions.c.profession,
            func.count(),
            func.sum(case((attempts.c.correct, 1), else_=0)),
            func.sum(attempts.c.score / func.nullif(attempts.c.max_score, 0)),
        )
        .select_from(attempts.outerjoin(professions, professions.c.learner_id == attempts.c.learner_id))
        .where(scored)
        .group_by(attempts.c.context_id, attempts.c.item_id, professions.c.profession)
    )
    if exclude:
        query = query.where(
            ~exists().where(
                restarted.c.learner_id == attempts.c.learner_id, restarted.c.case_id == attempts.c.context_id
            )
        )
    counts: dict[tuple, list] = {}
    for batch in _raw_rows(conn, query):
        for case_id, item_id, profession, answers, concordant, credit in batch:
            counts[(case_id, item_id, profession)] = [int(answers), int(concordant or 0), float(credit or 0.0)]
    return counts


def _add_first_answers_of_restarted_cases(
    conn: Connection, counts: dict[tuple, list], restarted: Table, scored, professions: Mapping[str, str]
) -> None:
    query = (
        select(
            attempts.c.learner_id,
            attempts.c.context_id,
            attempts.c.item_id,
            attempts.c.correct,
            attempts.c.score,
            attempts.c.max_score,
        )
        .select_from(
            attempts.join(
                restarted,
                and_(restarted.c.learner_id == attempts.c.learner_id, restarted.c.case_id == attempts.c.context_id),
            )
        )
        .where(scored)
        .order_by(attempts.c.id)
    )
    seen: set[tuple[str, str, str]] = set()
    for batch in _raw_rows(conn, query):
        for learner, case_id, item_id, correct, score, max_score in batch:
            if (learner, case_id, item_id) in seen:
                continue
            seen.add((learner, case_id, item_id))
            entry = counts.setdefault((case_id, item_id, professions.get(learner)), [0, 0, 0.0])
            entry[0] += 1
            entry[1] += 1 if correct else 0
            entry[2] += score / max_score if max_score else 0.0


def _typed_rows(conn: Connection, query: Select) -> list[dict[str, Any]]:
    """The rows of ``query`` as dicts, with the values SQLAlchemy would give (its own result processors, applied
    per column instead of through a row object per row)."""
    names = [column.name for column in query.selected_columns]
    processors = [
        column.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None) for column in query.selected_columns
    ]
    rows = []
    for batch in _raw_rows(conn, query):
        for values in batch:
            rows.append(
                {
                    name: value if process is None or value is None else process(value)
                    for name, process, value in zip(names, processors, values, strict=True)
                }
            )
    return rows


def first_evaluations(store: Store) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Each learner's first evaluation ({learner id: row}; a second one, from a racing tab, is not counted) and the
    per-objective rows of those evaluations only, oldest first: what ``CreditStore.first_evaluations`` returns, read
    without a row object per row (a class of 100,000 learners has 300,000 objective rows)."""

    def work(conn: Connection) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        first: dict[str, dict[str, Any]] = {}
        for row in _typed_rows(conn, select(evaluations).order_by(evaluations.c.id)):
            first.setdefault(row["learner_id"], row)
        kept = {row["id"] for row in first.values()}
        objectives = _typed_rows(conn, select(evaluation_objectives).order_by(evaluation_objectives.c.id))
        return first, [row for row in objectives if row["evaluation_id"] in kept]

    return _read(store, work)
