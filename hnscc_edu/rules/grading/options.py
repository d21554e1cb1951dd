"""Helpers shared by the graders of items with options."""

from __future__ import annotations

from collections.abc import Iterable

from ...content.models import KeyFeature, MultipleSelect, SingleBestAnswer
from .result import InvalidResponse, OptionFeedback


def require_known(item: SingleBestAnswer | MultipleSelect | KeyFeature, chosen: Iterable[str]) -> None:
    known = {o.id for o in item.options}
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise InvalidResponse(f"That answer is not one of this question's options ({', '.join(map(str, unknown))}).")


def option_feedback(
    item: SingleBestAnswer | MultipleSelect | KeyFeature, chosen: set[str]
) -> tuple[OptionFeedback, ...]:
    return tuple(OptionFeedback.of(o.text, o.id in chosen, o.correct, o) for o in item.options)
