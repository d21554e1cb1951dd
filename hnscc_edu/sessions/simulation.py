"""A synthetic cohort for demos, tests and benchmarks: learners of every profession walk the real path.

Every learner goes through ``LearnerPath`` and ``CaseSession`` (the code real learners use), so the store holds
exactly what real use would write. Answers come from a simple model: the chance of the keyed answer rises with the
learner's ability and, after the modules, with what they learnt; wrong answers favour one plausible distractor.
The simulated clock walks from the activity's release date, so certificates fall inside its dates.

Everything is seeded: the same seed gives the same cohort. Synthetic learner ids start with a prefix (``sim-``) and
every free text is marked "[synthetic]", so simulated data is never mistaken for real learners.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from ..content.course import CourseContent
from ..content.models import (
    SCT_POINTS,
    FreeText,
    KeyFeature,
    MultipleSelect,
    Numeric,
    Ordering,
    ScriptConcordance,
    SingleBestAnswer,
)
from ..rules import evaluation
from ..rules.assessment import seeded
from ..rules.grading import InvalidResponse
from ..rules.signing import Signer
from ..store import Store
from ..store.credit import CreditStore
from .case_session import CaseSession
from .credit_session import LearnerPath

# Who takes the course (relative weights), and the degrees each profession holds.
PROFESSION_WEIGHTS = {
    "radiation_oncologist": 22,
    "medical_oncologist": 14,
    "surgeon": 10,
    "radiologist": 4,
    "pathologist": 3,
    "medical_physicist": 8,
    "dosimetrist": 6,
    "nurse": 14,
    "speech_language_pathologist": 4,
    "dentist": 3,
    "trainee": 12,
}
DEGREES = {
    "radiation_oncologist": {"MD": 8, "DO": 1, "MBBS": 1},
    "medical_oncologist": {"MD": 8, "DO": 1, "MBBS": 1},
    "surgeon": {"MD": 8, "DO": 1, "MBBS": 1},
    "radiologist": {"MD": 9, "DO": 1},
    "pathologist": {"MD": 9, "DO": 1},
    "medical_physicist": {"PhD": 6, "MSc": 4},
    "dosimetrist": {"MSc": 3, "Other": 7},
    "nurse": {"RN": 7, "NP": 3},
    "speech_language_pathologist": {"MSc": 8, "Other": 2},
    "dentist": {"DDS": 6, "DMD": 4},
    "trainee": {"MD": 6, "DO": 1, "PhD": 2, "MSc": 1},
}
CASE_SHARE = 0.6  # the chance that a learner works through a given case
COMMITMENTS = {
    "lo1-reirradiation": [
        "[synthetic] Record the MIRI class and the interval in every re-irradiation referral.",
        "[synthetic] Write the recovery assumption next to every cumulative dose.",
    ],
    "lo2-salvage": [
        "[synthetic] Ask for a surgical opinion before re-irradiation is planned.",
        "[synthetic] Re-stage with RECIST after chemo-immunotherapy before the tumour board.",
    ],
    "lo3-systemic": [
        "[synthetic] Document the CPS, the assay and the specimen before first-line treatment.",
        "[synthetic] Offer a clinical trial after progression on immunotherapy.",
    ],
}


class SimulatedClock:
    """A clock the simulation moves forward; ``LearnerPath`` reads it for every step."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@dataclass
class CohortSummary:
    learners: int
    outcomes: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        parts = ", ".join(f"{count} {what}" for what, count in sorted(self.outcomes.items()))
        return f"{self.learners} synthetic learners: {parts}."


