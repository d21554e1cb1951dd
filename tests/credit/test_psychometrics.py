"""Psychometrics of the outcomes report (issue 18 section 2): KR-20, alpha, KR-21, Subkoviak's decision consistency
and item flags, checked against arithmetic written out here, against independent implementations (numpy formulas,
exact fractions, the binomial sum by hand), and, on a simulated cohort, against the raw stored answers."""

from __future__ import annotations

import csv
import json
import math
import sqlite3
import statistics
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hnscc_edu.export import psychometrics as psy
from hnscc_edu.export import report
from hnscc_edu.rules.signing import Signer
from hnscc_edu.sessions.simulation import simulate_cohort
from hnscc_edu.store import Store
from tests.credit.conftest import COURSE, walk

PRE = next(b for b in COURSE.banks.values() if b.purpose == "pre")
POST = next(b for b in COURSE.banks.values() if b.purpose == "post")
LEARNERS = 150

# Six learners, four dichotomous items (rows: learners).
SIX_BY_FOUR = [
    [1, 1, 1, 0],  # total 3
    [1, 0, 1, 1],  # 3
    [1, 1, 0, 0],  # 2
    [0, 1, 0, 0],  # 1
    [1, 0, 0, 0],  # 1
    [0, 0, 0, 0],
]  # 0
# Four learners, three items worth 0-2 points (partial credit).
PARTIAL = [
    [2, 1, 2],  # total 5
    [1, 1, 0],  # 2
    [2, 2, 2],  # 6
    [0, 1, 1],
]  # 2


def numpy_alpha(matrix) -> float:
    """An independent alpha: from the sample (n - 1) covariance matrix, alpha = k/(k-1) (1 - trace(C) / sum(C))."""
    cov = np.cov(np.asarray(matrix, dtype=float), rowvar=False, ddof=1)
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


# -- (a) KR-20 and alpha by hand -------------------------------------------------------------------------------
def test_kr20_on_a_hand_made_matrix():
    # p (share correct per item): 4/6, 3/6, 2/6, 1/6
    # p(1 - p): 2/9 + 1/4 + 2/9 + 5/36 = 8/36 + 9/36 + 8/36 + 5/36 = 30/36 = 5/6
    # totals 3, 3, 2, 1, 1, 0: mean 10/6 = 5/3; mean of squares (9+9+4+1+1+0)/6 = 4; variance 4 - 25/9 = 11/9
    # KR-20 = 4/3 * (1 - (5/6) / (11/9)) = 4/3 * (1 - 45/66) = 4/3 * 21/66 = 14/33
    by_hand = Fraction(4, 3) * (1 - Fraction(5, 6) / Fraction(11, 9))
    assert by_hand == Fraction(14, 33)
    result = psy.kr20(SIX_BY_FOUR)
    assert result.computable and result.reason == ""
    assert result.value == pytest.approx(float(by_hand), abs=1e-12)
    assert result.value == pytest.approx(numpy_alpha(SIX_BY_FOUR), abs=1e-12)  # KR-20 is alpha on 0/1 items
    assert psy.cronbach_alpha(SIX_BY_FOUR).value == pytest.approx(float(by_hand), abs=1e-12)


