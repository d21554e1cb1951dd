"""The follow-up of commitments to change, as pure rules (issue 18 §2).

A learner who said in the evaluation that they *will change* their practice for an objective is asked, from 60 days
after the evaluation, whether they made the change and what got in the way. The window the course aims at is 60-90
days; an answer after day 90 is still taken and reported as late. Learners see the question on their next visit to
the course (the start page and the post-test page), or follow the link the course director sends
(``hnscc-edu follow-up --due``).

At the end of the activity a commitment is an *intent*; the follow-up is the learner's own report of what they did,
which the report shows as Moore's level 5 (performance), self-reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .learner_path import PathError

FROM_DAYS, UNTIL_DAYS = 60, 90
OUTCOMES = ("made the change", "partly", "not yet", "decided against it")
COMMITTED = "will change"  # the intent (rules/evaluation.py) that asks for a follow-up


@dataclass(frozen=True)
class FollowUp:
    """Where a learner's follow-up stands on ``today``."""

    status: str  # "none" (nothing committed), "not yet", "due", "late" or "answered"
    objectives: tuple[str, ...] = ()  # the objectives the learner committed to change
    due_from: dt.date | None = None
    due_until: dt.date | None = None

    @property
    def open(self) -> bool:
        return self.status in ("due", "late")


def committed(intents: Iterable[tuple[str, str | None]]) -> tuple[str, ...]:
    """The objectives whose (objective, intent) rows say the learner will change their practice."""
    return tuple(objective for objective, intent in intents if intent == COMMITTED)


def follow_up(evaluated_on: dt.date | None, committed: tuple[str, ...], answered: bool, today: dt.date) -> FollowUp:
    """The follow-up of a learner evaluated on ``evaluated_on`` who committed to change ``committed``."""
    if evaluated_on is None or not committed:
        return FollowUp("none")
    start, end = evaluated_on + dt.timedelta(days=FROM_DAYS), evaluated_on + dt.timedelta(days=UNTIL_DAYS)
    if answered:
        status = "answered"
    elif today < start:
        status = "not yet"
    else:
        status = "due" if today <= end else "late"
    return FollowUp(status, committed, start, end)


def checked_outcomes(state: FollowUp, outcomes: Mapping[str, Any]) -> dict[str, str]:
    """One outcome per committed objective, from ``OUTCOMES``; raises PathError in the learner's words."""
    if state.status == "answered":
        raise PathError("Your follow-up is already recorded; thank you.")
    if state.status == "none":
        raise PathError("There is no follow-up for you: you did not commit to a change in the evaluation.")
    if state.status == "not yet":
        raise PathError(f"The follow-up opens on {state.due_from.isoformat()}, 60 days after your evaluation.")
    if not isinstance(outcomes, Mapping):
        raise PathError("Please say, for each change you committed to, whether you made it.")
    checked = {}
    for objective in state.objectives:
        value = outcomes.get(objective)
        if value not in OUTCOMES:
            raise PathError("Please say, for each change you committed to, whether you made it.")
        checked[objective] = value
    return checked
