"""A learner's kernel on a course page holds no store: it talks to the course server. So running a learner notebook's
cells must not load the database layer (SQLAlchemy, the store, the service's server side), which only slowed every
page's cold start (issue 19, section 1). Nor does a page build a plotly figure or load ReportLab before a viewer asks
for a figure or a file. Each notebook runs in a fresh interpreter, as a kernel would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEARNER_PAGES = [
    "00_start_here.ipynb",
    "01_reirradiation.ipynb",
    "01b_reirradiation_planning.ipynb",
    "02_salvage.ipynb",
    "03_systemic.ipynb",
    "calculators.ipynb",
    "90_post_test_and_certificate.ipynb",
]
SERVER_SIDE = ["sqlalchemy", "hnscc_edu.store.database", "hnscc_edu.service.core", "hnscc_edu.service.handlers"]
# What no page needs before a viewer asks for a figure or a file: plotly's figure classes (the figures are built when
# shown) and ReportLab (certificates, the checklist's PDF: made on request, or by a thread once the page is shown).
ON_REQUEST = ["plotly.basedatatypes", "reportlab"]


def code_of(notebook: str) -> str:
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


@pytest.mark.parametrize("notebook", LEARNER_PAGES)
def test_a_learner_page_runs_without_loading_the_store(notebook):
    # no course server in this environment: every page takes its "not connected" path, which is the one a cold
    # kernel runs before it knows its viewer; the server-side modules must stay unloaded either way
    script = textwrap.dedent(
        f"""
        import json, sys
        exec(compile({code_of(notebook)!r}, {notebook!r}, "exec"), {{"__name__": "__main__"}})
        print(json.dumps([name for name in {SERVER_SIDE + ON_REQUEST!r} if name in sys.modules]))
        """
    )
    # no course server to find (its address and secret, or a Voila port to look one up by); the course cache is the
    # one every test uses, so the course is parsed once, not once per page
    hidden = ("HNSCC_EDU_SERVICE_URL", "HNSCC_EDU_SERVICE_TOKEN", "VOILA_APP_PORT")
    env = {name: value for name, value in os.environ.items() if name not in hidden}
    env["HNSCC_EDU_AUTO_ANSWER"] = "0"  # a learner's page: cases stay closed until opened
    ran = subprocess.run(
        [sys.executable, "-c", script],
        check=False,  # the return code is asserted with its stderr
        cwd=ROOT / "notebooks",
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    loaded = json.loads(ran.stdout.strip().splitlines()[-1])
    assert [name for name in loaded if name in SERVER_SIDE] == [], f"{notebook} loaded the server side: {loaded}"
    if "checklist_download(" in code_of(notebook):
        loaded = [name for name in loaded if name != "reportlab"]  # the checklist's thread may have started on it
    assert loaded == [], f"{notebook} loaded on arrival what only a request needs: {loaded}"


def test_the_check_notices_a_page_that_loads_the_store():
    """The same check, on code that does load the store, finds it (so the test above can fail)."""
    script = "import sys, hnscc_edu.store\nhnscc_edu.store.Store\nprint('sqlalchemy' in sys.modules)"
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert ran.stdout.strip() == "True"


def test_the_presenters_dashboard_loads_the_store_only_where_it_holds_it():
    """On a hub the presenter's kernel asks the course server (``RemoteLiveStore``) and loads no database layer; on
    one machine ``show_presenter`` opens the store itself, and only then is SQLAlchemy loaded."""
    script = (
        "import sys\nimport hnscc_edu.ui.presenter\nhub = 'sqlalchemy' in sys.modules\n"
        "from hnscc_edu.store.live import LiveStore\nprint(hub, 'sqlalchemy' in sys.modules)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert ran.stdout.split() == ["False", "True"], ran.stdout + ran.stderr
