"""The numbers of the course director's outcomes report (``export/report.py`` writes them as CSV files and a page;
its module docstring says what each table counts).

Built where the data are (issue 19 section 1): the store counts the case answers, most of the answers table, per case
question and profession (``store/report_reads.py``, in a thread beside the rest); the answers to the pre- and
post-test, a few per learner, arrive in batches and are kept as learners x items arrays; every learner's path is
replayed in one pass over the stored events. No step keeps a Python object per stored answer, so the report's time
and memory grow with the learners, not with the answers (``benchmarks/attempts_at_scale.py``: 1,000,000 and
10,000,000 answers).

Every table is the one the per-row algorithm of earlier releases built (``tests/credit/report_reference.py`` keeps it
and ``tests/credit/test_report_identical.py`` compares the CSV files byte for byte): the sums whose rounding shows in
a CSV file are added in the same order as before (learners in the order of their first event, items in the order
drawn), so the figures agree to the last digit. The one sum added in another order is a case question's credit,
which the database adds; it is printed rounded to 2 decimals (``mean_percent_of_credit``).
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..content.course import CourseContent
from ..content.models import MultipleSelect, Profession, SingleBestAnswer
from ..rules import evaluation as evaluation_rules
from ..rules.credit import attested_time_flagged
from ..rules.learner_path import PathState, Rules, Step, replay_stored, step
from ..store import Store, report_reads
from ..store.credit import CreditStore
from . import follow_up as follow_ups
from . import psychometrics
from .case_counts import CaseCounting

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
PREPOST_COLUMNS = ["learners", "pre_percent", "post_percent", "mean_change", "ci95_low", "ci95_high", "t", "p_value"]
NOT_REGISTERED = "not registered"


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
            raise ValueError("the report from the course server has no tables")  # noqa: TRY004 - callers catch ValueError
        frames = {}
        for f in fields(cls):
            if f.name == "summary":
                continue
            if f.name not in tables:
                raise ValueError(f"the report from the course server has no table {f.name!r}")
            frames[f.name] = pd.read_json(io.StringIO(json.dumps(tables[f.name])), orient="table")
        return cls(**frames, summary=dict(data.get("summary") or {}))


# -- the learners --------------------------------------------------------------------------------------------------
def _states(store: Store, rules: Rules) -> dict[str, PathState]:
    """Every learner's path, replayed from the stored events in one pass (``replay_stored``, event by event, as
    ``replay`` does for one learner), in the order of each learner's first event; one copy of each item id drawn,
    however many learners drew it."""
    states: dict[str, PathState] = {}
    names: dict[str, str] = {}
    start = PathState()

    def visit(events: list[tuple]) -> None:
        for learner, kind, at, data in events:
            items = data.get("items") if kind in ("pretest_started", "posttest_started") else None
            if isinstance(items, list):
                data["items"] = [names.setdefault(item, item) if isinstance(item, str) else item for item in items]
            states[learner] = replay_stored(states.get(learner, start), kind, at, data, rules)

    report_reads.for_each_event_batch(store, visit)
    return states


def _profession(state: PathState | None) -> str:
    return state.profession if state is not None and state.profession else NOT_REGISTERED


def _label(profession: str) -> str:
    try:
        return Profession(profession).label
    except ValueError:
        return profession


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2) if whole else float("nan")


# -- participation -------------------------------------------------------------------------------------------------
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
    keys = [key for key, _ in MILESTONES]
    professions: dict[str, int] = {}
    rows = np.empty(len(states), dtype=np.int64)
    flags = np.zeros((len(states), len(keys)), dtype=np.int64)
    for row, state in enumerate(states.values()):
        rows[row] = professions.setdefault(_profession(state), len(professions))
        reached = _milestones(state, rules)
        flags[row] = [reached[key] for key in keys]
    learners = flags.sum(axis=0)
    registered = int(learners[keys.index("acknowledged")])
    overall = pd.DataFrame(
        [
            {
                "milestone": key,
                "description": text,
                "learners": int(count),
                "percent_of_registered": _pct(int(count), registered),
            }
            for (key, text), count in zip(MILESTONES, learners, strict=True)
        ]
    )
    by_profession = [
        {"profession": profession, **dict(zip(keys, flags[rows == number].sum(axis=0).tolist(), strict=True))}
        for profession, number in sorted(professions.items())
    ]
    return overall, pd.DataFrame(by_profession, columns=["profession", *keys])


# -- the answers to the pre- and post-test -------------------------------------------------------------------------
class TestAnswers:
    """One test's answers in the run that counts (the pre-test's only run, each learner's first post-test attempt):
    learners (in report order) x items, the points, the maximum and the response given (a ``Responses`` code; -1:
    no answer)."""

    def __init__(self, learners: int, items: list[str]) -> None:
        self.items = items
        self.columns = {item: column for column, item in enumerate(items)}
        self.score = np.full((learners, len(items)), np.nan)
        self.max_score = np.full((learners, len(items)), np.nan)
        self.response = np.full((learners, len(items)), -1, dtype=np.int64)


class Responses:
    """Each distinct stored response (its JSON text) once, by number."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.texts: list[str] = []

    def code(self, text: str) -> int:
        code = self.codes.get(text)
        if code is None:
            code = self.codes[text] = len(self.texts)
            self.texts.append(text)
        return code

    def options(self, code: int) -> list[str]:
        """The options a response chose (a list response names several), as the report counts them."""
        response = json.loads(self.texts[code])
        return [str(option) for option in (response if isinstance(response, list) else [response])]


