"""A learner's session on one case: the pure flow, bound to the store.

Every step is written to the store first and applied to the state only once it is saved, so a kernel restart, a
notebook re-run or a Voila reload rebuilds exactly the state the learner left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.models import Case, Stage
from ..rules import case_flow
from ..rules.case_flow import CaseState
from ..rules.grading import GradeResult, canonical_response

if TYPE_CHECKING:  # a kernel that talks to the course server has no store to load
    from ..store import Store


class CaseSession:
    def __init__(self, case: Case, store: Store, learner_id: str, profession: str | None = None) -> None:
        self.case = case
        self.store = store
        self.learner_id = learner_id
        self.profession = profession  # questions written only for other professions are optional (case_flow)
        self.reload()

    def reload(self) -> None:
        """Rebuild the state from the store, the only record (another tab or kernel may have moved on)."""
        history = self.store.case_history(self.learner_id, self.case.id)
        self.run = history.run
        self.state: CaseState = case_flow.replay(self.case, history.answers, history.moves, history.completed)

    @property
    def stage(self) -> Stage:
        return case_flow.current_stage(self.case, self.state)

    @property
    def visited(self) -> list[Stage]:
        return [self.case.stage(stage_id) for stage_id in self.state.path]

    def result(self, item_id: str) -> GradeResult | None:
        answer = self.state.answers.get(item_id)
        return answer.result if answer else None

    def response(self, item_id: str) -> object | None:
        answer = self.state.answers.get(item_id)
        return answer.response if answer else None

    def submit(self, item_id: str, response: object) -> GradeResult:
        item = next((i for i in self.case.items if i.id == item_id), None)
        if item is not None:  # an unknown id is case_flow's to refuse, with its own message
            response = canonical_response(item, response)
        new_state, result = case_flow.submit(self.case, self.state, item_id, response)
        stored = self.store.record_attempt(
            self.learner_id,
            "case",
            self.case.id,
            self.run,
            item_id,
            response,
            result.score,
            result.max_score,
            result.correct,
            stage_id=self.state.current,
        )
        if not stored:  # another tab answered first: its answer is the record, so show that one
            self.reload()
            return self.result(item_id) or result
        self.state = new_state
        return result

    @property
    def can_advance(self) -> bool:
        return not self.state.completed and not case_flow.open_items(self.case, self.state, self.profession)

    @property
    def next_stage_id(self) -> str | None:
        return case_flow.next_stage_id(self.case, self.state)

    def advance(self) -> None:
        new_state = case_flow.advance(self.case, self.state, self.profession)
        event = "complete" if new_state.completed else "advance"
        to_stage = None if new_state.completed else new_state.current
        self.store.record_move(self.learner_id, self.case.id, self.run, event, self.state.current, to_stage)
        self.state = new_state

    def restart(self) -> None:
        """Start a new run; earlier runs stay in the store (append-only)."""
        self.store.record_move(self.learner_id, self.case.id, self.run + 1, "restart", None, self.case.start)
        self.run += 1
        self.state = case_flow.start(self.case)

    @property
    def progress(self) -> tuple[int, int]:
        """(stages reached, stages on the expected route): the route ahead follows the default path."""
        ahead = case_flow.route_ahead(self.case, self.state)
        return len(self.state.path), len(self.state.path) + len(ahead)

    def is_optional(self, item) -> bool:
        return case_flow.is_optional(self.case, item, self.profession)

    @property
    def counted(self) -> tuple[float, float, int]:
        """(score, maximum, optional questions answered): the score counts the questions required of this learner."""
        return case_flow.counted_score(self.case, self.state, self.profession)

    @property
    def score(self) -> tuple[float, float]:
        score, maximum, _ = self.counted
        return score, maximum
