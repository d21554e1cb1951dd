"""What a learner sees on opening a course notebook in JupyterLab (issue 20 §1): the Python collapsed, and no committed
output that reads as progress they have not made. The automatic test-run cells are tagged, collapsed, and their
committed outputs say they are an example run with the answer key."""

from __future__ import annotations

import json

import pytest

from hnscc_edu.ui.rehearsal import TEST_RUN
from scripts.hide_code_cells import TAG, is_test_run
from tests.helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PROGRESS_WORDS = ("complete;", "questions answered", "core path:", "certificate issued", "pre-test completed")


def _code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def _output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "".join(parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_is_collapsed_for_learners(path):
    shown = [c["id"] for c in _code_cells(path) if not c["metadata"].get("jupyter", {}).get("source_hidden")]
    assert not shown, f"{path.name}: code cells not collapsed (run scripts/hide_code_cells.py): {shown}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_test_run_cells_are_tagged_collapsed_and_read_as_examples(path):
    for cell in _code_cells(path):
        text = _output_text(cell)
        if is_test_run("".join(cell["source"])):
            assert TAG in cell["metadata"].get("tags", []) and cell["metadata"]["jupyter"].get("outputs_hidden")
            assert all(line.startswith((TEST_RUN, "Rehearsal:")) for line in text.splitlines() if line), text
        else:
            claims = [w for w in PROGRESS_WORDS if w in text]
            assert not claims, f"{path.name} cell {cell['id']}: a committed output reads as progress: {claims}"


def test_the_checker_sees_a_progress_claim_outside_a_test_run_cell():
    cell = {
        "source": ["print(player.summary())"],
        "outputs": [{"text": ["Case x: complete; 3 of 3 questions answered"]}],
    }
    assert not is_test_run("".join(cell["source"]))
    assert [w for w in PROGRESS_WORDS if w in _output_text(cell)]
