"""LQ dose calculator and cumulative organ limits, against reirradiation.md "Independent test cases" T1-T12."""

import dataclasses
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hnscc_edu.clinical import dose
from hnscc_edu.clinical.oar_limits import ORGAN_LIMITS, ORGANS
from hnscc_edu.clinical.sources import REFERENCE_KEYS

doses = st.floats(min_value=0.0, max_value=150.0, allow_nan=False)
fractions = st.integers(min_value=1, max_value=45)
alpha_betas = st.floats(min_value=0.5, max_value=20.0, allow_nan=False)


# --- Worked examples ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dose_gy, n, ab, bed, eqd2",
    [
        (50, 25, 2, 100.0, 50.0),  # T1 Nieder 2006
        (60, 40, 10, 69.0, 57.5),  # T5 RTOG 9610/9911
        (60, 40, 3, 90.0, 54.0),
        (60, 40, 2, 105.0, 52.5),
        (44, 5, 10, 82.72, 68.93),  # T6 UPMC SBRT
        (44, 5, 3, 173.07, 103.84),
        (44, 5, 2, 237.6, 118.8),
        (40, 5, 10, 72.0, 60.0),  # T7
        (54, 30, 10, 63.72, 53.1),  # T10 (non-peer-reviewed cross-check)
    ],
)
def test_bed_and_eqd2_worked_examples(dose_gy, n, ab, bed, eqd2):
    assert dose.bed(dose_gy, n, ab) == pytest.approx(bed, abs=0.005)
    assert dose.eqd2(dose_gy, n, ab) == pytest.approx(eqd2, abs=0.005)


@pytest.mark.parametrize("ab, eqd2", [(3, 88.0), (2, 100.0)])
def test_t7_eqd2_at_late_alpha_beta(ab, eqd2):
    assert dose.eqd2(40, 5, ab) == pytest.approx(eqd2)


def test_t2_bed_at_alpha_beta_4():
    assert dose.bed(50, 25, 4) == pytest.approx(75.0)


@pytest.mark.parametrize("bed, eqd2", [(135.5, 67.75), (120, 60.0), (98, 49.0)])
def test_t3_nieder_thresholds_in_eqd2(bed, eqd2):
    assert dose.eqd2_from_bed(bed, 2) == pytest.approx(eqd2)


def test_t4_doi_recovery_example():
    recovery = dose.recovery_fraction(18)
    assert recovery == 0.5
    allowed = dose.remaining_eqd2(50, [(50, 25)], 2, recovery)
    assert allowed == pytest.approx(25.0)
    second = (dose.max_dose_for_eqd2(allowed, 13, 2), 13)
    assert dose.cumulative_eqd2([(50, 25), second], 2, recovery) == pytest.approx(50.0)
    assert dose.cumulative_eqd2([(50, 25), second], 2) == pytest.approx(75.0)  # 150% of the 50 Gy tolerance


def test_t8_yamazaki_schedule():
    assert dose.eqd2(30, 5, 3) == pytest.approx(54.0)
    assert dose.cumulative_eqd2([(60, 30), (30, 5)], 3) == pytest.approx(114.0)


def test_t9_quad_shot():
    assert dose.bed(14.8, 4, 10) == pytest.approx(20.28, abs=0.005)
    assert 3 * dose.bed(14.8, 4, 10) == pytest.approx(60.83, abs=0.005)
    assert dose.cumulative_eqd2([(14.8, 4)] * 3, 10) == pytest.approx(50.69, abs=0.005)
    assert 3 * dose.bed(14, 4, 10) == pytest.approx(56.7)


def test_t11_cumulative_eqd2():
    assert dose.cumulative_eqd2([(70, 35), (40, 5)], 10) == pytest.approx(130.0)


def test_t12_sahgal_rule_check():
    sbrt = (dose.max_dose_for_eqd2(25, 1, 2), 1)
    verdicts = {v.source: v for v in dose.check_cumulative("spinal_cord", [(40, 20), sbrt])}
    sahgal = verdicts["sahgal2012"]
    assert sahgal.compared_gy == pytest.approx(65.0)
    assert sahgal.status == "within"
    assert "38%" in sahgal.assumptions


