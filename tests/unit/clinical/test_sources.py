"""Every reference key the calculators cite resolves, and the package stays free of the rest of hnscc_edu."""

import ast
import re
from pathlib import Path

from hnscc_edu import clinical
from hnscc_edu.clinical import biomarkers, dose, reirradiation, resectability
from hnscc_edu.clinical.oar_limits import ORGAN_LIMITS
from hnscc_edu.clinical.sources import SOURCES

PACKAGE = Path(clinical.__file__).parent


def test_every_cited_key_has_a_citation():
    keys = {row.source for row in ORGAN_LIMITS}
    keys |= set(dose.FORMULA_SOURCES) | set(biomarkers.CPS_SOURCES)
    keys |= set(reirradiation.MIRI_REFERENCES) | set(reirradiation.ESTRO_EORTC_REFERENCES)
    keys |= {key for _, refs in resectability.FEATURES.values() for key in refs}
    assert keys <= set(SOURCES)


def test_quoted_keys_in_docstrings_resolve():
    cited: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "``" in node.value:
                for chunk in node.value.split("``")[1::2]:
                    if re.fullmatch(r"[a-z][a-z0-9-]*", chunk) and re.search(r"[0-9-]", chunk):
                        cited.add(chunk)
                        assert chunk in SOURCES, f"{path.name}: {chunk}"
    assert {"nieder2006", "doi2021", "yilmaz2023-asco"} <= cited


def test_clinical_imports_only_the_standard_library_and_itself():
    allowed_roots = {"__future__", "math", "collections", "dataclasses", "numbers"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level >= 1 or node.module.split(".")[0] in allowed_roots, (path.name, node.module)
                if node.level >= 1:
                    assert node.level == 1, (path.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(alias.name.split(".")[0] in allowed_roots for alias in node.names), path.name
