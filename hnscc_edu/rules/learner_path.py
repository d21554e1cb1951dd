"""The learner's path to credit as a pure state machine over stored events.

    activity information acknowledged -> pre-test (optional) -> modules (every case of the core path finished) ->
    post-test (pass, within the retake cap) -> evaluation -> time attestation -> certificate

A learner who uses every attempt without a pass is still asked for the evaluation (the activity's outcomes must not
be heard only from those who passed), and then the path is closed: no attestation, no certificate.

The state is a value rebuilt from the learner's events (oldest first); ``apply`` checks that an event fits where the
learner is and returns the next state, or raises ``PathError``. The step on screen is derived from the state, never
stored, so the events are the only record.

The modules step ends with ``core_path_finished``, which only the session writes, once the store holds a finished run
of every case of the course's core path (``course.yaml: core_path``; every case when it names none). There is no
event a learner can send to declare the modules done. (Stores from before kept a ``modules_completed`` event, a
button's click; it is no longer an event of the path, so replay skips it and such a learner finishes the core path
like everyone else.)

Limits (the retake cap, the activity's dates) are checked when an event is first applied. Replaying stored events
does not re-check them: a course director who lowers the cap or moves a date later must not undo what a learner
already did. A stored event that breaks the order (two tabs racing) is skipped on replay: the first one wins, as with
answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Any

from ..content.models import CourseInfo
from .case_flow import FlowError


class PathError(FlowError):
    """A step that does not fit where the learner is, or bad input to it; the message is written for the learner."""


class Step(str, Enum):
    activity_info = "activity_info"
    pre_test = "pre_test"
    modules = "modules"
    post_test = "post_test"
    evaluation = "evaluation"
    attestation = "attestation"
    certificate = "certificate"
    closed = "closed"  # the retake cap was reached without a pass: no certificate

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    Step.activity_info: "Activity information",
    Step.pre_test: "Pre-test (optional)",
    Step.modules: "Modules",
    Step.post_test: "Post-test",
    Step.evaluation: "Evaluation",
    Step.attestation: "Time attestation",
    Step.certificate: "Certificate",
    Step.closed: "Post-test attempts used up",
}
ORDER = [
    Step.activity_info,
    Step.pre_test,
    Step.modules,
    Step.post_test,
    Step.evaluation,
    Step.attestation,
    Step.certificate,
]

EVENTS = (
    "acknowledged",
    "pretest_started",
    "pretest_completed",
    "pretest_skipped",
    "core_path_finished",
    "posttest_started",
    "posttest_finished",
    "evaluation_submitted",
    "time_attested",
    "certificate_issued",
)


@dataclass(frozen=True)
class PathEvent:
    kind: str
    at: dt.datetime
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Attempt:
    """One post-test attempt: its drawn items, the pass mark announced when it started, and its result."""

    number: int
    items: tuple[str, ...]
    pass_mark: int
    percent: float | None = None  # None while the attempt is in progress
    passed: bool = False

    @property
    def finished(self) -> bool:
        return self.percent is not None


@dataclass(frozen=True)
class Rules:
    max_attempts: int
    release_date: dt.date
    termination_date: dt.date

    @classmethod
    def from_course(cls, info: CourseInfo) -> Rules:
        return cls(info.post_test.max_attempts, info.release_date, info.termination_date)


@dataclass(frozen=True)
class PathState:
    acknowledged_at: dt.datetime | None = None
    profession: str | None = None
    degree: str | None = None
    pretest: str = "not_started"  # not_started | in_progress | completed | skipped
    pretest_items: tuple[str, ...] = ()
    modules_done: bool = False  # every case of the core path finished (event core_path_finished)
    attempts: tuple[Attempt, ...] = ()
    evaluated: bool = False
    attested_minutes: int | None = None
    path_minutes: float | None = None  # time on the path when the time was attested (the service's record)
    credit: str | None = None
    full_name: str | None = None
    completed_at: dt.datetime | None = None  # the attestation: the last requirement met
    certificate_id: str | None = None
    history: tuple[tuple[str, dt.datetime], ...] = ()

    @property
    def passed(self) -> bool:
        # a loop, not any() over a generator: replay asks this for every event, and learners have one or two attempts
        for attempt in self.attempts:
            if attempt.passed:
                return True
        return False

    @property
    def current_attempt(self) -> Attempt | None:
        last = self.attempts[-1] if self.attempts else None
        return last if last is not None and not last.finished else None

    @property
    def finished_attempts(self) -> int:
        return sum(1 for a in self.attempts if a.finished)


def step(state: PathState, rules: Rules) -> Step:
    """Where the learner is: the first requirement not yet met."""
    if state.acknowledged_at is None:
        return Step.activity_info
    if state.pretest in ("not_started", "in_progress"):
        return Step.pre_test
    if not state.modules_done:
        return Step.modules
    if not state.passed:
        if state.current_attempt is None and state.finished_attempts >= rules.max_attempts:
            # every learner who finishes is asked for the evaluation, pass or not; then the path is closed
            return Step.closed if state.evaluated else Step.evaluation
        return Step.post_test
    if not state.evaluated:
        return Step.evaluation
    if state.attested_minutes is None:
        return Step.attestation
    return Step.certificate


_WRONG_STEP = {
    Step.activity_info: "Please read and acknowledge the activity information first.",
    Step.pre_test: "Please take or skip the pre-test first.",
    Step.modules: "Please finish every case of the core path first.",
    Step.post_test: "Please pass the post-test first.",
    Step.evaluation: "Please complete the evaluation first.",
    Step.attestation: "Please attest the time you spent first.",
    Step.certificate: "Your requirements are complete; your certificate is ready.",
    Step.closed: "All post-test attempts have been used without a pass, so no certificate can be issued.",
}


def _require(state: PathState, rules: Rules, wanted: Step) -> None:
    here = step(state, rules)
    if here is not wanted:
        raise PathError(_WRONG_STEP[here])


def _items(data: Mapping[str, Any]) -> tuple[str, ...]:
    items = data.get("items")
    if not isinstance(items, (list, tuple)) or not items or not all(isinstance(i, str) for i in items):
        raise PathError("A test needs at least one question.")
    return tuple(items)


def _evolve(state: PathState, changes: Mapping[str, Any]) -> PathState:
    """``dataclasses.replace(state, **changes)`` for the path's state, without the trip through ``__init__`` that
    sets every field again: replay applies each stored event, and the outcomes report replays every learner's
    events (hundreds of thousands at a class of thousands), where that trip was most of the time. The state is a
    frozen dataclass with no ``__post_init__``, so a copy of its fields with the changes is the same value."""
    new = object.__new__(PathState)
    new.__dict__.update(state.__dict__)
    new.__dict__.update(changes)
    return new


def apply(state: PathState, event: PathEvent, rules: Rules, check_limits: bool = True) -> PathState:
    """The state after ``event``; raises PathError when the event does not fit where the learner is."""
    return _apply(state, event.kind, event.at, event.data, rules, check_limits)


def _apply(
    state: PathState, kind: str, at: dt.datetime, data: Mapping[str, Any], rules: Rules, check_limits: bool
) -> PathState:
    changes: dict[str, Any]
    if kind == "acknowledged":
        _require(state, rules, Step.activity_info)
        profession, degree = data.get("profession"), data.get("degree")
        if not (isinstance(profession, str) and profession and isinstance(degree, str) and degree):
            raise PathError("Please choose your profession and your degree.")
        changes = {"acknowledged_at": at, "profession": profession, "degree": degree}
    elif kind == "pretest_started":
        _require(state, rules, Step.pre_test)
        if state.pretest != "not_started":
            raise PathError("The pre-test has already been started.")
        changes = {"pretest": "in_progress", "pretest_items": _items(data)}
    elif kind == "pretest_completed":
        _require(state, rules, Step.pre_test)
        if state.pretest != "in_progress":
            raise PathError("Start the pre-test before finishing it.")
        changes = {"pretest": "completed"}
    elif kind == "pretest_skipped":
        _require(state, rules, Step.pre_test)
        changes = {"pretest": "skipped"}
    elif kind == "core_path_finished":
        _require(state, rules, Step.modules)
        cases = data.get("cases")
        if not isinstance(cases, (list, tuple)) or not cases or not all(isinstance(c, str) for c in cases):
            raise PathError("The core path is finished when its cases are.")
        changes = {"modules_done": True}
    elif kind == "posttest_started":
        here = step(state, rules)
        capped = here is Step.closed or (here is Step.evaluation and not state.passed)
        if check_limits or not capped:  # a lowered cap does not undo a stored attempt
            _require(state, rules, Step.post_test)
        if state.current_attempt is not None:
            raise PathError(f"Attempt {state.current_attempt.number} is still open; finish it first.")
        number = len(state.attempts) + 1
        if data.get("attempt") != number:
            raise PathError(f"This would be attempt {number}.")
        if check_limits and number > rules.max_attempts:
            raise PathError(f"The post-test may be taken {rules.max_attempts} times; all attempts are used.")
        pass_mark = data.get("pass_mark")
        if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
            raise PathError("The pass mark must be announced (1-100%) before an attempt starts.")
        changes = {"attempts": state.attempts + (Attempt(number, _items(data), pass_mark),)}
    elif kind == "posttest_finished":
        _require(state, rules, Step.post_test)
        current = state.current_attempt
        if current is None:
            raise PathError("There is no post-test attempt to finish; start one first.")
        if data.get("attempt") != current.number:
            raise PathError(f"Attempt {current.number} is the one in progress.")
        value = data.get("percent")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise PathError("A finished attempt needs a score between 0 and 100%.")
        done = replace(current, percent=float(value), passed=value >= current.pass_mark)
        changes = {"attempts": state.attempts[:-1] + (done,)}
    elif kind == "evaluation_submitted":
        _require(state, rules, Step.evaluation)
        changes = {"evaluated": True}
    elif kind == "time_attested":
        _require(state, rules, Step.attestation)
        minutes, credit, name = data.get("minutes"), data.get("credit"), data.get("full_name")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise PathError("Please give the time you spent in whole minutes.")
        if not (isinstance(credit, str) and credit and isinstance(name, str) and name.strip()):
            raise PathError("An attestation needs your name and the credit it gives.")
        on_path = data.get("path_minutes")
        if on_path is not None and (
            isinstance(on_path, bool) or not isinstance(on_path, (int, float)) or not on_path >= 0
        ):
            raise PathError("The time on the path must be a number of minutes.")
        changes = {
            "attested_minutes": minutes,
            "credit": credit,
            "full_name": name,
            "completed_at": at,
            "path_minutes": None if on_path is None else float(on_path),
        }
    elif kind == "certificate_issued":
        _require(state, rules, Step.certificate)
        if state.certificate_id is not None:
            raise PathError("Your certificate was already issued; download it again instead.")
        if check_limits:
            today = at.date()
            if today > rules.termination_date:
                raise PathError(
                    f"This activity ended on {rules.termination_date.isoformat()}; no certificate can be "
                    "issued after its termination date."
                )
            if today < rules.release_date:
                raise PathError(
                    f"This activity opens on {rules.release_date.isoformat()}; certificates are issued from that date."
                )
        certificate_id = data.get("certificate_id")
        if not isinstance(certificate_id, str) or not certificate_id:
            raise PathError("A certificate needs an id.")
        changes = {"certificate_id": certificate_id}
    else:
        raise PathError(f"Unknown step {kind!r}.")
    changes["history"] = state.history + ((kind, at),)
    return _evolve(state, changes)


def replay(events: Iterable[PathEvent], rules: Rules) -> PathState:
    """Rebuild the state from stored events, oldest first (limits are not re-checked; see the module docstring)."""
    state = PathState()
    for event in events:
        state = replay_one(state, event, rules)
    return state


def replay_one(state: PathState, event: PathEvent, rules: Rules) -> PathState:
    """The state after one more stored event, as ``replay`` takes it: limits are not re-checked, and an event that
    does not fit leaves the state as it was (a racing duplicate from a second tab: the first event already counted).
    For a reader that walks every learner's events in one pass (the outcomes report)."""
    return replay_stored(state, event.kind, event.at, event.data, rules)


def replay_stored(state: PathState, kind: str, at: dt.datetime, data: Mapping[str, Any], rules: Rules) -> PathState:
    """``replay_one`` for an event given as the store's fields: the outcomes report replays every stored event (a
    million at a class of 100,000), where making each into a ``PathEvent`` first took a quarter of the replay."""
    try:
        return _apply(state, kind, at, data, rules, False)
    except PathError:
        return state


def chosen_profession(events: Iterable[tuple[str, Any, Mapping[str, Any]]]) -> str | None:
    """The profession the learner gave when acknowledging the activity information (the latest, if several), so
    the cases can point out the questions written for it; None before that step."""
    chosen = None
    for kind, _at, data in events:
        if kind == "acknowledged" and isinstance(data.get("profession"), str):
            chosen = data["profession"]
    return chosen
