"""The outcomes report's tables as the per-row algorithm of hnscc-edu at commit 5f768f2 (main, before issue 19
section 1) built them: the oracle of ``test_report_identical.py``.

How this file was made: the functions between "reading the store" and ``time_line``, and ``build``, are copied from
``hnscc_edu/export/report.py`` at 5f768f2 unchanged, and ``learners``/``summary`` from ``hnscc_edu/export/follow_up.py``
at the same commit, with three changes only: (1) the store is read by the plain queries at the top of this file (the
old ``Store.answer_rows``, ``CreditStore.event_rows``, ``first_evaluations``, ``evaluation_answer_rows``,
``follow_up_rows`` and ``attestation_rows``, rewritten as SQLAlchemy selects so they run on SQLite and PostgreSQL and
do not share code with the new reads); (2) ``build`` returns the tables as a dict instead of a ``ReportData``; (3)
the path is replayed with ``dataclasses.replace`` as at 5f768f2 (``replay_as_before``), not with the faster copy that
``rules.learner_path`` uses now. Everything is a Python loop over the stored rows: slow, and the reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from typing import Any, NamedTuple

import pandas as pd
from sqlalchemy import select

from hnscc_edu.content.course import CourseContent
from hnscc_edu.content.models import CourseInfo, MultipleSelect, SingleBestAnswer
from hnscc_edu.export import psychometrics
from hnscc_edu.export.follow_up import COLUMNS as FOLLOW_UP_COLUMNS
from hnscc_edu.export.follow_up import LearnerFollowUp
from hnscc_edu.rules import evaluation as evaluation_rules
from hnscc_edu.rules import learner_path
from hnscc_edu.rules.credit import attested_time_flagged
from hnscc_edu.rules.follow_up import OUTCOMES, committed, follow_up
from hnscc_edu.rules.learner_path import PathEvent, PathState, Rules, Step, replay, step
from hnscc_edu.store import Store
from hnscc_edu.store.database import utc
from hnscc_edu.store.schema import (
    attempts,
    attestations,
    evaluation_answers,
    evaluation_objectives,
    evaluations,
    path_events,
)
from hnscc_edu.store.schema import (
    follow_ups as follow_up_table,
)

EVALUATION_ITEM_COLUMNS = [
    "question",
    "objective",
    "text",
    "answer",
    "learners",
    "percent",
    "passed",
    "percent_of_passed",
    "not_passed",
    "percent_of_not_passed",
    "responses",
]
COMMENT_COLUMNS = ["about", "profession", "passed", "comment"]
MILESTONES = [
    ("acknowledged", "Acknowledged the activity information"),
    ("pretest_completed", "Completed the pre-test"),
    ("pretest_skipped", "Skipped the pre-test"),
    ("core_path_finished", "Finished every case of the core path"),
    ("posttest_attempted", "Finished at least one post-test attempt"),
    ("passed", "Passed the post-test"),
    ("attempts_used_up", "Used every attempt without a pass"),
    ("evaluated", "Submitted the evaluation"),
    ("attested", "Attested their time"),
    ("certified", "Received a certificate"),
]


# -- the reads of 5f768f2, as plain selects ------------------------------------------------------------------------
def _rows(store: Store, query) -> list[dict[str, Any]]:
    return store.transaction(lambda conn: [dict(row._mapping) for row in conn.execute(query)], write=False)


class CreditStore:
    """The reads of ``store/credit.py`` at 5f768f2 that the report used."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def event_rows(self) -> list[dict[str, Any]]:
        rows = _rows(self.store, select(path_events).order_by(path_events.c.id))
        return [dict(row, data=json.loads(row["data"]), at=utc(row["at"])) for row in rows]

    def first_evaluations(self) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        first: dict[str, dict[str, Any]] = {}
        for row in _rows(self.store, select(evaluations).order_by(evaluations.c.id)):
            first.setdefault(row["learner_id"], row)
        kept = {row["id"] for row in first.values()}
        objective_rows = _rows(self.store, select(evaluation_objectives).order_by(evaluation_objectives.c.id))
        return first, [r for r in objective_rows if r["evaluation_id"] in kept]

    def evaluation_answer_rows(self) -> list[dict[str, Any]]:
        return _rows(self.store, select(evaluation_answers).order_by(evaluation_answers.c.id))

    def follow_up_rows(self) -> list[dict[str, Any]]:
        return _rows(self.store, select(follow_up_table).order_by(follow_up_table.c.id))

    def attestation_rows(self) -> list[dict[str, Any]]:
        return _rows(self.store, select(attestations).order_by(attestations.c.id))


