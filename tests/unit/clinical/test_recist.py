"""RECIST 1.1 and iRECIST against systemic-surgery.md test cases 9-10 and the threshold edges."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hnscc_edu.clinical import recist

sums = st.floats(min_value=10, max_value=500, allow_nan=False)


# --- Worked examples (test case 9) --------------------------------------------------------------------------------


def test_pr_at_exactly_minus_30_percent_and_sd_just_above():
    assert recist.overall_response(100, 100, 70) == "PR"
    assert recist.overall_response(100, 100, 71) == "SD"


def test_pd_needs_20_percent_and_5_mm():
    assert recist.overall_response(40, 40, 48) == "PD"  # +20%, +8 mm
    # +20% but only +4 mm: not PD. The sheet's "(SD)" holds when 24 mm is not <= 70% of baseline, e.g. baseline 20.
    assert recist.overall_response(20, 20, 24) == "SD"
    assert recist.overall_response(100, 20, 24) == "PR"  # same change, but 76% below a 100 mm baseline


def test_best_response_stays_pr_when_the_sum_regrows_short_of_pd():
    assert recist.overall_response(100, 100, 70) == "PR"
    assert recist.overall_response(100, 70, 80) == "SD"  # +14% over the nadir of 70
    assert recist.best_overall_response(["PR", "SD"]) == "PR"


def test_a_node_below_10_mm_counts_as_resolved_for_cr():
    assert recist.overall_response(18, 18, 9, all_targets_resolved=True) == "CR"


def test_pd_takes_precedence():
    assert recist.overall_response(50, 20, 0, new_lesions=True, all_targets_resolved=True) == "PD"
    assert recist.overall_response(50, 30, 10, new_lesions=True) == "PD"


@pytest.mark.parametrize(
    "series, best",
    [
        (["SD", "PR", "SD"], "PR"),
        (["SD", "PD", "PR"], "SD"),
        (["PD"], "PD"),
        (["PR", "CR", "PD"], "CR"),
        (["SD"], "SD"),
    ],
)
def test_best_overall_response(series, best):
    assert recist.best_overall_response(series) == best


# --- Threshold properties -----------------------------------------------------------------------------------------


@given(sums)
def test_pr_exactly_at_minus_30_percent(baseline):
    assert recist.overall_response(baseline, baseline, 0.7 * baseline) == "PR"
    assert recist.overall_response(baseline, baseline, 0.7 * baseline + 0.01) == "SD"


@given(st.floats(min_value=25, max_value=500, allow_nan=False))
def test_pd_exactly_at_plus_20_percent_when_that_is_at_least_5_mm(nadir):
    assert recist.overall_response(nadir, nadir, 1.2 * nadir) == "PD"
    assert recist.overall_response(nadir, nadir, 1.2 * nadir - 0.01) == "SD"


@given(st.floats(min_value=0.1, max_value=24.9, allow_nan=False))
def test_small_nadir_plus_20_percent_is_not_pd_below_5_mm(nadir):
    baseline = nadir  # so that the rise is not also a partial response
    assert recist.overall_response(baseline, nadir, 1.2 * nadir) == "SD"
    assert recist.overall_response(baseline, nadir, nadir + 5) == "PD"


@given(sums, sums)
def test_5_mm_alone_is_not_pd(nadir, extra):
    assume(5 + extra / 100 < 0.2 * nadir)
    assert recist.overall_response(nadir, nadir, nadir + 5 + extra / 100) != "PD"


# --- iRECIST (test case 10) ----------------------------------------------------------------------------------------


def test_irecist_worked_example():
    week9 = recist.irecist_response(None, recist.overall_response(50, 50, 62))
    assert week9 == "iUPD"
    week15 = recist.irecist_response(
        week9, recist.overall_response(50, 50, 66), weeks_since_previous=6, sum_at_iupd_mm=62, current_sum_mm=66
    )
    assert week15 == "iUPD"
    week21 = recist.irecist_response(
        week15, recist.overall_response(50, 50, 68), weeks_since_previous=6, sum_at_iupd_mm=62, current_sum_mm=68
    )
    assert week21 == "iCPD"


def test_irecist_other_confirmation_routes():
    base = {"weeks_since_previous": 5, "sum_at_iupd_mm": 62, "current_sum_mm": 63}
    assert recist.irecist_response("iUPD", "PD", **base) == "iUPD"
    assert recist.irecist_response("iUPD", "PD", nontarget_increase=True, **base) == "iCPD"
    assert recist.irecist_response("iUPD", "PD", new_lesion_growth=True, **base) == "iCPD"
    assert recist.irecist_response("iUPD", "PD", further_new_lesions=True, **base) == "iCPD"
    assert recist.irecist_response("iCPD", "SD") == "iCPD"


def test_irecist_early_scan_counts_only_for_symptoms_with_a_new_lesion():
    early = {"weeks_since_previous": 3, "sum_at_iupd_mm": 62, "current_sum_mm": 75}
    assert recist.irecist_response("iUPD", "PD", **early) == "iUPD"
    assert recist.irecist_response("iUPD", "PD", further_new_lesions=True, **early) == "iUPD"
    assert recist.irecist_response("iUPD", "PD", further_new_lesions=True, new_symptoms=True, **early) == "iCPD"


def test_irecist_shrinkage_resets():
    assert recist.irecist_response("iUPD", "SD", weeks_since_previous=6, sum_at_iupd_mm=62, current_sum_mm=55) == "iSD"
    assert recist.irecist_response("iUPD", "PR", weeks_since_previous=8, sum_at_iupd_mm=62, current_sum_mm=30) == "iPR"
    assert recist.irecist_response("iSD", "PR") == "iPR"


# --- Invalid input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: recist.overall_response(-1, 0, 0), "cannot be negative"),
        (lambda: recist.overall_response(50, 40, -3), "cannot be negative"),
        (lambda: recist.overall_response(50, float("nan"), 40), "finite"),
        (lambda: recist.overall_response(50, 40, float("inf")), "finite"),
        (lambda: recist.overall_response(True, 40, 40), "yes/no"),
        (lambda: recist.overall_response(0, 0, 0), "measurable target lesion"),
        (lambda: recist.overall_response(40, 50, 45), "cannot exceed the baseline"),
        (lambda: recist.overall_response(50, 40, 45, new_lesions="no"), "True or False"),
        (lambda: recist.best_overall_response([]), "at least one"),
        (lambda: recist.best_overall_response(["PR", "iUPD"]), "not a RECIST 1.1 response"),
        (lambda: recist.best_overall_response("PR"), "must be a list"),
        (lambda: recist.irecist_response("UPD", "PD"), "not an iRECIST response"),
        (lambda: recist.irecist_response(None, "iUPD"), "not a RECIST 1.1 response"),
        (lambda: recist.irecist_response("iUPD", "PD"), "weeks_since_previous"),
        (
            lambda: recist.irecist_response(
                "iUPD", "PD", weeks_since_previous=10, sum_at_iupd_mm=62, current_sum_mm=70
            ),
            "4-8 weeks",
        ),
        (
            lambda: recist.irecist_response(
                "iUPD", "PD", weeks_since_previous=-1, sum_at_iupd_mm=62, current_sum_mm=70
            ),
            "cannot be negative",
        ),
        (
            lambda: recist.irecist_response("iUPD", "PD", weeks_since_previous=6, sum_at_iupd_mm=-2, current_sum_mm=70),
            "cannot be negative",
        ),
        (
            lambda: recist.irecist_response(
                "iUPD", "PD", weeks_since_previous=6, sum_at_iupd_mm=62, current_sum_mm=70, nontarget_increase=1
            ),
            "True or False",
        ),
    ],
)
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
