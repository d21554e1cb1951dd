"""What the course director's outcomes report reads from the store, shaped so that millions of answers never become
millions of Python objects (issue 19 section 1: ``hnscc-edu report`` on 10,000,000 answers in 20 s under 1 GiB).

Five reads, each in one transaction on any SQLAlchemy URL (SQLite and PostgreSQL are tested):

- ``for_each_event_batch``: every learner's path events, oldest first, in batches (the caller replays them as they
  come and keeps only each learner's state);
- ``acknowledgements``: the events that give each learner's profession, read first;
- ``for_each_test_answer_batch``: the answers to the pre- and post-test (a few per learner), in batches of plain
  tuples;
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

from sqlalchemy import Column, Integer, MetaData, String, Table, and_, case, exists, func, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import Select

from .database import Store, StoreError, utc
from .schema import attempts, evaluation_objectives, evaluations, path_events

BATCH = 20_000  # rows fetched at a time: large enough for the driver, small enough to keep memory flat


class CaseAnswerCount(NamedTuple):
    """The learners' first answers to one scored case question, for the learners of one profession."""

    case_id: str
    item_id: str | None  # None: the case's questions the caller did not name (answered, then removed from the case)
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


def _insert(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """Add ``rows`` (tuples in the table's column order) through the driver's ``executemany``: a temporary table of
    100,000 learners fills in a fraction of a second, where SQLAlchemy's per-row parameter handling takes seconds."""
    if not rows:
        return
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=[column.name for column in table.columns])
    names = [column.name for column in table.columns]
    if compiled.positional:
        order = [names.index(name) for name in compiled.positiontup or ()]
        params: list[Any] = [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(names, row, strict=True)) for row in rows]
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(str(compiled), params)
    finally:
        cursor.close()


def for_each_event_batch(store: Store, visit: Callable[[list[tuple[str, str, dt.datetime, Any]]], None]) -> None:
    """Call ``visit(events)`` with every learner's path events, oldest first, in batches of (learner id, kind, time,
    data) tuples: the time as aware UTC, the data parsed from its JSON. The caller folds them learner by learner, so
    no learner's events need to be kept together."""

    def work(conn: Connection) -> None:
        at_type = path_events.c.at.type.dialect_impl(conn.dialect)
        to_datetime = at_type.result_processor(conn.dialect, None) or (lambda value: value)
        query = select(path_events.c.learner_id, path_events.c.event, path_events.c.data, path_events.c.at).order_by(
            path_events.c.id
        )
        decode = json.JSONDecoder().raw_decode  # the document without the check for text after it: the store
        # wrote it with json.dumps, and the check costs as much as the decoding for these small documents
        for batch in _raw_rows(conn, query):
            visit([(learner, kind, utc(to_datetime(at)), decode(data)[0]) for learner, kind, data, at in batch])

    _read(store, work)


def acknowledgements(store: Store) -> list[tuple[str, dt.datetime, Any]]:
    """Every stored "acknowledged" path event, oldest first: (learner id, time as aware UTC, data)."""

    def work(conn: Connection) -> list[tuple[str, dt.datetime, Any]]:
        to_datetime = path_events.c.at.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
        query = (
            select(path_events.c.learner_id, path_events.c.data, path_events.c.at)
            .where(path_events.c.event == "acknowledged")
            .order_by(path_events.c.id)
        )
        decode = json.JSONDecoder().raw_decode
        return [
            (learner, utc(to_datetime(at) if to_datetime else at), decode(data)[0])
            for batch in _raw_rows(conn, query)
            for learner, data, at in batch
        ]

    return _read(store, work)


def for_each_test_answer_batch(
    store: Store, tests: Sequence[str], run: int, visit: Callable[[list[tuple]], None]
) -> None:
    """Call ``visit(rows)`` with every stored answer to the tests ``tests`` (banks: context "bank") in run ``run``,
    in batches of (learner_id, test id, item_id, score, max_score, response) tuples, in no particular order."""
    if not tests:
        return
    query = select(
        attempts.c.learner_id,
        attempts.c.context_id,
        attempts.c.item_id,
        attempts.c.score,
        attempts.c.max_score,
        attempts.c.response,
    ).where(attempts.c.context == "bank", attempts.c.context_id.in_(list(tests)), attempts.c.run == run)

    def work(conn: Connection) -> None:
        for batch in _raw_rows(conn, query):
            visit(batch)

    _read(store, work)