def answer_rows(store: Store) -> list[dict]:
    """``Store.answer_rows`` at 5f768f2: every stored answer, oldest first."""
    columns = (
        "id",
        "learner_id",
        "context",
        "context_id",
        "run",
        "item_id",
        "response",
        "score",
        "max_score",
        "correct",
    )
    return _rows(store, select(*(attempts.c[name] for name in columns)).order_by(attempts.c.id))


@contextmanager
def replay_as_before():
    """Replay with ``dataclasses.replace``, as ``rules.learner_path.apply`` did at 5f768f2 (one replace for the
    step's change and one for its history entry; the same fields, so one replace with both is the same value)."""
    faster = learner_path._evolve
    learner_path._evolve = lambda state, changes: dataclasses.replace(state, **changes)
    try:
        yield
    finally:
        learner_path._evolve = faster


# -- reading the store ---------------------------------------------------------------------------------------------
def _states(credit_store: CreditStore, rules: Rules) -> dict[str, PathState]:
    events: dict[str, list[PathEvent]] = defaultdict(list)
    for row in credit_store.event_rows():
        events[row["learner_id"]].append(PathEvent(row["event"], row["at"], row["data"]))
    return {learner: replay(learner_events, rules) for learner, learner_events in events.items()}


def _first_answers(rows: Iterable[dict]) -> dict[tuple, dict]:
    """The first stored answer per (learner, context, context_id, run, item): later racing duplicates do not count."""
    first: dict[tuple, dict] = {}
    for row in rows:
        key = (row["learner_id"], row["context"], row["context_id"], row["run"], row["item_id"])
        first.setdefault(key, row)
    return first


def _profession(state: PathState | None) -> str:
    return state.profession if state is not None and state.profession else "not registered"


# -- the figures' numbers ------------------------------------------------------------------------------------------
def _milestones(state: PathState, rules: Rules) -> dict[str, bool]:
    return {
        "acknowledged": state.acknowledged_at is not None,
        "pretest_completed": state.pretest == "completed",
        "pretest_skipped": state.pretest == "skipped",
        "core_path_finished": state.modules_done,
        "posttest_attempted": state.finished_attempts > 0,
        "passed": state.passed,
        "attempts_used_up": step(state, rules) is Step.closed,
        "evaluated": state.evaluated,
        "attested": state.attested_minutes is not None,
        "certified": state.certificate_id is not None,
    }


def _participation(states: dict[str, PathState], rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame]:
    flags = {learner: _milestones(state, rules) for learner, state in states.items()}
    registered = sum(1 for f in flags.values() if f["acknowledged"])
    overall = pd.DataFrame(
        [
            {
                "milestone": key,
                "description": text,
                "learners": sum(1 for f in flags.values() if f[key]),
                "percent_of_registered": _pct(sum(1 for f in flags.values() if f[key]), registered),
            }
            for key, text in MILESTONES
        ]
    )
    by_profession = []
    for profession in sorted({_profession(s) for s in states.values()}):
        members = [flags[learner] for learner, s in states.items() if _profession(s) == profession]
        row = {"profession": profession}
        row.update({key: sum(1 for f in members if f[key]) for key, _ in MILESTONES})
        by_profession.append(row)
    columns = ["profession"] + [key for key, _ in MILESTONES]
    return overall, pd.DataFrame(by_profession, columns=columns)


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2) if whole else float("nan")


def _paired_test(pre: list[float], post: list[float]) -> dict[str, float]:
    """Paired t-test of post against pre (scipy), with the mean change and its 95% confidence interval."""
    from scipy import stats

    n = len(pre)
    result = {
        "learners": n,
        "pre_percent": float("nan"),
        "post_percent": float("nan"),
        "mean_change": float("nan"),
        "ci95_low": float("nan"),
        "ci95_high": float("nan"),
        "t": float("nan"),
        "p_value": float("nan"),
    }
    if n == 0:
        return result
    diffs = [b - a for a, b in zip(pre, post, strict=True)]
    mean = sum(diffs) / n
    result.update(pre_percent=sum(pre) / n, post_percent=sum(post) / n, mean_change=mean)
    if n >= 2:
        sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
        if sd > 0:
            test = stats.ttest_rel(post, pre)
            half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
            result.update(
                t=float(test.statistic), p_value=float(test.pvalue), ci95_low=mean - half, ci95_high=mean + half
            )
    return result