class _Cells:
    """Answers gathered for one test as they are read: learner row, item, points, maximum, response code."""

    def __init__(self, items: Iterable[str]) -> None:
        self.items = {item: column for column, item in enumerate(dict.fromkeys(items))}
        self.row, self.column, self.response = array("q"), array("q"), array("q")
        self.score, self.max_score = array("d"), array("d")

    def answers(self, learners: int, rows: np.ndarray) -> TestAnswers:
        """The answers as a learners x items table; ``rows``: each learner number's row (-1: not in the report)."""
        answers = TestAnswers(learners, list(self.items))
        row = rows[np.frombuffer(self.row, dtype=np.int64)] if len(self.row) else np.empty(0, dtype=np.int64)
        kept = row >= 0
        at = (row[kept], np.frombuffer(self.column, dtype=np.int64)[kept])
        answers.score[at] = np.frombuffer(self.score)[kept]
        answers.max_score[at] = np.frombuffer(self.max_score)[kept]
        answers.response[at] = np.frombuffer(self.response, dtype=np.int64)[kept]
        return answers


class _TestReader:
    """Reads the answers to the pre- and post-test in the run that counts: the pre-test has one run, and a learner's
    first post-test attempt is attempt 1 (``rules.learner_path``: an attempt must be numbered one more than those
    before it). Learners are numbered as they come; ``answers`` puts them in report order."""

    def __init__(self, content: CourseContent, tests: list[str]) -> None:
        self.tests = tests
        self.cells = {test: _Cells(item.id for item in content.banks[test].items) for test in tests}
        self.learners: dict[str, int] = {}
        self.responses = Responses()

    def read(self, store: Store) -> None:
        report_reads.for_each_test_answer_batch(store, self.tests, 1, self.visit)

    def visit(self, rows: list[tuple]) -> None:
        number, code = self.learners.setdefault, self.responses.code
        for learner, test, item, score, max_score, response in rows:
            cells = self.cells[test]
            cells.row.append(number(learner, len(self.learners)))
            cells.column.append(cells.items.setdefault(item, len(cells.items)))
            cells.score.append(score)
            cells.max_score.append(max_score)
            cells.response.append(code(response))

    def answers(self, states: dict[str, PathState]) -> dict[str, TestAnswers]:
        """Learners x items per test, learners in report order (answers of learners with no path are left out)."""
        row_of = {learner: row for row, learner in enumerate(states)}
        rows = np.array([row_of.get(learner, -1) for learner in self.learners], dtype=np.int64)
        return {test: cells.answers(len(states), rows) for test, cells in self.cells.items()}


class Sittings(NamedTuple):
    """The sittings of one test: a completed pre-test, or a first finished post-test attempt, one per row, with the
    items answered in the order they were drawn (``columns``: -1 past the ``answered`` count)."""

    number: np.ndarray  # the sitting's place among all sittings, pre- and post-test, learner by learner
    learner: np.ndarray  # row in the test's answers
    columns: np.ndarray  # sittings x longest form: the column of each answered item, in drawn order
    answered: np.ndarray  # how many items each sitting answered
    pass_mark: np.ndarray  # the pass mark announced for the attempt (NaN for the pre-test)


