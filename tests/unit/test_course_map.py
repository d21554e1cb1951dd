"""The course map on the start page: every case once, core cases marked, linked to the notebook that shows it."""

import json

from hnscc_edu.content.course import load_course
from hnscc_edu.ui.course_map import case_notebooks, course_map_html, course_map_rows
from tests.helpers import ROOT


def test_every_case_is_shown_by_a_notebook_and_mapped_once():
    content = load_course(ROOT)
    notebooks = case_notebooks(ROOT / "notebooks")
    assert set(content.cases) <= set(notebooks), sorted(set(content.cases) - set(notebooks))
    rows = course_map_rows(content, notebooks)
    assert sorted(r.case_id for r in rows) == sorted(content.cases)
    assert sorted(r.case_id for r in rows if r.core) == sorted(content.info.core_path)


def test_the_map_marks_core_and_deepening_and_escapes_titles(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ['show_case("a-case")\n']},
            {"cell_type": "markdown", "source": ['show_case("not-code")']},
        ]
    }
    (tmp_path / "m.ipynb").write_text(json.dumps(notebook))
    assert case_notebooks(tmp_path) == {"a-case": "m.ipynb"}
    content = load_course(ROOT)
    rows = course_map_rows(content, {})
    page = course_map_html(rows, module=2)
    module_two = [r for r in rows if r.module == 2]
    assert page.count("<tr><td>2</td>") == len(module_two)
    assert page.count("<strong>Core</strong>") == sum(r.core for r in module_two) >= 1
    assert page.count("Deepening (optional)") == sum(not r.core for r in module_two)
    hostile = rows[0].__class__(1, "x", "<script>alert(1)</script>", True, 12.4, None)
    assert "<script>" not in course_map_html([hostile]) and "about 12 min" in course_map_html([hostile])


def test_the_map_shows_the_learners_progress_in_each_case_when_known():
    content = load_course(ROOT)
    rows = [r for r in course_map_rows(content, {}) if r.module == 1]
    finished, started = rows[0].case_id, rows[1].case_id
    page = course_map_html(rows, module=1, progress={finished: "finished", started: "started"})
    assert "Your progress" in page
    assert page.count("<strong>Finished</strong>") == 1 and page.count(">Started<") == 1
    assert page.count("Not started") == len(rows) - 2
    unknown = course_map_html(rows, module=1)  # no course server to ask: no column, rather than a wrong one
    assert "Your progress" not in unknown and "Not started" not in unknown
