"""Module 1 (re-irradiation) errors of the December 2026 clinical review that a program can catch
(shared/reviews/clinical-module1.md). Each rule reads the module-1 texts that learners see (cases/reirr-*.yaml,
quizzes/module1-*.yaml, the markdown of notebooks 01 and 01b, the printed checklist and the blowout chart's data), so
the error cannot come back; a seeded bad sentence shows each rule can fail.

- E4 and issue 15 §2: AIRO's "re-RT volume <36 cm3" (Orlandi 2019) is not defined as GTV, CTV or PTV in the abstract,
  so a text that sets a patient's volume beside it must say so (compare like with like).
- E1: the >180° carotid finding (Yamazaki 2015) comes from one matched case-control study; a sentence that says
  blowout occurred "only when" encasement exceeded 180° must name that study context in the same sentence.
- E3: Yamazaki 2013 (381 patients, 7 CyberKnife centres) is not a single-institution series.
- E8: no source read calls the MSKCC proton series "the largest".
- E7: the objective promises published cumulative limits and where they disagree, not "consensus" limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from hnscc_edu.clinical.reirradiation_checklist import MITIGATION_STEPS, SELECTION_CRITERIA
from hnscc_edu.clinical.reirradiation_outcomes import CAROTID_BLOWOUT_BY_SCHEDULE
from tests.content.texts import notebook_texts, sentences, yaml_texts
from tests.helpers import ROOT

MODULE1_YAML = sorted([*ROOT.glob("cases/reirr-*.yaml"), *ROOT.glob("quizzes/module1-*.yaml")])
MODULE1_NOTEBOOKS = [ROOT / "notebooks/01_reirradiation.ipynb", ROOT / "notebooks/01b_reirradiation_planning.ipynb"]


def module1_texts() -> Iterator[tuple[str, str]]:
    """Every text block of module 1 that a learner reads, with where it is."""
    yield from yaml_texts(MODULE1_YAML)
    yield from notebook_texts(MODULE1_NOTEBOOKS)
    for entry in (*SELECTION_CRITERIA, *MITIGATION_STEPS):
        yield f"checklist {entry.id}", entry.text
    for rate in CAROTID_BLOWOUT_BY_SCHEDULE:
        yield f"blowout chart {rate.schedule}", f"{rate.detail}; {rate.cohort}"


VOLUME = re.compile(r"\b(\d+(?:\.\d+)?)\s*cm(?:³|3)\b")
METRIC_CAVEAT = re.compile(r"not (?:say|said|state|stated|define|defined)|does not say|GTV, CTV or PTV", re.IGNORECASE)
ONLY_180 = re.compile(r"\bonly (?:when|where|if)\b[^.;]{0,80}\b180\b", re.IGNORECASE)
STUDY_CONTEXT = re.compile(r"\b(cohort|study|series|Yamazaki|matched|case-control)\b", re.IGNORECASE)
SINGLE_CENTRE = re.compile(r"single[- ]institution|one institution|single series|single-centre series", re.IGNORECASE)
YAMAZAKI_2013 = re.compile(r"CyberKnife|stereotactic figure|\b381\b|Yamazaki 2013", re.IGNORECASE)
LARGEST = re.compile(r"\blargest\b[^.;]{0,60}\bseries\b", re.IGNORECASE)
CONSENSUS_LIMITS = re.compile(r"consensus cumulative organ-at-risk limits", re.IGNORECASE)


def volume_without_caveat(text: str) -> bool:
    """A block that sets some other volume beside AIRO's 36 cm³ without saying the metric is undefined."""
    volumes = {float(v) for v in VOLUME.findall(text)}
    return 36.0 in volumes and len(volumes) > 1 and not METRIC_CAVEAT.search(text)


def unqualified_180(text: str) -> list[str]:
    return [s for s in sentences(text) if ONLY_180.search(s) and not STUDY_CONTEXT.search(s)]


def yamazaki2013_single_centre(text: str) -> list[str]:
    return [s for s in sentences(text) if SINGLE_CENTRE.search(s) and YAMAZAKI_2013.search(s)]


def test_a_patient_volume_set_against_airo_36_cm3_names_the_undefined_metric():
    assert [where for where, text in module1_texts() if volume_without_caveat(text)] == []


def test_the_180_degree_finding_keeps_its_study_context():
    assert [f"{where}: {s}" for where, text in module1_texts() for s in unqualified_180(text)] == []


def test_yamazaki_2013_is_never_called_a_single_institution_series():
    assert [f"{where}: {s}" for where, text in module1_texts() for s in yamazaki2013_single_centre(text)] == []
    cyberknife = next(rate for rate in CAROTID_BLOWOUT_BY_SCHEDULE if rate.source == "yamazaki2013-cbs")
    assert "multi-institution" in cyberknife.cohort


def test_no_unsourced_largest_series_and_no_consensus_limits_promise():
    assert [where for where, text in module1_texts() if LARGEST.search(text) or CONSENSUS_LIMITS.search(text)] == []


@pytest.mark.parametrize(
    "text",
    [
        "His gross tumour volume of 21 cm³ is below the 36 cm³ that was favourable in the AIRO cohort.",
    ],
)
def test_the_volume_rule_catches_a_seeded_error(text):
    assert volume_without_caveat(text)
    assert not volume_without_caveat(text + " The abstract does not say whether that was a GTV, CTV or PTV.")


def test_the_other_rules_catch_seeded_errors():
    assert unqualified_180("Blowout after SBRT occurred only when tumour encased more than 180° of the carotid.")
    assert not unqualified_180("In one matched study, blowout occurred only when encasement exceeded 180°.")
    assert yamazaki2013_single_centre("The CyberKnife figure comes from a single-institution series.")
    assert LARGEST.search("the largest single-centre series of proton re-irradiation")
    assert CONSENSUS_LIMITS.search("apply consensus cumulative organ-at-risk limits")
