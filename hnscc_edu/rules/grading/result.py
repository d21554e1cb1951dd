"""The value every grader returns: what was scored, and the elaborated feedback that explains it."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ...content.models import EvidenceLabel, Feedback, Status


class InvalidResponse(ValueError):
    """The learner's answer cannot be graded as given (nonsense, wrong unit, nothing chosen). Nothing is stored."""


@dataclass(frozen=True)
class OptionFeedback:
    """Feedback on one option (or on the item as a whole for numeric and free-text items)."""

    text: str
    chosen: bool
    correct: bool
    rationale: str
    references: tuple[str, ...]
    evidence: EvidenceLabel
    status: Status

    @classmethod
    def of(cls, text: str, chosen: bool, correct: bool, feedback: Feedback) -> OptionFeedback:
        return cls(
            text, chosen, correct, feedback.rationale, tuple(feedback.references), feedback.evidence, feedback.status
        )


@dataclass(frozen=True)
class GradeResult:
    """The score of one response, with feedback per option. ``correct`` is None for items that are not scored."""

    item_id: str
    score: float
    max_score: float
    correct: bool | None
    summary: str
    feedback: tuple[OptionFeedback, ...] = field(default=())
    working: str | None = None

    @property
    def references(self) -> tuple[str, ...]:
        keys: list[str] = []
        for entry in self.feedback:
            keys.extend(k for k in entry.references if k not in keys)
        return tuple(keys)

    @property
    def verdict(self) -> str:
        """Words, not colour: the outcome in a form a screen reader and a projector both carry."""
        if self.correct is None:
            return "Recorded"
        if self.correct:
            return "Correct"
        return "Partly correct" if self.score > 0 else "Not correct"

    def __repr__(self) -> str:
        return (
            f"GradeResult(item_id={self.item_id!r}, score={self.score:.2f}, max_score={self.max_score:.2f}, "
            f"verdict={self.verdict!r})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<li><strong>{'Your choice: ' if f.chosen else ''}{html.escape(f.text)}</strong> "
            f"({'correct' if f.correct else 'not correct'}). {html.escape(f.rationale)} "
            f"<em>{html.escape(f.evidence.label)}; {html.escape(f.status.value)}; "
            f"sources: {html.escape(', '.join(f.references))}</em></li>"
            for f in self.feedback
        )
        return (
            f"<div><p><strong>{self.verdict}</strong> ({points(self.score)} of {points(self.max_score)}). "
            f"{html.escape(self.summary)}</p><ul>{rows}</ul></div>"
        )


def points(value: float) -> str:
    """A score as people write it: whole numbers and quarters as they are (8, 0.5, 2.25), anything else to one
    decimal, rounded half up (3.27778 -> 3.3); never a long tail of digits."""
    from decimal import ROUND_HALF_UP, Decimal

    if abs(value * 4 - round(value * 4)) < 1e-9:
        return f"{round(value * 4) / 4:g}"
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}"
