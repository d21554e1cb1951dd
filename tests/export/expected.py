"""What an export must say, read from the item bank and checked against the course's own graders.

Round-trip tests parse an export back and hand what they read to these checks: scores are compared with what
``hnscc_edu.rules.grading.grade`` gives for every possible answer, never with numbers copied from an export.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

from hnscc_edu.content.models import Feedback, Reference
from hnscc_edu.rules.grading import InvalidResponse, grade

# The item types every LMS format here expresses; the others (key-feature with killer options, script concordance,
# ordering) are left out of an export and named in its warnings (tests/export/test_unsupported.py).
EXPORTED_TYPES = frozenset({"single_best_answer", "multiple_select", "numeric", "free_text"})


def exported(source) -> list:
    """The items of a source that an export carries, in order."""
    return [item for item in source.items if item.type in EXPORTED_TYPES]


def norm(text: str) -> str:
    """Whitespace-insensitive text: exports may wrap or indent, but never change a word."""
    return " ".join(text.split())


def assert_choice_scores(item, weights: Mapping[str, float], *, floor_and_cap: bool = True) -> None:
    """An LMS scores a choice answer as the sum of the chosen options' weights (fractions of the mark), floored at 0
    and capped at 1; that must equal the course's grader for every answer a learner can give."""
    assert set(weights) == {o.id for o in item.options}
    ids = [o.id for o in item.options]
    if item.type == "single_best_answer":
        answers = [[i] for i in ids]
    else:
        answers = [list(c) for r in range(1, len(ids) + 1) for c in itertools.combinations(ids, r)]
    for chosen in answers:
        lms = sum(weights[i] for i in chosen)
        if floor_and_cap:
            lms = min(1.0, max(0.0, lms))
        response = chosen[0] if item.type == "single_best_answer" else chosen
        assert lms == pytest.approx(grade(item, response).score, abs=1e-6), (item.id, chosen)


def assert_numeric_range(item, low: float, high: float) -> None:
    """The range an export accepts must be the range the course's grader accepts."""
    step = max(1e-6, abs(item.answer.value) * 1e-7)
    for value, accepted in (
        (low, True),
        (high, True),
        (item.answer.value, True),
        (low - step * 10, False),
        (high + step * 10, False),
    ):
        try:
            result = grade(item, value)
        except InvalidResponse:  # outside the item's minimum or maximum: refused, so not accepted either
            assert not accepted, (item.id, value)
            continue
        assert bool(result.correct) is accepted, (item.id, value, low, high)


def assert_feedback(text: str, feedback: Feedback, references: Mapping[str, Reference]) -> None:
    """Feedback must carry the rationale word for word, the evidence label, the status and every source."""
    flat = norm(text)
    assert norm(feedback.rationale) in flat
    assert feedback.evidence.label in flat
    assert feedback.status.value in flat
    for key in feedback.references:  # a key the bibliography lacks (a lint problem) is shown as the key itself
        assert norm(references[key].title if key in references else key) in flat, key
