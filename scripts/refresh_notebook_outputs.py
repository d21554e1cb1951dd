"""Run the course notebooks in auto-answer mode with a throw-away store and keep only the outputs nbval checks.

As under nbval (conftest.py), a course service runs on the throw-away store for the one learner ``nbval-learner``
and acknowledges the activity information first; the notebooks run in name order against it.

Notebooks are committed without outputs, except the cells marked ``# NBVAL_CHECK_OUTPUT``. Run this after changing
content a checked cell prints (``make notebooks``), then review the diff. Name notebooks to refresh only those
(``python scripts/refresh_notebook_outputs.py 02_salvage.ipynb``); they still run in name order, after nothing else.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MARK = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    notebook.metadata.pop("widgets", None)  # widget state would only bloat the file; the kernel rebuilds it
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timings change on every run
        if cell.cell_type != "code":
            continue
        if not cell.source.lstrip().startswith(MARK):
            cell.outputs = []
            cell.execution_count = None
        else:
            for output in cell.outputs:
                output.pop("execution_count", None)
    nbformat.write(notebook, path)
    print(f"refreshed {path.relative_to(ROOT)}")


def main(names: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            {
                "HNSCC_EDU_DB_URL": f"sqlite:///{folder}/refresh.sqlite3",
                "HNSCC_EDU_LEARNER_ID": "nbval-learner",
                "HNSCC_EDU_AUTO_ANSWER": "1",
                "HNSCC_EDU_COURSE_ROOT": str(ROOT),
                "HNSCC_EDU_KEY_DIR": f"{folder}/keys",  # a throw-away signing key, as the tests make one (conftest.py)
            }
        )
        from hnscc_edu import keys

        keys.init(Path(folder) / "keys")
        sys.path.insert(0, str(ROOT))
        from tests.service_harness import ServiceProcess

        service = ServiceProcess(os.environ["HNSCC_EDU_DB_URL"], "nbval-learner", Path(folder) / "service.log")
        try:
            os.environ.update(service.env())
            service.client().path("acknowledge", profession="radiation_oncologist", degree="MD")
            paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
            unknown = set(names or ()) - {p.name for p in paths}
            if unknown:
                raise SystemExit(f"no such notebook in notebooks/: {', '.join(sorted(unknown))}")
            for path in paths:
                if not names or path.name in names:
                    refresh(path)
        finally:
            service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
