"""Every reference key the calculators cite is listed in ``sources.REFERENCE_KEYS``, and the package stays free of the
rest of hnscc_edu. (That each listed key resolves in the course bibliography is checked in
tests/content/test_clinical_references.py.)"""

import ast
import itertools
import re
from pathlib import Path

from hnscc_edu import clinical
from hnscc_edu.clinical import biomarkers, dose, keynote048, reirradiation, resectability, salvage_outcomes, sequencing
from hnscc_edu.clinical.oar_limits import ORGAN_LIMITS
from hnscc_edu.clinical.sources import REFERENCE_KEYS

PACKAGE = Path(clinical.__file__).parent


def _sequencing_keys() -> set[str]:
    """Reference keys of every systemic option over a grid of CPS values and all valid flag combinations."""
    keys: set[str] = set()
    settings = set()
    for cps, platinum, io, eligible, refractory in itertools.product(
        (0, 5, 25, None), (False, True), (False, True), (False, True), (False, True)
    ):
        if refractory and not platinum:
            continue  # platinum-refractory disease needs prior platinum
        setting = sequencing.line_of_therapy(platinum, io, refractory)
        if cps is None and setting == sequencing.FIRST_LINE:
            continue  # the first-line choice needs a CPS
        settings.add(setting)
        for option in sequencing.systemic_options(cps, platinum, io, eligible, refractory):
            assert option.references, option.regimen
            keys.update(option.references)
    assert settings == {
        sequencing.FIRST_LINE,
        sequencing.PLATINUM_REFRACTORY,
        sequencing.AFTER_IO_AND_PLATINUM,
        sequencing.AFTER_IO_PLATINUM_NAIVE,
    }
    return keys


def test_reference_keys_are_well_formed():
    # 53 before issue 15, + yousem1995-carotid-mr (module 2 helper), + 5 keys from references/m3.yaml, + the caveat's
    # secondary source and ELAN UNFIT (fact-check fc-m3 P6, P2).
    assert len(REFERENCE_KEYS) == 62
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", key) for key in REFERENCE_KEYS)


def test_every_cited_key_is_listed():
    keys = {row.source for row in ORGAN_LIMITS}
    keys |= set(dose.FORMULA_SOURCES) | set(biomarkers.CPS_SOURCES)
    keys |= set(keynote048.REFERENCES) | set(keynote048.FIVE_YEAR_REFERENCES)
    keys |= {row.reference for row in keynote048.OS_HAZARD_RATIOS}
    keys |= set(salvage_outcomes.REFERENCES)
    keys |= {
        row.reference for row in (*salvage_outcomes.SURVIVAL_AND_MARGINS, *salvage_outcomes.COMPLICATIONS_AND_FUNCTION)
    }
    keys |= set(reirradiation.MIRI_REFERENCES) | set(reirradiation.ESTRO_EORTC_REFERENCES)
    keys |= {key for _, refs in resectability.FEATURES.values() for key in refs}
    keys |= _sequencing_keys()
    assert keys - REFERENCE_KEYS == set()


def test_sequencing_cites_the_trial_and_post_io_sources():
    keys = _sequencing_keys()
    assert {
        "burtness2019-keynote048",
        "ferris2016-checkmate141",
        "cohen2019-keynote040",
        "fayette2025-interlink1",
        "origami5-trial",
        "liger-hn2-nct06496178",
        "innovatv207-nct03485209",
    } <= keys


def test_quoted_keys_in_docstrings_are_listed():
    cited: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "``" in node.value:
                for chunk in node.value.split("``")[1::2]:
                    if re.fullmatch(r"[a-z][a-z0-9-]*", chunk) and re.search(r"[0-9-]", chunk):
                        cited.add(chunk)
                        assert chunk in REFERENCE_KEYS, f"{path.name}: {chunk}"
    assert {"nieder2006", "doi2021", "yilmaz2023-asco"} <= cited


def test_clinical_imports_only_the_standard_library_and_itself():
    allowed_roots = {"__future__", "math", "collections", "dataclasses", "numbers", "datetime", "enum", "itertools"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level >= 1 or node.module.split(".")[0] in allowed_roots, (path.name, node.module)
                if node.level >= 1:
                    assert node.level == 1, (path.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(alias.name.split(".")[0] in allowed_roots for alias in node.names), path.name