def first_case_answer_counts(
    store: Store, questions: Iterable[tuple[str, str]], professions: Mapping[str, str]
) -> list[CaseAnswerCount]:
    """Each learner's first answer to each scored case question (the earliest stored, whatever the run; a question
    without a key, ``correct`` NULL, is not scored), counted per (case, question, profession of the learner).
    ``questions``: the (case id, item id) pairs to count one by one; answers to other questions of a case are counted
    together under item None. ``professions``: learner id -> profession; other learners count under None.

    The database does the counting, grouping on small numbers it looks up in two temporary tables (a sort on
    numbers is cheaper than on the ids' text). The store keeps one answer per item and run, so a case a learner went
    through in one run only holds one answer per question, the first; only a case with another run (runs start at
    1, so any run but 1 marks one) can hold a later answer to the same question. Those learners' rows of those cases
    are left out of the count and their first answers are picked here, by id."""
    metadata = MetaData()
    question_table = Table(
        "report_questions",
        metadata,
        Column("case_id", String(100), primary_key=True),
        Column("item_id", String(100), primary_key=True),
        Column("number", Integer, nullable=False),
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,
    )
    profession_table = Table(
        "report_professions",
        metadata,
        Column("learner_id", String(200), primary_key=True),
        Column("number", Integer, nullable=False),
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
    question_list = list(dict.fromkeys(questions))
    names = sorted(set(professions.values()))
    number_of = {name: number for number, name in enumerate(names)}

    def work(conn: Connection) -> list[CaseAnswerCount]:
        restarted = conn.execute(
            select(attempts.c.learner_id, attempts.c.context_id)
            .where(attempts.c.context == "case", attempts.c.run != 1)
            .distinct()
        ).all()
        metadata.create_all(conn)
        try:
            _insert(conn, question_table, [(c, i, n) for n, (c, i) in enumerate(question_list)])
            _insert(conn, profession_table, [(who, number_of[what]) for who, what in professions.items()])
            _insert(conn, restarted_table, [tuple(row) for row in restarted])
            counts: dict[tuple, list] = {}
            unregistered = len(names)  # the number the query gives learners without a profession
            for group, case_id, answers, concordant, credit in _counted(
                conn,
                question_table,
                profession_table,
                restarted_table,
                len(question_list),
                len(names) + 1,
                exclude=bool(restarted),
            ):
                question, profession = divmod(group, len(names) + 1)
                item_id = None
                if question < len(question_list):
                    case_id, item_id = question_list[question]
                key = (case_id, item_id, None if profession == unregistered else names[profession])
                counts[key] = [int(answers), int(concordant or 0), float(credit or 0.0)]
            if restarted:
                known = set(question_list)
                for learner, case_id, item_id, correct, credit in _first_answers_of_restarted_cases(
                    conn, restarted_table
                ):
                    key = (case_id, item_id if (case_id, item_id) in known else None, professions.get(learner))
                    entry = counts.setdefault(key, [0, 0, 0.0])
                    entry[0] += 1
                    entry[1] += 1 if correct else 0
                    entry[2] += credit
        finally:
            metadata.drop_all(conn)
        return [CaseAnswerCount(*key, *value) for key, value in sorted(counts.items(), key=_sort_key)]

    return _read(store, work)


def _sort_key(entry: tuple[tuple[str, str | None, str | None], list]) -> tuple:
    case_id, item_id, profession = entry[0]
    return case_id, item_id is None, item_id or "", profession is None, profession or ""


_SCORED = and_(attempts.c.context == "case", attempts.c.correct.is_not(None))


def _counted(
    conn: Connection,
    questions: Table,
    professions: Table,
    restarted: Table,
    unnamed_question: int,
    slots: int,
    *,
    exclude: bool,
) -> Iterator:
    """(group, case id of an unnamed question, answers, concordant, credit) over the scored answers of the cases
    never started again; group = question number x ``slots`` + profession number, with the next question number
    for the questions not named and the last profession number for learners without one. One number to group on
    (and, for named questions, a NULL after it) makes the database's sort cheaper than three columns."""
    question = func.coalesce(questions.c.number, literal(unnamed_question))
    group = question * slots + func.coalesce(professions.c.number, literal(slots - 1))
    unnamed_case = case((questions.c.number.is_(None), attempts.c.context_id))
    query = (
        select(
            group,
            unnamed_case,
            func.count(),
            func.sum(case((attempts.c.correct, 1), else_=0)),
            func.sum(attempts.c.score / func.nullif(attempts.c.max_score, 0)),
        )
        .select_from(
            attempts.outerjoin(
                questions, and_(questions.c.case_id == attempts.c.context_id, questions.c.item_id == attempts.c.item_id)
            ).outerjoin(professions, professions.c.learner_id == attempts.c.learner_id)
        )
        .where(_SCORED)
        .group_by(group, unnamed_case)
    )
    if exclude:
        query = query.where(
            ~exists().where(
                restarted.c.learner_id == attempts.c.learner_id, restarted.c.case_id == attempts.c.context_id
            )
        )
    for batch in _raw_rows(conn, query):
        yield from batch


def _first_answers_of_restarted_cases(conn: Connection, restarted: Table) -> Iterator[tuple]:
    """(learner, case, item, correct, credit) of each first scored answer in the cases started again, by id."""
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
        .where(_SCORED)
        .order_by(attempts.c.id)
    )
    seen: set[tuple[str, str, str]] = set()
    for batch in _raw_rows(conn, query):
        for learner, case_id, item_id, correct, score, max_score in batch:
            if (learner, case_id, item_id) not in seen:
                seen.add((learner, case_id, item_id))
                yield learner, case_id, item_id, correct, score / max_score if max_score else 0.0


def _typed_rows(conn: Connection, query: Select) -> list[dict[str, Any]]:
    """The rows of ``query`` as dicts, with the values SQLAlchemy would give (its own result processors, applied
    to the columns that have one instead of through a row object per row)."""
    names = [column.name for column in query.selected_columns]
    processors = [
        (name, process)
        for name, column in zip(names, query.selected_columns, strict=True)
        if (process := column.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)) is not None
    ]
    rows = []
    for batch in _raw_rows(conn, query):
        for values in batch:
            row = dict(zip(names, values, strict=True))
            for name, process in processors:
                if row[name] is not None:
                    row[name] = process(row[name])
            rows.append(row)
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
