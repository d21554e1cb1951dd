"""Pure graders, one per item type: ``grade(item, response) -> GradeResult``, no widgets and no I/O."""

from __future__ import annotations

from ...content.models import FreeText, MultipleSelect, Numeric, SingleBestAnswer
from .free_text import grade_free_text
from .multiple import grade_multiple
from .numeric import grade_numeric, parse_quantity
from .result import GradeResult, InvalidResponse, OptionFeedback
from .single import grade_single

_GRADERS = {
    SingleBestAnswer: grade_single,
    MultipleSelect: grade_multiple,
    Numeric: grade_numeric,
    FreeText: grade_free_text,
}


def grade(item: SingleBestAnswer | MultipleSelect | Numeric | FreeText, response: object) -> GradeResult:
    """Grade one response to one item; raises InvalidResponse (a ValueError) when it cannot be graded."""
    grader = _GRADERS.get(type(item))
    if grader is None:
        raise TypeError(f"no grader for item type {type(item).__name__}")
    return grader(item, response)


__all__ = ["GradeResult", "InvalidResponse", "OptionFeedback", "grade", "parse_quantity"]
