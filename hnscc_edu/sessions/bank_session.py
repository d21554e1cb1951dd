"""A learner's session on one item bank played on its own (a module self-check), bound to the store.

Store first, as in ``case_session``: an answer is graded, written to the store, and only then kept in memory, so a
kernel restart, a notebook re-run or a Voila reload rebuilds exactly what the learner left. The answers are attempts
with context ``"module_bank"`` (the credit path's pre- and post-test use ``"bank"``), ``context_id`` the bank id and
a run number; "Start again" opens a new run and the earlier runs stay in the store. Self-checks do not count towards
credit.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..content.models import ItemBank, ItemModel
from ..rules import tailoring
from ..rules.case_flow import Answer, FlowError
from ..rules.grading import GradeResult, InvalidResponse, canonical_response, grade

if TYPE_CHECKING:  # a kernel that talks to the course server has no store to load
    from ..store import Store

CONTEXT = "module_bank"  # attempts.context of a self-check's answers


class BankSession:
    def __init__(self, bank: ItemBank, store: Store, learner_id: str, profession: str | None = None) -> None:
        self.bank = bank
        self.store = store
        self.learner_id = learner_id
        self.profession = profession  # questions written only for other professions are optional (rules.tailoring)
        self._items: dict[str, ItemModel] = {item.id: item for item in bank.items}
        self.reload()

    def reload(self) -> None:
        """Rebuild the answers of the current run from the store, the only record (another tab or kernel may have
        answered, or started again)."""
        history = self.store.bank_history(self.learner_id, CONTEXT, self.bank.id)
        self._replay(history.run, history.answers)

    def _replay(self, run: int, stored: list[tuple[str, object]]) -> None:
        """The run and its answers, graded again from the stored responses (first answer to an item kept)."""
        answers: dict[str, Answer] = {}
        for item_id, response in stored:
            item = self._items.get(item_id)
            if item is None or item_id in answers:
                continue  # an item removed from the bank since: its stored answer stays in the store, unshown
            try:
                answers[item_id] = Answer(response, grade(item, response))
            except InvalidResponse:
                continue  # the item's options changed since: the stored answer stays in the store, unscored
        self.run = run
        self.answers: Mapping[str, Answer] = MappingProxyType(answers)

    @property
    def items(self) -> list[ItemModel]:
        return list(self.bank.items)

    def result(self, item_id: str) -> GradeResult | None:
        answer = self.answers.get(item_id)
        return answer.result if answer else None

    def response(self, item_id: str) -> object | None:
        answer = self.answers.get(item_id)
        return answer.response if answer else None

    def submit(self, item_id: str, response: object) -> GradeResult:
        """Grade, store, then keep one answer. Raises ``InvalidResponse`` (nothing stored) for an answer that cannot
        be graded. The first answer to an item in a run is the one kept: a second submit (a double click, another
        tab) records nothing and returns the stored answer's result."""
        item = self._items.get(item_id)
        if item is None:
            raise FlowError(f"The question {item_id!r} is not part of this self-check ({self.bank.title}).")
        if item_id in self.answers:
            return self.answers[item_id].result
        response = canonical_response(item, response)
        result = grade(item, response)
        stored = self.store.record_attempt(
            self.learner_id,
            CONTEXT,
            self.bank.id,
            self.run,
            item_id,
            response,
            result.score,
            result.max_score,
            result.correct,
        )
        if not stored:  # another tab answered first: its answer is the record, so show that one
            self.reload()
            return self.result(item_id) or result
        self.answers = MappingProxyType({**self.answers, item_id: Answer(response, result)})
        return result

    def restart(self) -> None:
        """Start a new run (recorded in the store before anything else); earlier runs stay in the store."""
        self.run = self.store.start_bank_run(self.learner_id, CONTEXT, self.bank.id)
        self.answers = MappingProxyType({})

    def progress(self) -> tuple[int, int]:
        """(questions answered in this run, questions in the bank)."""
        return sum(1 for item_id in self.answers if item_id in self._items), len(self._items)

    def is_optional(self, item: ItemModel) -> bool:
        return tailoring.is_optional(self.bank.items, item, self.profession)

    def score(self) -> tuple[float, float]:
        """(score, maximum) over the questions answered in this run that count for this learner (not the optional
        ones written for other professions)."""
        results = [
            a.result
            for item_id, a in self.answers.items()
            if item_id in self._items and not self.is_optional(self._items[item_id])
        ]
        return sum(r.score for r in results), sum(r.max_score for r in results)

    @property
    def complete(self) -> bool:
        answered, total = self.progress()
        return answered == total
