"""Pure state transitions of a learner's way through a case: progressive disclosure and branching.

The state is a value: the stages entered so far (the last is the one on screen) and the answers given. Later stages
are never part of the state until they are entered, so nothing of them can be shown early.

Profession tailoring (``rules.tailoring``): a question written only for other professions is optional for the
learner, so it never holds a stage and is not counted in their score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..content.models import Case, Item, Stage
from . import tailoring
from .grading import GradeResult, grade


class FlowError(ValueError):
    """A step that does not fit where the learner is (answering twice, moving on with questions open)."""


@dataclass(frozen=True)
class Answer:
    response: object
    result: GradeResult


@dataclass(frozen=True)
class CaseState:
    case_id: str
    path: tuple[str, ...]
    answers: Mapping[str, Answer] = field(default_factory=lambda: MappingProxyType({}))
    completed: bool = False

    @property
    def current(self) -> str:
        return self.path[-1]


def start(case: Case) -> CaseState:
    return CaseState(case.id, (case.start,))


def current_stage(case: Case, state: CaseState) -> Stage:
    return case.stage(state.current)


def tailored_for(case: Case, profession: str | None) -> bool:
    """Whether the case has at least one question written for ``profession`` (``rules.tailoring``)."""
    return tailoring.tailored_for(case.items, profession)


def is_optional(case: Case, item: Item, profession: str | None) -> bool:
    """Whether ``item`` is optional for a learner of ``profession`` in this case (``rules.tailoring``)."""
    return tailoring.is_optional(case.items, item, profession)


def open_items(case: Case, state: CaseState, profession: str | None = None) -> list[str]:
    """The questions of the stage on screen still to be answered before moving on (optional ones never are)."""
    return [
        item.id
        for item in current_stage(case, state).items
        if item.id not in state.answers and not is_optional(case, item, profession)
    ]


def counted_score(case: Case, state: CaseState, profession: str | None = None) -> tuple[float, float, int]:
    """(score, maximum, optional questions answered): the score counts the questions required of this learner;
    answers to optional questions are kept and shown with their feedback but count in neither figure."""
    score = maximum = 0.0
    optional = 0
    for item in case.items:
        answer = state.answers.get(item.id)
        if answer is None:
            continue
        if is_optional(case, item, profession):
            optional += 1
        else:
            score += answer.result.score
            maximum += answer.result.max_score
    return score, maximum, optional


def submit(case: Case, state: CaseState, item_id: str, response: object) -> tuple[CaseState, GradeResult]:
    """Grade an answer to an item of the current stage. Raises InvalidResponse for answers that cannot be graded."""
    if state.completed:
        raise FlowError("This case is complete; restart it to answer again.")
    stage = current_stage(case, state)
    item = next((i for i in stage.items if i.id == item_id), None)
    if item is None:
        raise FlowError(f"The question {item_id!r} is not part of the stage on screen ({stage.title}).")
    if item_id in state.answers:
        raise FlowError("This question is already answered; your first answer is the one recorded.")
    result = grade(item, response)
    answers = dict(state.answers)
    answers[item_id] = Answer(response, result)
    return CaseState(state.case_id, state.path, MappingProxyType(answers), state.completed), result


def next_stage_id(case: Case, state: CaseState) -> str | None:
    """Where the case goes from the current stage: the branch of a chosen option, else the stage's ``next``."""
    stage = current_stage(case, state)
    for item in stage.items:
        answer = state.answers.get(item.id)
        for option in getattr(item, "options", []):
            if option.next_stage and answer is not None and answer.response == option.id:
                return option.next_stage
    return stage.next


def advance(case: Case, state: CaseState, profession: str | None = None) -> CaseState:
    """Move to the next stage (or finish the case) once every question of the current stage required of this
    learner is answered."""
    if state.completed:
        raise FlowError("This case is already complete.")
    remaining = open_items(case, state, profession)
    if remaining:
        raise FlowError(f"Answer the {len(remaining)} open question(s) of this stage before moving on.")
    return _move(case, state)


def _move(case: Case, state: CaseState) -> CaseState:
    target = next_stage_id(case, state)
    if target is None:
        return CaseState(state.case_id, state.path, state.answers, True)
    return CaseState(state.case_id, state.path + (target,), state.answers, False)


def replay(case: Case, answers: list[tuple[str, object]], moves: int, completed: bool) -> CaseState:
    """Rebuild a state from the store: answers in the order given, and the number of moves made.

    Grading is deterministic, so stored responses give the same results again. Steps that no longer fit the case
    (content edited since) are skipped rather than lost: the stored record stays untouched. A stored move was
    checked when it was made (with the learner's profession of that day), so it is replayed as it happened, even past
    questions that were optional then.
    """
    state = start(case)
    pending = list(answers)
    made = 0
    while True:
        stage_items = {i.id for i in current_stage(case, state).items}
        for item_id, response in [a for a in pending if a[0] in stage_items]:
            pending.remove((item_id, response))
            if item_id in state.answers:
                continue
            try:
                state, _ = submit(case, state, item_id, response)
            except ValueError:
                continue
        if made >= moves:
            break
        state = _move(case, state)
        made += 1
        if state.completed:
            break
    if completed and not state.completed and next_stage_id(case, state) is None:
        state = _move(case, state)
    return state


def route_ahead(case: Case, state: CaseState) -> list[str]:
    """The stages still ahead on the default route (no branch taken), for an honest progress estimate."""
    ahead: list[str] = []
    target = next_stage_id(case, state)
    seen = set(state.path)
    while target and target not in seen and not state.completed:
        ahead.append(target)
        seen.add(target)
        target = case.stage(target).next
    return ahead
