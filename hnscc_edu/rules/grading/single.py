"""Single best answer: one point for the key, none otherwise."""

from __future__ import annotations

from ...content.models import SingleBestAnswer
from .options import option_feedback, require_known
from .result import GradeResult, InvalidResponse


def grade_single(item: SingleBestAnswer, response: object) -> GradeResult:
    if not isinstance(response, str) or not response:
        raise InvalidResponse("Please choose one answer before submitting.")
    require_known(item, [response])
    key = next(o for o in item.options if o.correct)
    correct = response == key.id
    summary = "You chose the best answer." if correct else f"The best answer is: {key.text}"
    return GradeResult(item.id, 1.0 if correct else 0.0, 1.0, correct, summary, option_feedback(item, {response}))