@pytest.mark.parametrize(
    "months, fraction", [(0, 0.0), (5.99, 0.0), (6, 0.25), (11.99, 0.25), (12, 0.5), (18, 0.5), (120, 0.5)]
)
def test_recovery_rule_boundaries(months, fraction):
    assert dose.recovery_fraction(months) == fraction


def test_recovery_discounts_every_course_before_the_last():
    courses = [(60, 30), (30, 15), (20, 10)]
    assert dose.cumulative_eqd2(courses, 2, 0.5) == pytest.approx(0.5 * 60 + 0.5 * 30 + 20)
    assert dose.cumulative_eqd2([(60, 30)], 2, 0.5) == pytest.approx(60)


def test_summary_flags_sbrt_fraction_sizes():
    sbrt = dose.summary(44, 5, 10)
    assert sbrt.eqd2_gy == pytest.approx(68.93, abs=0.005) and sbrt.unit == "Gy"
    assert any("contested" in note for note in sbrt.assumptions)
    assert not any("contested" in note for note in dose.summary(70, 35, 10).assumptions)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sbrt.eqd2_gy = 0


# --- Properties -----------------------------------------------------------------------------------------------


@given(fractions, alpha_betas)
def test_eqd2_is_the_physical_dose_at_2_gy_per_fraction(n, ab):
    assert dose.eqd2(2.0 * n, n, ab) == pytest.approx(2.0 * n, rel=1e-12)


@st.composite
def schedules(draw) -> tuple[float, int]:
    """A dose and a number of fractions with at most MAX_GY_PER_FRACTION per fraction (larger is an entry slip)."""
    n = draw(fractions)
    return draw(st.floats(min_value=0.0, max_value=min(150.0, dose.MAX_GY_PER_FRACTION * n))), n


@given(fractions, st.floats(0, 1), st.floats(0, 1), alpha_betas)
def test_eqd2_rises_with_dose(n, share_a, share_b, ab):
    a, b = (share * min(150.0, dose.MAX_GY_PER_FRACTION * n) for share in (share_a, share_b))
    low, high = sorted((a, b))
    assert dose.eqd2(low, n, ab) <= dose.eqd2(high, n, ab)
    if high - low > 1e-6:
        assert dose.eqd2(low, n, ab) < dose.eqd2(high, n, ab)


@given(st.lists(schedules(), min_size=1, max_size=4), alpha_betas, st.floats(0, 1), st.floats(0, 1))
def test_cumulative_eqd2_falls_as_recovery_rises(courses, ab, r1, r2):
    low, high = sorted((r1, r2))
    assert dose.cumulative_eqd2(courses, ab, high) <= dose.cumulative_eqd2(courses, ab, low) + 1e-9


@given(st.floats(min_value=0.0, max_value=200.0), fractions, alpha_betas)
def test_max_dose_for_eqd2_inverts_eqd2(target, n, ab):
    physical = dose.max_dose_for_eqd2(target, n, ab)
    assert physical >= 0
    assume(physical / n <= dose.MAX_GY_PER_FRACTION)  # beyond it eqd2 refuses the schedule as an entry slip
    assert dose.eqd2(physical, n, ab) == pytest.approx(target, rel=1e-9, abs=1e-9)


@given(schedules(), alpha_betas)
def test_eqd2_inverts_max_dose_for_eqd2(schedule, ab):
    physical, n = schedule
    assert dose.max_dose_for_eqd2(dose.eqd2(physical, n, ab), n, ab) == pytest.approx(physical, rel=1e-9, abs=1e-9)


# --- Entry slips: a dose in cGy typed as Gy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: dose.eqd2(4600, 23, 2),
        lambda: dose.bed(4600, 23, 2),
        lambda: dose.summary(4600, 23, 2),
        lambda: dose.cumulative_eqd2([(50, 25), (4600, 23)], 2),
        lambda: dose.check_cumulative("spinal_cord", [(50, 25), (4600, 23)]),
    ],
)
def test_a_dose_in_cgy_typed_as_gy_is_refused_with_the_question(call):
    with pytest.raises(
        dose.DosePerFractionError, match=r"200 Gy per fraction.*Did you mean 46 Gy \(4600 cGy\)\?"
    ) as refused:
        call()
    assert refused.value.suggested_gy == 46.0 and isinstance(refused.value, ValueError)


