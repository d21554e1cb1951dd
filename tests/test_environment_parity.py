"""environment.yml (conda users) must list exactly the packages of pyproject.toml, with the same version bounds."""

import re
import tomllib

from ruamel.yaml import YAML

from tests.helpers import ROOT


def _normal(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", spec)  # pip extras have no conda twin
    assert match, spec
    return re.sub(r"[-_.]+", "-", match[1].lower()), match[2].replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = dict(_normal(s) for s in project["dependencies"] + extras["test"] + extras["postgres"])
    conda = YAML(typ="safe").load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = dict(_normal(s) for s in conda if isinstance(s, str) and not s.startswith(("python=", "pip")))
    assert listed == wanted
