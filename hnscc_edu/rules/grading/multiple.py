"""Multiple select with partial credit.

Score = (keys chosen - distractors chosen) / number of keys, floored at zero: each wrong tick cancels one right tick,
so ticking everything earns nothing, and no item ever scores below zero.
"""

from __future__ import annotations

from ...content.models import MultipleSelect
from .options import option_feedback, require_known
from .result import GradeResult, InvalidResponse


def grade_multiple(item: MultipleSelect, response: object) -> GradeResult:
    if isinstance(response, str) or not isinstance(response, (list, tuple, set, frozenset)):
        raise InvalidResponse("Please tick the options that apply before submitting.")
    chosen = set(response)
    if not chosen:
        raise InvalidResponse("Please tick at least one option before submitting.")
    require_known(item, chosen)
    keys = {o.id for o in item.options if o.correct}
    hits = len(chosen & keys)
    misses = len(chosen - keys)
    score = max(0.0, (hits - misses) / len(keys))
    correct = chosen == keys
    if correct:
        summary = "You chose exactly the options that apply."
    else:
        summary = (
            f"{hits} of {len(keys)} options that apply chosen; {misses} that do not apply chosen. "
            "Read why each option does or does not apply."
        )
    return GradeResult(item.id, round(score, 6), 1.0, correct, summary, option_feedback(item, chosen))
