"""Profession tailoring (issue 20 §2), one rule for cases and self-checks.

Once a learner has named a profession, a question written only for other professions is optional for them: shown and
answerable, never needed to move on, not counted in their score. A set of questions (a case, a self-check) with no
question written for the learner's profession has no tailored route for them, so all its questions count (otherwise
a case could be finished without answering anything).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..content.models import Item


def written_for(item: Item) -> set[str]:
    return {getattr(p, "value", p) for p in item.professions}


def tailored_for(items: Iterable[Item], profession: str | None) -> bool:
    """Whether at least one of ``items`` is written for ``profession``, so that tailoring applies."""
    return bool(profession) and any(profession in written_for(item) for item in items)


def is_optional(items: Iterable[Item], item: Item, profession: str | None) -> bool:
    """``item`` (one of ``items``) is optional for this learner: the set is tailored for their profession and the
    question was written for other professions only."""
    return bool(profession) and profession not in written_for(item) and tailored_for(items, profession)
