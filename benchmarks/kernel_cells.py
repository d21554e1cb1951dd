"""The kernel's share of a page's first load: each notebook run in a fresh kernel, its code cells timed by the kernel.

    .venv/bin/python benchmarks/kernel_cells.py [--rounds 3] [NOTEBOOK ...]

Prints one JSON document: per notebook (default: every notebook of ``notebooks/`` and the bare floor page of
``benchmarks/voila_dashboards.py``), per round, the kernel time of its cells (from the kernel taking a cell to its
reply, as nbclient records them with ``record_timing``) and its slowest cells. The cells Voila skips (``voila.json``:
``VoilaExecutor.skip_cells_with_tag``) are skipped here too. A Voila page's cold time adds to this the kernel's start,
one round trip per code cell and the browser drawing the widgets (``benchmarks/run.py --only voila``).

The notebooks run as in Voila with no course server beside them (a temporary SQLite store, no
``HNSCC_EDU_SERVICE_URL``): the pages' calls to the course service fail at once and show no progress, so the times
here leave out those requests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the benchmarks package next to it

from benchmarks.voila_dashboards import BARE, write_served_folder

ROOT = Path(__file__).resolve().parents[1]
SLOWEST = 3  # cells listed per run


def _seconds(cell: nbformat.NotebookNode) -> float | None:
    timing = cell.metadata.get("execution", {})
    began, replied = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (began and replied):
        return None  # a skipped cell
    return (
        dt.datetime.fromisoformat(replied.rstrip("Z")) - dt.datetime.fromisoformat(began.rstrip("Z"))
    ).total_seconds()


def run_once(path: Path, skip_tag: str) -> dict:
    """One fresh kernel running ``path``: the kernel time of its cells, and the slowest ones by their first line."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        record_timing=True,
        skip_cells_with_tag=skip_tag,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    cells = [
        (seconds, cell)
        for cell in notebook.cells
        if cell.cell_type == "code"
        if (seconds := _seconds(cell)) is not None
    ]
    slowest = sorted(cells, key=lambda pair: pair[0], reverse=True)[:SLOWEST]
    return {
        "cells_s": round(sum(seconds for seconds, _ in cells), 3),
        "code_cells_run": len(cells),
        "slowest": [{"s": round(s, 3), "cell": (c.source.splitlines() or [""])[0][:80]} for s, c in slowest],
    }


def main(argv: list[str] | None = None) -> int:
    all_notebooks = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help=f"default: {BARE} and every course notebook")
    parser.add_argument("--rounds", type=int, default=3, help="fresh kernels per notebook")
    args = parser.parse_args(argv)
    names = args.notebooks or [BARE, *all_notebooks]
    unknown = sorted(set(names) - {BARE, *all_notebooks})
    if unknown:
        parser.error(f"not a notebook of notebooks/: {', '.join(unknown)}")
    skip_tag = json.loads((ROOT / "voila.json").read_text())["VoilaExecutor"]["skip_cells_with_tag"]
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        write_served_folder(folder, [name for name in names if name != BARE])
        os.environ.update(
            HNSCC_EDU_DB_URL=f"sqlite:///{folder / 'store.sqlite3'}",
            HNSCC_EDU_LEARNER_ID="kernel-cells",
            HNSCC_EDU_AUTO_ANSWER="0",
            HNSCC_EDU_COURSE_ROOT=str(ROOT),
        )
        for inherited in ("HNSCC_EDU_SERVICE_URL", "HNSCC_EDU_SERVICE_TOKEN", "HNSCC_EDU_SHARED_VIEWERS"):
            os.environ.pop(inherited, None)
        for _ in range(args.rounds):  # rounds visit every notebook in turn, so a noisy moment slows all alike
            for name in names:
                results.setdefault(name, []).append(run_once(folder / name, skip_tag))
    summary = {
        name: {"cells_s_median": round(statistics.median(r["cells_s"] for r in runs), 3), "runs": runs}
        for name, runs in results.items()
    }
    print(
        json.dumps({"taken_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "notebooks": summary}, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
