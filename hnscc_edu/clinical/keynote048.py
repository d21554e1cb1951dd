"""KEYNOTE-048 overall-survival hazard ratios against EXTREME, by arm and PD-L1 CPS population, as data.

Two analyses are combined and each row says which one it comes from, because they answer different questions:

- the 5-year update (Tahara 2025, ``tahara2025-keynote048``): the randomised CPS >=20, CPS >=1 and total
  populations (systemic-surgery.md §1 [verified]);
- the post hoc CPS subgroup analysis (Burtness 2022, ``burtness2022-keynote048-cps``): CPS 1-19 and CPS <1, the
  groups a clinician actually has to choose for (systemic-surgery.md §1 [verified]). Post hoc, no alpha control.

An HR below 1 favours the pembrolizumab arm.

The 5-year overall survival of each arm (``FIVE_YEAR_OS``) comes from the 5-year results presented at ESMO 2022
(abstract 659MO, ``tahara2022-keynote048-esmo``) for the CPS >=20, CPS >=1 and total populations, and for
the total population also from the 5-year update paper (``tahara2025-keynote048``) (systemic-surgery.md §1 and
confirmations.md item 10 [verified]). Each EXTREME figure belongs to its own comparison and is kept with it.
Education, not clinical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

PEMBROLIZUMAB = "Pembrolizumab"
PEMBROLIZUMAB_CHEMO = "Pembrolizumab + platinum/5-FU"
COMPARATOR = "Cetuximab + platinum/5-FU (EXTREME)"


@dataclass(frozen=True)
class HazardRatio:
    """One OS hazard ratio of a pembrolizumab arm against EXTREME, with its 95% confidence interval."""

    arm: str
    population: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    analysis: str
    reference: str
    evidence: str

    @property
    def label(self) -> str:
        return f"{self.population}: {self.arm}"


_FIVE_YEAR = "5-year update, randomised populations"
_SUBGROUP = "CPS subgroup analysis, post hoc"
_TAHARA = "tahara2025-keynote048"
_BURTNESS = "burtness2022-keynote048-cps"
_PHASE3 = "Phase 3 RCT, final analysis update"
_POST_HOC = "Phase 3 RCT, post hoc subgroup (hypothesis-generating)"

OS_HAZARD_RATIOS: tuple[HazardRatio, ...] = (
    HazardRatio(PEMBROLIZUMAB, "CPS >=20", 0.61, 0.46, 0.81, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=20", 0.63, 0.47, 0.84, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB, "CPS >=1", 0.74, 0.61, 0.89, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=1", 0.65, 0.53, 0.79, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB, "Total population", 0.82, 0.69, 0.97, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "Total population", 0.72, 0.60, 0.86, _FIVE_YEAR, _TAHARA, _PHASE3),
    HazardRatio(PEMBROLIZUMAB, "CPS 1-19", 0.86, 0.66, 1.12, _SUBGROUP, _BURTNESS, _POST_HOC),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS 1-19", 0.71, 0.54, 0.94, _SUBGROUP, _BURTNESS, _POST_HOC),
    HazardRatio(PEMBROLIZUMAB, "CPS <1", 1.51, 0.96, 2.37, _SUBGROUP, _BURTNESS, _POST_HOC),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS <1", 1.21, 0.76, 1.94, _SUBGROUP, _BURTNESS, _POST_HOC),
)

REFERENCES: tuple[str, ...] = (_TAHARA, _BURTNESS, "burtness2019-keynote048")


def hazard_ratios(population: str | None = None) -> tuple[HazardRatio, ...]:
    """The OS hazard ratios, optionally for one population ("CPS >=20", "CPS >=1", "Total population",
    "CPS 1-19", "CPS <1"). Sources: ``tahara2025-keynote048`` and ``burtness2022-keynote048-cps`` [verified]."""
    if population is None:
        return OS_HAZARD_RATIOS
    rows = tuple(row for row in OS_HAZARD_RATIOS if row.population == population)
    if not rows:
        known = ", ".join(dict.fromkeys(row.population for row in OS_HAZARD_RATIOS))
        raise ValueError(f"No KEYNOTE-048 hazard ratios are tabulated for {population!r}; use one of {known}.")
    return rows


@dataclass(frozen=True)
class FiveYearSurvival:
    """The share of patients alive at 5 years in one pembrolizumab arm and in EXTREME within the same comparison, for
    one population. Percentages are as reported (landmark rates; no confidence intervals were tabulated)."""

    arm: str
    population: str
    arm_percent: float
    comparator_percent: float
    analysis: str
    references: tuple[str, ...]
    evidence: str

    @property
    def label(self) -> str:
        return f"{self.population}: {self.arm}"


_ESMO2022 = "tahara2022-keynote048-esmo"
_FIVE_YEAR_OS_ANALYSIS = "5-year results, data cut-off 21 Feb 2022"
_LANDMARK = "Phase 3 RCT, 5-year landmark survival (descriptive)"

FIVE_YEAR_OS: tuple[FiveYearSurvival, ...] = (
    FiveYearSurvival(PEMBROLIZUMAB, "CPS >=20", 19.9, 7.4, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB_CHEMO, "CPS >=20", 23.9, 6.4, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB, "CPS >=1", 15.4, 5.5, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB_CHEMO, "CPS >=1", 18.2, 4.3, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB, "Total population", 14.4, 6.5, _FIVE_YEAR_OS_ANALYSIS, (_TAHARA, _ESMO2022),
                     _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB_CHEMO, "Total population", 16.0, 5.2, _FIVE_YEAR_OS_ANALYSIS,
                     (_TAHARA, _ESMO2022), _LANDMARK),
)

FIVE_YEAR_REFERENCES: tuple[str, ...] = (_ESMO2022, _TAHARA)


def five_year_survival(population: str | None = None) -> tuple[FiveYearSurvival, ...]:
    """5-year overall survival by arm, optionally for one population ("CPS >=20", "CPS >=1", "Total population").
    Sources: ESMO 2022 abstract 659MO (``tahara2022-keynote048-esmo``) and ``tahara2025-keynote048`` [verified].
    No 5-year rates are tabulated for the post hoc CPS 1-19 and CPS <1 subgroups."""
    if population is None:
        return FIVE_YEAR_OS
    rows = tuple(row for row in FIVE_YEAR_OS if row.population == population)
    if not rows:
        known = ", ".join(dict.fromkeys(row.population for row in FIVE_YEAR_OS))
        raise ValueError(f"No KEYNOTE-048 5-year survival is tabulated for {population!r}; use one of {known}.")
    return rows
