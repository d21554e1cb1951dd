"""An item's answer key as a response (what a faculty member would answer).

Used by headless runs of *public* content (case and module self-check auto-answer in CI and nbval) and by the course
service's own test harness. A learner's kernel never receives the post-test keys, so it cannot call this on them.
"""

from __future__ import annotations

from ...content.models import (
    SCT_POINTS,
    FreeText,
    KeyFeature,
    MultipleSelect,
    Numeric,
    Ordering,
    ScriptConcordance,
    SingleBestAnswer,
)


def key_response(item) -> object:
    """The answer key of ``item`` as a response its grader accepts."""
    if isinstance(item, SingleBestAnswer):
        return next(o.id for o in item.options if o.correct)
    if isinstance(item, (MultipleSelect, KeyFeature)):
        return sorted(o.id for o in item.options if o.correct)
    if isinstance(item, ScriptConcordance):
        counts = item.panel.counts
        return SCT_POINTS[counts.index(max(counts))]
    if isinstance(item, Ordering):
        return [step.id for step in item.steps]
    if isinstance(item, Numeric):
        return f"{item.answer.value:g}"
    if isinstance(item, FreeText):
        words = ["Auto-answer", "mode:", "a", "reflection", "recorded", "by", "the", "test", "run."]
        return " ".join(words + ["(filler)"] * max(0, item.min_words - len(words)))
    raise TypeError(f"no key for item type {type(item).__name__}")
