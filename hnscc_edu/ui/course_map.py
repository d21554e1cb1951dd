"""The course map: every case by module, core or deepening, with its estimated minutes and the notebook it is in.

The core path (course.yaml ``core_path``) is what credit asks for; every other case deepens a module and is optional.
Minutes come from ``content.timing``. Pure functions returning rows and escaped HTML; the notebook only displays them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..content.course import CourseContent
from ..content.timing import course_timing

_SHOW_CASE = re.compile(r"""show_case\(\s*["']([A-Za-z0-9_.-]+)["']""")


def case_notebooks(notebook_dir: Path) -> dict[str, str]:
    """Which notebook shows each case (the first ``show_case("id")`` call found), by file name."""
    where: dict[str, str] = {}
    for path in sorted(notebook_dir.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") == "code":
                for case_id in _SHOW_CASE.findall("".join(cell.get("source", []))):
                    where.setdefault(case_id, path.name)
    return where


@dataclass(frozen=True)
class MapRow:
    module: int
    case_id: str
    title: str
    core: bool
    minutes: float
    notebook: str | None


def course_map_rows(content: CourseContent, notebooks: Mapping[str, str]) -> list[MapRow]:
    core_path = content.info.core_path if content.info else []
    timing = course_timing(content.cases.values(), core_path)
    return [MapRow(c.module, c.id, c.title, c.core, c.minutes, notebooks.get(c.id)) for c in timing.cases]


def _minutes(value: float) -> str:
    return f"about {max(1, round(value))} min"


PROGRESS_WORDS = {"finished": "Finished", "started": "Started", None: "Not started"}


def course_map_html(
    rows: Iterable[MapRow], module: int | None = None, progress: Mapping[str, str] | None = None
) -> str:
    """A table per module: core cases first, then the optional deepening ones, each with its time and link, and
    the learner's progress in each when the course server could say (``progress``: case id -> "finished" or
    "started"; a case not named is not started)."""
    rows = [r for r in rows if module is None or r.module == module]
    core_total = sum(r.minutes for r in rows if r.core)
    all_total = sum(r.minutes for r in rows)
    body = []
    for row in sorted(rows, key=lambda r: (r.module, not r.core, r.case_id)):
        title = html.escape(row.title)
        if row.notebook:
            title = f'<a href="{html.escape(row.notebook)}">{title}</a>'
        path = "<strong>Core</strong> (needed for credit)" if row.core else "Deepening (optional)"
        mine = ""
        if progress is not None:
            state = progress.get(row.case_id)
            mine = (
                f'<td class="hnscc-progress-{state or "none"}">'
                f"{'<strong>' if state == 'finished' else ''}{PROGRESS_WORDS.get(state, 'Not started')}"
                f"{'</strong>' if state == 'finished' else ''}</td>"
            )
        body.append(
            f"<tr><td>{row.module}</td><td>{title}</td><td>{path}</td><td>{_minutes(row.minutes)}</td>{mine}</tr>"
        )
    scope = f"Module {module}" if module is not None else "The course"
    progress_head = "" if progress is None else "<th scope='col'>Your progress</th>"
    return (
        f'<table class="hnscc-table"><caption>{scope}: the core path takes {_minutes(core_total)}; '
        f"everything, {_minutes(all_total)}</caption><thead><tr><th scope='col'>Module</th>"
        f"<th scope='col'>Case</th><th scope='col'>Path</th><th scope='col'>Time</th>"
        f"{progress_head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
