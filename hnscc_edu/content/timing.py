"""How long a learner takes: minutes per case, per module, for the core path and for the whole course.

The estimate has two parts, each with a stated source, so a course director can defend the designated credit:

- **Reading.** Every word a learner reads on the path through a case (the stage text and tables, and the feedback
  shown after each answer: the rationale of every option, the worked calculation) at the average adult silent
  reading rate for English non-fiction, 238 words per minute (Brysbaert M. How many words do we read per minute? A
  review and meta-analysis of reading rate. J Mem Lang 2019;109:104047; 190 studies, 18,573 readers).
- **Answering.** A fixed time per item, which covers reading its stem and options and choosing. The single-best-answer
  rate is the licensing examination's own allowance: USMLE Step 1 gives 60 minutes to a block of at most 40 items,
  90 seconds an item (USMLE bulletin, read in a secondary summary). Item types that ask for several choices, an order
  or a calculation get more: those multipliers are the course's own assumption, labelled as such in ``RATES``.

A case's path is the one a learner who answers well follows: from ``start``, the stage's ``next``, or else the stage
named by the keyed option of a branching item (else by the first option that names one). Branches off that path are
detours some learners take; they are not counted. Pure functions: no widgets, no store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Case, CourseInfo, ItemModel, Numeric, Stage, feedback_entries

READING_WORDS_PER_MINUTE = 238.0
SINGLE_BEST_ANSWER_SECONDS = 90.0

# Seconds per item by type, with where each figure comes from (printed by ``hnscc-edu timing``).
RATES: dict[str, dict[str, object]] = {
    "reading_words_per_minute": {
        "value": READING_WORDS_PER_MINUTE,
        "source": "Brysbaert 2019, J Mem Lang 109:104047: average adult silent reading rate, English non-fiction",
        "label": "meta-analysis [verified in its abstract]",
    },
    "single_best_answer": {
        "value": SINGLE_BEST_ANSWER_SECONDS,
        "source": "USMLE Step 1: 60 minutes per block of at most 40 items",
        "label": "examination allowance [verified-secondary]",
    },
    "multiple_select": {
        "value": 1.5 * SINGLE_BEST_ANSWER_SECONDS,
        "source": "1.5 x single best answer",
        "label": "course assumption (several decisions per item)",
    },
    "key_feature": {
        "value": 1.5 * SINGLE_BEST_ANSWER_SECONDS,
        "source": "1.5 x single best answer",
        "label": "course assumption (several decisions per item)",
    },
    "script_concordance": {
        "value": SINGLE_BEST_ANSWER_SECONDS,
        "source": "as single best answer",
        "label": "course assumption (one judgement on a five-point scale)",
    },
    "ordering": {
        "value": 1.5 * SINGLE_BEST_ANSWER_SECONDS,
        "source": "1.5 x single best answer",
        "label": "course assumption (several placements per item)",
    },
    "numeric": {
        "value": 2.0 * SINGLE_BEST_ANSWER_SECONDS,
        "source": "2 x single best answer",
        "label": "course assumption (a calculation, with the calculator or by hand)",
    },
    "free_text": {
        "value": 2.0 * SINGLE_BEST_ANSWER_SECONDS,
        "source": "2 x single best answer",
        "label": "course assumption (writing a short answer)",
    },
}

CORE_MINUTES_RANGE = (50.0, 70.0)
ESTIMATE_TOLERANCE = 0.10

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:[-'.,/][A-Za-z0-9\u00C0-\u024F]+)*")


def count_words(text: str | None) -> int:
    """Words as a reader sees them: '70 Gy', 'cT3' and 'HR 0.62' are two, one and two words; markup is not a word."""
    return len(_WORD.findall(text or ""))


def _stage_words(stage: Stage) -> int:
    words = 0
    for block in stage.reveal:
        words += count_words(block.heading) + count_words(block.markdown)
        if block.table is not None:
            words += count_words(block.table.caption) + sum(count_words(c) for c in block.table.columns)
            words += sum(count_words(str(cell)) for row in block.table.rows for cell in row)
    for item in stage.items:
        words += item_feedback_words(item)
    return words


def item_feedback_words(item: ItemModel) -> int:
    """The words of the feedback a learner reads after answering (stem and options are inside the item's rate)."""
    words = sum(count_words(feedback.rationale) for _, feedback in feedback_entries(item))
    if isinstance(item, Numeric):
        words += count_words(item.working)
    return words


def item_seconds(item: ItemModel) -> float:
    return float(RATES[item.type]["value"])  # type: ignore[arg-type]


def case_path(case: Case) -> list[Stage]:
    """The stages a learner who answers well passes through, in order (each stage once)."""
    path: list[Stage] = []
    seen: set[str] = set()
    current: str | None = case.start
    while current is not None and current not in seen:
        seen.add(current)
        try:
            stage = case.stage(current)
        except KeyError:
            break
        path.append(stage)
        current = stage.next or _branch_target(stage)
    return path


def _branch_target(stage: Stage) -> str | None:
    for item in stage.items:
        options = [o for o in getattr(item, "options", []) if o.next_stage]
        if options:
            keyed = [o for o in options if o.correct]
            return (keyed or options)[0].next_stage
    return None


def case_minutes(case: Case) -> float:
    path = case_path(case)
    reading = sum(_stage_words(stage) for stage in path) / READING_WORDS_PER_MINUTE
    answering = sum(item_seconds(item) for stage in path for item in stage.items) / 60.0
    return reading + answering


@dataclass(frozen=True)
class CaseTime:
    id: str
    module: int
    title: str
    core: bool
    minutes: float


@dataclass(frozen=True)
class CourseTiming:
    cases: tuple[CaseTime, ...]

    @property
    def core_minutes(self) -> float:
        return sum(c.minutes for c in self.cases if c.core)

    @property
    def all_minutes(self) -> float:
        return sum(c.minutes for c in self.cases)

    def module_minutes(self) -> dict[int, dict[str, float]]:
        modules: dict[int, dict[str, float]] = {}
        for case in self.cases:
            entry = modules.setdefault(case.module, {"core": 0.0, "all": 0.0})
            entry["all"] += case.minutes
            if case.core:
                entry["core"] += case.minutes
        return dict(sorted(modules.items()))

    def as_json(self) -> dict:
        return {
            "core_minutes": round(self.core_minutes, 1),
            "all_minutes": round(self.all_minutes, 1),
            "modules": {str(m): {k: round(v, 1) for k, v in t.items()} for m, t in self.module_minutes().items()},
            "cases": [
                {"id": c.id, "module": c.module, "title": c.title, "core": c.core, "minutes": round(c.minutes, 1)}
                for c in self.cases
            ],
            "rates": RATES,
        }


def course_timing(cases: Iterable[Case], core_path: Sequence[str]) -> CourseTiming:
    core = set(core_path)
    times = tuple(
        CaseTime(c.id, c.module, c.title, c.id in core, case_minutes(c))
        for c in sorted(cases, key=lambda c: (c.module, c.id))
    )
    return CourseTiming(times)


def core_path_problems(info: CourseInfo, cases: dict[str, Case]) -> list[tuple[tuple, str]]:
    """What is wrong with the course's core path, as (field location, message) pairs."""
    problems: list[tuple[tuple, str]] = []
    if not info.core_path:
        return problems  # no core path declared (a fixture or a draft); the course's own content test requires one
    for i, case_id in enumerate(info.core_path):
        if case_id not in cases:
            problems.append((("core_path", i), f"no case {case_id!r} in the course"))
        elif case_id in info.core_path[:i]:
            problems.append((("core_path", i), f"case {case_id!r} is listed twice"))
    known = [cases[c] for c in info.core_path if c in cases]
    covered = {o for case in known for o in case.objectives}
    for o, objective in enumerate(info.objectives):
        if objective.id not in covered:
            problems.append((("objectives", o, "id"), f"no case of the core path covers objective {objective.id!r}"))
    if len(known) != len(info.core_path):
        return problems
    minutes = course_timing(known, info.core_path).core_minutes
    low, high = CORE_MINUTES_RANGE
    if not low <= minutes <= high:
        problems.append(
            (
                ("core_path",),
                (
                    f"the core path takes about {minutes:.0f} minutes; it must take "
                    f"{low:.0f}-{high:.0f} (hnscc-edu timing)"
                ),
            )
        )
    if abs(info.estimated_minutes - minutes) > ESTIMATE_TOLERANCE * minutes:
        problems.append(
            (
                ("estimated_minutes",),
                (
                    f"says {info.estimated_minutes} minutes but the core path takes "
                    f"about {minutes:.0f} (more than 10% apart; hnscc-edu timing)"
                ),
            )
        )
    return problems
