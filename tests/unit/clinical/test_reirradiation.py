"""MIRI RPA classes and ESTRO-EORTC categories (reirradiation.md §1.1, §2; confirmations.md items 1-5, 13)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.clinical import reirradiation as rr

months = st.floats(min_value=0, max_value=400, allow_nan=False)


@pytest.mark.parametrize(
    "interval, dysfunction, expected",
    [
        (36, False, 2),
        (36, True, 2),  # unresected, > 2 years: class II [verified]
        (12, False, 2),  # unresected, <= 2 years, no organ dysfunction: class II [verified]
        (12, True, 3),  # unresected, <= 2 years, organ dysfunction: class III [verified]
        (24, True, 3),
        (24.01, True, 2),  # exactly 2 years counts as <= 2 years
    ],
)
def test_verified_classes_for_unresected_patients(interval, dysfunction, expected):
    assert rr.miri_rpa_class(interval, False, dysfunction) == expected
    assert rr.miri_rpa(interval, False, dysfunction).definition_confirmed is True


def test_class_one_is_returned_but_flagged_unconfirmed():
    result = rr.miri_rpa(30, True, False)
    assert result.rpa_class == 1 == rr.miri_rpa_class(30, True, True)
    assert result.definition_confirmed is False and "unconfirmed" in result.rule
    assert result.median_os_months == 44.9


@pytest.mark.parametrize("dysfunction, expected", [(False, 2), (True, 3)])
def test_resected_within_two_years_follows_the_recalled_tree_and_says_so(dysfunction, expected):
    result = rr.miri_rpa(10, True, dysfunction)
    assert result.rpa_class == expected and result.definition_confirmed is False


def test_verified_survival_figures_only():
    assert rr.MIRI_MEDIAN_OS_MONTHS == {1: 44.9, 2: 15.9, 3: 7.9}
    assert rr.MIRI_2Y_OS_PERCENT_LEE2021 == {1: 87.5, 2: 51.8, 3: 0.0}
    assert 61.9 not in rr.MIRI_2Y_OS_PERCENT_LEE2021.values()
    assert "unconfirmed" in rr.miri_rpa_class.__doc__


@given(months, st.booleans(), st.booleans())
def test_class_is_always_one_two_or_three_and_unresected_is_verified(interval, resected, dysfunction):
    result = rr.miri_rpa(interval, resected, dysfunction)
    assert result.rpa_class in (1, 2, 3)
    assert result.median_os_months == rr.MIRI_MEDIAN_OS_MONTHS[result.rpa_class]
    assert result.definition_confirmed is (not resected)
    if not resected:
        assert result.rpa_class in (2, 3)


@pytest.mark.parametrize(
    "overlap, concern, same_organ, expected",
    [
        (True, False, None, "type 1 re-irradiation"),
        (True, True, False, "type 1 re-irradiation"),
        (False, True, None, "type 2 re-irradiation"),
        (False, False, True, "repeat organ irradiation"),
        (False, False, False, "repeat irradiation"),
        (False, False, None, "repeat irradiation"),  # the organ not stated: the two-argument call of the API
    ],
)
def test_estro_eortc_categories(overlap, concern, same_organ, expected):
    assert rr.estro_eortc_category(overlap, concern, same_organ) == expected
    assert expected in rr.ESTRO_EORTC_CATEGORIES


def test_estro_eortc_wording_is_labelled_a_paraphrase():
    assert "unchecked" in rr.ESTRO_EORTC_NOTE and "paraphrase" in rr.estro_eortc_category.__doc__


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: rr.miri_rpa_class(-1, False, False), "cannot be negative"),
        (lambda: rr.miri_rpa_class(float("nan"), False, False), "finite"),
        (lambda: rr.miri_rpa_class(True, False, False), "yes/no"),
        (lambda: rr.miri_rpa_class("30", False, False), "must be a number"),
        (lambda: rr.miri_rpa_class(30, "No", False), "True or False"),
        (lambda: rr.miri_rpa_class(30, False, 1), "True or False"),
        (lambda: rr.estro_eortc_category("yes", False), "True or False"),
        (lambda: rr.estro_eortc_category(False, False, "No"), "True or False"),
        (lambda: rr.estro_eortc_category(False, False, "yes"), "True or False"),
    ],
)
def test_invalid_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