def _sittings(
    states: dict[str, PathState], tests: dict[str, TestAnswers], pre_id: str | None, post_id: str | None
) -> dict[str, Sittings]:
    """Per test, its sittings in the report's order (learners in order, each learner's pre-test before the post-test;
    ``number`` counts both tests together, as one list of sittings)."""
    drawn: dict[str, list[tuple[int, int, tuple[str, ...], float]]] = {bank: [] for bank in tests}
    number = 0
    for row, state in enumerate(states.values()):
        if state.pretest == "completed" and pre_id:
            drawn[pre_id].append((number, row, tuple(dict.fromkeys(state.pretest_items)), float("nan")))
            number += 1
        if state.attempts and state.attempts[0].finished and post_id:
            first = state.attempts[0]
            drawn[post_id].append((number, row, tuple(dict.fromkeys(first.items)), float(first.pass_mark)))
            number += 1
    out = {}
    for bank, sittings in drawn.items():
        answers = tests[bank]
        lengths = np.array([len(items) for _, _, items, _ in sittings], dtype=np.int64)
        columns = np.full((len(sittings), int(lengths.max(initial=0))), -1, dtype=np.int64)
        column_of = answers.columns.get
        drawn_columns = [column_of(item, -1) for _, _, items, _ in sittings for item in items]
        places = np.repeat(np.arange(len(sittings)), lengths)
        columns[places, np.arange(len(places)) - np.repeat(np.cumsum(lengths) - lengths, lengths)] = drawn_columns
        learner = np.array([row for _, row, _, _ in sittings], dtype=np.int64)
        present = columns >= 0
        if present.size:
            values = answers.score[learner[:, None], np.where(present, columns, 0)]
            present &= ~np.isnan(values)
        order = np.argsort(~present, axis=1, kind="stable")  # answered items first, still in drawn order
        columns = np.where(np.take_along_axis(present, order, axis=1), np.take_along_axis(columns, order, axis=1), -1)
        out[bank] = Sittings(
            np.array([n for n, _, _, _ in sittings], dtype=np.int64),
            learner,
            columns,
            present.sum(axis=1),
            np.array([mark for _, _, _, mark in sittings], dtype=float),
        )
    return out


def _gather(matrix: np.ndarray, sittings: Sittings) -> np.ndarray:
    """``matrix`` (learners x items) at each sitting's answered items, sittings x longest form (NaN past the end)."""
    if not sittings.columns.size:
        return np.empty(sittings.columns.shape)
    values = matrix[sittings.learner[:, None], np.maximum(sittings.columns, 0)]
    return np.where(sittings.columns >= 0, values, np.nan)


def _paired_test(pre: list[float], post: list[float]) -> dict[str, float]:
    """Paired t-test of post against pre, with the mean change and its 95% confidence interval.

    t = mean difference / (SD of the differences / sqrt(n)); the two-sided p is from Student's t with n - 1 degrees
    of freedom (``scipy.special.stdtr``, the distribution function ``scipy.stats.ttest_rel`` uses, in its order of
    operations, so t and p are its figures to the last digit). scipy.stats itself is not imported: it costs every
    report run about half a second."""
    from scipy import special

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
            differences = np.subtract(np.asarray(post, dtype=float), np.asarray(pre, dtype=float))
            centre = np.mean(differences)
            variance = np.mean((differences - centre) ** 2) * (n / (n - 1))
            t = float(centre / np.sqrt(variance / n))
            p_value = float(2 * special.stdtr(n - 1, -abs(t)))
            half = float(special.stdtrit(n - 1, 0.975)) * sd / math.sqrt(n)
            result.update(t=t, p_value=p_value, ci95_low=mean - half, ci95_high=mean + half)
    return result


