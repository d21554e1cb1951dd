"""No KEYNOTE-048 row is summarised as a benefit unless it is a pre-specified superiority test that met its boundary
(issue 15 §1; clinical-module3 E1 and claim #84). Tests the derivation functions over every row and over seeded bad
rows, and shows the check fails against the old CI-based summary."""

import re
from dataclasses import replace

import pytest

from hnscc_edu.clinical import keynote048 as kn
from hnscc_edu.content.course import load_course
from hnscc_edu.ui.figures import forest_plot
from hnscc_edu.ui.module3_figures import five_year_survival_chart, keynote048_forest_plot
from tests.helpers import ROOT

BENEFIT = re.compile(r"shown benefit|benefit|improved|superior to|better|longer survival|lived longer", re.IGNORECASE)
NOT_BENEFIT = (
    kn.ComparisonKind.NON_INFERIORITY_MET,
    kn.ComparisonKind.LONG_TERM_UPDATE,
    kn.ComparisonKind.POST_HOC,
    kn.ComparisonKind.DESCRIPTIVE,
)


def benefit_clause(summary: str) -> str:
    """The part of a forest-plot summary that lists shown benefits (its first sentence)."""
    return summary.split(". ")[0]


def claimed_benefits(summary: str, rows) -> list[str]:
    """Labels of non-superiority rows that a summary names in its benefit clause: must always be empty."""
    clause = benefit_clause(summary)
    return [r.label for r in rows if r.kind in NOT_BENEFIT and r.label in clause]


def test_each_row_kind_is_set_from_the_sources():
    kinds = {(r.arm, r.population, r.short): r.kind for r in kn.hazard_ratios()}
    p, pc = kn.PEMBROLIZUMAB, kn.PEMBROLIZUMAB_CHEMO
    # Burtness 2019: pembrolizumab alone non-inferior, not superior, in the total population.
    assert kinds[(p, "Total population", "2019 primary")] is kn.ComparisonKind.NON_INFERIORITY_MET
    for pop in ("CPS >=20", "CPS >=1"):
        assert kinds[(p, pop, "2019 primary")] is kn.ComparisonKind.SUPERIORITY_MET
    for pop in ("CPS >=20", "CPS >=1", "Total population"):
        assert kinds[(pc, pop, "2019 primary")] is kn.ComparisonKind.SUPERIORITY_MET
    # The 5-year update (Tahara 2025) is descriptive long-term follow-up without formal testing, not post hoc and not
    # a final analysis; the CPS subgroups (Burtness 2022) are post hoc; whatever their confidence intervals show
    # (fact-check fc-m3 P1).
    later = [r for r in kn.hazard_ratios() if r.short != "2019 primary"]
    five_year = [r for r in later if r.reference == "tahara2025-keynote048"]
    subgroups = [r for r in later if r.reference == "burtness2022-keynote048-cps"]
    assert len(five_year) == 6 and len(subgroups) == 4 and len(later) == 10
    assert all(r.kind is kn.ComparisonKind.LONG_TERM_UPDATE for r in five_year)
    assert all(
        "descriptive" in r.short and "post hoc" not in (r.short + r.analysis + r.evidence).lower() for r in five_year
    )
    assert all(r.kind is kn.ComparisonKind.POST_HOC for r in subgroups)
    assert not any("final analysis" in r.evidence.lower() for r in later)


@pytest.mark.parametrize("row", kn.hazard_ratios(), ids=lambda r: r.label)
def test_row_statement_calls_only_superiority_rows_a_benefit(row):
    statement = kn.row_statement(row)
    if row.kind is kn.ComparisonKind.SUPERIORITY_MET:
        assert kn.is_shown_benefit(row) and "shown benefit" in statement
    else:
        assert not kn.is_shown_benefit(row) and not BENEFIT.search(statement)
    if row.kind is kn.ComparisonKind.LONG_TERM_UPDATE:
        # Descriptive follow-up: no formal test, and never worded as a hypothesis-generating post hoc result.
        assert "without formal testing" in statement and "hypothesis-generating" not in statement