def test_the_limit_is_35_gy_in_one_fraction_and_a_reading_in_cgy_is_offered_only_when_plausible():
    assert dose.eqd2(35, 1, 2) == pytest.approx(35 * (35 + 2) / 4)
    with pytest.raises(dose.DosePerFractionError, match="Check the dose and the number of fractions") as refused:
        dose.eqd2(40, 1, 2)  # 0.4 Gy in one fraction is no schedule either: nothing is suggested
    assert refused.value.suggested_gy is None
    with pytest.raises(dose.DosePerFractionError, match="Course 2: ") as refused:
        dose.cumulative_eqd2([(60, 30), (800, 1)], 2)
    assert refused.value.suggested_gy == 8.0


# --- Organ-limit table ---------------------------------------------------------------------------------------


def test_every_row_names_its_source_definition_and_tag():
    for row in ORGAN_LIMITS:
        assert row.source in REFERENCE_KEYS
        assert row.definition and row.metric and row.source_label
        assert row.tag.startswith("[")
        assert row.limit_low_gy <= row.limit_high_gy
        assert row.confirmed or "unverified" in row.tag or "recalled" in row.tag


def test_disagreeing_sources_each_keep_their_row():
    cord = dose.organ_limits("spinal_cord")
    nieder = next(r for r in cord if r.source == "nieder2006")
    assert nieder.limit_low_gy == pytest.approx(dose.eqd2_from_bed(135.5, 2))
    assert "135.5 Gy2" in nieder.definition
    delphi = next(r for r in cord if r.source_label == "Thoracic re-irradiation Delphi consensus")
    assert (delphi.metric, delphi.limit_low_gy) == ("Dmax", 60.0)
    assert len(cord) >= 5
    vessels = dose.organ_limits("great_vessels")
    assert all("not the carotid" in r.definition for r in vessels)
    assert {r.organ for r in dose.organ_limits("carotid_artery")} == {"carotid_artery"}


def test_unconfirmed_limits_are_kept_and_marked():
    embring = [r for r in ORGAN_LIMITS if r.source == "embring2021"]
    assert {r.organ for r in embring} == {"carotid_artery", "mandible"}
    assert all(r.confirmed is False and r.limit_low_gy == 119.0 for r in embring)


@pytest.mark.parametrize("organ", ORGANS)
def test_check_reports_every_row_for_the_organ(organ):
    verdicts = dose.check_cumulative(organ, [(60, 30), (30, 15)])
    assert len(verdicts) == len(dose.organ_limits(organ))
    assert [v.source_label for v in verdicts] == [r.source_label for r in dose.organ_limits(organ)]
    for verdict in verdicts:
        assert verdict.status in {"within", "near", "over", "not comparable"}
        assert verdict.limit and verdict.source in REFERENCE_KEYS


def test_cord_sources_disagree_on_the_same_dose():
    verdicts = {v.source_label: v.status for v in dose.check_cumulative("spinal_cord", [(48, 24), (16, 8)])}
    assert verdicts["Nieder 2006"] == "within"  # 64 Gy <= 67.75
    assert verdicts["Thoracic re-irradiation Delphi consensus"] == "over"  # 64 Gy > 60


def test_nieder_per_course_condition():
    verdict = dose.check_cumulative("spinal_cord", [(48, 24), (10, 5)])[0]
    assert verdict.source == "nieder2006" and verdict.status == "within"
    # 50 Gy in 2-Gy fractions is 100 Gy2, above the 98 Gy2 (EQD2 49 Gy) Nieder allows per course
    over = dose.check_cumulative("spinal_cord", [(50, 25), (10, 5)])[0]
    assert over.status == "over" and "per-course" in over.assumptions


