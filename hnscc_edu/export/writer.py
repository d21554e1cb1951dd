"""Run one export: choose the sources, let the format build its files, and write them (the one place that writes).

``build`` is pure (content and store rows in, an ``Output`` out); ``write`` puts an output into a folder; ``run_export``
does both and, for xAPI, can post the statements to an LRS as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..content.course import CourseContent
from ..store.database import Store, case_moves
from . import FORMATS, gift, moodle, qti12, qti21, static_html, xapi
from .common import ExportError, ExportWarning, Output, select_sources
from .lrs import LrsEndpoint, post_statements

ITEM_FORMATS = {"qti21": qti21.export, "qti12": qti12.export, "moodle": moodle.export, "gift": gift.export}
STATEMENTS_FILE = "statements.jsonl"
DEFAULT_DISCLAIMER = (
    "Education, not clinical advice. The patients are synthetic; decisions for real patients "
    "belong to their treating team."
)


@dataclass(frozen=True)
class Records:
    """The store's rows an xAPI export reads: attempts (``Store.attempt_rows()``) and case moves."""

    attempts: list[dict[str, Any]]
    moves: list[dict[str, Any]]


def read_records(store: Store, learner_id: str | None = None) -> Records:
    query = select(case_moves).order_by(case_moves.c.id)
    if learner_id is not None:
        query = query.where(case_moves.c.learner_id == learner_id)
    with store.engine.connect() as conn:
        moves = [dict(row._mapping) for row in conn.execute(query)]
    return Records(store.attempt_rows(learner_id), moves)


def _merge(outputs: Sequence[Output]) -> Output:
    files: dict[str, bytes] = {}
    warnings: list[ExportWarning] = []
    for output in outputs:
        files.update(output.files)
        warnings.extend(output.warnings)
    return Output(files, tuple(warnings))


def build_statements(
    content: CourseContent, ids: Sequence[str] | None, records: Records, settings: xapi.XapiSettings | None = None
) -> list[dict]:
    """The xAPI statements of the stored records (of the named banks and cases only, when ``ids`` is given)."""
    if ids is not None:
        select_sources(content, ids)  # the same "no such bank or case" message as the other formats
    if settings is None:
        pass_percent = content.info.passing_score_percent if content.info else xapi.XapiSettings.pass_percent
        settings = xapi.XapiSettings(pass_percent=pass_percent)
    return xapi.statements(records.attempts, records.moves, content, settings, ids)


def build(
    fmt: str,
    content: CourseContent,
    ids: Sequence[str] | None = None,
    records: Records | None = None,
    settings: xapi.XapiSettings | None = None,
) -> Output:
    """The files of one format for the named banks and cases (all when ``ids`` is None)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    references = content.references
    if fmt in ITEM_FORMATS:
        return _merge([ITEM_FORMATS[fmt](source, references) for source in select_sources(content, ids)])
    if fmt == "html":
        disclaimer = content.info.disclaimer if content.info else DEFAULT_DISCLAIMER
        return _merge(
            [
                static_html.render(
                    content.banks[s.id] if s.kind == "bank" else content.cases[s.id], references, disclaimer
                )
                for s in select_sources(content, ids)
            ]
        )
    if records is None:
        raise ExportError("the xapi export needs the store's records")
    statements = build_statements(content, ids, records, settings)
    return Output({STATEMENTS_FILE: xapi.json_lines(statements).encode("utf-8")})


def write(output: Output, out_dir: Path) -> list[Path]:
    """Write every file of ``output`` under ``out_dir`` (created when missing); return the paths written."""
    written = []
    for name, data in output.files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


@dataclass(frozen=True)
class Report:
    files: list[Path]
    warnings: tuple[ExportWarning, ...]
    statements: int = 0
    posted: int = 0


def run_export(
    fmt: str,
    content: CourseContent,
    out_dir: Path,
    ids: Sequence[str] | None = None,
    store: Store | None = None,
    learner_id: str | None = None,
    settings: xapi.XapiSettings | None = None,
    lrs: LrsEndpoint | None = None,
) -> Report:
    """Build one format, write it under ``out_dir``, and for xAPI post the statements to ``lrs`` when given."""
    if fmt != "xapi":
        output = build(fmt, content, ids)
        return Report(write(output, out_dir), output.warnings)
    statements = build_statements(content, ids, read_records(store or Store(), learner_id), settings)
    files = write(Output({STATEMENTS_FILE: xapi.json_lines(statements).encode("utf-8")}), out_dir)
    posted = len(post_statements(statements, lrs)) if lrs is not None and statements else 0
    return Report(files, (), len(statements), posted)