def _learner_means(
    content: CourseContent,
    states: dict[str, PathState],
    tests: dict[str, TestAnswers],
    sittings: dict[str, Sittings],
    pre_id: str | None,
    post_id: str | None,
) -> dict[tuple[str, str], tuple[float, float]]:
    """Per learner and objective, the mean % correct before and after on the pairs drawn in the first post-test
    attempt: {(learner, objective): (pre, post)}, learners in report order, objectives in the order of their first
    pair. A pair counts when its post-test item was drawn and both items have an answer."""
    post_bank = content.banks.get(post_id) if post_id else None
    pairs = {item.pairs_with: item for item in post_bank.items if item.pairs_with} if post_bank else {}
    if not pairs or pre_id not in tests or post_id not in tests:
        return {}
    pre, post = tests[pre_id], tests[post_id]
    names = list(states)
    rows = np.array(
        [
            row
            for row, state in enumerate(states.values())
            if state.pretest == "completed" and state.attempts and state.attempts[0].finished
        ],
        dtype=np.int64,
    )
    first_attempt = sittings[post_id]
    drawn = first_attempt.columns[np.searchsorted(first_attempt.learner, rows)]  # items drawn and answered
    sums: dict[str, list[np.ndarray]] = {}  # objective -> [pre sum, post sum, pairs counted]
    first_pair: dict[str, np.ndarray] = {}  # objective -> each learner's first counted pair (its place in ``pairs``)
    for place, (pre_item, post_item) in enumerate(pairs.items()):
        pre_column, post_column = pre.columns.get(pre_item), post.columns.get(post_item.id)
        if pre_column is None or post_column is None:
            continue
        before = 100.0 * pre.score[rows, pre_column] / pre.max_score[rows, pre_column]
        after = 100.0 * post.score[rows, post_column] / post.max_score[rows, post_column]
        counted = (drawn == post_column).any(axis=1) & ~np.isnan(before)
        total = sums.setdefault(post_item.objective, [np.zeros(len(rows)), np.zeros(len(rows)), np.zeros(len(rows))])
        # one addition at a time, in pair order: the same sums (to the last bit) as adding each learner's list
        total[0] = np.where(counted, total[0] + before, total[0])
        total[1] = np.where(counted, total[1] + after, total[1])
        total[2] = total[2] + counted
        first = first_pair.setdefault(post_item.objective, np.full(len(rows), len(pairs)))
        first_pair[post_item.objective] = np.where(counted & (first == len(pairs)), place, first)
    means: dict[tuple[str, str], tuple[float, float]] = {}
    objectives = list(sums)
    for position, row in enumerate(rows):
        counted = [(first_pair[o][position], o) for o in objectives if sums[o][2][position] > 0]
        for _, objective in sorted(counted):
            pre_sum, post_sum, n = (float(array[position]) for array in sums[objective])
            means[(names[row], objective)] = (pre_sum / int(n), post_sum / int(n))
    return means


def _prepost(
    content: CourseContent, states: dict[str, PathState], learner_means: dict[tuple[str, str], tuple[float, float]]
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per objective and per profession and objective: the paired t-test over the learners' means."""
    objectives = [o.id for o in content.info.objectives] if content.info else []

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
        columns=["objective", *PREPOST_COLUMNS],
    )
    by_profession = pd.DataFrame(
        [
            dict({"profession": r["group"][0]}, **{k: v for k, v in r.items() if k != "group"})
            for r in rows(lambda learner: (_profession(states.get(learner)),))
        ],
        columns=["profession", "objective", *PREPOST_COLUMNS],
    )
    return by_objective, by_profession, {"paired_learners": len({learner for learner, _ in learner_means})}


