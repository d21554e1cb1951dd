"""Pure graders, one per item type: ``grade(item, response) -> GradeResult``, no widgets and no I/O."""

from __future__ import annotations

from ...content.models import (
    FreeText,
    ItemModel,
    KeyFeature,
    MultipleSelect,
    Numeric,
    Ordering,
    ScriptConcordance,
    SingleBestAnswer,
)
from .free_text import grade_free_text
from .key_feature import grade_key_feature
from .multiple import grade_multiple
from .numeric import grade_numeric, parse_quantity
from .ordering import grade_ordering
from .result import GradeResult, InvalidResponse, OptionFeedback
from .script_concordance import grade_script_concordance
from .single import grade_single

_GRADERS = {
    SingleBestAnswer: grade_single,
    MultipleSelect: grade_multiple,
    Numeric: grade_numeric,
    FreeText: grade_free_text,
    KeyFeature: grade_key_feature,
    ScriptConcordance: grade_script_concordance,
    Ordering: grade_ordering,
}


def canonical_response(item: ItemModel, response: object) -> object:
    """One spelling of an answer, as stored and replayed: a set of choices is sorted (order carries no meaning), an
    ordering keeps its order (the order is the answer), anything else is left as given."""
    if isinstance(response, (set, frozenset)) or (
        isinstance(item, (MultipleSelect, KeyFeature)) and isinstance(response, (list, tuple))
    ):
        return sorted(response, key=str)
    if isinstance(response, tuple):
        return list(response)
    return response


def grade(item: ItemModel, response: object) -> GradeResult:
    """Grade one response to one item; raises InvalidResponse (a ValueError) when it cannot be graded."""
    grader = _GRADERS.get(type(item))
    if grader is None:
        raise TypeError(f"no grader for item type {type(item).__name__}")
    return grader(item, response)


__all__ = ["GradeResult", "InvalidResponse", "OptionFeedback", "canonical_response", "grade", "parse_quantity"]
