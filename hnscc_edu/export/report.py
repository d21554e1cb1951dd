"""The course director's outcomes report: CSV files and one HTML page with plotly figures (Moore's levels 1-5).

What each figure counts:

- **Participation** (level 1): learners who reached each requirement of the path, from their stored events.
- **Pre/post on paired items** (level 3): learners who completed the pre-test and finished a post-test attempt. Each
  post-test item with ``pairs_with`` is the twin of a pre-test item; for every pair drawn in the learner's *first*
  post-test attempt (what the modules taught, before any retake), the pre-test score and the post-test score of the
  pair count. Per learner and objective: mean % correct before and after; across learners a paired t-test
  (scipy ``ttest_rel``) with the mean change and its 95% confidence interval. Per profession likewise.
- **Item analysis**: difficulty (mean score, 0-1) and discrimination (point-biserial correlation of the item's score
  with the learner's % correct on the *other* items of the same test) over completed pre-tests and first post-test
  attempts; **distractors**: how often each option was chosen in those same answers.
- **Case decision concordance** (level 4): each learner's first answer to each scored case question, against the
  faculty key (% fully concordant, mean % of credit).
- **Evaluation** (level 2) per objective and on commercial bias; **the evaluation item by item**
  (``evaluation_items.csv``: every question of ``rules/evaluation.py`` and the intent to change per objective, with
  how many learners chose each answer, split by whether they passed; the first evaluation of each learner, who is
  asked pass or not); **comments** on commercial bias and on barriers (``evaluation_comments.csv``, without the
  learner's id); **the follow-up** of commitments 60-90 days after the evaluation (``follow_up.csv``: per objective,
  learners who committed, asked so far, answered, and what they report: Moore level 5, self-reported performance);
  **commitments to change** (an *intent* at the end of the activity, not a change made), without the
  learner's id.
- **Attested time** (``attestation_time.csv``): per learner who attested, the minutes attested and the time on the
  path that the course service recorded at the attestation (from the learner's first recorded step, the
  acknowledgement, to the attestation; for an attestation recorded before the service kept it, the same span from
  the stored events). An attestation is **flagged** when it is more than 1.5 times the time on the path and more
  than 15 minutes above it: the director follows it up (a learner may have studied the references offline).
- **Reliability** (``reliability.csv``, ``export/psychometrics.py``): for the pre-test, one fixed form, KR-20 (Kuder
  & Richardson 1937) over the learners who completed it, or Cronbach's alpha (1951) if its items carry partial credit,
  with Feldt's (1965) 95% confidence interval and the standard error of measurement SEM = SD x sqrt(1 - r) (SD and
  every variance with divisor N). The post-test draws each learner's items, so each first attempt is a different
  form of the bank and no single form has a KR-20. A form gets its own KR-20 only when 30 or more learners took
  exactly that form; the post-test row over every first attempt is **KR-21 on the number-correct totals, a lower
  bound, not the reliability of a form** (column ``lower_bound``): KR-21 is below KR-20 whenever items differ in
  difficulty, and with random forms it counts those differences, and so the differences between forms, as error
  (Lord's binomial error model); its SEM is correspondingly an upper bound.
- **Pass/fail decision consistency** (``decision_consistency.csv``): Subkoviak's (1976) single-administration
  agreement coefficient p0 for the pass mark of the first post-test attempts: each learner's true proportion correct
  is estimated by Kelley's regression with KR-21, the chance of passing a parallel form from the binomial
  distribution (scipy ``binom``), and p0 is the mean chance of the same decision on two parallel forms; kappa
  corrects p0 for chance agreement. The pre-test has no pass mark, so it has no such index.
- **Item flags** (``item_flags.csv``; the item and distractor tables above are unchanged): "too hard" (difficulty
  below 0.2), "too easy" (above 0.9), "low discrimination" (below 0.2), "distractor never chosen" (an option that is
  not a key and that no learner chose in those answers) and "distractor chosen more than the key" (with several
  keys: more than the least-chosen key), from the difficulty, discrimination and distractor counts above. Flags ask
  the faculty to look at an item; on few responses they are noisy (the ``responses`` column says how many). On the
  pre-test, taken before the teaching, a distractor that beats the key may mark a misconception the course sets out
  to correct rather than a faulty item.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from markupsafe import Markup

from .. import __version__, templating
from ..content.course import CourseContent
from ..content.models import MultipleSelect, Profession, SingleBestAnswer
from ..figure_style import COURSE_TEMPLATE, count_axis
from ..rules import evaluation as evaluation_rules
from ..rules.credit import ATTESTED_MARGIN_MINUTES, ATTESTED_RATIO, attested_time_flagged
from ..rules.learner_path import PathEvent, PathState, Rules, Step, replay, step
from ..store import Store
from ..store.credit import CreditStore
from . import follow_up as follow_ups
from . import psychometrics

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
CSV_FILES = (
    "participation.csv",
    "participation_by_profession.csv",
    "prepost_by_objective.csv",
    "prepost_by_profession.csv",
    "item_analysis.csv",
    "distractors.csv",
    "case_concordance.csv",
    "case_concordance_by_profession.csv",
    "evaluation_summary.csv",
    "commitments.csv",
    "attestation_time.csv",
    "reliability.csv",
    "decision_consistency.csv",
    "item_flags.csv",
    "evaluation_items.csv",
    "evaluation_comments.csv",
    "follow_up.csv",
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
TIME_RULE = (
    f"more than {ATTESTED_RATIO:g} times the time on the path and more than {ATTESTED_MARGIN_MINUTES} minutes above it"
)


@dataclass
class ReportData:
    participation: pd.DataFrame
    participation_by_profession: pd.DataFrame
    prepost_by_objective: pd.DataFrame
    prepost_by_profession: pd.DataFrame
    item_analysis: pd.DataFrame
    distractors: pd.DataFrame
    case_concordance: pd.DataFrame
    case_concordance_by_profession: pd.DataFrame
    evaluation_summary: pd.DataFrame
    commitments: pd.DataFrame
    attestation_time: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: dict = field(default_factory=dict)
    reliability: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=psychometrics.RELIABILITY_COLUMNS))
    decision_consistency: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=psychometrics.DECISION_COLUMNS)
    )
    item_flags: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=psychometrics.FLAG_COLUMNS))
    evaluation_items: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVALUATION_ITEM_COLUMNS))
    evaluation_comments: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COMMENT_COLUMNS))
    follow_up: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=follow_ups.COLUMNS))

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name.removesuffix(".csv")) for name in CSV_FILES}

    def as_json(self) -> dict:
        """Every table (pandas' "table" JSON: the data with its column types) and the summary: what the hub's course
        server sends a course director's kernel, which holds no store (``from_json`` reads it back)."""
        tables = {
            f.name: json.loads(getattr(self, f.name).to_json(orient="table", date_format="iso"))
            for f in fields(self)
            if f.name != "summary"
        }
        return {"tables": tables, "summary": dict(self.summary)}

    @classmethod
    def from_json(cls, data: dict) -> ReportData:
        """The report ``as_json`` wrote (ValueError when a table is missing or not one)."""
        tables = data.get("tables") if isinstance(data, dict) else None
        if not isinstance(tables, dict):
            raise ValueError("the report from the course server has no tables")
        frames = {}
        for f in fields(cls):
            if f.name == "summary":
                continue
            if f.name not in tables:
                raise ValueError(f"the report from the course server has no table {f.name!r}")
            frames[f.name] = pd.read_json(io.StringIO(json.dumps(tables[f.name])), orient="table")
        return cls(**frames, summary=dict(data.get("summary") or {}))


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


def _label(profession: str) -> str:
    try:
        return Profession(profession).label
    except ValueError:
        return profession


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


def time_line(data: ReportData) -> str:
    """The report's one line on attested time."""
    frame = data.attestation_time
    flagged = int(frame["flagged"].sum()) if not frame.empty else 0
    return (
        f"Attested time: {flagged} of {len(frame)} attestations flagged as far above the time on the path "
        f"({TIME_RULE}); see attestation_time.csv."
    )


def psychometrics_line(data: ReportData) -> str:
    """The report's lines on reliability, decision consistency and item flags (a lower bound is called one)."""
    parts = []
    rows = data.reliability
    forms = rows[rows["form"].astype(str).str.startswith("one form")] if not rows.empty else rows
    for r in rows.itertuples():
        if r.Index in forms.index:
            continue
        where = f"{r.bank}" + ("" if r.form == "fixed form" else f" ({r.form})")
        if pd.isna(r.value):
            parts.append(f"{where}: {r.statistic} {r.note}")
        elif r.lower_bound:
            parts.append(
                f"{where}: {r.statistic} = {r.value:.2f}, a lower bound, not the reliability of a form "
                f"({r.learners} learners)"
            )
        else:
            interval = "" if pd.isna(r.ci95_low) else f", 95% CI {r.ci95_low:.2f} to {r.ci95_high:.2f}"
            sem = "" if pd.isna(r.sem_percent) else f", SEM {r.sem_percent:.1f} percentage points"
            parts.append(
                f"{where}: {r.statistic} = {r.value:.2f} ({r.learners} learners, {r.items} items{interval}{sem})"
            )
    if len(forms):
        parts.append(f"{len(forms)} post-test forms taken by enough learners have their own coefficient")
    line = "Reliability: " + ("; ".join(parts) if parts else "no pre- or post-test") + "."
    for r in data.decision_consistency.itertuples():
        if pd.isna(r.agreement_p0):
            line += f" Pass/fail decision consistency ({r.bank}): {r.note}."
        else:
            kappa = "not computable" if pd.isna(r.kappa) else f"{r.kappa:.2f}"
            line += (
                f" Pass/fail decision consistency at {r.pass_mark:g}% ({r.bank}, first attempts, Subkoviak): "
                f"agreement {r.agreement_p0:.2f}, kappa {kappa} ({r.learners} learners)."
            )
    flagged = data.summary.get("items_flagged", 0)
    return (
        line + f" Item flags: {flagged} of {len(data.item_flags)} items flagged. See reliability.csv, "
        "decision_consistency.csv and item_flags.csv."
    )


def build(content: CourseContent, store: Store, today: dt.date | None = None) -> ReportData:
    """Every table of the report, from the store and the course content (``today``: for the follow-ups due)."""
    if content.info is None:
        raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
    rules = Rules.from_course(content.info)
    credit_store = CreditStore(store)
    states = _states(credit_store, rules)
    answers = _first_answers(store.answer_rows())
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
    follow_up, follow_up_comments = follow_ups.summary(store, content.info, today or dt.date.today(), first_evaluations)
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
    summary = {
        "learners": len(states),
        "registered": int(participation.loc[0, "learners"]),
        "certificates": sum(1 for s in states.values() if s.certificate_id),
        **paired,
        "attested": len(attestation_time),
        "time_flagged": int(attestation_time["flagged"].sum()) if not attestation_time.empty else 0,
        "items_flagged": int((item_flags["flags"] != "").sum()),
    }
    return ReportData(
        participation,
        participation_by_profession,
        by_objective,
        by_profession,
        item_analysis,
        distractors,
        concordance,
        concordance_by_profession,
        evaluation,
        commitments,
        attestation_time,
        summary,
        reliability=reliability,
        decision_consistency=decisions,
        item_flags=item_flags,
        evaluation_items=evaluation_items,
        evaluation_comments=evaluation_comments,
        follow_up=follow_up,
    )


# -- writing -------------------------------------------------------------------------------------------------------
def figures(data: ReportData, content: CourseContent) -> list[tuple[str, str, object, pd.DataFrame]]:
    """(id, title, plotly figure, the data table it shows) per figure; each gets a text alternative in the page."""
    import plotly.graph_objects as go

    objective_text = {o.id: f"Objective {o.module}" for o in (content.info.objectives if content.info else [])}
    out = []
    p = data.participation
    out.append(
        (
            "participation",
            "Participation: learners reaching each requirement",
            go.Figure(
                go.Bar(x=p["learners"], y=p["description"], orientation="h", text=p["learners"], textposition="auto"),
                layout={
                    "yaxis": {"autorange": "reversed"},
                    "xaxis": count_axis(max(p["learners"], default=0), "Learners"),
                },
            ),
            p,
        )
    )
    po = data.prepost_by_objective
    labels = [objective_text.get(o, o) for o in po["objective"]]
    fig = go.Figure(
        [
            go.Bar(name="Pre-test", x=labels, y=po["pre_percent"]),
            go.Bar(name="Post-test (first attempt)", x=labels, y=po["post_percent"]),
        ]
    )
    fig.update_layout(barmode="group", yaxis_title="% correct on paired items", yaxis_range=[0, 100])
    out.append(("prepost", "Pre/post % correct per objective on paired items", fig, po))
    pp = data.prepost_by_profession
    if not pp.empty:
        pivot = pp.pivot(index="profession", columns="objective", values="mean_change")
        fig = go.Figure(
            go.Heatmap(
                z=pivot.values,
                x=[objective_text.get(c, c) for c in pivot.columns],
                y=[_label(i) for i in pivot.index],
                colorscale="Blues",
                colorbar={"title": "change, points"},
            )
        )
    else:
        fig = go.Figure()
    out.append(("prepost-profession", "Mean change (post minus pre, % points) per profession and objective", fig, pp))
    items = data.item_analysis
    fig = go.Figure(
        go.Scatter(
            x=items["difficulty"],
            y=items["discrimination"],
            mode="markers",
            text=items["item_id"],
            marker={"symbol": ["circle" if b == "pre-test" else "square" for b in items["bank"]]},
        )
    )
    fig.update_layout(xaxis_title="difficulty (share of credit earned)", yaxis_title="discrimination (point-biserial)")
    out.append(("items", "Item difficulty and discrimination", fig, items))
    d = data.distractors
    fig = go.Figure(
        [
            go.Bar(
                name="chosen: the key" if key else "chosen: a distractor",
                x=d[d["correct"] == key]["item_id"] + " " + d[d["correct"] == key]["option_id"],
                y=d[d["correct"] == key]["percent_of_responses"],
            )
            for key in (True, False)
        ]
    )
    fig.update_layout(yaxis_title="% of responses")
    out.append(("distractors", "Distractor choices (share of responses per option)", fig, d))
    c = data.case_concordance
    fig = go.Figure(go.Bar(x=c["item_id"], y=c["percent_concordant"]))
    fig.update_layout(yaxis_title="% concordant with the faculty key", yaxis_range=[0, 100])
    out.append(("concordance", "Case decisions: concordance with the faculty key", fig, c))
    e = data.evaluation_summary
    names = [objective_text.get(o, q) for o, q in zip(e["objective"], e["question"], strict=True)]
    fig = go.Figure([go.Bar(name=answer, x=names, y=e[f"percent_{answer}"]) for answer in ("yes", "partly", "no")])
    fig.update_layout(barmode="stack", yaxis_title="% of responses")
    out.append(("evaluation", "Evaluation: objectives met and freedom from commercial bias", fig, e))
    for _, _, figure, _ in out:
        figure.update_layout(template=COURSE_TEMPLATE, margin={"l": 60, "r": 20, "t": 30, "b": 60})
    return out


def text_alternative(fig_id: str, data: ReportData) -> str:
    s = data.summary
    if fig_id == "participation":
        rows = data.participation.set_index("milestone")["learners"]
        return (
            f"{s['learners']} learners in the store; {rows['acknowledged']} registered, {rows['passed']} passed "
            f"the post-test and {rows['certified']} received a certificate."
        )
    if fig_id == "prepost":
        parts = [
            f"{r.objective}: {r.pre_percent:.1f}% before, {r.post_percent:.1f}% after (n = {r.learners}, "
            f"p = {r.p_value:.3g})"
            for r in data.prepost_by_objective.itertuples()
        ]
        return "; ".join(parts) or "No learner has both a completed pre-test and a finished post-test yet."
    return "The table below holds every value shown in the figure."


def table_html(frame: pd.DataFrame, caption: str) -> str:
    if frame.empty:
        return f"<p>No data yet for: {html.escape(caption)}.</p>"
    return frame.to_html(
        index=False, float_format=lambda v: f"{v:.3g}", na_rep="", classes="data", border=0, escape=True
    ).replace("<table", f'<table aria-label="{html.escape(caption)}"', 1)


def _methods() -> str:
    """What each figure counts: the list in this module's docstring, as HTML."""
    from markdown_it import MarkdownIt

    text = (__doc__ or "").split("\n\n", 1)[-1]
    return MarkdownIt("commonmark", {"html": False}).render(text)


def _data_table(frame: pd.DataFrame, caption: str) -> Markup:
    # Safe to insert as HTML: pandas escapes every header and cell (escape=True) and table_html escapes the caption.
    return Markup(table_html(frame, caption))


# The tables of the page after the figures: id, heading, the data's field and what the table shows.
PAGE_TABLES = (
    (
        "reliability",
        "Reliability of the pre- and post-test",
        "reliability",
        (
            "KR-20 (or Cronbach's alpha) per fixed form with its 95% confidence interval and standard error of "
            "measurement; for the post-test's randomly drawn forms, KR-21 on first-attempt totals, a lower bound "
            "(lower_bound = True), not the reliability of a form. See Methods."
        ),
    ),
    (
        "decision-consistency",
        "Pass/fail decision consistency at the pass mark (first post-test attempts)",
        "decision_consistency",
        (
            "Subkoviak's agreement coefficient p0 (the expected share of learners given the same pass/fail "
            "decision on a parallel form) and kappa (p0 corrected for chance agreement)."
        ),
    ),
    (
        "item-flags",
        "Item flags",
        "item_flags",
        (
            "Items to review: too hard (difficulty below 0.2), too easy (above 0.9), low discrimination (below "
            "0.2), a distractor nobody chose, a distractor chosen more than the key."
        ),
    ),
)


def page_html(data: ReportData, content: CourseContent) -> str:
    """report.html: the page of ``templates/report.html.j2`` (every text escaped; the figures are plotly's markup)."""
    sections = [
        {
            "id": fig_id,
            "heading": heading,
            # Safe to insert as HTML: plotly's own markup for the figure (a div, and a script that draws it from the
            # figure's JSON, in which plotly writes "<" as \u003c, so no data can close the script).
            "plot": Markup(
                figure.to_html(
                    full_html=False,
                    include_plotlyjs=False,
                    div_id=f"fig-{fig_id}",
                    config={"displaylogo": False, "responsive": True},
                )
            ),
            "text": text_alternative(fig_id, data),
            "frame": frame,
        }
        for fig_id, heading, figure, frame in figures(data, content)
    ]
    tables = [
        {"id": table_id, "heading": heading, "frame": getattr(data, field_name), "text": text}
        for table_id, heading, field_name, text in PAGE_TABLES
    ]
    return templating.render(
        "report.html.j2",
        title=content.info.title if content.info else "hnscc-edu",
        version=__version__,
        learners=data.summary["learners"],
        paired_learners=data.summary["paired_learners"],
        time_line=time_line(data),
        psychometrics_line=psychometrics_line(data),
        figures=sections,
        tables=tables,
        evaluation_items=data.evaluation_items,
        evaluation_comments=data.evaluation_comments,
        commitments=data.commitments,
        follow_up=data.follow_up,
        # Safe to insert as HTML: this module's own docstring, rendered by markdown-it with raw HTML off.
        methods=Markup(_methods()),
        data_table=_data_table,
    )


def write(data: ReportData, content: CourseContent, out_dir: Path) -> list[Path]:
    """Write the CSV files, report.html and plotly.min.js (so the page works offline) into ``out_dir``."""
    from plotly.offline import get_plotlyjs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in data.frames().items():
        frame.to_csv(out_dir / name, index=False)
        written.append(out_dir / name)
    (out_dir / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    (out_dir / "report.html").write_text(page_html(data, content), encoding="utf-8")
    return written + [out_dir / "plotly.min.js", out_dir / "report.html"]
