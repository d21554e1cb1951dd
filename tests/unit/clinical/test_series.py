"""RECIST series over a lesion table, iRECIST over the series, and the calendar interval for the recovery rule."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.clinical import dose, keynote048, recist

LABELS = ["Baseline", "Week 8", "Week 16"]


def test_sums_changes_and_calls_follow_the_table():
    # Two lesions: 30+40 = 70 mm; 20+29 = 49 mm (-30.0%: exactly the PR threshold); 30+31 = 61 mm (+12 mm, +24.5%
    # over the nadir of 49 mm: PD).
    rows = recist.series(LABELS, [[30, 20, 30], [40, 29, 31]])
    assert [a.sum_mm for a in rows] == [70, 49, 61]
    assert [a.response for a in rows] == [None, "PR", "PD"]
    assert rows[1].change_from_baseline_percent == pytest.approx(-30.0)
    assert rows[2].nadir_before_mm == 49
    assert rows[2].change_from_nadir_percent == pytest.approx(12 / 49 * 100)


def test_the_nadir_is_the_smallest_earlier_sum_not_the_baseline():
    # 100 -> 60 -> 75: +15 mm is 25% over the nadir of 60 (PD) although still 25% below baseline.
    assert recist.series(LABELS, [[100, 60, 75]])[-1].response == "PD"


def test_new_lesions_and_complete_disappearance():
    assert recist.series(LABELS, [[50, 40, 40]], [False, False, True])[-1].response == "PD"
    assert recist.series(LABELS, [[50, 10, 0], [20, 5, 0]])[-1].response == "CR"


@pytest.mark.parametrize(
    "labels, table, flags, message",
    [
        (LABELS, [[30, 20]], None, "measure every target lesion"),
        (["Baseline"], [[30]], None, "at least one follow-up"),
        (LABELS, [], None, "at least one target lesion"),
        (LABELS, [[30, -1, 20]], None, "cannot be negative"),
        (LABELS, [[0, 10, 10]], None, "baseline sum is 0"),
        (LABELS, [[30, 20, 10]], [False, True], "one new-lesion yes/no per assessment"),
        (LABELS, [[30, 20, 10]], ["no", False, False], "True or False"),
    ],
)
def test_impossible_tables_are_refused_in_plain_words(labels, table, flags, message):
    with pytest.raises(ValueError, match=message):
        recist.series(labels, table, flags)


def test_irecist_confirms_progression_by_a_further_rise_4_to_8_weeks_later():
    series = recist.series(["B", "F1", "F2", "F3"], [[50, 40, 50, 56]])
    # 40 -> 50 mm is +25% and +10 mm over the nadir: PD, so iUPD; 6 weeks later +6 mm more: confirmed.
    assert recist.irecist_series(series, [0, 8, 16, 22]) == [None, "iSD", "iUPD", "iCPD"]


def test_irecist_keeps_iupd_when_the_rise_is_small_and_resets_after_shrinkage():
    rising = recist.series(["B", "F1", "F2", "F3"], [[50, 40, 50, 53]])
    assert recist.irecist_series(rising, [0, 8, 16, 22])[-1] == "iUPD"
    shrinking = recist.series(["B", "F1", "F2", "F3"], [[50, 40, 50, 34]])
    assert recist.irecist_series(shrinking, [0, 8, 16, 22])[-1] == "iPR"


def test_irecist_needs_the_confirming_scan_within_8_weeks_and_increasing_times():
    series = recist.series(["B", "F1", "F2", "F3"], [[50, 40, 50, 56]])
    with pytest.raises(ValueError, match="4-8 weeks"):
        recist.irecist_series(series, [0, 8, 16, 30])
    with pytest.raises(ValueError, match="increase"):
        recist.irecist_series(series, [0, 8, 8, 12])


@given(st.lists(st.floats(min_value=1, max_value=200), min_size=2, max_size=8))
def test_every_follow_up_gets_a_call_and_the_first_is_baseline(sums):
    series = recist.series([f"A{i}" for i in range(len(sums))], [sums])
    assert series[0].response is None
    assert all(a.response in recist.RESPONSES for a in series[1:])


def test_months_between_dates():
    assert dose.months_between(dt.date(2024, 1, 1), dt.date(2025, 1, 1)) == pytest.approx(366 / (365.25 / 12))
    assert dose.recovery_fraction(dose.months_between(dt.date(2024, 1, 15), dt.date(2024, 7, 1))) == 0.0
    with pytest.raises(ValueError, match="out of order"):
        dose.months_between(dt.date(2025, 1, 1), dt.date(2024, 1, 1))
    with pytest.raises(ValueError, match="must be a date"):
        dose.months_between("2024-01-01", dt.date(2024, 1, 1))


def test_keynote048_rows_are_well_formed_and_cite_tabulated_sources():
    rows = keynote048.hazard_ratios()
    # 6 pre-specified rows (Burtness 2019), 6 descriptive 5-year rows, 4 post hoc subgroup rows (issue 15 §1; fc-m3 P1).
    assert len(rows) == 16 and {r.arm for r in rows} == {keynote048.PEMBROLIZUMAB, keynote048.PEMBROLIZUMAB_CHEMO}
    assert all(r.ci_low < r.hazard_ratio < r.ci_high for r in rows)
    assert all(r.reference in keynote048.REFERENCES for r in rows)
    # The verified figures the course teaches elsewhere (sequencing rationales) are the same numbers.
    pembro_low = keynote048.hazard_ratios("CPS <1")[0]
    assert (pembro_low.hazard_ratio, pembro_low.ci_low, pembro_low.ci_high) == (1.51, 0.96, 2.37)
    with pytest.raises(ValueError, match="No KEYNOTE-048 hazard ratios"):
        keynote048.hazard_ratios("CPS >=50")
