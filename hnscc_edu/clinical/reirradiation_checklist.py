"""The re-irradiation checklist as data: selection criteria, the cumulative organ-at-risk limits and the explicit
toxicity-mitigation steps of module 1. Standard library only; ``hnscc_edu.export.checklist`` lays it out as one page.

Every entry is written in the project's own words and carries bibliography keys (references/references.yaml), its
confidence tag and the course's evidence label. Only facts tagged [verified] (seen in the source's own text) are
here. Deliberately absent: the MIRI class I definition and 2-year OS figures (unconfirmed in source text), the
ESTRO-EORTC type wording (secondary source only, ``apm2024-astro-panel``), the American Radium Society statements
(key ward2022-ars: only a blog summary was readable), routine pre-radiotherapy dental assessment and prophylactic
swallowing exercises as sourced recommendations (recalled, not read in a source; the dental guideline, key
peterson2024-orn, is under "Checked and not confirmed" in references/evidence-log.md).

The limits table is :data:`hnscc_edu.clinical.oar_limits.ORGAN_LIMITS`, the same rows the case calculators use; rows
whose number is not confirmed (``confirmed=False``) are named as left out instead of printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .oar_limits import ORGAN_LIMITS, OrganLimit

VERIFIED = "[verified]"
TITLE = "Re-irradiation of recurrent head and neck cancer: a one-page checklist"


@dataclass(frozen=True)
class ChecklistEntry:
    """One criterion or step: what to do or weigh, its sources, and how strong the evidence is."""

    id: str
    heading: str
    text: str
    references: tuple[str, ...]
    evidence: str
    tag: str = VERIFIED


@dataclass(frozen=True)
class LimitRow:
    """One row of the cumulative limits table as the checklist prints it."""

    organ: str
    organ_label: str
    metric: str
    limit: str
    source: str
    source_label: str
    tag: str
    evidence: str


SELECTION_CRITERIA: tuple[ChecklistEntry, ...] = (
    ChecklistEntry(
        "resectability",
        "Resectability first",
        "Can the recurrence be removed? Resectable disease goes to surgical salvage. Definitive re-irradiation is an "
        "established option when the patient is medically or technically inoperable, or declines surgery.",
        ("mcdonald2011-acr",),
        "consensus",
    ),
    ChecklistEntry(
        "interval",
        "Interval since the last course",
        "RTOG 9610 admitted patients only from 6 months after definitive radiotherapy of at least 45 Gy; those more "
        "than 1 year out lived longer (median 9.8 vs 5.8 months). The MIRI classes split at 2 years.",
        ("spencer2001-rtog9610", "spencer2008-rtog9610", "vargo2018"),
        "grade-low",
    ),
    ChecklistEntry(
        "organ-dysfunction",
        "Organ dysfunction and comorbidity",
        "Feeding-tube dependence, a functioning tracheostomy or a soft-tissue defect, together with comorbidity, went "
        "with a median survival of about 5 months, against 44-60 months with neither (103 patients).",
        ("tanvetyanon2009",),
        "grade-low",
    ),
    ChecklistEntry(
        "work-up",
        "Performance status and work-up",
        "Best candidates have a good performance status, no severe soft-tissue or bone damage from the first course "
        "and no distant metastases. Work up: restaging, life expectancy, the previous radiotherapy records, "
        "comorbidity, speech and swallowing, late effects of the first treatment (fibrosis, carotid stenosis, "
        "osteoradionecrosis); treat in an experienced tertiary head and neck team.",
        ("mcdonald2011-acr",),
        "consensus",
    ),
    ChecklistEntry(
        "miri",
        "MIRI class: prognosis, not a selector",
        "Class II: unresected with an interval over 2 years, or 2 years or less without feeding-tube or tracheostomy "
        "dependence. Class III: unresected, 2 years or less, with that dependence. Median survival 44.9 / 15.9 / 7.9 "
        "months for classes I-III. Supported in KROG 1707; not validated in the AIRO cohort (C-index 0.526).",
        ("vargo2018", "ward2019-nomogram", "lee2020-krog1707", "orlandi2019-airo"),
        "grade-low",
    ),
    ChecklistEntry(
        "competing-risks",
        "Toxicity competes with progression",
        "In the MIRI nomogram cohort, severe late toxicity reached 16.7% at 2 years while progression or death "
        "reached 64.2%; dose, volume and fractionation did not predict the toxicity.",
        ("ward2019-nomogram",),
        "grade-low",
    ),
    ChecklistEntry(
        "goals",
        "The patient's goals, decided together",
        "Weigh performance status, the expected survival and the response to the first course, and decide with the "
        "patient in an interdisciplinary team, as the ESTRO-EORTC consensus asks.",
        ("apm2024-astro-panel",),
        "consensus",
    ),
)

MITIGATION_STEPS: tuple[ChecklistEntry, ...] = (
    ChecklistEntry(
        "cumulative-dose",
        "Cumulative dose, with the recovery stated",
        "Retrieve the previous plan. Convert each course to EQD2 with its own dose per fraction before adding, and "
        "state the recovery credited: a cord rule of thumb credits 25% from 6 months and 50% from 12 months, while 17 "
        "centres used a median of 23% with wide variation. Check every source's limit in the table below.",
        ("tsang-rbapp-equations", "icrpaedia-equieffective-dose", "doi2021", "survey2025-reirradiation-constraints"),
        "expert-opinion",
    ),
    ChecklistEntry(
        "small-volume",
        "Keep the re-treated volume small",
        "A re-irradiation volume under 36 cm³ was an independent favourable factor in the AIRO cohort (GTV, CTV or "
        "PTV not stated in the abstract: compare like with like); in MIRI, SBRT of at least 35 Gy to small tumours gave "
        "survival similar to IMRT.",
        ("orlandi2019-airo", "vargo2018"),
        "grade-low",
    ),
    ChecklistEntry(
        "schedule",
        "Continuous rather than split-course schedules",
        "Carotid blowout was 1.3% after continuous courses (1.8-2 Gy daily or 1.2 Gy twice daily) against 4.5% after "
        "split-course 1.5 Gy twice daily, in a pooled review; the groups differed in more than the schedule.",
        ("mcdonald2012-cbs",),
        "grade-low",
    ),
    ChecklistEntry(
        "sbrt-days",
        "SBRT on non-consecutive days, no surgery around it",
        "One centre saw fewer fatal blowouts after moving SBRT to every other day; a pooled analysis linked "
        "non-consecutive treatment, less circumferential vessel involvement and no surgical manipulation before or "
        "after SBRT with a lower bleeding risk.",
        ("yazici2013", "grimm2021-hytec-carotid"),
        "grade-very-low",
    ),
    ChecklistEntry(
        "carotid-screen",
        "Screen the carotid",
        "In one matched study of pharyngeal cancers after SBRT, blowout occurred in 12 of 50 patients with more "
        "than 180° carotid encasement and none of 22 with less (sampled proportions, not rates): lower, not absent, "
        "risk below 180°. "
        "Ulceration and nodal irradiation also predicted it; skin invasion carried the worst outlook after one.",
        ("yamazaki2015-cbos", "yamazaki2013-cbs"),
        "grade-very-low",
    ),
    ChecklistEntry(
        "counsel-blowout",
        "Counsel about blowout",
        "Carotid blowout is uncommon but usually fatal: 2.6% of 1,554 pooled patients, 76% of them fatal.",
        ("mcdonald2012-cbs",),
        "grade-low",
    ),
    ChecklistEntry(
        "bleeding-plan",
        "Have a bleeding plan",
        "Recognise a threatened blowout early and treat it individually by endovascular means (covered stent, "
        "embolisation); wound breakdown, pharyngocutaneous fistula and infection predispose to it.",
        ("suarez2018-cbs",),
        "expert-opinion",
    ),
    ChecklistEntry(
        "osteoradionecrosis",
        "Protect the jaw",
        "A jaw dose of 50 Gy or more confers a lifelong risk of osteoradionecrosis; control oral hygiene, "
        "dento-alveolar surgery and tobacco, stage it with the ClinRad system, and do not rely on hyperbaric oxygen "
        "to prevent or treat it.",
        ("peterson2024-orn",),
        "consensus",
    ),
    ChecklistEntry(
        "swallowing",
        "Swallowing and feeding",
        "Assess speech and swallowing before treatment. Dysphagia needing a feeding tube was among the commonest "
        "severe effects in a pooled review (late grade 3 or worse 29.3%); 22% had a feeding tube at the end of "
        "proton re-irradiation in one series.",
        ("mcdonald2011-acr", "dionisi2019", "phan2016-protons"),
        "grade-low",
    ),
    ChecklistEntry(
        "post-operative",
        "Post-operative re-irradiation: say what it buys",
        "After complete salvage surgery, re-irradiation with chemotherapy improved disease-free survival but not "
        "overall survival, and grade 3-4 late toxicity at 2 years was 39% against 10% (GORTEC randomised trial).",
        ("janot2008-gortec",),
        "grade-moderate",
    ),
)

ORGAN_LABELS: dict[str, str] = {
    "spinal_cord": "Spinal cord",
    "brachial_plexus": "Brachial plexus",
    "great_vessels": "Thoracic aorta and great vessels (not the carotid)",
    "carotid_artery": "Carotid artery",
    "mandible": "Mandible (bone)",
}

# The course's evidence label for each limit source: the thoracic Delphi consensus itself is consensus; the limits it
# quotes from single centres (Paradis, Troost, the ARS thoracic abstract) and the other sources are expert opinion or
# single series.
_SOURCE_EVIDENCE: dict[str, str] = {
    "nieder2006": "expert-opinion",
    "rulach2021-thoracic-delphi": "consensus",
    "sahgal2012": "expert-opinion",
    "yazici2013": "grade-very-low",
    "embring2021": "grade-very-low",
}


def _evidence(row: OrganLimit) -> str:
    if "as quoted" in row.source_label:
        return "expert-opinion"
    return _SOURCE_EVIDENCE[row.source]


def limit_rows() -> tuple[LimitRow, ...]:
    """The confirmed rows of :data:`ORGAN_LIMITS`, in table order, with the organ's name and an evidence label."""
    return tuple(
        LimitRow(
            row.organ,
            ORGAN_LABELS[row.organ],
            row.metric,
            row.limit_text,
            row.source,
            row.source_label,
            row.tag,
            _evidence(row),
        )
        for row in ORGAN_LIMITS
        if row.confirmed
    )


def omitted_limit_rows() -> tuple[OrganLimit, ...]:
    """The rows left out of the printed table because their source's metric or α/β is not confirmed."""
    return tuple(row for row in ORGAN_LIMITS if not row.confirmed)


def reference_keys() -> tuple[str, ...]:
    """Every bibliography key the checklist cites, once each, in order of first use."""
    keys = [key for entry in SELECTION_CRITERIA + MITIGATION_STEPS for key in entry.references]
    keys += [row.source for row in limit_rows()]
    return tuple(dict.fromkeys(keys))
