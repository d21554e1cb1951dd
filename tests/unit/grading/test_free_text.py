import pytest

from hnscc_edu.rules.grading import InvalidResponse, grade
from tests.helpers import fixture_course

ITEM = next(i for i in fixture_course().case("fixture-case").items if i.id == "fx-reflect")


def test_free_text_is_recorded_not_scored():
    result = grade(ITEM, "I would discuss it at the tumour board first.")
    assert (result.score, result.max_score, result.correct, result.verdict) == (0.0, 0.0, None, "Recorded")


@pytest.mark.parametrize("response", ["", "   ", None, 42])
def test_empty_text_is_refused(response):
    with pytest.raises(InvalidResponse):
        grade(ITEM, response)
