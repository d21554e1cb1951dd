"""Numeric answers with a unit and a tolerance.

The learner may type the number alone (the item's unit is assumed), or the number and a unit; doses in cGy are
converted to Gy, since both are in daily use. A decimal comma is accepted. An answer of 1000 Gy or more is refused
as a dose in cGy typed as Gy (``plausible_dose``), with the reading in cGy suggested, as the dose calculator does.
"""

from __future__ import annotations

import math
import re

from ...content.models import Numeric
from .result import GradeResult, InvalidResponse, OptionFeedback

# Units that mean the same quantity at a different scale: value_in_item_unit = value * factor.
_CONVERSIONS: dict[tuple[str, str], float] = {
    ("cgy", "gy"): 0.01,
    ("gy", "cgy"): 100.0,
}
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def parse_quantity(text: object, unit: str) -> float:
    """Read a learner's typed answer as a number in ``unit``; raise InvalidResponse with a plain message."""
    if isinstance(text, bool):
        raise InvalidResponse(f"Please type a number (in {unit}).")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _NUMBER.match(str(text or ""))
        if not match:
            raise InvalidResponse(f"Please type a number (in {unit}), for example 42.5. You typed {str(text)!r}.")
        value = float(match.group(1).replace(",", "."))
        typed_unit = match.group(2).strip()
        if typed_unit and typed_unit.lower() != unit.lower():
            factor = _CONVERSIONS.get((typed_unit.lower(), unit.lower()))
            if factor is None:
                raise InvalidResponse(f"This answer is in {unit}; you typed the unit {typed_unit!r}.")
            value *= factor
    if not math.isfinite(value):
        raise InvalidResponse(f"Please type a finite number (in {unit}).")
    return value


# The calculators' plausibility rule for doses, applied to answers in Gy: no dose this course asks about (a total,
# a BED or an EQD2, however hypofractionated) reaches this many Gy, so a larger number is a dose in cGy typed as Gy.
# The message names the reading in cGy from what was typed, never from the key.
IMPLAUSIBLE_GY = 1000.0


def plausible_dose(value: float, unit: str) -> None:
    if unit.lower() == "gy" and value >= IMPLAUSIBLE_GY:
        raise InvalidResponse(
            f"{value:g} Gy is more than any dose in this course. If you meant cGy, type the unit "
            f"({value:g} cGy, that is {value / 100:g} Gy); otherwise check the number."
        )


def within_tolerance(value: float, target: float, absolute: float | None, relative: float | None) -> bool:
    allowed = max(absolute or 0.0, (relative or 0.0) * abs(target))
    return abs(value - target) <= allowed + 1e-9


def grade_numeric(item: Numeric, response: object) -> GradeResult:
    answer = item.answer
    value = parse_quantity(response, answer.unit)
    plausible_dose(value, answer.unit)
    if answer.minimum is not None and value < answer.minimum:
        raise InvalidResponse(
            f"{value:g} {answer.unit} is not possible here: the answer is at least {answer.minimum:g} {answer.unit}."
        )
    if answer.maximum is not None and value > answer.maximum:
        raise InvalidResponse(
            f"{value:g} {answer.unit} is not possible here: the answer is at most {answer.maximum:g} {answer.unit}."
        )
    correct = within_tolerance(value, answer.value, answer.absolute_tolerance, answer.relative_tolerance)
    verdict = "within" if correct else "outside"
    summary = (
        f"You answered {value:g} {answer.unit}; the expected answer is {answer.value:g} {answer.unit} "
        f"({verdict} the accepted range)."
    )
    feedback = OptionFeedback.of(f"{answer.value:g} {answer.unit}", True, True, item.feedback)
    return GradeResult(item.id, 1.0 if correct else 0.0, 1.0, correct, summary, (feedback,), item.working)
