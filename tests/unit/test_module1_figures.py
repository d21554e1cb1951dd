"""The module 1 figures draw exactly the numbers of the data modules, each with a text alternative, axis titles and a
figure title, and never with colour as the only signal."""

from __future__ import annotations

import html

import pytest

from hnscc_edu.clinical import dose
from hnscc_edu.clinical.reirradiation import MIRI_MEDIAN_OS_MONTHS
from hnscc_edu.clinical.reirradiation_outcomes import (
    CAROTID_BLOWOUT_BY_SCHEDULE,
    CAROTID_BLOWOUT_POOLED,
    MIRI_EXTERNAL_TESTS,
    VERIFIED,
    miri_survival,
    reference_keys,
)
from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import EvidenceLabel
from hnscc_edu.ui.figures import text_alternative
from hnscc_edu.ui.module1_figures import carotid_blowout_chart, case_dose_chart, miri_median_os_chart
from tests.helpers import ROOT

COURSE = load_course(ROOT)
EVIDENCE = {label.value for label in EvidenceLabel}


def _accessible(chart) -> None:
    layout = chart.figure.layout
    assert layout.title.text == chart.title
    assert layout.xaxis.title.text and layout.yaxis.title.text
    alternative = text_alternative(chart)
    assert html.escape(f"Figure: {chart.title}.") in alternative and html.escape(chart.summary) in alternative
    assert "<table" in alternative and alternative.count("<tr>") == len(chart.rows) + 1
    assert all(len(row) == len(chart.columns) for row in chart.rows)


def test_miri_chart_draws_the_verified_medians():
    chart = miri_median_os_chart()
    bars = chart.figure.data[0]
    assert list(bars.y) == [MIRI_MEDIAN_OS_MONTHS[n] for n in (1, 2, 3)] == [44.9, 15.9, 7.9]
    assert list(bars.x) == ["Class I", "Class II", "Class III"]
    assert [row[2] for row in chart.rows] == ["44.9 months", "15.9 months", "7.9 months"]
    assert all("ward2019-nomogram [verified]" == row[3] for row in chart.rows)
    assert list(bars.text) == ["44.9 months", "15.9 months", "7.9 months"]  # the value is written, not only drawn
    assert len(set(bars.marker.pattern.shape)) == 3  # each class has its own pattern as well as its colour
    _accessible(chart)


def test_miri_chart_teaches_only_confirmed_facts():
    chart = miri_median_os_chart()
    text = text_alternative(chart)
    for recalled in ("61.9", "40.0%", "16.8"):  # the unconfirmed 2-year OS figures (confirmations.md item 3)
        assert recalled not in text
    assert "unconfirmed" in chart.rows[0][1]  # class I is described, not defined
    assert "0.526" in chart.summary and "KROG 1707" in chart.summary  # validated in one cohort, not in another
    assert [s.definition_confirmed for s in miri_survival()] == [False, True, True]


def test_carotid_chart_draws_the_schedules_of_the_data_module():
    chart = carotid_blowout_chart()
    bars = chart.figure.data[0]
    assert list(bars.x) == [rate.percent for rate in CAROTID_BLOWOUT_BY_SCHEDULE]
    by_schedule = {rate.schedule: rate for rate in CAROTID_BLOWOUT_BY_SCHEDULE}
    assert by_schedule["Continuous course"].percent == 1.3 and by_schedule["Split course"].percent == 4.5
    assert by_schedule["Continuous course"].source == by_schedule["Split course"].source == "mcdonald2012-cbs"
    assert by_schedule["SBRT, CyberKnife"].source == "yamazaki2013-cbs"
    assert list(bars.text) == ["1.3%", "4.5%", "8.4%"]
    assert len(set(bars.marker.pattern.shape)) == len(CAROTID_BLOWOUT_BY_SCHEDULE)
    assert "2.6%" in chart.summary and "76%" in chart.summary and "separate series" in chart.summary
    assert [row[2] for row in chart.rows] == ["1.3%", "4.5%", "8.4%"]
    _accessible(chart)


def test_every_outcome_number_is_verified_with_a_resolving_key_and_a_course_evidence_label():
    rows = [*CAROTID_BLOWOUT_BY_SCHEDULE, CAROTID_BLOWOUT_POOLED, *MIRI_EXTERNAL_TESTS, *miri_survival()]
    assert all(row.tag == VERIFIED for row in rows)
    assert all(row.evidence in EVIDENCE for row in rows)
    assert [key for key in reference_keys() if key not in COURSE.references] == []


def _cord_block():
    case = COURSE.case("reirr-planning-04")
    return case, next(
        block
        for stage in case.stages
        for block in stage.calculators
        if block.kind == "cumulative_dose" and block.organ == "spinal_cord"
    )


def test_case_dose_chart_equals_the_calculation_on_the_case_plan():
    case, block = _cord_block()
    courses = [(c.dose_gy, c.fractions) for c in block.courses]
    recovery = dose.recovery_fraction(dose.months_between(block.courses[0].date, block.courses[1].date))
    assert block.recovery == "rule" and recovery == 0.5
    verdicts = dose.check_cumulative("spinal_cord", courses, alpha_beta=block.alpha_beta, recovery=recovery)
    chart = case_dose_chart(case, "spinal_cord")
    bars, limits = chart.figure.data
    assert list(bars.x) == pytest.approx([v.compared_gy for v in verdicts])
    assert list(limits.x) == [v.limit_high_gy for v in verdicts]
    assert [row[0] for row in chart.rows] == [v.source_label for v in verdicts]
    assert chart.summary.startswith("Case reirr-planning-04: 46.2 Gy/35 fx + 21 Gy/30 fx; each source's own α/β.")
    assert "Recovery 50%" in chart.summary
    _accessible(chart)


def test_case_dose_chart_refuses_an_organ_the_case_does_not_plan():
    case, _ = _cord_block()
    with pytest.raises(LookupError, match="no cumulative-dose calculator"):
        case_dose_chart(case, "great_vessels")
