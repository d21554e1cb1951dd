"""``hnscc-edu report`` starts the store's count of the case answers before it loads pandas: the module that starts
it must not load pandas or numpy itself (else the count would start no sooner)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_the_case_count_module_loads_neither_pandas_nor_numpy():
    probe = (
        "import sys\n"
        "import hnscc_edu.export.case_counts\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'plotly', 'scipy') if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
