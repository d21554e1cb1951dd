"""Pre- and post-test mechanics: which items a learner gets, in which order, and whether a score passes.

Pure functions, no I/O. Every shuffle is seeded from (purpose, learner, attempt[, item]) so a reload, a re-run or a
second kernel shows the same test, while another learner or another attempt gets another draw.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ..content.assessment_rules import objective_quotas
from ..content.models import MultipleSelect, SingleBestAnswer
from .grading import GradeResult

# The float sums of partial credits can land a hair below an exact pass mark (e.g. 0.7 * 10 = 6.999...).
_EPSILON = 1e-9


def seeded(*parts: object) -> random.Random:
    """A random generator whose sequence depends only on ``parts`` (never on the process or the clock)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def draw(
    items: Sequence,
    objectives: Sequence[str],
    n: int,
    learner_id: str,
    attempt: int,
    seen: Collection[str] = frozenset(),
) -> list[str]:
    """The ids of the ``n`` post-test items for this learner and attempt, spread over ``objectives`` and shuffled.

    ``seen`` holds the ids of the items drawn in the learner's earlier attempts: within each objective's quota the
    draw takes unseen items first and falls back on seen ones only when the objective's pool runs out (issue 15 §4:
    a retake should not repeat the questions just answered). The quotas depend only on the pool sizes, so they are
    the same on every attempt, and the result depends only on (pool, learner, attempt, seen): a reload shows the
    same test. Items on objectives that are not listed are never drawn. Raises ValueError when the pool is too small.
    """
    pools = {objective: sorted(item.id for item in items if item.objective == objective) for objective in objectives}
    quotas = objective_quotas(n, {objective: len(ids) for objective, ids in pools.items()})
    rng = seeded("post-test", learner_id, attempt)
    already = set(seen)
    chosen: list[str] = []
    for objective in objectives:
        order = rng.sample(pools[objective], len(pools[objective]))  # a full shuffle of the objective's pool
        # sorted() is stable: unseen items keep their shuffled order ahead of the seen ones
        order.sort(key=lambda item_id: item_id in already)
        chosen.extend(order[: quotas[objective]])
    rng.shuffle(chosen)
    return chosen


def order(items: Sequence, learner_id: str, purpose: str, attempt: int = 1) -> list[str]:
    """Every item of a fixed test (the pre-test), in an order of its own for this learner."""
    ids = sorted(item.id for item in items)
    seeded(purpose, learner_id, attempt).shuffle(ids)
    return ids


def shuffle_options(item, learner_id: str, attempt: int):
    """A copy of a single-best-answer or multiple-select item with its options in a per-learner, per-attempt order.

    Option ids do not change, so the answer is graded against the item as written.
    """
    if not isinstance(item, (SingleBestAnswer, MultipleSelect)):
        return item
    options = list(item.options)
    seeded("options", learner_id, attempt, item.id).shuffle(options)
    return item.model_copy(update={"options": options})


def percent(score: float, max_score: float) -> float:
    return 0.0 if max_score <= 0 else 100.0 * score / max_score


def passes(score: float, max_score: float, pass_mark: int) -> bool:
    """True when the score reaches the pass mark (a percentage); exactly the mark passes."""
    return max_score > 0 and score * 100.0 >= pass_mark * max_score - _EPSILON


@dataclass(frozen=True)
class AttemptResult:
    """A finished pre-test or post-test attempt."""

    purpose: str
    attempt: int
    score: float
    max_score: float
    pass_mark: int | None
    results: tuple[GradeResult, ...]

    @property
    def percent(self) -> float:
        return percent(self.score, self.max_score)

    @property
    def passed(self) -> bool:
        return self.pass_mark is not None and passes(self.score, self.max_score, self.pass_mark)