def test_range_and_strict_limits():
    plexus = {v.source_label: v.status for v in dose.check_cumulative("brachial_plexus", [(60, 30), (25, 13)])}
    # 60 + 24.04 = 84.04 Gy: inside the Delphi 80-95 range, within 5% of the strict 85 Gy rows
    assert plexus["Thoracic re-irradiation Delphi consensus"] == "near"
    assert plexus["Troost (as quoted in the thoracic Delphi Table 4)"] == "near"
    at_limit = {v.source_label: v.status for v in dose.check_cumulative("brachial_plexus", [(60, 30), (26, 13)])}
    assert at_limit["Troost (as quoted in the thoracic Delphi Table 4)"] == "over"  # 86 Gy vs < 85
    assert at_limit["Thoracic re-irradiation Delphi consensus"] == "near"  # 86 Gy in 80-95


def test_source_alpha_beta_unknown_is_never_silent():
    carotid = {v.source: v for v in dose.check_cumulative("carotid_artery", [(70, 35), (35, 5)])}
    assert carotid["embring2021"].status == "not comparable"
    assert carotid["embring2021"].compared_gy is None
    assert "Unconfirmed" in carotid["embring2021"].assumptions
    assert carotid["yazici2013"].compared_gy == 35 and carotid["yazici2013"].status == "over"
    given_ab = {v.source: v for v in dose.check_cumulative("carotid_artery", [(70, 35), (35, 5)], alpha_beta=3)}
    assert given_ab["embring2021"].status == "over"  # 70 + 70 = 140 Gy EQD2 at α/β 3
    assert "does not state" in given_ab["embring2021"].assumptions
    quoted = dose.check_cumulative("spinal_cord", [(40, 20)])[2]
    assert quoted.alpha_beta == 2 and "table that quotes it" in quoted.assumptions


def test_recovery_is_applied_with_a_caveat():
    plain, discounted = (dose.check_cumulative("spinal_cord", [(48, 24), (20, 10)], recovery=r)[0] for r in (0, 0.5))
    assert plain.cumulative_eqd2_gy == pytest.approx(68.0) and plain.status == "over"
    assert discounted.cumulative_eqd2_gy == pytest.approx(44.0) and discounted.status == "within"
    assert discounted.undiscounted_eqd2_gy == pytest.approx(68.0)
    assert "count recovery twice" in discounted.assumptions