def test_forest_summary_over_all_rows_names_no_non_superiority_row_as_a_benefit():
    rows = kn.hazard_ratios()
    summary = kn.forest_summary(rows)
    assert claimed_benefits(summary, rows) == []
    assert "non-inferior" in summary.lower()
    total = next(
        r
        for r in rows
        if r.arm == kn.PEMBROLIZUMAB and r.population == "Total population" and r.short == "2019 primary"
    )
    assert total.label not in benefit_clause(summary)
    # The one sentence on the total-population PFS/ORR deficit of pembrolizumab alone is always there, says it comes
    # from a secondary summary and not a pre-specified test, and names its sources (fact-check fc-m3 P6).
    assert kn.TOTAL_POPULATION_MONOTHERAPY_CAVEAT in summary
    assert "progression-free survival was shorter" in summary and "responses fewer" in summary
    assert "secondary summary" in summary and "not a pre-specified test" in summary
    assert kn.CAVEAT_REFERENCES == ("burtness2019-keynote048", "metaevidence-keynote048")
    assert all(key in kn.TOTAL_POPULATION_MONOTHERAPY_CAVEAT for key in kn.CAVEAT_REFERENCES)
    # The 5-year rows are counted as descriptive follow-up, the subgroup rows as post hoc.
    assert "6 rows are the 5-year update, descriptive long-term follow-up without formal testing" in summary
    assert "4 rows are post hoc CPS subgroups" in summary


def test_caveat_sources_resolve_in_the_bibliography():
    references = load_course(ROOT).references
    assert all(references.get(key) is not None for key in kn.CAVEAT_REFERENCES)


def test_figures_and_their_text_alternatives_use_the_derived_summary():
    for chart in (keynote048_forest_plot(), forest_plot(kn.hazard_ratios())):
        assert chart.summary == kn.forest_summary(kn.hazard_ratios())
        assert {row[-1] for row in chart.rows} <= {k.value for k in kn.ComparisonKind}
    five = five_year_survival_chart()
    assert not BENEFIT.search(five.summary.split(kn.TOTAL_POPULATION_MONOTHERAPY_CAVEAT)[0])
    assert "Descriptive" in five.summary


def test_seeded_bad_row_post_hoc_with_a_ci_below_1_is_not_a_benefit():
    bad = replace(
        kn.hazard_ratios()[0],
        population="Seeded",
        hazard_ratio=0.5,
        ci_low=0.3,
        ci_high=0.7,
        kind=kn.ComparisonKind.POST_HOC,
        short="seeded post hoc",
    )
    rows = (*kn.hazard_ratios(), bad)
    assert not kn.is_shown_benefit(bad)
    assert not BENEFIT.search(kn.row_statement(bad))
    assert claimed_benefits(kn.forest_summary(rows), rows) == []


def test_seeded_bad_row_long_term_update_with_a_ci_below_1_is_not_a_benefit():
    bad = replace(
        kn.hazard_ratios()[6], population="Seeded", hazard_ratio=0.5, ci_low=0.3, ci_high=0.7, short="seeded 5-year"
    )
    assert bad.kind is kn.ComparisonKind.LONG_TERM_UPDATE
    rows = (*kn.hazard_ratios(), bad)
    assert not kn.is_shown_benefit(bad) and not BENEFIT.search(kn.row_statement(bad))
    assert claimed_benefits(kn.forest_summary(rows), rows) == []


def test_seeded_bad_row_claiming_superiority_with_a_ci_reaching_1_is_rejected():
    bad = replace(kn.hazard_ratios()[0], ci_high=1.03, kind=kn.ComparisonKind.SUPERIORITY_MET)
    with pytest.raises(ValueError, match="superiority"):
        kn.is_shown_benefit(bad)


def test_the_check_fails_against_the_old_ci_based_summary():
    """The summary this course used to print counted every CI wholly below 1 as a shown benefit; the check above
    must flag it (otherwise the test could never fail)."""
    rows = kn.hazard_ratios()
    below = [r.label for r in rows if r.ci_high < 1.0]
    old = f"Confidence interval wholly below 1 (a shown benefit) for {len(below)} of {len(rows)}: {'; '.join(below)}"
    assert claimed_benefits(old, rows) != []
