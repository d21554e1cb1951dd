"""The activity evaluation as data and pure checks: what every learner who finishes is asked, pass or not.

The questions cover what an accreditor expects of an enduring activity's evaluation (issue 18 §2; the gaps found in
``../shared/reviews/cme-credit.md`` §5.3): whether each objective was met and what the learner intends to change
(asked per objective, beside it), relevance to practice, quality and balance of the content, perceived commercial
bias with a comment, the faculty, the format, the time it took against the estimate, and what could stop the learner
from changing practice. The answers are reported item by item in the course director's report.

Intent to change is what the learner *intends* at the end (Moore level 4-5 as intent only); whether the change was
made is a follow-up question, asked later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .learner_path import PathError

MET_CHOICES = ("yes", "partly", "no")
INTENT_CHOICES = ("will change", "already do this", "no change planned")
AGREEMENT = ("strongly agree", "agree", "neutral", "disagree", "strongly disagree")
TIME_CHOICES = ("less than estimated", "about as estimated", "more than estimated")
BARRIERS = (
    "none",
    "time",
    "cost or reimbursement",
    "institutional policy or protocols",
    "equipment or staffing",
    "access to the treatments discussed",
    "patient factors",
    "lack of agreement in my team",
    "other",
)
MAX_TEXT = 4000  # characters kept of a free-text answer


class EvaluationError(PathError):
    """An evaluation answer that cannot be accepted; the message is written for the learner."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: tuple[str, ...]
    many: bool = False  # several choices allowed (barriers)


QUESTIONS = (
    Question("relevance", "The content is relevant to my practice.", AGREEMENT),
    Question("quality", "The content was accurate, current and well referenced.", AGREEMENT),
    Question("balance", "The content was balanced: options were presented fairly, with their evidence.", AGREEMENT),
    Question("faculty", "The cases and feedback were written and reviewed by people who know the field.", AGREEMENT),
    Question("format", "Working through cases with feedback was a good way to learn this.", AGREEMENT),
    Question("time", "The time the activity took, against the estimate given at the start:", TIME_CHOICES),
    Question(
        "barriers",
        "What could stop you from making the changes you intend? Choose all that apply.",
        BARRIERS,
        many=True,
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def checked_answers(answers: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Every question answered with its own choices: {question id: (choice, ...)}. "none" excludes other barriers."""
    if not isinstance(answers, Mapping):
        raise EvaluationError("Please answer the evaluation questions.")
    checked: dict[str, tuple[str, ...]] = {}
    for question in QUESTIONS:
        given = answers.get(question.id)
        values = tuple(given) if question.many and isinstance(given, (list, tuple)) else (given,)
        if not values or not all(isinstance(v, str) and v in question.choices for v in values):
            raise EvaluationError(f"Please answer: {question.text}")
        if question.many and "none" in values and len(values) > 1:
            raise EvaluationError("Choose either 'none' or the barriers that apply, not both.")
        checked[question.id] = tuple(dict.fromkeys(values))
    return checked


def free_text(value: Any) -> str | None:
    """A free-text answer as stored: trimmed, at most ``MAX_TEXT`` characters, None when empty or not text."""
    return (value.strip()[:MAX_TEXT] or None) if isinstance(value, str) else None