def _weighted(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _p_correct(ability: float, item_id: str, boost: float) -> float:
    """Chance of the keyed answer: a logistic model with an item difficulty taken from the item's id (fixed)."""
    difficulty = seeded("difficulty", item_id).uniform(-1.2, 1.2)
    return 1 / (1 + math.exp(-(ability + boost - difficulty)))


def _response(item, rng, correct: bool) -> object:
    """A response to any item type: the key when ``correct``, else a plausible error."""
    if isinstance(item, SingleBestAnswer):
        if correct:
            return next(o.id for o in item.options if o.correct)
        wrong = [o.id for o in item.options if not o.correct]
        return rng.choices(wrong, weights=[3] + [1] * (len(wrong) - 1))[0]  # one distractor draws most errors
    if isinstance(item, (MultipleSelect, KeyFeature)):
        keys = [o.id for o in item.options if o.correct]
        if correct:
            return sorted(keys)
        others = [o.id for o in item.options if not o.correct]
        answer = set(keys[:-1]) | ({rng.choice(others)} if others else set())
        return sorted(answer or {item.options[0].id})
    if isinstance(item, Numeric):
        value = item.answer.value
        return f"{value:g}" if correct else f"{value * 1.5 + 1:g}"
    if isinstance(item, ScriptConcordance):
        modal = SCT_POINTS[item.panel.counts.index(max(item.panel.counts))]
        return modal if correct else rng.choice([p for p in SCT_POINTS if p != modal])
    if isinstance(item, Ordering):
        steps = [step.id for step in item.steps]
        return steps if correct else steps[::-1]
    if isinstance(item, FreeText):
        return " ".join(["[synthetic]", "reflection"] + ["words"] * max(0, item.min_words))
    raise TypeError(f"the simulation cannot answer {type(item).__name__} items yet")


def _answer(submit, item, rng, correct: bool) -> None:
    """Submit a response; an error the grader refuses as malformed is replaced by the key (learners retry)."""
    try:
        submit(item.id, _response(item, rng, correct))
    except InvalidResponse:
        submit(item.id, _response(item, rng, True))


def _take_test(path: LearnerPath, rng, ability: float, boost: float, clock: SimulatedClock) -> None:
    for item in path.test_items():
        _answer(path.answer, item, rng, rng.random() < _p_correct(ability, item.id, boost))
        clock.advance(rng.uniform(0.5, 2))
    path.finish_test()


def _walk_case(case, store: Store, learner: str, rng, ability: float) -> None:
    """Answer a case along whatever path the answers take (``rng`` is the case's own, see below)."""
    session = CaseSession(case, store, learner)
    for _ in range(100):
        if session.state.completed:
            return
        for item in session.stage.items:
            if session.result(item.id) is None:
                _answer(session.submit, item, rng, rng.random() < _p_correct(ability, item.id, 0.4))
        session.advance()


def simulate_cohort(
    content: CourseContent,
    store: Store,
    learners: int,
    seed: int = 2026,
    prefix: str = "sim",
    signer: Signer | None = None,
) -> CohortSummary:
    """Add ``learners`` synthetic learners to ``store``; refuses when learners with this prefix already exist.

    Certificates are signed with ``signer`` (default: the provider's key, read from its folder when the first one is
    issued); a demo in a throw-away store passes a throw-away key (``Signer.generate()``)."""
    if content.info is None:
        raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
    if learners < 1:
        raise ValueError("the number of learners must be at least 1")
    existing = [learner for learner in CreditStore(store).learner_ids() if learner.startswith(f"{prefix}-")]
    if existing:
        raise ValueError(
            f"the store already holds {len(existing)} simulated learners named '{prefix}-...'; "
            "choose another --prefix or another store"
        )
    info = content.info
    window = max(1, min(270, (info.termination_date - info.release_date).days - 7))
    summary = CohortSummary(learners)
    for number in range(1, learners + 1):
        learner = f"{prefix}-{number:05d}"
        rng = seeded("cohort", seed, number)
        start = dt.datetime.combine(info.release_date, dt.time(8), dt.UTC)
        clock = SimulatedClock(start + dt.timedelta(days=rng.randrange(window), minutes=rng.randrange(600)))
        ability = rng.gauss(0, 1)
        profession = _weighted(rng, PROFESSION_WEIGHTS)
        path = LearnerPath(content, store, learner, clock=clock, signer=signer)
        path.acknowledge(profession, _weighted(rng, DEGREES[profession]))
        clock.advance(5)
        if rng.random() < 0.8 and path.pre_bank is not None:
            path.start_pretest()
            _take_test(path, rng, ability, -0.6, clock)
        else:
            path.skip_pretest()
        if rng.random() < 0.1:
            summary.outcomes["stopped before the modules"] += 1
            continue
        core = set(path.core_case_ids)
        for case in sorted(content.cases.values(), key=lambda c: c.id):
            # Each case draws from its own seeded stream, so adding a case leaves the rest of the cohort unchanged;
            # every learner who goes on finishes the core path (the post-test waits for it), and, like real
            # learners, works through some of the other cases.
            case_rng = seeded("case", seed, number, case.id)
            if case_rng.random() < CASE_SHARE or case.id in core:
                _walk_case(case, store, learner, case_rng, ability)
        clock.advance(rng.uniform(20, 50))
        path.refresh()  # the session records that the core path is finished
        if rng.random() < 0.08:
            summary.outcomes["stopped before the post-test"] += 1
            continue
        boost = 1.5  # what the modules taught
        while True:
            path.start_posttest()
            _take_test(path, rng, ability, boost, clock)
            if path.state.passed or path.attempts_left == 0 or rng.random() < 0.15:
                break
            boost += 0.4  # the feedback of a failed attempt teaches something
            clock.advance(rng.uniform(30, 600))
        if not path.state.passed and path.attempts_left > 0:
            summary.outcomes["did not pass"] += 1  # stopped before using every attempt
            continue
        clock.advance(2)
        _evaluate(path, info, rng)  # asked of everyone who finishes, pass or not
        if not path.state.passed:
            summary.outcomes["did not pass"] += 1
            continue
        if rng.random() < 0.05:
            summary.outcomes["stopped before attesting"] += 1
            continue
        minutes = int(min(150, max(15, rng.gauss(58, 15))))
        path.attest(f"Synthetic Learner {number}", minutes, True)
        if rng.random() < 0.9:
            path.certificate()
            summary.outcomes["certified"] += 1
        else:
            summary.outcomes["attested without a certificate yet"] += 1
    return summary


def _evaluate(path: LearnerPath, info, rng) -> None:
    """A synthetic learner's evaluation: mostly positive, some neutral, rare barriers and bias concerns."""
    met = {o.id: _weighted(rng, {"yes": 15, "partly": 4, "no": 1}) for o in info.objectives}
    intents = {
        o.id: _weighted(rng, {"will change": 6, "already do this": 3, "no change planned": 1}) for o in info.objectives
    }
    commitments = {
        o.id: rng.choice(COMMITMENTS.get(o.id, ["[synthetic] Apply the module."]))
        for o in info.objectives
        if intents[o.id] == "will change" and rng.random() < 0.6
    }
    answers: dict[str, object] = {
        q.id: _weighted(rng, dict(zip(q.choices, (8, 10, 3, 1, 1) if len(q.choices) == 5 else (2, 6, 2), strict=False)))
        for q in evaluation.QUESTIONS
        if not q.many
    }
    barriers = [b for b in evaluation.BARRIERS[1:-1] if rng.random() < 0.15]
    answers["barriers"] = barriers or ["none"]
    free = rng.random() < 0.95
    path.submit_evaluation(
        met,
        commitments,
        free,
        None if free else "[synthetic] One trial felt over-emphasised.",
        intents=intents,
        answers=answers,
    )
