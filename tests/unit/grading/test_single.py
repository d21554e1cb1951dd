import pytest

from hnscc_edu.rules.grading import InvalidResponse, grade
from tests.helpers import fixture_course


@pytest.fixture(scope="module")
def item():
    return next(i for i in fixture_course().case("fixture-case").items if i.id == "fx-single")


def test_key_scores_one_and_says_so(item):
    result = grade(item, "a")
    assert (result.score, result.max_score, result.correct, result.verdict) == (1.0, 1.0, True, "Correct")


def test_distractor_scores_zero_and_names_the_key(item):
    result = grade(item, "b")
    assert result.score == 0.0 and result.correct is False
    assert "Key" in result.summary


def test_feedback_covers_every_option_with_its_source(item):
    result = grade(item, "b")
    assert [f.chosen for f in result.feedback] == [False, True]
    assert all(f.rationale and f.references for f in result.feedback)
    assert result.references == ("fixture-source",)


@pytest.mark.parametrize("response", [None, "", "z", ["a"], 1])
def test_unanswerable_responses_are_refused_clearly(item, response):
    with pytest.raises(InvalidResponse):
        grade(item, response)


def test_repr_is_deterministic(item):
    assert repr(grade(item, "a")) == "GradeResult(item_id='fx-single', score=1.00, max_score=1.00, verdict='Correct')"
