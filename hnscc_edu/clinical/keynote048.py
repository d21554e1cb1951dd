"""KEYNOTE-048 overall-survival hazard ratios against EXTREME, by arm and PD-L1 CPS population, as data, each row
labelled with WHAT KIND of result it is, so that no summary can call a non-inferiority, long-term follow-up or post
hoc row a benefit.

Three analyses are combined, and each row says which one it comes from and what kind of comparison it is
(:class:`ComparisonKind`), because they answer different questions:

- the primary report (Burtness 2019, Lancet, ``burtness2019-keynote048``): the pre-specified tests in the CPS >=20,
  CPS >=1 and total populations. Pembrolizumab alone met superiority at CPS >=20 and CPS >=1 (second interim
  analysis) and was NON-INFERIOR, not superior, in the total population (HR 0.85, 0.71-1.03); pembrolizumab +
  chemotherapy met superiority in the total population (second interim) and at CPS >=20 and CPS >=1 (final analysis).
  Source: the Lancet abstract (``burtness2019-keynote048``; the issue 15 rows of references/evidence-log.md).
- the 5-year update (Tahara 2025, ``tahara2025-keynote048``): the same populations after long follow-up, which its
  abstract calls "updated data with 5 years of follow-up" (PMID 40262400, read 2026-12-05). It is descriptive
  long-term follow-up without formal hypothesis testing, not a "final analysis"; the pre-specified result of each
  comparison is its 2019 row. The abstract does not call it post hoc (the methods were not read); its authors call
  the earlier 4-year update (Harrington 2023, ``harrington2023-keynote048``) "post hoc", with "no multiplicity or
  alpha adjustment" (PMC9902012). Kind :attr:`ComparisonKind.LONG_TERM_UPDATE` (fact-check fc-m3 P1).
- the post hoc CPS subgroup analysis (Burtness 2022, ``burtness2022-keynote048-cps``): CPS 1-19 and CPS <1, the
  groups a clinician actually has to choose for. Post hoc, no alpha control.

Only a :attr:`ComparisonKind.SUPERIORITY_MET` row may be summarised as a shown benefit; every summary sentence is
derived from the kind by :func:`row_statement` and :func:`forest_summary` (issue 15 §1; review clinical-module3 E1,
claim #84). An HR below 1 favours the pembrolizumab arm.

In the total population pembrolizumab alone also had SHORTER progression-free survival than EXTREME and fewer
objective responses (:data:`TOTAL_POPULATION_MONOTHERAPY_CAVEAT`). The Lancet 2019 abstract says only that neither
pembrolizumab arm improved PFS; the direction and size ("34% increase in progression or deaths", "64% decrease in
objective responses") were read only in a secondary summary (metaEvidence, ``metaevidence-keynote048``)
[verified-secondary], and PFS inferiority was never a pre-specified test; the 5-year abstract saw no clinically
meaningful PFS difference between the arms. The caveat therefore says where it was read and cites
:data:`CAVEAT_REFERENCES` in its own text (fact-check fc-m3 P6).

The 5-year overall survival of each arm (``FIVE_YEAR_OS``) comes from the 5-year results presented at ESMO 2022
(abstract 659MO, ``tahara2022-keynote048-esmo``) for the CPS >=20, CPS >=1 and total populations, and for
the total population also from the 5-year update paper (``tahara2025-keynote048``) [verified]. These are
descriptive landmark rates. Each EXTREME figure belongs to its own
comparison and is kept with it. Education, not clinical advice.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

PEMBROLIZUMAB = "Pembrolizumab"
PEMBROLIZUMAB_CHEMO = "Pembrolizumab + platinum/5-FU"
COMPARATOR = "Cetuximab + platinum/5-FU (EXTREME)"


class ComparisonKind(enum.Enum):
    """What a KEYNOTE-048 data row is. Only ``SUPERIORITY_MET`` may ever be called a shown benefit."""

    SUPERIORITY_MET = "pre-specified superiority test that met its boundary"
    NON_INFERIORITY_MET = "pre-specified non-inferiority met; superiority not shown"
    # The 5-year update re-reads comparisons already tested in 2019: it confirms durability, it does not generate a
    # hypothesis, and it carries no formal test of its own (fact-check fc-m3 P1).
    LONG_TERM_UPDATE = (
        "long-term follow-up without formal testing (descriptive); the pre-specified result is the 2019 row"
    )
    POST_HOC = "post hoc analysis without alpha control (hypothesis-generating)"
    DESCRIPTIVE = "descriptive figure, not a statistical test"


@dataclass(frozen=True)
class HazardRatio:
    """One OS hazard ratio of a pembrolizumab arm against EXTREME, with its 95% confidence interval and its kind."""

    arm: str
    population: str
    hazard_ratio: float
    ci_low: float
    ci_high: float
    analysis: str
    reference: str
    evidence: str
    kind: ComparisonKind
    short: str

    @property
    def label(self) -> str:
        return f"{self.population}: {self.arm} ({self.short})"


_PRIMARY = "Primary report (Lancet 2019): pre-specified interim or final analysis"
_FIVE_YEAR = "5-year update (Tahara 2025): descriptive long-term follow-up, no formal testing"
_SUBGROUP = "CPS subgroup analysis, post hoc"
_BURTNESS2019 = "burtness2019-keynote048"
_TAHARA = "tahara2025-keynote048"
_BURTNESS = "burtness2022-keynote048-cps"
_PRIMARY_EVIDENCE = "Phase 3 RCT, pre-specified primary hypothesis"
_LONG_TERM = "Phase 3 RCT, long-term follow-up without formal hypothesis testing (descriptive)"
_POST_HOC = "Phase 3 RCT, post hoc subgroup (hypothesis-generating)"
_S, _NI, _PH = ComparisonKind.SUPERIORITY_MET, ComparisonKind.NON_INFERIORITY_MET, ComparisonKind.POST_HOC
_LT = ComparisonKind.LONG_TERM_UPDATE
_P, _Y, _G = "2019 primary", "5-year update, descriptive", "subgroup, post hoc"

OS_HAZARD_RATIOS: tuple[HazardRatio, ...] = (
    # Primary report: second interim analysis (pembrolizumab alone; pembrolizumab + chemotherapy, total population)
    # and final analysis (pembrolizumab + chemotherapy, CPS >=20 and >=1), Burtness 2019 abstract.
    HazardRatio(PEMBROLIZUMAB, "CPS >=20", 0.61, 0.45, 0.83, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _S, _P),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=20", 0.60, 0.45, 0.82, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _S, _P),
    HazardRatio(PEMBROLIZUMAB, "CPS >=1", 0.78, 0.64, 0.96, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _S, _P),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=1", 0.65, 0.53, 0.80, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _S, _P),
    HazardRatio(
        PEMBROLIZUMAB, "Total population", 0.85, 0.71, 1.03, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _NI, _P
    ),
    HazardRatio(
        PEMBROLIZUMAB_CHEMO, "Total population", 0.77, 0.63, 0.93, _PRIMARY, _BURTNESS2019, _PRIMARY_EVIDENCE, _S, _P
    ),
    # 5-year update (Tahara 2025): descriptive long-term follow-up, never a benefit, whatever the CI shows.
    HazardRatio(PEMBROLIZUMAB, "CPS >=20", 0.61, 0.46, 0.81, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=20", 0.63, 0.47, 0.84, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    HazardRatio(PEMBROLIZUMAB, "CPS >=1", 0.74, 0.61, 0.89, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS >=1", 0.65, 0.53, 0.79, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    HazardRatio(PEMBROLIZUMAB, "Total population", 0.82, 0.69, 0.97, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "Total population", 0.72, 0.60, 0.86, _FIVE_YEAR, _TAHARA, _LONG_TERM, _LT, _Y),
    # Post hoc CPS subgroups (Burtness 2022).
    HazardRatio(PEMBROLIZUMAB, "CPS 1-19", 0.86, 0.66, 1.12, _SUBGROUP, _BURTNESS, _POST_HOC, _PH, _G),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS 1-19", 0.71, 0.54, 0.94, _SUBGROUP, _BURTNESS, _POST_HOC, _PH, _G),
    HazardRatio(PEMBROLIZUMAB, "CPS <1", 1.51, 0.96, 2.37, _SUBGROUP, _BURTNESS, _POST_HOC, _PH, _G),
    HazardRatio(PEMBROLIZUMAB_CHEMO, "CPS <1", 1.21, 0.76, 1.94, _SUBGROUP, _BURTNESS, _POST_HOC, _PH, _G),
)

REFERENCES: tuple[str, ...] = (_TAHARA, _BURTNESS, _BURTNESS2019)

# The PFS/response direction was read only in a secondary summary (metaEvidence) of the 2019 report; the caveat says
# so and names its sources in its own text, so that every figure and print that shows it also cites it (fc-m3 P6).
CAVEAT_REFERENCES: tuple[str, ...] = (_BURTNESS2019, "metaevidence-keynote048")
TOTAL_POPULATION_MONOTHERAPY_CAVEAT = (
    "In the total population pembrolizumab alone was only non-inferior to EXTREME for overall survival, and its "
    "progression-free survival was shorter and its objective responses fewer than with EXTREME (figures from a "
    "secondary summary of the 2019 report, not a pre-specified test; sources: " + "; ".join(CAVEAT_REFERENCES) + ")."
)


def is_shown_benefit(row: HazardRatio) -> bool:
    """True only for a pre-specified superiority test that met its boundary (the row's ``kind``), never for a
    non-inferiority, long-term follow-up, post hoc or descriptive row, whatever its confidence interval shows. A row
    that claims superiority with a confidence interval reaching 1 is a data-entry error and raises ``ValueError``."""
    if row.kind is ComparisonKind.SUPERIORITY_MET:
        if row.ci_high >= 1.0:
            raise ValueError(f"{row.label} is marked as superiority met but its 95% CI reaches {row.ci_high:.2f}.")
        return True
    return False


def row_statement(row: HazardRatio) -> str:
    """One sentence per row, derived only from ``row.kind`` (the single place that words a row's meaning)."""
    numbers = f"HR {row.hazard_ratio:.2f} ({row.ci_low:.2f}-{row.ci_high:.2f})"
    if is_shown_benefit(row):
        return f"{row.label}: {numbers}; a shown benefit (pre-specified superiority test met)."
    if row.kind is ComparisonKind.NON_INFERIORITY_MET:
        return f"{row.label}: {numbers}; non-inferior to EXTREME, superiority not shown."
    if row.kind is ComparisonKind.LONG_TERM_UPDATE:
        return (
            f"{row.label}: {numbers}; long-term follow-up without formal testing (descriptive); the "
            "pre-specified result is the 2019 row."
        )
    if row.kind is ComparisonKind.POST_HOC:
        return f"{row.label}: {numbers}; post hoc, no alpha control: hypothesis-generating only."
    return f"{row.label}: {numbers}; descriptive only."


def forest_summary(rows: Sequence[HazardRatio]) -> str:
    """The one-line text alternative of the forest plot, derived from each row's ``kind`` (never from its CI)."""
    benefit = [r.label for r in rows if is_shown_benefit(r)]
    non_inferior = [r.label for r in rows if r.kind is ComparisonKind.NON_INFERIORITY_MET]
    long_term = [r for r in rows if r.kind is ComparisonKind.LONG_TERM_UPDATE]
    post_hoc = [r for r in rows if r.kind is ComparisonKind.POST_HOC]
    descriptive = [r for r in rows if r.kind is ComparisonKind.DESCRIPTIVE]
    parts = [
        f"Shown benefit (pre-specified superiority test met) for {len(benefit)} of {len(rows)} rows"
        + (f": {'; '.join(benefit)}." if benefit else ".")
    ]
    if non_inferior:
        parts.append(f"Non-inferior only, superiority not shown: {'; '.join(non_inferior)}.")
    if long_term:
        parts.append(
            f"{len(long_term)} rows are the 5-year update, descriptive long-term follow-up without formal "
            "testing, and are not counted as shown benefits."
        )
    if post_hoc:
        parts.append(
            f"{len(post_hoc)} rows are post hoc CPS subgroups (no alpha control, hypothesis-generating) and "
            "are not counted as shown benefits."
        )
    if descriptive:
        parts.append(f"{len(descriptive)} rows are descriptive only.")
    if any(r.arm == PEMBROLIZUMAB and r.population == "Total population" for r in rows):
        parts.append(TOTAL_POPULATION_MONOTHERAPY_CAVEAT)
    return " ".join(parts)


def hazard_ratios(population: str | None = None) -> tuple[HazardRatio, ...]:
    """The OS hazard ratios, optionally for one population ("CPS >=20", "CPS >=1", "Total population",
    "CPS 1-19", "CPS <1"). Sources: ``burtness2019-keynote048``, ``tahara2025-keynote048`` and
    ``burtness2022-keynote048-cps``."""
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
    kind: ComparisonKind = ComparisonKind.DESCRIPTIVE

    @property
    def label(self) -> str:
        return f"{self.population}: {self.arm}"


def five_year_summary(rows: Sequence[FiveYearSurvival]) -> str:
    """The text alternative of the 5-year chart, derived from each row's ``kind``: landmark rates are described,
    never called a benefit (they are not a statistical test)."""
    gaps = "; ".join(f"{r.label} {r.arm_percent:.1f}% vs EXTREME {r.comparator_percent:.1f}%" for r in rows)
    if all(r.kind is ComparisonKind.DESCRIPTIVE for r in rows):
        return (
            f"Descriptive 5-year landmark survival (not a statistical test) in {len(rows)} comparisons: {gaps}. "
            + TOTAL_POPULATION_MONOTHERAPY_CAVEAT
        )
    return f"5-year survival by arm: {gaps}."


_ESMO2022 = "tahara2022-keynote048-esmo"
_FIVE_YEAR_OS_ANALYSIS = "5-year results, data cut-off 21 Feb 2022"
_LANDMARK = "Phase 3 RCT, 5-year landmark survival (descriptive)"

FIVE_YEAR_OS: tuple[FiveYearSurvival, ...] = (
    FiveYearSurvival(PEMBROLIZUMAB, "CPS >=20", 19.9, 7.4, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB_CHEMO, "CPS >=20", 23.9, 6.4, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB, "CPS >=1", 15.4, 5.5, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(PEMBROLIZUMAB_CHEMO, "CPS >=1", 18.2, 4.3, _FIVE_YEAR_OS_ANALYSIS, (_ESMO2022,), _LANDMARK),
    FiveYearSurvival(
        PEMBROLIZUMAB, "Total population", 14.4, 6.5, _FIVE_YEAR_OS_ANALYSIS, (_TAHARA, _ESMO2022), _LANDMARK
    ),
    FiveYearSurvival(
        PEMBROLIZUMAB_CHEMO, "Total population", 16.0, 5.2, _FIVE_YEAR_OS_ANALYSIS, (_TAHARA, _ESMO2022), _LANDMARK
    ),
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
