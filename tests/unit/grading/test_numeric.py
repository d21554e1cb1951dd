import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.rules.grading import InvalidResponse, grade, parse_quantity
from tests.helpers import fixture_course

ITEM = next(i for i in fixture_course().case("fixture-case").items if i.id == "fx-numeric")  # 70 Gy +/- 0.5


@pytest.mark.parametrize(
    "typed, value",
    [
        ("70", 70.0),
        (" 70.0 ", 70.0),
        ("70,2", 70.2),
        ("70 Gy", 70.0),
        ("70gy", 70.0),
        ("7000 cGy", 70.0),
        (".5", 0.5),
        (69.6, 69.6),
        (70, 70.0),
    ],
)
def test_typed_answers_are_read_in_the_item_unit(typed, value):
    assert parse_quantity(typed, "Gy") == pytest.approx(value)


@pytest.mark.parametrize("typed", ["", "seventy", "70 mm", "Gy 70", "nan", "inf", None, True, "70..1"])
def test_nonsense_gets_a_plain_message(typed):
    with pytest.raises(InvalidResponse) as info:
        parse_quantity(typed, "Gy")
    assert "Gy" in str(info.value)


def test_tolerance_edges():
    assert grade(ITEM, "70.5").correct is True
    assert grade(ITEM, "69.5").correct is True
    assert grade(ITEM, "70.51").correct is False


def test_feedback_carries_the_working():
    result = grade(ITEM, "60")
    assert result.score == 0.0 and result.working and "70 Gy" in result.summary


@given(st.floats(min_value=0, max_value=999.99, allow_nan=False))
def test_correct_exactly_when_within_tolerance(value):
    result = grade(ITEM, value)
    assert result.correct == (abs(value - 70.0) <= 0.5 + 1e-9)


@pytest.mark.parametrize("typed", ["-5", "-0.1 Gy", "-500 cGy"])
def test_an_impossible_negative_dose_is_refused_with_a_plain_message(typed):
    with pytest.raises(InvalidResponse, match="not possible here: the answer is at least 0 Gy"):
        grade(ITEM, typed)


@pytest.mark.parametrize("typed", ["7000", "7000 Gy", 7000, "1000"])
def test_a_dose_in_cgy_typed_as_gy_is_questioned_not_graded(typed):
    """Issue 20 §3: the calculators' plausibility rule applies to numeric answers; the suggestion comes from what was
    typed (7000 -> 70 Gy), so it would name the same reading for any key."""
    with pytest.raises(InvalidResponse, match=r"more than any dose in this course\. If you meant cGy, type the unit"):
        grade(ITEM, typed)


def test_the_same_dose_typed_in_cgy_is_graded():
    assert grade(ITEM, "7000 cGy").correct is True and grade(ITEM, "999 Gy").correct is False
