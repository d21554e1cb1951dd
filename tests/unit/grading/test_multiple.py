import pytest
from hypothesis import given
from hypothesis import strategies as st

from hnscc_edu.rules.grading import InvalidResponse, grade
from tests.helpers import fixture_course

ITEM = next(i for i in fixture_course().case("fixture-case").items if i.id == "fx-multi")  # keys a, b; distractor c


def test_exact_keys_score_full():
    result = grade(ITEM, ["b", "a"])
    assert result.score == 1.0 and result.correct is True


def test_one_of_two_keys_scores_half():
    result = grade(ITEM, ["a"])
    assert result.score == 0.5 and result.correct is False and result.verdict == "Partly correct"


def test_a_wrong_tick_cancels_a_right_one():
    assert grade(ITEM, ["a", "c"]).score == 0.0


def test_ticking_everything_earns_less_than_full():
    assert grade(ITEM, ["a", "b", "c"]).score == 0.5


@given(st.sets(st.sampled_from(["a", "b", "c"]), min_size=1))
def test_score_stays_between_zero_and_one_and_full_only_for_the_keys(chosen):
    result = grade(ITEM, sorted(chosen))
    assert 0.0 <= result.score <= 1.0
    assert (result.score == 1.0) == (chosen == {"a", "b"})


@pytest.mark.parametrize("response", [[], "a", None, ["a", "zz"]])
def test_empty_or_unknown_choices_are_refused(response):
    with pytest.raises(InvalidResponse):
        grade(ITEM, response)
