"""Outcome numbers of re-irradiated cohorts that module 1 draws as figures: median overall survival by MIRI RPA class
and the carotid blowout rate by schedule. Pure data and small accessors; standard library only.

Every number carries its bibliography key (references/references.yaml), its confidence tag ([verified]: seen in the
source's own text, as in references/evidence-log.md) and the course's evidence label. Only numbers tagged
[verified] are here:

- Median OS 44.9 / 15.9 / 7.9 months for MIRI classes I-III: Ward et al., Oral Oncol 2019;90:80-86, 505 patients
  from 9 institutions (key ward2019-nomogram). The values themselves
  live in :data:`hnscc_edu.clinical.reirradiation.MIRI_MEDIAN_OS_MONTHS`; this module adds their provenance.
- The external tests of the RPA: KROG 1707 supported it (key lee2020-krog1707); the AIRO cohort did not validate it,
  Harrell C-index 0.526 (key orlandi2019-airo).
- Carotid blowout 1.3% after continuous courses and 4.5% after split-course schedules, 2.6% pooled with 76% fatal:
  McDonald et al., IJROBP 2012, 27 studies and 1,554 patients (key mcdonald2012-cbs).
- Carotid blowout 8.4% (32 of 381 patients) after CyberKnife stereotactic re-irradiation at 7 Japanese centres:
  Yamazaki et al., Radiother Oncol 2013, a multi-institutional study (key yamazaki2013-cbs; PMID 23751378
  abstract). A separate cohort, not a head-to-head comparison with the pooled review.

Left out on purpose: the MIRI 2-year OS of 61.9 / 40.0 / 16.8% (no source text found), the class I definition
(unconfirmed in source text), and the UPMC SBRT blowout rate of about 5% (secondary source only).
"""

from __future__ import annotations

from dataclasses import dataclass

from .reirradiation import MIRI_MEDIAN_OS_MONTHS

VERIFIED = "[verified]"


@dataclass(frozen=True)
class SurvivalByClass:
    """Median overall survival of one MIRI RPA class, with where the number and the class definition come from."""

    rpa_class: int
    label: str
    definition: str
    definition_confirmed: bool
    median_os_months: float
    source: str
    source_label: str
    tag: str
    evidence: str


@dataclass(frozen=True)
class ExternalTest:
    """One external test of the MIRI RPA: whether the cohort supported it, in the source's own terms."""

    cohort: str
    patients: int
    supported: bool
    finding: str
    source: str
    tag: str
    evidence: str


@dataclass(frozen=True)
class BlowoutRate:
    """The carotid blowout rate after one kind of re-irradiation schedule in one source."""

    schedule: str
    detail: str
    percent: float
    events: int | None
    patients: int | None
    cohort: str
    source: str
    source_label: str
    tag: str
    evidence: str
    note: str


MIRI_SURVIVAL_SOURCE = "ward2019-nomogram"
MIRI_SURVIVAL_SOURCE_LABEL = "Ward 2019, 505 patients from 9 institutions"

_CLASS_TEXT: dict[int, tuple[str, str, bool]] = {
    1: (
        "Class I",
        "the best-prognosis group, associated with salvage surgery and a long interval (exact definition unconfirmed)",
        False,
    ),
    2: (
        "Class II",
        "unresected, interval > 2 years; or <= 2 years without feeding-tube or tracheostomy dependence",
        True,
    ),
    3: ("Class III", "unresected, interval <= 2 years, with feeding-tube or tracheostomy dependence", True),
}

MIRI_EXTERNAL_TESTS: tuple[ExternalTest, ...] = (
    ExternalTest(
        "KROG 1707 (7 Korean centres, IMRT re-irradiation)",
        118,
        True,
        "class I had significantly better overall survival than classes II and III",
        "lee2020-krog1707",
        VERIFIED,
        "grade-low",
    ),
    ExternalTest(
        "AIRO (Italian multicentre cohort)",
        159,
        False,
        "Harrell C-index of the RPA only 0.526: not validated",
        "orlandi2019-airo",
        VERIFIED,
        "grade-low",
    ),
)

