"""PD-L1 CPS/TPS, CPS groups and p16 reading against systemic-surgery.md test cases 7-8."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.clinical import biomarkers as bm

counts = st.floats(min_value=0, max_value=1e6, allow_nan=False)


def test_case_7_cps_and_tps():
    cps = bm.combined_positive_score(30, 20, 200)
    assert cps == pytest.approx(25.0)
    assert bm.cps_group(cps) == ">=20"
    assert bm.tumor_proportion_score(30, 200) == pytest.approx(15.0)


def test_cps_is_reported_as_at_most_100():
    assert bm.combined_positive_score(90, 400, 100) == 100.0
    # The cap is now sourced (22C3 interpretation material; issue 15, clinical-module3 E5), no longer [recalled].
    assert "agilent-22c3-hnscc-cps" in bm.combined_positive_score.__doc__
    assert "agilent-22c3-hnscc-cps" in bm.CPS_SOURCES


@given(counts, counts, st.floats(min_value=1, max_value=1e6, allow_nan=False))
def test_cps_never_above_100_and_follows_the_formula(tumour_share, immune, viable):
    tumour = min(tumour_share, viable)
    cps = bm.combined_positive_score(tumour, immune, viable)
    assert 0 <= cps <= 100
    assert cps == pytest.approx(min(100.0, (tumour + immune) / viable * 100))


@pytest.mark.parametrize(
    "cps, group",
    [
        (0, "<1"),
        (0.99, "<1"),
        (1, "1-19"),
        (10, "1-19"),
        (19, "1-19"),
        (19.5, "1-19"),
        (19.999, "1-19"),
        (20, ">=20"),
        (100, ">=20"),
    ],
)
def test_cps_groups_follow_the_cut_offs_1_and_20(cps, group):
    assert bm.cps_group(cps) == group


@pytest.mark.parametrize(
    "percent, kwargs, reading",
    [
        (75, {}, "positive"),  # test case 8
        (60, {}, "equivocal: do HPV-specific testing"),  # test case 8
        (75, {"site": "oral_cavity"}, "not routinely tested or reported as HPV-associated"),  # test case 8
        (70, {}, "positive"),
        (50, {}, "equivocal: do HPV-specific testing"),
        (90, {"moderate_to_strong": False}, "equivocal: do HPV-specific testing"),
        (20, {}, "negative"),
        (10, {"site": "sinonasal"}, "test HPV directly by RNA-ISH (p16 may be used as a screen)"),
    ],
)
def test_p16_readings(percent, kwargs, reading):
    assert bm.p16_interpretation(percent, **kwargs) == reading


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bm.combined_positive_score(0, 0, 0), "not evaluable"),
        (lambda: bm.combined_positive_score(10, 5, 0), "not evaluable"),
        (lambda: bm.tumor_proportion_score(1, 0), "not evaluable"),
        (lambda: bm.tumor_proportion_score(201, 200), "cannot outnumber"),
        (lambda: bm.combined_positive_score(-1, 0, 200), "cannot be negative"),
        (lambda: bm.combined_positive_score(10, -5, 200), "cannot be negative"),
        (lambda: bm.combined_positive_score(10, 5, -200), "cannot be negative"),
        (lambda: bm.combined_positive_score(True, 5, 200), "yes/no"),
        (lambda: bm.combined_positive_score(10, 5, float("nan")), "finite"),
        (lambda: bm.combined_positive_score(10, float("inf"), 200), "finite"),
        (lambda: bm.combined_positive_score("10", 5, 200), "must be a number"),
        (lambda: bm.cps_group(101), "at most 100"),
        (lambda: bm.cps_group(-1), "cannot be negative"),
        (lambda: bm.cps_group(True), "yes/no"),
        (lambda: bm.cps_group(float("nan")), "finite"),
        (lambda: bm.p16_interpretation(120), "cannot exceed 100"),
        (lambda: bm.p16_interpretation(50, site="tonsil"), "Unknown site"),
        (lambda: bm.p16_interpretation(50, moderate_to_strong="yes"), "True or False"),
    ],
)
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_cps_is_capped_even_for_counts_the_view_refuses():
    # The API promises a CPS of at most 100 for any counts; the impossible case is refused by the TPS, which the
    # calculator view computes with it (tests/unit/test_calculator_views.py).
    assert bm.combined_positive_score(201, 0, 200) == 100.0
