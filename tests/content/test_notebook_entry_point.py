"""The course notebooks import from one place, ``hnscc_edu.course_page`` (issue 19 §2): in their first code cell, only
names it lists in ``__all__``; and a page loads only the modules of what it shows."""

from __future__ import annotations

import ast
import subprocess
import sys

import nbformat
import pytest

from hnscc_edu import course_page
from tests.helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _imports(source: str) -> list[ast.ImportFrom | ast.Import]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import | ast.ImportFrom)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_imports_only_from_the_course_page_in_its_first_code_cell(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    first = _imports(code[0].source)
    assert first and all(isinstance(n, ast.ImportFrom) and n.module == "hnscc_edu.course_page" for n in first)
    names = {alias.name for node in first for alias in node.names}
    assert names <= set(course_page.__all__), names - set(course_page.__all__)
    later = [ast.unparse(n) for cell in code[1:] for n in _imports(cell.source)]
    assert later == [], f"{path.name}: imports outside the first code cell: {later}"


def test_every_name_of_the_course_page_resolves_to_a_call():
    for name in course_page.__all__:
        assert callable(getattr(course_page, name)), name
    with pytest.raises(AttributeError, match="no 'show_everything'"):
        course_page.show_everything  # noqa: B018 - the attribute access is the test


def test_a_case_page_does_not_load_the_credit_calculator_or_live_poll_modules():
    names = ", ".join(sorted({"show_case", "show_case_figures", "show_chart", "show_module_check", "self_check"}))
    probe = (
        f"import sys\nfrom hnscc_edu.course_page import {names}\n"
        "print(sorted(m for m in ('hnscc_edu.path_notebook', 'hnscc_edu.toolbox', 'hnscc_edu.ui.presenter', "
        "'hnscc_edu.ui.path_panel', 'reportlab') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr


def test_the_test_run_calls_print_nothing_for_learners(monkeypatch, capsys):
    """The cells tagged ``test-run`` call these; a learner's page (no HNSCC_EDU_AUTO_ANSWER) gets no output from them,
    so Voila hides the cell (no input, no output) and JupyterLab shows it collapsed."""
    from hnscc_edu.ui.rehearsal import AUTO_ANSWER_VARIABLE, TEST_RUN

    monkeypatch.delenv(AUTO_ANSWER_VARIABLE, raising=False)
    course_page.self_check(None)
    course_page.path_self_check(None)
    assert capsys.readouterr().out == ""
    monkeypatch.setenv(AUTO_ANSWER_VARIABLE, "1")
    course_page.self_check(None)
    course_page.path_self_check(None)
    assert [line.startswith(TEST_RUN) for line in capsys.readouterr().out.splitlines()] == [True, True]
