"""The package enables its own server extension: a wheel and an editable install (what ``make env`` does) both put
``jupyter-config/jupyter_server_config.d/hnscc_edu.live.json`` into the environment's
``etc/jupyter/jupyter_server_config.d``, where Jupyter Server looks for the extensions to load. Nothing is copied by
hand.

Each test builds the wheel with the project's own build backend (pyproject.toml ``[build-system]``, offline), installs
it with pip into a fresh virtual environment and asks Jupyter Server, run by that environment's Python, which
extensions its configuration enables. The fresh environment borrows the course's dependencies from this one (a
``.pth`` line), so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

BUILD_SYSTEM = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]
CONFIG = ROOT / "jupyter-config" / "jupyter_server_config.d" / "hnscc_edu.live.json"
# the fresh environment sees the checkout only through what pip installed (the tests may run with it on PYTHONPATH)
FRESH = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
DATA = "etc/jupyter/jupyter_server_config.d/hnscc_edu.live.json"  # where an installer puts it, under the prefix
# run by the fresh environment's Python: the extensions its Jupyter Server enables, and where it imports them from
ASK_JUPYTER_SERVER = """
import json, sys
from jupyter_server.serverapp import ServerApp
app = ServerApp()
app.find_server_extensions()
import hnscc_edu.live
points = hnscc_edu.live._jupyter_server_extension_points()
print(json.dumps({"enabled": app.jpserver_extensions, "module": hnscc_edu.live.__file__, "points": points,
                  "prefix": sys.prefix}))
"""


CALL_HOOK = """
import importlib, sys
module, attribute, hook, folder = sys.argv[1:]
backend = importlib.import_module(module)
print(getattr(getattr(backend, attribute) if attribute else backend, hook)(folder))
"""


def build(hook: str, folder: Path) -> Path:
    """The wheel the build backend's PEP 517/660 ``hook`` makes from this checkout, as pip would ask for it."""
    folder.mkdir()
    module, _, attribute = BUILD_SYSTEM["build-backend"].partition(":")
    done = subprocess.run(
        [sys.executable, "-c", CALL_HOOK, module, attribute, hook, str(folder)],
        cwd=ROOT,  # a build backend builds the project in its working folder
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / done.stdout.strip().splitlines()[-1]


def fresh_environment(folder: Path, wheel: Path) -> Path:
    """A new virtual environment with ``wheel`` installed by pip, then given this environment's packages (the course's
    dependencies) through a ``.pth`` line: added after the install, so pip sees no hnscc-edu installed already."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        env=FRESH,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    own = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        env=FRESH,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    Path(own, "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


@pytest.mark.parametrize("hook", ["build_wheel", "build_editable"])
def test_an_install_enables_the_live_routes_in_a_fresh_environments_jupyter_server(hook, tmp_path):
    wheel = build(hook, tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        shipped = [name for name in archive.namelist() if name.endswith(f".data/data/{DATA}")]
        assert len(shipped) == 1, f"{wheel.name} carries no {DATA}"
        assert json.loads(archive.read(shipped[0])) == json.loads(CONFIG.read_text())
    python = fresh_environment(tmp_path / "env", wheel)
    assert (tmp_path / "env" / DATA).is_file()

    done = subprocess.run(
        [str(python), "-c", ASK_JUPYTER_SERVER],
        cwd=tmp_path,
        env=FRESH,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    server = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(server["prefix"]) == tmp_path / "env"
    assert server["enabled"].get("hnscc_edu.live") is True
    assert server["points"] == [{"module": "hnscc_edu.live"}]
    module = Path(server["module"])
    if hook == "build_editable":  # the checkout itself, so an edit shows without installing again
        assert module == ROOT / "hnscc_edu" / "live" / "__init__.py"
    else:
        assert module.is_relative_to(tmp_path / "env")


def test_the_wheel_carries_the_templates_static_files_and_migration_template(tmp_path):
    """Files the package reads at run time that are not Python (Jinja2 templates, the live pages' scripts and
    styles, Alembic's script template) are in the wheel, each one that is in the checkout."""
    wheel = build("build_wheel", tmp_path / "dist")
    package = ROOT / "hnscc_edu"
    needed = [
        path.relative_to(ROOT).as_posix()
        for folder in ("templates", "live/static")
        for path in (package / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ] + ["hnscc_edu/store/migrations/script.py.mako"]
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    assert len(needed) > 10
    assert [name for name in needed if name not in shipped] == []
