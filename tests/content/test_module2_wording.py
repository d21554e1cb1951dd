"""Module 2 wording that the clinical review (clinical-module2) found wrong must not come back.

Each rule names the finding it guards. The texts checked are the module-2 case files, the module-2 bank and the
markdown of the module-2 notebook, read as plain text so that a rule also catches a phrase in a new option.
"""

import json
import re

import pytest
import yaml

from tests.helpers import ROOT

FILES = sorted((ROOT / "cases").glob("salvage-*.yaml")) + [ROOT / "quizzes" / "module2-bank.yaml"]


def _notebook_markdown() -> str:
    notebook = json.loads((ROOT / "notebooks" / "02_salvage.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)  # folded YAML breaks lines anywhere; rules read across them


def _taught(path) -> str:
    """Everything a learner can see: the file without its governance block, whose changelog quotes the old errors."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("governance", None)
    return json.dumps(data, ensure_ascii=False)


TEXTS = {path.name: _flat(_taught(path)) for path in FILES}
TEXTS["02_salvage.ipynb (markdown)"] = _flat(_notebook_markdown())


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_270_degree_sign_is_not_taught_as_an_image_example(name):
    # E1: the > 270° criterion comes from Yousem 1995 (PMID 7754000), not from an illustration.
    assert not re.search(r"(rests on|supported only by|comes from) an image example", TEXTS[name])


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_nodal_encasement_is_not_called_a_t4b_criterion(name):
    # E2: T4b describes the primary tumour; a node encasing the carotid is not a T4b criterion.
    text = TEXTS[name]
    for old in (
        "It is: hypopharyngeal T4b covers",  # su06-encasement c, said of a nodal contact
        "and carotid encasement is a T4b criterion for oropharyngeal cancer",  # sp08-unresectable, a node
        "is the sign in common use and a T4b criterion",
    ):  # sp08-sct-conversion, a node
        assert old not in text


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_overstatements_found_by_the_review_stay_out(name):
    text = TEXTS[name]
    assert "heavily confounded" not in text  # E12: not the authors' word
    assert "Any new lesion is progression" not in text  # E11: RECIST 1.1 needs an unequivocal new lesion
    assert "established only in previously untreated disease" not in text  # E5
    assert "Other margins clear (closest 4 mm)" not in text  # E9: 4 mm is a close margin


def test_the_keynote689_high_risk_regimen_is_66_gy_in_33_fractions():
    # E6: KEYNOTE-689's high-risk standard of care was 66 Gy/33 fractions with cisplatin; 60 Gy/30 was low risk.
    text = TEXTS["salvage-perioperative-09.yaml"]
    assert "66 Gy in 33 fractions" in text
    assert "60 Gy in 30 fractions with cisplatin" not in text and "60-66 Gy with cisplatin" not in text