def test_kr20_of_a_perfect_guttman_pattern():
    # p = .8 .6 .4 .2, sum p(1-p) = .16 + .24 + .24 + .16 = .8; totals 4 3 2 1 0, variance 2
    # KR-20 = 4/3 * (1 - .8 / 2) = 0.8
    guttman = [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    assert psy.kr20(guttman).value == pytest.approx(0.8, abs=1e-12)


def test_cronbach_alpha_with_partial_credit_by_hand():
    # item scores 2 1 2 0 | 1 1 2 1 | 2 0 2 1: each mean 1.25,
    # population variances 2.75/4 = 11/16, 0.75/4 = 3/16, 11/16: sum 25/16
    # totals 5 2 6 2: mean 3.75, squared deviations 1.5625 + 3.0625 + 5.0625 + 3.0625 = 12.75, variance 51/16
    # alpha = 3/2 * (1 - (25/16) / (51/16)) = 3/2 * 26/51 = 13/17
    by_hand = Fraction(3, 2) * (1 - Fraction(25, 16) / Fraction(51, 16))
    assert by_hand == Fraction(13, 17)
    assert psy.cronbach_alpha(PARTIAL).value == pytest.approx(float(by_hand), abs=1e-12)
    assert psy.cronbach_alpha(PARTIAL).value == pytest.approx(numpy_alpha(PARTIAL), abs=1e-12)
    assert not psy.kr20(PARTIAL).computable and "partial credit" in psy.kr20(PARTIAL).reason
    statistic, estimate = psy.internal_consistency(np.array(PARTIAL, float), np.array([2.0, 2.0, 2.0]))
    assert statistic == psy.ALPHA and estimate.value == pytest.approx(13 / 17)
    statistic, estimate = psy.internal_consistency(2 * np.array(SIX_BY_FOUR, float), np.full(4, 2.0))
    assert statistic == psy.KR20 and estimate.value == pytest.approx(14 / 33)  # all-or-nothing items worth 2


def test_kr21_sem_and_feldt_interval_by_hand():
    # totals 3 3 2 1 1 0 on 4 items: mean 5/3, variance 11/9
    # KR-21 = 4/3 * (1 - (5/3)(4 - 5/3) / (4 * 11/9)) = 4/3 * (1 - (35/9) / (44/9)) = 4/3 * 9/44 = 3/11
    totals = [sum(row) for row in SIX_BY_FOUR]
    by_hand = Fraction(4, 3) * (1 - Fraction(5, 3) * (4 - Fraction(5, 3)) / (4 * Fraction(11, 9)))
    assert by_hand == Fraction(3, 11)
    assert psy.kr21(totals, 4).value == pytest.approx(3 / 11, abs=1e-12)
    assert psy.kr21(totals, 4).value <= psy.kr20(SIX_BY_FOUR).value  # KR-21 is the lower bound on one form
    # SEM = SD sqrt(1 - r): SD = sqrt(11/9), r = 14/33
    assert psy.standard_error_of_measurement(math.sqrt(11 / 9), 14 / 33) == pytest.approx(
        math.sqrt(11 / 9) * math.sqrt(19 / 33)
    )
    low, high = psy.feldt_interval(0.69, 239, 12)
    assert low == pytest.approx(1 - 0.31 * stats.f.ppf(0.975, 238, 238 * 11))
    assert high == pytest.approx(1 - 0.31 * stats.f.ppf(0.025, 238, 238 * 11))
    assert low < 0.69 < high


def test_cut_score_follows_the_pass_rule():
    assert psy.cut_score(12, 70) == 9  # 8.4 correct is not enough
    assert psy.cut_score(10, 70) == 7  # exactly the mark passes
    assert psy.cut_score(12, 75) == 9
    assert psy.cut_score(2, 100) == 2


# -- (b) decision consistency by hand --------------------------------------------------------------------------
def test_subkoviak_agreement_and_kappa_on_a_hand_made_case():
    # Four learners, 2 items, totals 0 1 2 2; a pass needs both items (cut 2).
    # mean M = 5/4, variance (1.5625 + 0.0625 + 0.5625 + 0.5625) / 4 = 11/16
    # KR-21 = 2 * (1 - (5/4)(3/4) / (2 * 11/16)) = 2 * (1 - 15/22) = 7/11
    r = Fraction(7, 11)
    # Kelley: p_hat = r x/2 + (1 - r) M/2 = 7/11 x/2 + 4/11 * 5/8
    p_hat = {x: r * Fraction(x, 2) + (1 - r) * Fraction(5, 8) for x in (0, 1, 2)}
    assert p_hat == {0: Fraction(5, 22), 1: Fraction(6, 11), 2: Fraction(19, 22)}
    # P(pass) = P(Binomial(2, p_hat) >= 2) = p_hat^2: 25/484, 144/484, 361/484
    passing = {x: p**2 for x, p in p_hat.items()}
    totals = [0, 1, 2, 2]
    p0 = sum(passing[x] ** 2 + (1 - passing[x]) ** 2 for x in totals) / 4
    mean_pass = sum(passing[x] for x in totals) / 4
    assert mean_pass == Fraction(25 + 144 + 2 * 361, 4 * 484)
    chance = mean_pass**2 + (1 - mean_pass) ** 2
    kappa = (p0 - chance) / (1 - chance)
    result = psy.subkoviak(totals, 2, 2)
    assert result.reliability.value == pytest.approx(float(r), abs=1e-12)
    assert result.agreement.value == pytest.approx(float(p0), abs=1e-12)
    assert result.chance == pytest.approx(float(chance), abs=1e-12)
    assert result.kappa.value == pytest.approx(float(kappa), abs=1e-12)
    assert result.expected_pass == pytest.approx(float(mean_pass), abs=1e-12)


def test_subkoviak_when_everyone_must_pass_has_no_kappa():
    result = psy.subkoviak([0, 1, 2, 2], 2, 0)  # a cut of 0 passes everyone: full agreement, kappa is 0/0
    assert result.agreement.value == pytest.approx(1.0)
    assert not result.kappa.computable and "kappa" in result.kappa.reason


# -- (c) item flags ----------------------------------------------------------------------------------------------
def seeded_items() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six items, each seeded with one fault (or none), and their option counts (key: option a)."""
    items = pd.DataFrame(
        [
            ("clean", 0.60, 0.40, {"a": 60, "b": 20, "c": 15, "d": 5}),
            ("hard", 0.15, 0.40, {"a": 15, "b": 14, "c": 40, "d": 31}),
            ("easy", 0.95, 0.40, {"a": 95, "b": 2, "c": 2, "d": 1}),
            ("flat", 0.60, 0.10, {"a": 60, "b": 20, "c": 15, "d": 5}),
            ("unchosen", 0.60, 0.40, {"a": 60, "b": 30, "c": 10, "d": 0}),
            ("beaten", 0.35, 0.40, {"a": 35, "b": 45, "c": 10, "d": 10}),
        ],
        columns=["item_id", "difficulty", "discrimination", "counts"],
    )
    analysis = pd.DataFrame(
        {
            "bank": "b",
            "item_id": items["item_id"],
            "objective": "o",
            "responses": 100,
            "difficulty": items["difficulty"],
            "discrimination": items["discrimination"],
        }
    )
    options = pd.DataFrame(
        [
            {
                "bank": "b",
                "item_id": row.item_id,
                "option_id": option,
                "option_text": option,
                "correct": option == "a",
                "chosen": count,
                "percent_of_responses": count,
            }
            for row in items.itertuples()
            for option, count in row.counts.items()
        ]
    )
    return analysis, options


def test_each_flag_fires_on_its_seeded_item_and_not_on_a_clean_one():
    flags = psy.flag_items(*seeded_items()).set_index("item_id")["flags"].to_dict()
    assert flags == {
        "clean": "",
        "hard": "too hard; distractor chosen more than the key: c, d",
        "easy": "too easy",
        "flat": "low discrimination",
        "unchosen": "distractor never chosen: d",
        "beaten": "distractor chosen more than the key: b",
    }
    # the thresholds themselves are strict: exactly 0.2 / 0.9 / 0.2 is not flagged
    assert psy.item_flags(0.2, 0.2, {"a": 1, "b": 1}, {"a"}) == []
    assert psy.item_flags(0.9, 0.5) == []
    assert psy.item_flags(0.1999, 0.1999) == ["too hard", "low discrimination"]
    assert psy.item_flags(0.5, float("nan")) == ["discrimination not computable"]
    assert psy.item_flags(float("nan"), float("nan"), responses=0) == ["no responses"]
    # several keys (multiple select): a distractor must beat the least-chosen key
    assert psy.item_flags(0.5, 0.5, {"a": 50, "b": 30, "c": 40, "d": 1}, {"a", "b"}) == [
        "distractor chosen more than the key: c"
    ]


# -- (d) on a simulated cohort, against the raw answers -------------------------------------------------------------
@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("psychometrics")
    store = Store(f"sqlite:///{folder / 'cohort.sqlite3'}")
    simulate_cohort(COURSE, store, LEARNERS, signer=Signer.generate())
    data = report.build(COURSE, store)
    report.write(data, COURSE, folder / "report")
    connection = sqlite3.connect(folder / "cohort.sqlite3")
    connection.row_factory = sqlite3.Row
    yield store, connection, folder / "report", data
    connection.close()
    store.engine.dispose()


def read_csv(folder, name) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class Raw:
    """Sittings straight from the stored rows: answers from ``Store.attempt_rows()`` (first answer per learner, run
    and item), completed pre-tests and first post-test attempts from the path events table."""

    def __init__(self, store: Store, db: sqlite3.Connection) -> None:
        answers: dict[tuple, dict] = {}
        for row in store.attempt_rows():
            answers.setdefault((row["learner_id"], row["context_id"], row["run"], row["item_id"]), row)
        completed, started, finished = set(), {}, set()
        for row in db.execute("SELECT learner_id, event, data FROM path_events ORDER BY id"):
            data = json.loads(row["data"])
            if row["event"] == "pretest_completed":
                completed.add(row["learner_id"])
            elif row["event"] == "posttest_started" and data["attempt"] == 1:
                started.setdefault(row["learner_id"], data)
            elif row["event"] == "posttest_finished" and data["attempt"] == 1:
                finished.add(row["learner_id"])
        self.pre = {
            learner: {i.id: answers[(learner, PRE.id, 1, i.id)] for i in PRE.items} for learner in sorted(completed)
        }
        self.post = {
            learner: {i: answers[(learner, POST.id, 1, i)] for i in started[learner]["items"]}
            for learner in sorted(finished)
        }
        self.pass_mark = {learner: started[learner]["pass_mark"] for learner in finished}


@pytest.fixture(scope="module")
def raw(cohort):
    return Raw(cohort[0], cohort[1])


def test_the_pre_test_kr20_matches_an_independent_computation_from_the_raw_answers(cohort, raw):
    items = [i.id for i in PRE.items]
    matrix = np.array([[sitting[i]["score"] / sitting[i]["max_score"] for i in items] for sitting in raw.pre.values()])
    assert set(np.unique(matrix)) <= {0.0, 1.0} and len(matrix) > 80
    k, p, totals = len(items), matrix.mean(axis=0), matrix.sum(axis=1)
    expected = k / (k - 1) * (1 - (p * (1 - p)).sum() / statistics.pvariance(totals.tolist()))
    assert expected == pytest.approx(numpy_alpha(matrix), abs=1e-12)
    row = next(r for r in read_csv(cohort[2], "reliability.csv") if r["bank"] == PRE.id)
    assert (row["statistic"], row["form"], int(row["learners"]), int(row["items"]), row["lower_bound"]) == (
        "KR-20",
        "fixed form",
        len(matrix),
        k,
        "False",
    )
    assert float(row["value"]) == pytest.approx(expected, rel=1e-9)
    sd = statistics.pstdev(totals.tolist())
    assert float(row["sd_score"]) == pytest.approx(sd, rel=1e-9)
    assert float(row["sem_points"]) == pytest.approx(sd * math.sqrt(1 - expected), rel=1e-9)
    assert float(row["sem_percent"]) == pytest.approx(100 * sd * math.sqrt(1 - expected) / k, rel=1e-9)
    df1, df2 = len(matrix) - 1, (len(matrix) - 1) * (k - 1)
    assert float(row["ci95_low"]) == pytest.approx(1 - (1 - expected) * stats.f.ppf(0.975, df1, df2), rel=1e-9)
    assert float(row["ci95_high"]) == pytest.approx(1 - (1 - expected) * stats.f.ppf(0.025, df1, df2), rel=1e-9)


def test_the_post_test_kr21_and_decision_consistency_match_the_raw_answers(cohort, raw):
    k = 12
    correct = [sum(a["score"] / a["max_score"] for a in sitting.values()) for sitting in raw.post.values()]
    assert {len(sitting) for sitting in raw.post.values()} == {k}
    assert len({frozenset(s) for s in raw.post.values()}) > len(raw.post) * 0.9  # (nearly) a form per learner
    mean, variance = statistics.fmean(correct), statistics.pvariance(correct)
    kr21 = k / (k - 1) * (1 - mean * (k - mean) / (k * variance))
    rows = [r for r in read_csv(cohort[2], "reliability.csv") if r["bank"] == POST.id]
    assert len(rows) == 1  # no form was taken by 30 learners, so no per-form KR-20
    row = rows[0]
    assert (row["statistic"], row["lower_bound"], int(row["learners"])) == ("KR-21", "True", len(correct))
    assert row["note"].startswith("a lower bound, not the reliability of a form")
    assert float(row["value"]) == pytest.approx(kr21, rel=1e-9)
    # Subkoviak by hand: Kelley estimates, the binomial tail summed term by term (no scipy)
    (mark,) = set(raw.pass_mark.values())
    cut = math.ceil(mark * k / 100)
    tails = []
    for x in correct:
        p = kr21 * x / k + (1 - kr21) * mean / k
        tails.append(sum(math.comb(k, j) * p**j * (1 - p) ** (k - j) for j in range(cut, k + 1)))
    p0 = statistics.fmean(t**2 + (1 - t) ** 2 for t in tails)
    chance = statistics.fmean(tails) ** 2 + (1 - statistics.fmean(tails)) ** 2
    (decision,) = read_csv(cohort[2], "decision_consistency.csv")
    assert (float(decision["pass_mark"]), int(decision["cut_items"]), int(decision["learners"])) == (
        mark,
        cut,
        len(correct),
    )
    assert float(decision["agreement_p0"]) == pytest.approx(p0, rel=1e-9)
    assert float(decision["kappa"]) == pytest.approx((p0 - chance) / (1 - chance), rel=1e-9)
    assert float(decision["observed_pass_percent"]) == pytest.approx(
        100 * sum(x >= cut for x in correct) / len(correct)
    )


def expected_flags(difficulty: float, discrimination: float, counts: dict[str, int], key: str) -> str:
    flags = []
    if difficulty < 0.2:
        flags.append("too hard")
    if difficulty > 0.9:
        flags.append("too easy")
    if math.isnan(discrimination):
        flags.append("discrimination not computable")
    elif discrimination < 0.2:
        flags.append("low discrimination")
    never = [o for o, n in counts.items() if o != key and n == 0]
    beating = [o for o, n in counts.items() if o != key and n > counts[key]]
    if never:
        flags.append("distractor never chosen: " + ", ".join(never))
    if beating:
        flags.append("distractor chosen more than the key: " + ", ".join(beating))
    return "; ".join(flags)


def test_one_items_difficulty_discrimination_and_flags_by_hand_from_the_raw_answers(cohort, raw):
    item = PRE.items[0]
    key = next(o.id for o in item.options if o.correct)
    scores, rests, counts = [], [], Counter({o.id: 0 for o in item.options})
    for sitting in raw.pre.values():
        scores.append(sitting[item.id]["score"] / sitting[item.id]["max_score"])
        others = [a["score"] / a["max_score"] for i, a in sitting.items() if i != item.id]
        rests.append(100 * sum(others) / len(others))
        counts[json.loads(sitting[item.id]["response"])] += 1
    difficulty = sum(scores) / len(scores)  # share who chose the key
    assert difficulty == counts[key] / len(scores)
    # the corrected point-biserial by its textbook formula: (M1 - M0) / s_rest * sqrt(p q), s with divisor N
    m1 = statistics.fmean(r for s, r in zip(scores, rests, strict=True) if s == 1)
    m0 = statistics.fmean(r for s, r in zip(scores, rests, strict=True) if s == 0)
    discrimination = (m1 - m0) / statistics.pstdev(rests) * math.sqrt(difficulty * (1 - difficulty))
    flags = {r["item_id"]: r for r in read_csv(cohort[2], "item_flags.csv")}[item.id]
    assert int(flags["responses"]) == len(scores)
    assert float(flags["difficulty"]) == pytest.approx(difficulty, rel=1e-12)
    assert float(flags["discrimination"]) == pytest.approx(discrimination, rel=1e-9)
    assert flags["flags"] == expected_flags(difficulty, discrimination, dict(counts), key)
    analysis = {r["item_id"]: r for r in read_csv(cohort[2], "item_analysis.csv")}[item.id]
    assert (analysis["difficulty"], analysis["discrimination"]) == (flags["difficulty"], flags["discrimination"])


def test_every_items_flags_match_the_raw_answers(cohort, raw):
    sittings = [(PRE, s) for s in raw.pre.values()] + [(POST, s) for s in raw.post.values()]
    pairs: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    counts: dict[str, Counter] = defaultdict(Counter)
    for _bank, sitting in sittings:
        fractions = {i: a["score"] / a["max_score"] for i, a in sitting.items()}
        for item_id, answer in sitting.items():
            pairs[item_id][0].append(fractions[item_id])
            pairs[item_id][1].append(100 * statistics.fmean(v for i, v in fractions.items() if i != item_id))
            counts[item_id][json.loads(answer["response"])] += 1
    rows = {r["item_id"]: r for r in read_csv(cohort[2], "item_flags.csv")}
    assert len(rows) == len(PRE.items) + len(POST.items)
    for bank in (PRE, POST):
        for item in bank.items:
            xs, ys = pairs[item.id]
            difficulty = statistics.fmean(xs)
            discrimination = statistics.correlation(xs, ys) if len(set(xs)) > 1 else math.nan
            key = next(o.id for o in item.options if o.correct)
            option_counts = {o.id: counts[item.id][o.id] for o in item.options}
            assert rows[item.id]["flags"] == expected_flags(difficulty, discrimination, option_counts, key), item.id
    page = (cohort[2] / "report.html").read_text(encoding="utf-8")
    for section in ("h-reliability", "h-decision-consistency", "h-item-flags"):
        assert f'<section aria-labelledby="{section}">' in page
    assert "<caption>Item flags</caption>" in page and "Subkoviak" in page and "KR-20" in page
    assert "a lower bound, not the reliability of a form" in report.psychometrics_line(cohort[3])


# -- per-form reliability of randomly drawn forms --------------------------------------------------------------------
def test_a_post_test_form_taken_by_enough_learners_gets_its_own_kr20():
    rng = np.random.default_rng(7)
    ability = rng.normal(size=40)
    items = [f"i{n}" for n in range(6)]
    shared = (rng.random((40, 4)) < 1 / (1 + np.exp(-ability[:, None]))).astype(float)
    points = pd.DataFrame(np.nan, index=range(45), columns=items)
    points.loc[:39, items[:4]] = shared  # 40 learners took form i0-i3
    points.loc[40:, ["i0", "i4", "i5"]] = [[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 0, 0]]  # five: i0 i4 i5
    maxima = pd.Series(1.0, index=items)
    rows = psy.random_form_reliability("post", points, maxima, min_form_learners=30)
    form_rows = [r for r in rows if r["statistic"] == psy.KR20]
    assert len(form_rows) == 1 and form_rows[0]["form"] == "one form, 4 items: i0 i1 i2 i3"
    assert form_rows[0]["learners"] == 40 and not form_rows[0]["lower_bound"]
    assert form_rows[0]["value"] == pytest.approx(numpy_alpha(shared), abs=1e-12)
    (pooled,) = [r for r in rows if r["statistic"] == psy.KR21]
    assert pooled["lower_bound"] and pooled["learners"] == 40  # the 4-item forms; the five 3-item ones left out
    assert "5 learners whose attempt had another number of items left out" in pooled["note"]
    assert pooled["value"] == pytest.approx(psy.kr21(shared.sum(axis=1), 4).value)
    rows = psy.random_form_reliability("post", points, maxima, min_form_learners=41)
    assert [r["statistic"] for r in rows] == [psy.KR21]
    assert "no single form was taken by 41 or more learners" in rows[0]["note"]


# -- (e) edge cases: a reason, never an exception ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scores", "reason"),
    [
        ([[1, 0, 1]], "fewer than 2 learners (1)"),
        ([[1], [0], [1]], "fewer than 2 items (1)"),
        ([], "not a learners x items table"),
        ([[1, 1], [1, 1], [1, 1]], "no variance"),
        ([[1, 0], [0, float("nan")]], "no score on some items"),
        ([["a", "b"], ["c", "d"]], "not numbers"),
    ],
)
def test_internal_consistency_edge_cases_give_a_reason(scores, reason):
    for function in (psy.kr20, psy.cronbach_alpha):
        result = function(scores)
        assert result.value is None and not result.computable
        assert result.reason.startswith("not computable: ") and reason in result.reason, result.reason


def test_kr21_subkoviak_and_the_tables_on_edge_cases():
    assert "fewer than 2 learners" in psy.kr21([5], 10).reason
    assert "fewer than 2 items" in psy.kr21([0, 1], 1).reason
    assert "no variance" in psy.kr21([3, 3, 3], 5).reason
    assert "out of 5" in psy.kr21([3, 7], 5).reason
    for totals in ([4], [4, 4, 4]):
        result = psy.subkoviak(totals, 5, 4)
        assert not result.agreement.computable and not result.kappa.computable and result.agreement.reason
    spread = psy.subkoviak([0, 5, 0, 5, 5, 0, 2, 3, 3, 2], 5, 4)  # totals far more spread than binomial: fine
    assert spread.agreement.computable and spread.reliability.value > 0
    assert "negative" in psy.subkoviak([2, 3, 2, 3, 2, 3], 5, 3).agreement.reason  # KR-21 < 0
    assert "outside 0-5" in psy.subkoviak([1, 2, 3], 5, 6).agreement.reason
    assert psy.standard_error_of_measurement(2.0, None) is None
    assert psy.standard_error_of_measurement(2.0, -0.3) is None
    assert psy.feldt_interval(None, 10, 5) is None and psy.feldt_interval(0.5, 1, 5) is None
    assert np.isnan(psy.point_biserial([1, 1, 1], [1, 2, 3])) and np.isnan(psy.point_biserial([1, 0], [1, 2]))
    empty, no_max = pd.DataFrame(), pd.Series(dtype=float)
    for rows in (
        psy.fixed_form_reliability("pre", empty, no_max),
        psy.random_form_reliability("post", empty, no_max),
        psy.decision_consistency("post", empty, no_max, pd.Series(dtype=float)),
    ):
        assert len(rows) == 1 and rows[0]["note"].startswith("not computable")
    one = pd.DataFrame([[1.0, 0.0, 1.0]], columns=["a", "b", "c"])
    (row,) = psy.fixed_form_reliability("pre", one, pd.Series(1.0, index=["a", "b", "c"]))
    assert math.isnan(row["value"]) and "fewer than 2 learners (1)" in row["note"] and math.isnan(row["sem_points"])
    partial = pd.DataFrame([[0.5, 1.0], [1.0, 0.0], [0.0, 0.5]], columns=["a", "b"])
    (row,) = psy.decision_consistency("post", partial, pd.Series(1.0, index=["a", "b"]), pd.Series([70, 70, 70]))
    assert "dichotomous" in row["note"] and math.isnan(row["agreement_p0"])
    (_, row) = psy.random_form_reliability(
        "post", partial.assign(c=np.nan), pd.Series(1.0, index=["a", "b", "c"]), min_form_learners=3
    )
    assert row["statistic"] == psy.KR21 and "dichotomous" in row["note"] and math.isnan(row["value"])


def test_the_report_on_an_empty_store_and_on_one_learner_says_not_computable(store, clock, tmp_path):
    data = report.build(COURSE, store)
    assert data.reliability["note"].str.startswith("not computable").all() and len(data.reliability) == 2
    assert data.decision_consistency["note"].str.startswith("not computable").all()
    assert (data.item_flags["flags"] == "no responses").all()
    report.write(data, COURSE, tmp_path / "empty")
    walk(store, "only-learner", clock, until="evaluation")
    data = report.build(COURSE, store)
    reliability = data.reliability.set_index("bank")
    assert "fewer than 2 learners (1)" in reliability.loc[PRE.id, "note"]
    assert "fewer than 2 learners (1)" in reliability.loc[POST.id, "note"]
    assert data.decision_consistency.loc[0, "learners"] == 1
    assert "fewer than 2 learners" in data.decision_consistency.loc[0, "note"]
    written = report.write(data, COURSE, tmp_path / "one")
    assert {p.name for p in written} >= {"reliability.csv", "decision_consistency.csv", "item_flags.csv"}
    assert "Reliability: pre-test: KR-20 not computable: fewer than 2 learners (1)" in report.psychometrics_line(data)


def test_the_light_scipy_functions_agree_with_scipy_stats():
    """The report uses scipy.special (and numpy for Pearson's r) so a run does not import scipy.stats; on random
    inputs the t-test, Pearson's r and Subkoviak's agreement equal scipy.stats' own to the last digit (the report's
    CSVs print every digit), the F quantiles to within rounding."""
    from hnscc_edu.export.report_data import _paired_test

    rng = np.random.default_rng(19)
    for _ in range(50):
        n = int(rng.integers(3, 200))
        pre = rng.uniform(0, 100, n).round(1)
        post = np.clip(pre + rng.normal(5, 15, n), 0, 100).round(1)
        ours = _paired_test(pre.tolist(), post.tolist())
        theirs = stats.ttest_rel(post, pre)
        assert (ours["t"], ours["p_value"]) == (float(theirs.statistic), float(theirs.pvalue))  # to the last digit
        half = stats.t.ppf(0.975, n - 1) * np.std(post - pre, ddof=1) / math.sqrt(n)
        assert ours["ci95_high"] - ours["ci95_low"] == pytest.approx(2 * half, rel=1e-12)
        items = rng.integers(0, 2, n).astype(float)
        rest = rng.integers(0, 30, n).astype(float) + items * rng.integers(0, 3)
        ours_r, theirs_r = psy.point_biserial(items, rest), float(stats.pearsonr(items, rest).statistic)
        assert ours_r == theirs_r or (math.isnan(ours_r) and math.isnan(theirs_r))
        reliability, k = float(rng.uniform(0.1, 0.95)), int(rng.integers(2, 60))
        low, high = psy.feldt_interval(reliability, n, k)
        assert low == pytest.approx(1 - (1 - reliability) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1)), rel=1e-12)
        assert high == pytest.approx(1 - (1 - reliability) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1)), rel=1e-12)
        totals = rng.integers(0, k + 1, n).astype(float)
        cut = psy.cut_score(k, 75)
        ours_dc = psy.subkoviak(totals, k, cut)
        if ours_dc.reliability.value is None or ours_dc.reliability.value < 0:
            continue
        r = ours_dc.reliability.value
        passing = stats.binom.sf(cut - 1, k, r * totals / k + (1 - r) * totals.mean() / k)
        assert ours_dc.agreement.value == float(np.mean(passing**2 + (1 - passing) ** 2))
