"""Ordering items: put the steps in sequence. Score = the share of step pairs placed in the right relative order,
so one step out of place costs little and a reversed sequence scores 0; full credit only for the exact order."""

from __future__ import annotations

from itertools import combinations

from ...content.models import Ordering
from .result import GradeResult, InvalidResponse, OptionFeedback


def grade_ordering(item: Ordering, response: object) -> GradeResult:
    if isinstance(response, str) or not isinstance(response, (list, tuple)):
        raise InvalidResponse("Please put every step in order before submitting.")
    order = list(response)
    known = [step.id for step in item.steps]
    if sorted(map(str, order)) != sorted(known):
        missing = [s.text for s in item.steps if s.id not in order]
        repeated = sorted({o for o in order if order.count(o) > 1})
        if repeated:
            raise InvalidResponse("Each step goes in exactly one place; a step was chosen twice.")
        if missing:
            raise InvalidResponse(f"Place every step before submitting; not placed: {'; '.join(missing)}.")
        raise InvalidResponse("That order contains steps this question does not have.")
    rank = {step_id: position for position, step_id in enumerate(known)}
    pairs = list(combinations(order, 2))
    concordant = sum(1 for first, second in pairs if rank[first] < rank[second])
    score = concordant / len(pairs)
    correct = order == known
    summary = (
        "You put every step in the right order."
        if correct
        else f"{concordant} of {len(pairs)} pairs of steps are in the right relative order. The right order is: "
        + " → ".join(step.text for step in item.steps)
        + "."
    )
    feedback = tuple(
        OptionFeedback.of(f"{position}. {step.text}", True, order.index(step.id) + 1 == position, step)
        for position, step in enumerate(item.steps, start=1)
    )
    return GradeResult(item.id, round(score, 6), 1.0, correct, summary, feedback)