CAROTID_BLOWOUT_BY_SCHEDULE: tuple[BlowoutRate, ...] = (
    BlowoutRate(
        schedule="Continuous course",
        detail="1.8-2 Gy once daily or 1.2 Gy twice daily, no planned break",
        percent=1.3,
        events=None,
        patients=None,
        cohort="pooled review of 27 studies (1,554 patients)",
        source="mcdonald2012-cbs",
        source_label="McDonald 2012",
        tag=VERIFIED,
        evidence="grade-low",
        note="36% of these patients had concurrent chemotherapy",
    ),
    BlowoutRate(
        schedule="Split course",
        detail="alternating-week 1.5 Gy twice daily, or delayed accelerated hyperfractionation",
        percent=4.5,
        events=None,
        patients=None,
        cohort="pooled review of 27 studies (1,554 patients)",
        source="mcdonald2012-cbs",
        source_label="McDonald 2012",
        tag=VERIFIED,
        evidence="grade-low",
        note="all with chemotherapy; p = .002 against continuous courses",
    ),
    BlowoutRate(
        schedule="SBRT, CyberKnife",
        detail="stereotactic re-irradiation, series from 7 Japanese CyberKnife centres",
        percent=8.4,
        events=32,
        patients=381,
        cohort="multi-institution series of 381 patients (484 sessions)",
        source="yamazaki2013-cbs",
        source_label="Yamazaki 2013",
        tag=VERIFIED,
        evidence="grade-very-low",
        note="a separate cohort: not comparable head to head with the pooled review",
    ),
)

CAROTID_BLOWOUT_POOLED = BlowoutRate(
    schedule="All conventional or hyperfractionated schedules",
    detail="pooled",
    percent=2.6,
    events=41,
    patients=1554,
    cohort="pooled review of 27 studies (1,554 patients)",
    source="mcdonald2012-cbs",
    source_label="McDonald 2012",
    tag=VERIFIED,
    evidence="grade-low",
    note="76% of the blowouts were fatal",
)


def miri_survival() -> tuple[SurvivalByClass, ...]:
    """Median OS by MIRI RPA class (Ward et al., Oral Oncol 2019; key ward2019-nomogram [verified]), class I to III.

    The class definitions are those verified in Vargo et al., IJROBP 2018 (classes II and III); class I is described
    only qualitatively because no readable source text defines it.
    """
    return tuple(
        SurvivalByClass(
            number,
            label,
            definition,
            confirmed,
            MIRI_MEDIAN_OS_MONTHS[number],
            MIRI_SURVIVAL_SOURCE,
            MIRI_SURVIVAL_SOURCE_LABEL,
            VERIFIED,
            "grade-low",
        )
        for number, (label, definition, confirmed) in sorted(_CLASS_TEXT.items())
    )


def carotid_blowout_by_schedule() -> tuple[BlowoutRate, ...]:
    """Carotid blowout rates by schedule: McDonald 2012 (continuous 1.3%, split course 4.5%) and Yamazaki 2013
    (CyberKnife SBRT 8.4%), all [verified] (keys mcdonald2012-cbs and yamazaki2013-cbs). The groups differ in more
    than the schedule."""
    return CAROTID_BLOWOUT_BY_SCHEDULE


def reference_keys() -> tuple[str, ...]:
    """Every bibliography key this module cites, once each, in order of first use."""
    keys = [
        MIRI_SURVIVAL_SOURCE,
        *(t.source for t in MIRI_EXTERNAL_TESTS),
        *(r.source for r in CAROTID_BLOWOUT_BY_SCHEDULE),
        CAROTID_BLOWOUT_POOLED.source,
    ]
    return tuple(dict.fromkeys(keys))
