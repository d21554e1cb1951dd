"""Free text: recorded for the learner and the course director, never auto-scored."""

from __future__ import annotations

from ...content.models import FreeText
from .result import GradeResult, InvalidResponse, OptionFeedback


def grade_free_text(item: FreeText, response: object) -> GradeResult:
    if not isinstance(response, str) or len(response.split()) < max(item.min_words, 1):
        words = max(item.min_words, 1)
        raise InvalidResponse(f"Please write at least {words} word{'s' if words > 1 else ''} before submitting.")
    feedback = OptionFeedback.of("Points a strong answer covers", False, True, item.feedback)
    return GradeResult(item.id, 0.0, 0.0, None, "Your answer is recorded; it is not scored.", (feedback,))
