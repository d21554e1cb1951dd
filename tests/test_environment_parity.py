"""environment.yml (conda users, Binder) must list exactly the packages of pyproject.toml, with the same version bounds,
and install the course package itself, so that the environment it builds imports ``hnscc_edu``."""

import re
import tomllib

from ruamel.yaml import YAML

from tests.helpers import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
CONDA = YAML(typ="safe").load((ROOT / "environment.yml").read_text())["dependencies"]
# a pip requirements line installing a local folder: "-e .[test]", ".", "./[a,b]"
LOCAL_INSTALL = re.compile(r"^(?P<editable>(?:-e|--editable)\s+)?(?P<path>\.[^\[\s]*)(?:\[(?P<extras>[^\]]*)\])?$")


def _normal(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", spec)  # pip extras have no conda twin
    assert match, spec
    return re.sub(r"[-_.]+", "-", match[1].lower()), match[2].replace(" ", "")


def _pip_lines() -> list[str]:
    sections = [entry["pip"] for entry in CONDA if isinstance(entry, dict) and "pip" in entry]
    assert len(sections) == 1, "environment.yml needs one pip: section (it installs the course package)"
    return sections[0]


def _local_installs() -> list[re.Match]:
    return [match for line in _pip_lines() if (match := LOCAL_INSTALL.match(line.strip()))]


def _installed_extras() -> set[str]:
    return {extra.strip() for match in _local_installs() for extra in (match["extras"] or "").split(",") if extra}


def test_environment_yml_matches_pyproject():
    """The conda list is the package's dependencies plus the extras its own install asks for (conda installs them
    under conda-forge names first; pip then finds them satisfied)."""
    extras = PROJECT["optional-dependencies"]
    wanted = dict(_normal(s) for s in PROJECT["dependencies"])
    for extra in sorted(_installed_extras()):
        wanted |= dict(_normal(s) for s in extras[extra])
    listed = dict(_normal(s) for s in CONDA if isinstance(s, str) and not s.startswith(("python=", "pip")))
    assert listed == wanted


def test_environment_yml_installs_the_course_package_itself():
    """Without it a conda or Binder build has every dependency and no ``hnscc_edu``. The install is of this folder
    (conda and repo2docker run pip beside environment.yml), editable (the package finds the course content in the
    checkout it was installed from: ``content.course.course_root``), with the test extra, as ``make env`` installs."""
    installs = _local_installs()
    assert len(installs) == 1, f"environment.yml's pip section installs no local folder, or several: {_pip_lines()}"
    install = installs[0]
    folder = (ROOT / install["path"]).resolve()
    assert folder == ROOT
    assert tomllib.loads((folder / "pyproject.toml").read_text())["project"]["name"] == "hnscc-edu"
    assert install["editable"], "the course content is read from the checkout: the install must be editable"
    assert _installed_extras() == {"test"}
    assert re.search(r"pip install .*-e '?\.\[test\]'?", (ROOT / "Makefile").read_text())  # make env's install