def _prepost(
    content: CourseContent,
    states: dict[str, PathState],
    answers: dict[tuple, dict],
    pre_id: str | None,
    post_id: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per learner and objective: mean % correct on the pairs drawn in the first post-test attempt."""
    objectives = [o.id for o in content.info.objectives] if content.info else []
    post_bank = content.banks.get(post_id) if post_id else None
    pairs = {item.pairs_with: item for item in post_bank.items if item.pairs_with} if post_bank else {}
    per_learner: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for learner, state in states.items():
        if state.pretest != "completed" or not state.attempts or not state.attempts[0].finished:
            continue
        first = state.attempts[0]
        for pre_item, post_item in pairs.items():
            if post_item.id not in first.items:
                continue
            pre_row = answers.get((learner, "bank", pre_id, 1, pre_item))
            post_row = answers.get((learner, "bank", post_id, first.number, post_item.id))
            if pre_row is None or post_row is None:
                continue
            scores = per_learner.setdefault((learner, post_item.objective), ([], []))
            scores[0].append(100.0 * pre_row["score"] / pre_row["max_score"])
            scores[1].append(100.0 * post_row["score"] / post_row["max_score"])
    learner_means = {key: (sum(a) / len(a), sum(b) / len(b)) for key, (a, b) in per_learner.items()}

    def rows(group_of) -> list[dict]:
        grouped: dict[tuple, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
        for (learner, objective), (pre, post) in learner_means.items():
            key = group_of(learner) + (objective,)
            grouped[key][0].append(pre)
            grouped[key][1].append(post)
        return [
            dict(zip(("group", "objective"), (key[:-1], key[-1]), strict=True), **_paired_test(*grouped[key]))
            for key in sorted(grouped, key=lambda k: (k[:-1], objectives.index(k[-1]) if k[-1] in objectives else 99))
        ]

    by_objective = pd.DataFrame(
        [{k: v for k, v in r.items() if k != "group"} for r in rows(lambda _l: ())],
        columns=[
            "objective",
            "learners",
            "pre_percent",
            "post_percent",
            "mean_change",
            "ci95_low",
            "ci95_high",
            "t",
            "p_value",
        ],
    )
    by_profession = pd.DataFrame(
        [
            dict({"profession": r["group"][0]}, **{k: v for k, v in r.items() if k != "group"})
            for r in rows(lambda learner: (_profession(states.get(learner)),))
        ],
        columns=[
            "profession",
            "objective",
            "learners",
            "pre_percent",
            "post_percent",
            "mean_change",
            "ci95_low",
            "ci95_high",
            "t",
            "p_value",
        ],
    )
    return by_objective, by_profession, {"paired_learners": len({learner for learner, _ in learner_means})}


class ResponseSet(NamedTuple):
    """One learner's answers to one sitting: a completed pre-test or a first finished post-test attempt."""

    bank: str
    rows: dict[str, dict]  # item id -> answer row
    pass_mark: int | None  # the pass mark announced for a post-test attempt (None for the pre-test)


def _response_sets(
    states: dict[str, PathState], answers: dict[tuple, dict], pre_id: str | None, post_id: str | None
) -> list[ResponseSet]:
    """(bank id, {item id: answer row}, pass mark) per completed pre-test and per first finished post-test attempt."""
    sets: list[ResponseSet] = []
    for learner, state in states.items():
        if state.pretest == "completed" and pre_id:
            rows = {
                item: answers[(learner, "bank", pre_id, 1, item)]
                for item in state.pretest_items
                if (learner, "bank", pre_id, 1, item) in answers
            }
            sets.append(ResponseSet(pre_id, rows, None))
        if state.attempts and state.attempts[0].finished and post_id:
            first = state.attempts[0]
            rows = {
                item: answers[(learner, "bank", post_id, first.number, item)]
                for item in first.items
                if (learner, "bank", post_id, first.number, item) in answers
            }
            sets.append(ResponseSet(post_id, rows, first.pass_mark))
    return sets


def _point_biserial(xs: list[float], ys: list[float]) -> float:
    """Corrected point-biserial (scipy ``pearsonr`` of item score and rest score); NaN below 3 learners or when
    either is constant."""
    return psychometrics.point_biserial(xs, ys)


def _items(content: CourseContent, sets: list[ResponseSet]) -> tuple[pd.DataFrame, pd.DataFrame]:
    scores: dict[tuple[str, str], tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    chosen: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    responses: dict[tuple[str, str], int] = defaultdict(int)
    for bank_id, rows, _ in sets:
        fractions = {item: row["score"] / row["max_score"] for item, row in rows.items()}
        for item, row in rows.items():
            responses[(bank_id, item)] += 1
            others = [v for k, v in fractions.items() if k != item]
            if others:
                scores[(bank_id, item)][0].append(fractions[item])
                scores[(bank_id, item)][1].append(100.0 * sum(others) / len(others))
            response = json.loads(row["response"])
            for option in response if isinstance(response, list) else [response]:
                chosen[(bank_id, item)][str(option)] += 1
    item_rows, distractor_rows = [], []
    for bank in sorted(content.banks.values(), key=lambda b: (b.purpose != "pre", b.id)):
        if bank.purpose not in ("pre", "post"):
            continue
        for item in bank.items:
            item_scores, rest = scores.get((bank.id, item.id), ([], []))
            n = responses.get((bank.id, item.id), 0)
            item_rows.append(
                {
                    "bank": bank.id,
                    "item_id": item.id,
                    "objective": item.objective,
                    "pairs_with": item.pairs_with or "",
                    "responses": n,
                    "difficulty": sum(item_scores) / len(item_scores) if item_scores else float("nan"),
                    "discrimination": _point_biserial(item_scores, rest),
                }
            )
            if isinstance(item, (SingleBestAnswer, MultipleSelect)):
                counts = chosen.get((bank.id, item.id), {})
                for option in item.options:
                    count = counts.get(option.id, 0)
                    distractor_rows.append(
                        {
                            "bank": bank.id,
                            "item_id": item.id,
                            "option_id": option.id,
                            "option_text": option.text,
                            "correct": option.correct,
                            "chosen": count,
                            "percent_of_responses": _pct(count, n),
                        }
                    )
    return (
        pd.DataFrame(
            item_rows,
            columns=["bank", "item_id", "objective", "pairs_with", "responses", "difficulty", "discrimination"],
        ),
        pd.DataFrame(
            distractor_rows,
            columns=["bank", "item_id", "option_id", "option_text", "correct", "chosen", "percent_of_responses"],
        ),
    )


def _score_matrix(sets: list[ResponseSet], bank_id: str | None) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """For one bank: the learners x items table of points (one row per sitting, NaN for an item not in that sitting's
    form), each item's maximum, and the pass mark of each row that has one (post-test attempts)."""
    records = [
        (number, item, row["score"], row["max_score"])
        for number, response in enumerate(sets)
        if response.bank == bank_id
        for item, row in response.rows.items()
    ]
    frame = pd.DataFrame.from_records(records, columns=["sitting", "item", "score", "max_score"])
    points = frame.pivot(index="sitting", columns="item", values="score").astype(float)
    points.columns.name = None
    marks = pd.Series(
        {
            number: response.pass_mark
            for number, response in enumerate(sets)
            if response.bank == bank_id and response.pass_mark is not None
        },
        dtype=float,
    )
    return points, frame.groupby("item")["max_score"].max().astype(float), marks


def _psychometrics(
    sets: list[ResponseSet],
    pre_id: str | None,
    post_id: str | None,
    item_analysis: pd.DataFrame,
    distractors: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``reliability.csv``, ``decision_consistency.csv`` and ``item_flags.csv`` (``export/psychometrics.py``)."""
    reliability, decisions = [], []
    if pre_id:
        points, max_points, _ = _score_matrix(sets, pre_id)
        reliability += psychometrics.fixed_form_reliability(pre_id, points, max_points)
    if post_id:
        points, max_points, marks = _score_matrix(sets, post_id)
        reliability += psychometrics.random_form_reliability(post_id, points, max_points)
        decisions += psychometrics.decision_consistency(post_id, points, max_points, marks)
    return (
        pd.DataFrame(reliability, columns=psychometrics.RELIABILITY_COLUMNS),
        pd.DataFrame(decisions, columns=psychometrics.DECISION_COLUMNS),
        psychometrics.flag_items(item_analysis, distractors),
    )


def _concordance(
    content: CourseContent, states: dict[str, PathState], answers: dict[tuple, dict]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    first: dict[tuple[str, str, str], dict] = {}
    # ``answers`` is in stored order (``_first_answers`` keeps the store's id order), so the first kept is the first
    # given
    for (learner, context, case_id, _run, item_id), row in answers.items():
        if context == "case" and row["correct"] is not None:
            first.setdefault((learner, case_id, item_id), row)
    per_item: dict[tuple[str, str], list[dict]] = defaultdict(list)
    per_profession: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for (learner, case_id, item_id), row in first.items():
        per_item[(case_id, item_id)].append(row)
        per_profession[(case_id, _profession(states.get(learner)))].append(row)

    def summary(rows: list[dict]) -> dict:
        n = len(rows)
        concordant = sum(1 for r in rows if r["correct"])
        return {
            "answers": n,
            "concordant": concordant,
            "percent_concordant": _pct(concordant, n),
            "mean_percent_of_credit": _pct(sum(r["score"] / r["max_score"] for r in rows), n),
        }

    item_rows = []
    for case in sorted(content.cases.values(), key=lambda c: c.id):
        for item in case.items:
            if (case.id, item.id) in per_item:
                item_rows.append(
                    dict(
                        {"case_id": case.id, "item_id": item.id, "objective": item.objective},
                        **summary(per_item[(case.id, item.id)]),
                    )
                )
    profession_rows = [
        dict({"case_id": case_id, "profession": profession}, **summary(rows))
        for (case_id, profession), rows in sorted(per_profession.items())
    ]
    return (
        pd.DataFrame(
            item_rows,
            columns=[
                "case_id",
                "item_id",
                "objective",
                "answers",
                "concordant",
                "percent_concordant",
                "mean_percent_of_credit",
            ],
        ),
        pd.DataFrame(
            profession_rows,
            columns=["case_id", "profession", "answers", "concordant", "percent_concordant", "mean_percent_of_credit"],
        ),
    )


def _evaluation(
    content: CourseContent, first_evaluation: dict[str, dict], objective_rows: list[dict], states: dict[str, PathState]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for objective in content.info.objectives if content.info else []:
        answers = [r["met"] for r in objective_rows if r["objective_id"] == objective.id]
        n = len(answers)
        rows.append(
            {
                "question": "objective met",
                "objective": objective.id,
                "responses": n,
                "yes": answers.count("yes"),
                "partly": answers.count("partly"),
                "no": answers.count("no"),
                "percent_yes": _pct(answers.count("yes"), n),
                "percent_partly": _pct(answers.count("partly"), n),
                "percent_no": _pct(answers.count("no"), n),
            }
        )
    bias = [row["free_of_bias"] for row in first_evaluation.values()]
    rows.append(
        {
            "question": "free of commercial bias",
            "objective": "",
            "responses": len(bias),
            "yes": sum(1 for b in bias if b),
            "partly": 0,
            "no": sum(1 for b in bias if not b),
            "percent_yes": _pct(sum(1 for b in bias if b), len(bias)),
            "percent_partly": 0.0 if bias else float("nan"),
            "percent_no": _pct(sum(1 for b in bias if not b), len(bias)),
        }
    )
    commitments = [
        {
            "objective": r["objective_id"],
            "profession": _profession(states.get(r["learner_id"])),
            "commitment": r["commitment"],
        }
        for r in objective_rows
        if r["commitment"]
    ]
    return pd.DataFrame(rows), pd.DataFrame(commitments, columns=["objective", "profession", "commitment"])


def _evaluation_items(
    content: CourseContent,
    credit_store: CreditStore,
    first: dict[str, dict],
    objective_rows: list[dict],
    states: dict[str, PathState],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``evaluation_items.csv`` and ``evaluation_comments.csv``: each learner's first evaluation, item by item."""
    kept = {row["id"]: learner for learner, row in first.items()}
    passed = {learner: bool(states[learner].passed) if learner in states else False for learner in first}
    chosen: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # (question, objective, choice) -> learners
    for row in credit_store.evaluation_answer_rows():
        if row["evaluation_id"] in kept:
            chosen[(row["question"], "", row["choice"])].append(kept[row["evaluation_id"]])
    for row in objective_rows:
        if row.get("intent"):
            chosen[("intent to change", row["objective_id"], row["intent"])].append(kept[row["evaluation_id"]])
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (question, objective, _), learners in chosen.items():
        answered[(question, objective)].update(learners)
    texts = {q.id: q.text for q in evaluation_rules.QUESTIONS}
    questions = [(q.id, "", q.choices) for q in evaluation_rules.QUESTIONS]
    questions += [
        ("intent to change", o.id, evaluation_rules.INTENT_CHOICES)
        for o in (content.info.objectives if content.info else [])
    ]
    rows = []
    for question, objective, choices in questions:
        who = answered[(question, objective)]
        n_passed = sum(1 for learner in who if passed[learner])
        for choice in choices:
            learners = chosen.get((question, objective, choice), [])
            yes = sum(1 for learner in learners if passed[learner])
            rows.append(
                {
                    "question": question,
                    "objective": objective,
                    "text": texts.get(question, "Will you change your practice?"),
                    "answer": choice,
                    "learners": len(learners),
                    "percent": _pct(len(learners), len(who)),
                    "passed": yes,
                    "percent_of_passed": _pct(yes, n_passed),
                    "not_passed": len(learners) - yes,
                    "percent_of_not_passed": _pct(len(learners) - yes, len(who) - n_passed),
                    "responses": len(who),
                }
            )
    comments = []
    for learner, row in first.items():
        for about, key in (("commercial bias", "bias_comment"), ("barriers", "barrier_comment")):
            if row.get(key):
                comments.append(
                    {
                        "about": about,
                        "profession": _profession(states.get(learner)),
                        "passed": passed[learner],
                        "comment": row[key],
                    }
                )
    comments.sort(key=lambda c: (c["about"], c["profession"], c["comment"]))  # no order that hints at who wrote it
    return pd.DataFrame(rows, columns=EVALUATION_ITEM_COLUMNS), pd.DataFrame(comments, columns=COMMENT_COLUMNS)


def _attestation_time(states: dict[str, PathState]) -> pd.DataFrame:
    """Attested minutes against the time on the path, per learner who attested, with the flag (``TIME_RULE``)."""
    rows = []
    for learner, state in sorted(states.items()):
        if state.attested_minutes is None:
            continue
        recorded = state.path_minutes is not None
        on_path = state.path_minutes
        if on_path is None and state.history and state.completed_at is not None:
            on_path = round((state.completed_at - state.history[0][1]).total_seconds() / 60, 1)
        rows.append(
            {
                "learner_id": learner,
                "profession": _profession(state),
                "attested_minutes": state.attested_minutes,
                "path_minutes": on_path,
                "recorded_by_service": recorded,
                "flagged": attested_time_flagged(state.attested_minutes, on_path),
            }
        )
    return pd.DataFrame(
        rows, columns=["learner_id", "profession", "attested_minutes", "path_minutes", "recorded_by_service", "flagged"]
    )


def build(content: CourseContent, store: Store, today: dt.date | None = None) -> dict:
    """Every table of the report, from the store and the course content (``today``: for the follow-ups due)."""
    if content.info is None:
        raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
    rules = Rules.from_course(content.info)
    credit_store = CreditStore(store)
    states = _states(credit_store, rules)
    answers = _first_answers(answer_rows(store))
    pre = next((b.id for b in content.banks.values() if b.purpose == "pre"), None)
    post = next((b.id for b in content.banks.values() if b.purpose == "post"), None)
    participation, participation_by_profession = _participation(states, rules)
    by_objective, by_profession, paired = _prepost(content, states, answers, pre, post)
    sets = _response_sets(states, answers, pre, post)
    item_analysis, distractors = _items(content, sets)
    reliability, decisions, item_flags = _psychometrics(sets, pre, post, item_analysis, distractors)
    concordance, concordance_by_profession = _concordance(content, states, answers)
    first_evaluations = credit_store.first_evaluations()  # read once, for the three tables built on it
    evaluation, commitments = _evaluation(content, *first_evaluations, states)
    evaluation_items, evaluation_comments = _evaluation_items(content, credit_store, *first_evaluations, states)
    follow_up, follow_up_comments = follow_up_summary(store, content.info, today or dt.date.today(), first_evaluations)
    if follow_up_comments:
        extra = pd.DataFrame(
            [
                {
                    "about": "follow-up barriers",
                    "profession": _profession(states.get(c["learner_id"])),
                    "passed": bool(states[c["learner_id"]].passed) if c["learner_id"] in states else False,
                    "comment": c["comment"],
                }
                for c in follow_up_comments
            ],
            columns=COMMENT_COLUMNS,
        )
        evaluation_comments = pd.concat([evaluation_comments, extra], ignore_index=True).sort_values(
            ["about", "profession", "comment"], ignore_index=True
        )
    attestation_time = _attestation_time(states)
    summary_line = {
        "learners": len(states),
        "registered": int(participation.loc[0, "learners"]),
        "certificates": sum(1 for s in states.values() if s.certificate_id),
        **paired,
        "attested": len(attestation_time),
        "time_flagged": int(attestation_time["flagged"].sum()) if not attestation_time.empty else 0,
        "items_flagged": int((item_flags["flags"] != "").sum()),
    }
    return {
        "participation": participation,
        "participation_by_profession": participation_by_profession,
        "prepost_by_objective": by_objective,
        "prepost_by_profession": by_profession,
        "item_analysis": item_analysis,
        "distractors": distractors,
        "case_concordance": concordance,
        "case_concordance_by_profession": concordance_by_profession,
        "evaluation_summary": evaluation,
        "commitments": commitments,
        "attestation_time": attestation_time,
        "reliability": reliability,
        "decision_consistency": decisions,
        "item_flags": item_flags,
        "evaluation_items": evaluation_items,
        "evaluation_comments": evaluation_comments,
        "follow_up": follow_up,
        "summary": summary_line,
    }


# -- export/follow_up.py at 5f768f2 ----------------------------------------------------------------------------
def learners(store: Store, today: dt.date, evaluations: tuple[dict, list] | None = None) -> list[LearnerFollowUp]:
    """Every learner who committed to a change in their first evaluation, with where their follow-up stands
    (``evaluations``: ``CreditStore.first_evaluations()`` when the caller has read it already)."""
    credit = CreditStore(store)
    first, objective_rows = evaluations or credit.first_evaluations()
    intents: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for row in objective_rows:
        intents[row["learner_id"]].append((row["objective_id"], row.get("intent")))
    answered = {row["learner_id"] for row in credit.follow_up_rows()}
    names = {row["learner_id"]: row["full_name"] for row in credit.attestation_rows()}
    out = []
    for learner, row in sorted(first.items()):
        objectives = committed(intents[learner])
        if objectives:
            day = row["submitted_at"].date()
            out.append(
                LearnerFollowUp(
                    learner, names.get(learner), day, follow_up(day, objectives, learner in answered, today)
                )
            )
    return out


def follow_up_summary(
    store: Store, info: CourseInfo, today: dt.date, evaluations: tuple[dict, list] | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    """``follow_up.csv`` (per objective: committed, asked so far, answered, each outcome) and the barrier comments,
    with the learner's id for the caller to turn into a profession (never printed)."""
    people = learners(store, today, evaluations)
    rows = CreditStore(store).follow_up_rows()
    outcomes: dict[str, list[str]] = defaultdict(list)
    comments: dict[str, str] = {}
    for row in rows:
        outcomes[row["objective_id"]].append(row["outcome"])
        if row.get("barriers"):
            comments[row["learner_id"]] = row["barriers"]
    table = []
    for objective in info.objectives:
        committed = [p for p in people if objective.id in p.state.objectives]
        asked = [p for p in committed if p.state.status in ("due", "late", "answered")]
        said = outcomes.get(objective.id, [])
        made = said.count(OUTCOMES[0])
        table.append(
            {
                "objective": objective.id,
                "committed": len(committed),
                "asked": len(asked),
                "answered": len(said),
                **{o.replace(" ", "_"): said.count(o) for o in OUTCOMES},
                "percent_made_the_change": round(100 * made / len(said), 1) if said else float("nan"),
            }
        )
    return pd.DataFrame(table, columns=FOLLOW_UP_COLUMNS), [
        {"learner_id": learner, "comment": text} for learner, text in comments.items()
    ]
