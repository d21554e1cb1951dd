"""The layers contract (``[tool.importlinter]`` in pyproject.toml) holds on the package, and it is not a formality:
a copy of the package with one import against the layers is refused, naming the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` run in ``folder`` (its pyproject.toml, its copy of the package first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(folder), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], check=False, cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "hnscc_edu", tmp_path / "hnscc_edu", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "seeded", "named"),
    [
        # the store reaching up into the widgets: the engine<->store kind of cycle the review found
        ("store/database.py", "from ..ui import render", "hnscc_edu.store.database -> hnscc_edu.ui.render"),
        # a report drawing with the widget layer's helpers (export <-> ui), even when imported inside a function
        (
            "export/report.py",
            "def _late():\n    from ..ui import figures",
            "hnscc_edu.export.report -> hnscc_edu.ui.figures",
        ),
        # a pure rule opening the database
        ("rules/grading/single.py", "import sqlalchemy", "hnscc_edu.rules.grading.single -> sqlalchemy"),
    ],
)
def test_an_import_against_the_layers_is_refused(copy_of_the_package: Path, module: str, seeded: str, named: str):
    target = copy_of_the_package / "hnscc_edu" / module
    target.write_text(target.read_text() + f"\n\n{seeded}\n")
    result = lint_imports(copy_of_the_package)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert named in " ".join(result.stdout.split()), result.stdout


def test_a_module_outside_every_layer_is_refused(copy_of_the_package: Path):
    (copy_of_the_package / "hnscc_edu" / "helpers.py").write_text('"""A new module nobody placed."""\n')
    result = lint_imports(copy_of_the_package)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hnscc_edu.helpers" in result.stdout
