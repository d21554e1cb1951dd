"""Release hygiene (issue 19): one version, the package's, printed by the command line and the report and named by
the installed metadata and CITATION.cff; a licence for the code and one for the content."""

from __future__ import annotations

import importlib.metadata

import pytest
from ruamel.yaml import YAML

import hnscc_edu
from hnscc_edu.cli import main
from tests.helpers import ROOT


def test_one_version_everywhere(capsys):
    assert importlib.metadata.version("hnscc-edu") == hnscc_edu.__version__
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"hnscc-edu {hnscc_edu.__version__}"
    citation = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == hnscc_edu.__version__ and citation["cff-version"] == "1.2.0"
    assert citation["license"] == "MIT" and citation["authors"] and citation["title"] and citation["message"]


def test_a_licence_for_the_code_and_one_for_the_content():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and "https://creativecommons.org/licenses/by/4.0/legalcode" in content
    assert "Why two licences" in content