def _rest_scores(fractions: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """For each sitting and answered item, 100 x the mean share of credit on the sitting's *other* answered items,
    added one item at a time in drawn order (NaN where the sitting answered fewer than 2 items)."""
    rest = np.full(fractions.shape, np.nan)
    for k in np.unique(answered):
        if k < 2:
            continue
        rows = answered == k
        shares = fractions[rows, :k]
        block = np.empty((len(shares), k))
        for j in range(k):
            total = np.zeros(len(shares))
            for p in range(k):
                if p != j:
                    total = total + shares[:, p]
            block[:, j] = 100.0 * total / (k - 1)
        rest[rows, :k] = block
    return rest


def _items(
    content: CourseContent, tests: dict[str, TestAnswers], sittings: dict[str, Sittings], responses: Responses
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Difficulty, discrimination and distractors over the sittings: completed pre-tests and first post-test
    attempts."""
    scores: dict[tuple[str, str], tuple[list[float], np.ndarray]] = {}
    chosen: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counted: dict[tuple[str, str], int] = {}
    for bank_id, sat in sittings.items():
        answers = tests[bank_id]
        present = sat.columns >= 0
        columns = sat.columns[present]
        for column, n in zip(*np.unique(columns, return_counts=True), strict=True):
            counted[(bank_id, answers.items[column])] = int(n)
        fractions = _gather(answers.score, sat) / _gather(answers.max_score, sat)
        rest = _rest_scores(fractions, sat.answered)
        with_rest = ~np.isnan(rest)
        place = np.broadcast_to(np.arange(len(sat.learner))[:, None], sat.columns.shape)[with_rest]
        column, share, others = sat.columns[with_rest], fractions[with_rest], rest[with_rest]
        order = np.lexsort((place, column))  # per item, the sittings in report order
        column, share, others = column[order], share[order], others[order]
        bounds = np.flatnonzero(np.diff(column)) + 1
        for part_column, part_share, part_rest in zip(
            np.split(column, bounds), np.split(share, bounds), np.split(others, bounds), strict=True
        ):
            if len(part_column):
                scores[(bank_id, answers.items[part_column[0]])] = (part_share.tolist(), part_rest)
        codes = _gather(answers.response.astype(float), sat)[present].astype(np.int64)
        keys, counts = np.unique(columns * (len(responses.codes) + 1) + codes, return_counts=True)
        for key, n in zip(keys.tolist(), counts.tolist(), strict=True):
            column, code = divmod(key, len(responses.codes) + 1)
            for option in responses.options(code):
                chosen[(bank_id, answers.items[column])][option] += n
    item_rows, distractor_rows = [], []
    for bank in sorted(content.banks.values(), key=lambda b: (b.purpose != "pre", b.id)):
        if bank.purpose not in ("pre", "post"):
            continue
        for item in bank.items:
            item_scores, rest = scores.get((bank.id, item.id), ([], np.array([])))
            n = counted.get((bank.id, item.id), 0)
            item_rows.append(
                {
                    "bank": bank.id,
                    "item_id": item.id,
                    "objective": item.objective,
                    "pairs_with": item.pairs_with or "",
                    "responses": n,
                    "difficulty": sum(item_scores) / len(item_scores) if item_scores else float("nan"),
                    "discrimination": psychometrics.point_biserial(item_scores, rest),
                }
            )
            if isinstance(item, (SingleBestAnswer, MultipleSelect)):
                options = chosen.get((bank.id, item.id), {})
                for option in item.options:
                    count = options.get(option.id, 0)
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


def _score_matrix(answers: TestAnswers, sat: Sittings) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """For one test: the sittings x items table of points (one row per sitting with an answer, in order; one column
    per item answered, by id; NaN for an item not in that sitting's form), each item's maximum, and the pass mark of
    each sitting that has one (post-test attempts)."""
    present = sat.columns >= 0
    answered = np.unique(sat.columns[present])
    order = sorted(range(len(answered)), key=lambda place: answers.items[answered[place]])
    answered = answered[order]
    place_of = np.full(len(answers.items), -1, dtype=np.int64)
    place_of[answered] = np.arange(len(answered))
    kept = sat.answered > 0
    points = np.full((int(kept.sum()), len(answered)), np.nan)
    rows = np.broadcast_to(np.cumsum(kept)[:, None] - 1, sat.columns.shape)[present]
    points[rows, place_of[sat.columns[present]]] = _gather(answers.score, sat)[present]
    items = pd.Index([answers.items[column] for column in answered.tolist()])
    maxima = np.full(len(answered), -np.inf)
    np.maximum.at(maxima, place_of[sat.columns[present]], _gather(answers.max_score, sat)[present])
    # laid out as DataFrame.pivot lays out its result (the block is the array's transpose): numpy's sums along a
    # row follow the memory layout, and the reliability figures must agree to the last digit
    table = pd.DataFrame(points, index=pd.Index(sat.number[kept], name="sitting"), columns=items, copy=False)
    marks = pd.Series(sat.pass_mark, index=sat.number, dtype=float).dropna()
    return table, pd.Series(maxima, index=items, name="max_score"), marks


def _psychometrics(
    tests: dict[str, TestAnswers],
    sittings: dict[str, Sittings],
    pre_id: str | None,
    post_id: str | None,
    item_analysis: pd.DataFrame,
    distractors: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``reliability.csv``, ``decision_consistency.csv`` and ``item_flags.csv`` (``export/psychometrics.py``)."""
    reliability, decisions = [], []
    if pre_id:
        points, max_points, _ = _score_matrix(tests[pre_id], sittings[pre_id])
        reliability += psychometrics.fixed_form_reliability(pre_id, points, max_points)
    if post_id:
        points, max_points, marks = _score_matrix(tests[post_id], sittings[post_id])
        reliability += psychometrics.random_form_reliability(post_id, points, max_points)
        decisions += psychometrics.decision_consistency(post_id, points, max_points, marks)
    return (
        pd.DataFrame(reliability, columns=psychometrics.RELIABILITY_COLUMNS),
        pd.DataFrame(decisions, columns=psychometrics.DECISION_COLUMNS),
        psychometrics.flag_items(item_analysis, distractors),
    )


# -- case decisions ------------------------------------------------------------------------------------------------
def _concordance(
    content: CourseContent, counts: list[report_reads.CaseAnswerCount]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each learner's first answer to each scored case question against the faculty key, per question and per case
    and profession (the store counts them: ``report_reads.first_case_answer_counts``)."""
    per_item: dict[tuple[str, str], list] = {}
    per_profession: dict[tuple[str, str], list] = {}
    for count in counts:
        for table, key in (
            (per_item, (count.case_id, count.item_id)),
            (per_profession, (count.case_id, count.profession or NOT_REGISTERED)),
        ):
            if key[1] is None:
                continue  # a question no longer in the case: counted for its case, not listed on its own
            total = table.setdefault(key, [0, 0, 0.0])
            total[0] += count.answers
            total[1] += count.concordant
            total[2] += count.credit

    def summary(n: int, concordant: int, credit: float) -> dict:
        return {
            "answers": n,
            "concordant": concordant,
            "percent_concordant": _pct(concordant, n),
            "mean_percent_of_credit": _pct(credit, n),
        }

    item_rows = [
        dict(
            {"case_id": case.id, "item_id": item.id, "objective": item.objective},
            **summary(*per_item[(case.id, item.id)]),
        )
        for case in sorted(content.cases.values(), key=lambda c: c.id)
        for item in case.items
        if (case.id, item.id) in per_item
    ]
    profession_rows = [
        dict({"case_id": case_id, "profession": profession}, **summary(*total))
        for (case_id, profession), total in sorted(per_profession.items())
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


# -- the evaluation and the attestation ----------------------------------------------------------------------------
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


# -- the report ----------------------------------------------------------------------------------------------------
@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the report is built. Replaying every learner keeps a state per learner
    alive and makes a new one per event; each collection of the oldest generation then walks all of them again
    (at 10,000,000 answers, half the replay's time). Nothing the report builds needs it: reference counting frees
    what it drops, and the collector runs again after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def build(
    content: CourseContent, store: Store, today: dt.date | None = None, counting: CaseCounting | None = None
) -> ReportData:
    """Every table of the report, from the store and the course content (``today``: for the follow-ups due).
    ``counting``: the store's count of the case answers, if the caller started it already (``hnscc-edu report``
    starts it before it imports this module); otherwise it starts here (ValueError when the course file is missing or
    has problems)."""
    with _no_cycle_collection(), counting or CaseCounting.start(content, store) as started:
        return _build(content, store, today, started)


def _build(content: CourseContent, store: Store, today: dt.date | None, counting: CaseCounting) -> ReportData:
    rules = counting.rules
    credit_store = CreditStore(store)
    pre = next((b.id for b in content.banks.values() if b.purpose == "pre"), None)
    post = next((b.id for b in content.banks.values() if b.purpose == "post"), None)
    reader = _TestReader(content, [test for test in (pre, post) if test])
    # While this thread replays every learner's path and works on the tests, the store counts the case answers
    # (most of the table) on a connection of its own (``CaseCounting``): that is the database's own work (on
    # SQLite, C code that lets Python threads run), so on two cores it adds little time. The reads done here
    # stay in this thread: a second Python thread reading rows would take the interpreter lock turn about with
    # this one at every row.
    states = _states(store, rules)
    replayed = {learner: state.profession for learner, state in states.items() if state.profession}
    participation, participation_by_profession = _participation(states, rules)
    reader.read(store)
    tests = reader.answers(states)
    sittings = _sittings(states, tests, pre, post)
    learner_means = _learner_means(content, states, tests, sittings, pre, post)
    by_objective, by_profession, paired = _prepost(content, states, learner_means)
    item_analysis, distractors = _items(content, tests, sittings, reader.responses)
    reliability, decisions, item_flags = _psychometrics(tests, sittings, pre, post, item_analysis, distractors)
    del tests, sittings, reader
    first_evaluations = credit_store.first_evaluations()  # read once, for the three tables built on it
    evaluation, commitments = _evaluation(content, *first_evaluations, states)
    evaluation_items, evaluation_comments = _evaluation_items(content, credit_store, *first_evaluations, states)
    concordance, concordance_by_profession = _concordance(content, counting.result(replayed))
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
