"""Mark the course notebooks' code cells for learners who open them in JupyterLab: the Python is collapsed (the
narrative and the widgets are the course), and the cells that exist only for the automatic test run (nbval) are
tagged ``test-run`` with their output collapsed too, so an example output never reads as the learner's progress.

Run after adding a cell (``python scripts/hide_code_cells.py``); ``tests/content/test_notebook_cells.py`` checks it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_RUN_CALLS = ("self_check(", "path_self_check(", "rehearse_if_auto(")
TAG = "test-run"


def is_test_run(source: str) -> bool:
    """A cell that prints only in automatic runs (``HNSCC_EDU_AUTO_ANSWER``): the self-checks and the rehearsal."""
    return any(line.strip().startswith(TEST_RUN_CALLS) for line in source.splitlines())


def mark(cell: dict) -> None:
    source = "".join(cell["source"])
    metadata = cell.setdefault("metadata", {})
    jupyter = metadata.setdefault("jupyter", {})
    jupyter["source_hidden"] = True
    if is_test_run(source):
        jupyter["outputs_hidden"] = True
        tags = metadata.setdefault("tags", [])
        if TAG not in tags:
            tags.append(TAG)


def main() -> int:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                mark(cell)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
