"""Notebooks are thin and committed without outputs, except the cells nbval checks, and without widget state."""

import nbformat
import pytest

from tests.helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARK = "# NBVAL_CHECK_OUTPUT"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_stray_outputs_or_widget_state(path):
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata
    assert notebook.metadata.get("title"), "a title gives the Voila page a meaningful <title>"
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert cell.source.lstrip().startswith(MARK), cell.source[:60]
    assert path.stat().st_size < 50_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_page_says_education_not_clinical_advice(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "Education, not clinical advice" in first.source


def test_there_is_a_start_page_and_a_module_notebook():
    names = {p.name for p in NOTEBOOKS}
    assert {"00_start_here.ipynb", "01_reirradiation.ipynb"} <= names