# --- Invalid input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: dose.eqd2(-5, 5, 10), "A dose cannot be negative: got -5 Gy."),
        (lambda: dose.bed(50, 0, 10), "at least 1"),
        (lambda: dose.bed(50, -3, 10), "at least 1"),
        (lambda: dose.bed(50, 2.5, 10), "whole number"),
        (lambda: dose.bed(50, True, 10), "yes/no"),
        (lambda: dose.bed(True, 25, 10), "yes/no"),
        (lambda: dose.bed("50", 25, 10), "must be a number"),
        (lambda: dose.bed(float("nan"), 25, 10), "finite"),
        (lambda: dose.bed(float("inf"), 25, 10), "finite"),
        (lambda: dose.bed(50, float("inf"), 10), "whole number"),
        (lambda: dose.bed(50, 25, 0), "α/β ratio must be greater than 0"),
        (lambda: dose.eqd2(50, 25, -2), "α/β ratio must be greater than 0"),
        (lambda: dose.eqd2(50, 25, float("nan")), "finite"),
        (lambda: dose.eqd2(50, 25, False), "yes/no"),
        (lambda: dose.eqd2_from_bed(-1, 2), "cannot be negative"),
        (lambda: dose.recovery_fraction(-1), "cannot be negative"),
        (lambda: dose.recovery_fraction(float("nan")), "finite"),
        (lambda: dose.recovery_fraction(True), "yes/no"),
        (lambda: dose.cumulative_eqd2([(60, 30)], 2, recovery=1.5), "between 0 and 1"),
        (lambda: dose.cumulative_eqd2([(60, 30)], 2, recovery=-0.1), "between 0 and 1"),
        (lambda: dose.cumulative_eqd2([(60, 30)], 2, recovery=float("nan")), "finite"),
        (lambda: dose.cumulative_eqd2([], 2), "at least one course"),
        (lambda: dose.cumulative_eqd2("60 Gy", 2), "must be a list"),
        (lambda: dose.cumulative_eqd2([60, 30], 2), "Course 1 must be a pair"),
        (lambda: dose.cumulative_eqd2([(60, 30), (-30, 5)], 2), "Course 2: A dose cannot be negative"),
        (lambda: dose.cumulative_eqd2([(60, 30), (30, 0)], 2), "Course 2: The number of fractions"),
        (lambda: dose.max_dose_for_eqd2(-10, 5, 10), "cannot be negative"),
        (lambda: dose.max_dose_for_eqd2(60, 0, 10), "at least 1"),
        (lambda: dose.remaining_eqd2(-1, [(60, 30)], 2), "cannot be negative"),
        (lambda: dose.check_cumulative("liver", [(60, 30)]), "spinal_cord"),
        (lambda: dose.check_cumulative("spinal_cord", [(60, 30)], alpha_beta=0), "α/β"),
        (lambda: dose.check_cumulative("spinal_cord", [(60, 30)], recovery=2), "between 0 and 1"),
    ],
)
def test_invalid_input_is_refused_in_plain_words(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_whole_float_fractions_and_zero_dose_are_accepted():
    assert dose.eqd2(50, 25.0, 2) == pytest.approx(50.0)
    assert dose.bed(0, 1, 10) == 0.0
    assert dose.max_dose_for_eqd2(0, 5, 10) == 0.0
    assert math.isclose(dose.eqd2_from_bed(0, 3), 0.0)


def test_next_course_budget_per_source():
    budgets = {b.source_label: b for b in dose.next_course_budget("spinal_cord", [(50, 25)], 5, recovery=0.5)}
    delphi = budgets["Thoracic re-irradiation Delphi consensus"]
    # Earlier cord EQD2 50 Gy (2 Gy per fraction), half recovered: 60 - 25 = 35 Gy left, as a 5-fraction dose.
    assert delphi.max_eqd2_gy == pytest.approx(35.0)
    assert dose.eqd2(delphi.max_physical_gy, 5, 2) == pytest.approx(35.0)
    # Nieder: 67.75 - 25 = 42.75, capped at 49 per course; but the earlier course (EQD2 50) already exceeds 49.
    assert budgets["Nieder 2006"].max_eqd2_gy == 0.0 and budgets["Nieder 2006"].max_physical_gy == 0.0
    # Sahgal: 70 - 25 = 45, capped at 25 for the SBRT course and at half the total (<= 50): 25.
    assert budgets["Sahgal 2012 (spine SBRT re-irradiation)"].max_eqd2_gy == pytest.approx(25.0)


def test_next_course_budget_for_a_per_course_physical_limit_and_an_unknown_alpha_beta():
    carotid = {b.source: b for b in dose.next_course_budget("carotid_artery", [(66, 33)], 5)}
    assert carotid["yazici2013"].max_physical_gy == 34.0 and carotid["yazici2013"].max_eqd2_gy is None
    assert carotid["embring2021"].max_eqd2_gy is None and "does not state its α/β" in carotid["embring2021"].note
    given = {b.source: b for b in dose.next_course_budget("carotid_artery", [(66, 33)], 5, alpha_beta=3)}
    assert given["embring2021"].max_eqd2_gy == pytest.approx(119 - dose.eqd2(66, 33, 3))


def test_next_course_budget_is_never_negative_and_refuses_nonsense():
    budgets = dose.next_course_budget("spinal_cord", [(70, 35), (60, 30)], 10)
    assert all(b.max_eqd2_gy == 0.0 for b in budgets if b.max_eqd2_gy is not None)
    with pytest.raises(ValueError, match="at least 1"):
        dose.next_course_budget("spinal_cord", [(50, 25)], 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        dose.next_course_budget("spinal_cord", [(50, 25)], 5, recovery=1.5)
