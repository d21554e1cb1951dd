"""Psychometrics of the pre- and post-test for the outcomes report: reliability, pass/fail decision consistency and
item flags (issue 18 section 2).

Pure functions: numbers and frames in, numbers and frames out; no store, no I/O. A statistic that cannot be computed
(fewer than 2 items, fewer than 2 learners, no variance, missing scores) comes back as an ``Estimate`` with
``value=None`` and the reason in words, never as an exception or a silent NaN.

Variances are **population** variances (divisor N, ``ddof=0``) throughout: KR-20's item variances p(1-p) are
population variances, so its total-score variance must be one too. For alpha the choice cancels (every variance in
the ratio has the same divisor); for KR-21 and the SEM it does not, and N is used there as well.

Sources:

- Kuder, G. F. & Richardson, M. W. (1937). The theory of the estimation of test reliability. *Psychometrika* 2,
  151-160: KR-20 (formula 20) and KR-21 (formula 21).
- Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika* 16, 297-334.
- Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability coefficient twenty.
  *Psychometrika* 30, 357-370: the confidence interval of KR-20/alpha.
- Lord, F. M. (1965). A strong true-score theory, with applications. *Psychometrika* 30, 239-270: the binomial error
  model, under which each learner answers an independent random sample of items (KR-21 is the reliability of the
  number-correct score under that model).
- Subkoviak, M. J. (1976). Estimating reliability from a single administration of a criterion-referenced test.
  *Journal of Educational Measurement* 13, 265-276: the decision-consistency (agreement) coefficient and kappa.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Item flags (issue 18 section 2): the usual classical-test-theory screening thresholds.
TOO_HARD = 0.2  # difficulty (mean share of credit) below this
TOO_EASY = 0.9  # difficulty above this
LOW_DISCRIMINATION = 0.2  # corrected point-biserial below this
# The post-test gets a KR-20/alpha of its own for a form (one set of items) only when at least this many learners
# took exactly that form in their first attempt; fewer give too unstable an item covariance to be worth reporting.
MIN_FORM_LEARNERS = 30

KR20, ALPHA, KR21 = "KR-20", "Cronbach's alpha", "KR-21"
RELIABILITY_COLUMNS = [
    "bank",
    "form",
    "statistic",
    "learners",
    "items",
    "value",
    "ci95_low",
    "ci95_high",
    "mean_score",
    "sd_score",
    "max_score",
    "sem_points",
    "sem_percent",
    "lower_bound",
    "note",
]
DECISION_COLUMNS = [
    "bank",
    "pass_mark",
    "cut_items",
    "learners",
    "items",
    "kr21",
    "observed_pass_percent",
    "expected_pass_percent",
    "agreement_p0",
    "chance_agreement",
    "kappa",
    "note",
]
FLAG_COLUMNS = [
    "bank",
    "item_id",
    "objective",
    "responses",
    "difficulty",
    "discrimination",
    "unchosen_distractors",
    "distractors_above_key",
    "flags",
]


@dataclass(frozen=True)
class Estimate:
    """A statistic, or why it could not be computed: ``value`` is None and ``reason`` says why."""

    value: float | None
    reason: str = ""

    @property
    def computable(self) -> bool:
        return self.value is not None


def _no(reason: str) -> Estimate:
    return Estimate(None, f"not computable: {reason}")


def _as_matrix(scores) -> np.ndarray | str:
    """A learners x items float matrix, or the reason it cannot give an internal-consistency coefficient."""
    try:
        matrix = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        return "the scores are not numbers"
    if matrix.ndim != 2:
        return "the scores are not a learners x items table"
    learners, items = matrix.shape
    if items < 2:
        return f"fewer than 2 items ({items})"
    if learners < 2:
        return f"fewer than 2 learners ({learners})"
    if not np.isfinite(matrix).all():
        return "some learners have no score on some items (every learner must have taken every item of the form)"
    return matrix


def kr20(scores) -> Estimate:
    """Kuder-Richardson formula 20 (Kuder & Richardson 1937) for dichotomous (0/1) items.

    KR-20 = k/(k-1) * (1 - sum_i p_i (1 - p_i) / var(X)), with k items, p_i the share of learners answering item i
    correctly and var(X) the population variance (divisor N) of the learners' number-correct totals.
    ``scores``: learners x items, every entry 0 or 1.
    """
    matrix = _as_matrix(scores)
    if isinstance(matrix, str):
        return _no(matrix)
    if not np.isin(matrix, (0.0, 1.0)).all():
        return _no("KR-20 needs items scored 0 or 1; use Cronbach's alpha for partial credit")
    k = matrix.shape[1]
    p = matrix.mean(axis=0)
    total_variance = matrix.sum(axis=1).var(ddof=0)
    if total_variance == 0:
        return _no("every learner has the same total score (no variance)")
    return Estimate(k / (k - 1) * (1 - float((p * (1 - p)).sum()) / float(total_variance)))


def cronbach_alpha(scores) -> Estimate:
    """Cronbach's alpha (Cronbach 1951), for items with partial credit (equal to KR-20 on 0/1 items).

    alpha = k/(k-1) * (1 - sum_i var(X_i) / var(X)), with var(X_i) the variance of item i's scores and var(X) that of
    the learners' totals, both population variances (the divisor cancels in the ratio). ``scores``: learners x items,
    in points.
    """
    matrix = _as_matrix(scores)
    if isinstance(matrix, str):
        return _no(matrix)
    k = matrix.shape[1]
    total_variance = matrix.sum(axis=1).var(ddof=0)
    if total_variance == 0:
        return _no("every learner has the same total score (no variance)")
    return Estimate(k / (k - 1) * (1 - float(matrix.var(axis=0, ddof=0).sum()) / float(total_variance)))


def kr21(totals: Sequence[float], items: int) -> Estimate:
    """Kuder-Richardson formula 21 (Kuder & Richardson 1937) from number-correct totals alone.

    KR-21 = k/(k-1) * (1 - M (k - M) / (k var(X))), M the mean total and var(X) its population variance. It equals
    KR-20 when every item has the same difficulty and is below it otherwise, so for one fixed form it is a **lower
    bound** of KR-20. It is also the reliability of the number-correct score under Lord's (1965) binomial error model,
    in which each learner answers an independent random sample of items: then the items' differing difficulties count
    as error, as they do when each learner gets a different randomly drawn form.
    """
    x = np.asarray(totals, dtype=float)
    if items < 2:
        return _no(f"fewer than 2 items ({items})")
    if x.ndim != 1 or len(x) < 2:
        return _no(f"fewer than 2 learners ({x.size})")
    if not np.isfinite(x).all() or (x < 0).any() or (x > items).any():
        return _no(f"the totals are not numbers of correct answers out of {items}")
    variance = x.var(ddof=0)
    if variance == 0:
        return _no("every learner has the same total score (no variance)")
    mean = x.mean()
    return Estimate(float(items / (items - 1) * (1 - mean * (items - mean) / (items * variance))))


def feldt_interval(
    reliability: float | None, learners: int, items: int, level: float = 0.95
) -> tuple[float, float] | None:
    """Confidence interval of KR-20/alpha (Feldt 1965): (1 - rho) / (1 - estimate) follows an F distribution with
    N - 1 and (N - 1)(k - 1) degrees of freedom, so the interval is
    [1 - (1 - estimate) F(1 - g/2), 1 - (1 - estimate) F(g/2)] with g = 1 - level. None when it cannot be had.
    The F quantiles are ``scipy.special.fdtri`` (what ``scipy.stats.f.ppf`` computes, without importing scipy.stats,
    about half a second of every report run)."""
    from scipy import special

    if reliability is None or learners < 2 or items < 2 or not math.isfinite(reliability):
        return None
    df1, df2 = learners - 1, (learners - 1) * (items - 1)
    gamma = 1 - level
    return (
        1 - (1 - reliability) * float(special.fdtri(df1, df2, 1 - gamma / 2)),
        1 - (1 - reliability) * float(special.fdtri(df1, df2, gamma / 2)),
    )


def standard_error_of_measurement(sd: float, reliability: float | None) -> float | None:
    """SEM = SD * sqrt(1 - r) (classical test theory), SD the population standard deviation of the totals; None
    when the reliability is missing or outside 0-1 (a negative coefficient gives no meaningful SEM)."""
    if reliability is None or not 0 <= reliability <= 1 or not math.isfinite(sd):
        return None
    return sd * math.sqrt(1 - reliability)


def cut_score(items: int, pass_mark: float) -> int:
    """The fewest correct answers out of ``items`` equally weighted items that reach ``pass_mark`` percent, the way
    the course decides a pass (``rules.assessment.passes``: exactly the mark passes)."""
    return max(0, math.ceil(pass_mark * items / 100 - 1e-9))


@dataclass(frozen=True)
class DecisionConsistency:
    """Subkoviak's (1976) single-administration estimates for one pass mark (see ``subkoviak``)."""

    agreement: Estimate  # p0: the expected share of learners given the same decision on two parallel forms
    kappa: Estimate  # p0 corrected for chance agreement
    reliability: Estimate  # the KR-21 used in the true-score estimates
    chance: float | None = None  # p_c, the agreement expected by chance
    expected_pass: float | None = None  # mean probability of passing under the model


def subkoviak(totals: Sequence[float], items: int, cut: int) -> DecisionConsistency:
    """Pass/fail decision consistency from one administration: Subkoviak's (1976) agreement coefficient and kappa.

    For ``items`` equally weighted dichotomous items and a pass at ``cut`` or more correct:

    1. Each learner's true proportion correct is estimated by Kelley's regression toward the group mean,
       p_hat = r * x / n + (1 - r) * M / n, with x the learner's total, n the number of items, M the mean total
       and r = KR-21 of the totals: the binomial model's own reliability, and one that needs only the totals
       (all that a test drawn per learner offers). A negative KR-21 gives no result (the estimates would leave 0-1).
    2. Under the binomial error model, the chance that the learner passes a randomly parallel form is
       P = P(Binomial(n, p_hat) >= cut), the regularized incomplete beta function I_p_hat(cut, n - cut + 1)
       (``scipy.special.betainc``: what ``scipy.stats.binom.sf(cut - 1, n, p_hat)`` computes, to the last digit).
    3. The chance of the same decision on two independent parallel forms is P^2 + (1 - P)^2; the agreement
       coefficient p0 is its mean over learners.
    4. Chance agreement p_c = Pbar^2 + (1 - Pbar)^2 with Pbar the mean of P, and kappa = (p0 - p_c) / (1 - p_c).

    p0 is the expected share of learners who would be classified the same way (pass or fail) on a second, parallel
    form. It depends on where the cut falls in the score distribution (a cut far from most learners gives a high p0
    even on an unreliable test); kappa removes the agreement expected by chance.
    """
    from scipy import special

    x = np.asarray(totals, dtype=float)
    if not 0 <= cut <= items:
        reason = f"not computable: the cut ({cut} correct) is outside 0-{items}"
        return DecisionConsistency(Estimate(None, reason), Estimate(None, reason), Estimate(None, reason))
    r = kr21(x, items)
    if r.value is None:
        return DecisionConsistency(Estimate(None, r.reason), Estimate(None, r.reason), r)
    if r.value < 0:
        reason = f"not computable: KR-21 is negative ({r.value:.3f}), so the true-score estimates are meaningless"
        return DecisionConsistency(Estimate(None, reason), Estimate(None, reason), r)
    p_hat = r.value * x / items + (1 - r.value) * x.mean() / items
    passing = special.betainc(cut, items - cut + 1, p_hat) if cut > 0 else np.ones_like(p_hat)
    p0 = float(np.mean(passing**2 + (1 - passing) ** 2))
    mean_pass = float(passing.mean())
    chance = mean_pass**2 + (1 - mean_pass) ** 2
    kappa = (
        Estimate((p0 - chance) / (1 - chance))
        if chance < 1 - 1e-12
        else _no("every learner is expected to get the same decision, so kappa's chance correction is 0/0")
    )
    return DecisionConsistency(Estimate(p0), kappa, r, chance, mean_pass)


def point_biserial(item_scores: Sequence[float], rest_scores: Sequence[float]) -> float:
    """Discrimination: the Pearson correlation of an item's score with the rest score (on a 0/1 item it is the
    point-biserial), in the operations of ``scipy.stats.pearsonr`` so the figure is its figure to the last digit:
    both centred, each scaled by its largest deviation before its length is taken, then the dot product of the unit
    vectors, kept within -1..1 (scipy.stats itself is not imported: it costs every report run about half a second).
    NaN when it cannot be computed: fewer than 3 learners, or either score constant (the report's item table keeps
    NaN, written as an empty cell)."""
    xs, ys = np.asarray(item_scores, dtype=float), np.asarray(rest_scores, dtype=float)
    if len(xs) < 3 or len(xs) != len(ys) or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return float("nan")
    xm, ym = xs - xs.mean(), ys - ys.mean()
    x_largest, y_largest = np.max(np.abs(xm)), np.max(np.abs(ym))
    x_length = x_largest * np.linalg.vector_norm(xm / x_largest)
    y_length = y_largest * np.linalg.vector_norm(ym / y_largest)
    return float(np.clip(np.vecdot(xm / x_length, ym / y_length), -1.0, 1.0))


# -- item flags ----------------------------------------------------------------------------------------------------
def item_flags(
    difficulty: float,
    discrimination: float,
    option_counts: dict[str, int] | None = None,
    keys: set[str] | frozenset[str] = frozenset(),
    responses: int | None = None,
) -> list[str]:
    """The flags of one item, in words (issue 18 section 2):

    - "too hard": difficulty (mean share of credit) below ``TOO_HARD`` (0.2);
    - "too easy": difficulty above ``TOO_EASY`` (0.9);
    - "low discrimination": corrected point-biserial below ``LOW_DISCRIMINATION`` (0.2);
      "discrimination not computable" when it is missing although learners answered (e.g. everyone scored alike);
    - "distractor never chosen: <ids>": an option that is not a key and that no learner chose;
    - "distractor chosen more than the key: <ids>": a distractor chosen more often than the key (for an item with
      several keys, more often than the least-chosen key).

    ``option_counts`` maps option id to how many learners chose it (every option, zeros included), ``keys`` holds
    the keyed options; items without options (numeric, ordering...) get no distractor flags. An item nobody answered
    gets only "no responses".
    """
    if responses == 0:
        return ["no responses"]
    flags = []
    if not math.isnan(difficulty):
        if difficulty < TOO_HARD:
            flags.append("too hard")
        elif difficulty > TOO_EASY:
            flags.append("too easy")
    if math.isnan(discrimination):
        flags.append("discrimination not computable")
    elif discrimination < LOW_DISCRIMINATION:
        flags.append("low discrimination")
    unchosen, above = _distractor_findings(option_counts or {}, keys)
    if unchosen:
        flags.append("distractor never chosen: " + ", ".join(unchosen))
    if above:
        flags.append("distractor chosen more than the key: " + ", ".join(above))
    return flags


def _distractor_findings(option_counts: dict[str, int], keys: set[str] | frozenset[str]) -> tuple[list[str], list[str]]:
    distractors = {option: count for option, count in option_counts.items() if option not in keys}
    key_counts = [count for option, count in option_counts.items() if option in keys]
    if not distractors or not key_counts:
        return [], []
    least_key = min(key_counts)
    return (
        [option for option, count in distractors.items() if count == 0],
        [option for option, count in distractors.items() if count > least_key],
    )


def flag_items(item_analysis: pd.DataFrame, distractors: pd.DataFrame) -> pd.DataFrame:
    """``item_flags.csv``: per item of the item analysis (columns bank, item_id, objective, responses, difficulty,
    discrimination) its distractor findings from the distractor table (bank, item_id, option_id, correct, chosen)
    and its flags, joined with "; " (empty for an item with none)."""
    options: dict[tuple[str, str], tuple[dict[str, int], set[str]]] = {}
    for (bank, item), group in distractors.groupby(["bank", "item_id"], sort=False):
        counts = dict(zip(group["option_id"].astype(str), group["chosen"].astype(int), strict=True))
        options[(bank, item)] = (counts, set(group.loc[group["correct"].astype(bool), "option_id"].astype(str)))
    rows = []
    for row in item_analysis.itertuples(index=False):
        counts, keys = options.get((row.bank, row.item_id), ({}, set()))
        unchosen, above = _distractor_findings(counts, keys) if row.responses else ([], [])
        rows.append(
            {
                "bank": row.bank,
                "item_id": row.item_id,
                "objective": row.objective,
                "responses": row.responses,
                "difficulty": row.difficulty,
                "discrimination": row.discrimination,
                "unchosen_distractors": " ".join(unchosen),
                "distractors_above_key": " ".join(above),
                "flags": "; ".join(
                    item_flags(float(row.difficulty), float(row.discrimination), counts, keys, int(row.responses))
                ),
            }
        )
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


# -- the report's tables -------------------------------------------------------------------------------------------
def _dichotomous(points: np.ndarray, max_points: np.ndarray) -> bool:
    """Every item scored all or nothing, every item worth the same: then totals are numbers of correct answers."""
    return bool(
        len(max_points)
        and np.all(max_points == max_points[0])
        and max_points[0] > 0
        and np.isin(points / max_points, (0.0, 1.0)).all()
    )


def internal_consistency(points: np.ndarray, max_points: np.ndarray) -> tuple[str, Estimate]:
    """KR-20 when the form's items are dichotomous and equally weighted, else Cronbach's alpha on the points."""
    matrix = np.asarray(points, dtype=float)
    maxima = np.asarray(max_points, dtype=float)
    if matrix.ndim == 2 and matrix.size and np.isfinite(matrix).all() and _dichotomous(matrix, maxima):
        return KR20, kr20(matrix / maxima)
    return ALPHA, cronbach_alpha(matrix)


def _row(
    bank: str,
    form: str,
    statistic: str,
    estimate: Estimate,
    totals: np.ndarray,
    max_score: float,
    items: int,
    lower_bound: bool = False,
    note: str = "",
    interval: tuple[float, float] | None = None,
) -> dict:
    learners = len(totals)
    sd = float(totals.std(ddof=0)) if learners else float("nan")
    sem = standard_error_of_measurement(sd, estimate.value)
    nan = float("nan")
    return {
        "bank": bank,
        "form": form,
        "statistic": statistic,
        "learners": learners,
        "items": items,
        "value": estimate.value if estimate.computable else nan,
        "ci95_low": interval[0] if interval else nan,
        "ci95_high": interval[1] if interval else nan,
        "mean_score": float(totals.mean()) if learners else nan,
        "sd_score": sd if learners else nan,
        "max_score": max_score,
        "sem_points": sem if sem is not None else nan,
        "sem_percent": 100 * sem / max_score if sem is not None and max_score > 0 else nan,
        "lower_bound": lower_bound,
        "note": "; ".join(part for part in (note, estimate.reason) if part),
    }


def _forms(points: pd.DataFrame) -> pd.Series:
    """Per learner (row), the form taken: the sorted ids of the items with a score, joined by spaces."""
    if points.empty:
        return pd.Series([], index=points.index, dtype=object)
    seen = points.notna().to_numpy()
    columns = np.asarray(points.columns, dtype=object)
    packed = pd.Series([row.tobytes() for row in np.packbits(seen, axis=1)], index=points.index)
    names = {
        key: " ".join(sorted(columns[seen[position]]))
        for key, position in zip(*np.unique(packed.to_numpy(), return_index=True), strict=True)
    }
    return packed.map(names)


def fixed_form_reliability(bank: str, points: pd.DataFrame, max_points: pd.Series) -> list[dict]:
    """Reliability rows of a fixed-form test (the pre-test): KR-20 (dichotomous, equally weighted items) or alpha,
    with Feldt's 95% interval and the SEM. ``points``: one row per learner, one column per item (NaN where the
    learner has no score), ``max_points``: each item's maximum. Normally there is one form; if the bank changed while
    learners took it, each form gets its row (learners who did not take every item of the bank are not mixed in)."""
    if points.empty or points.shape[1] == 0:
        return [_row(bank, "fixed form", KR20, _no("no learner completed this test"), np.array([]), float("nan"), 0)]
    rows = []
    forms = _forms(points)
    for form, members in points.groupby(forms, sort=False):
        items = form.split()
        matrix = members[items].to_numpy(dtype=float)
        maxima = max_points.reindex(items).to_numpy(dtype=float)
        statistic, estimate = internal_consistency(matrix, maxima)
        totals = matrix.sum(axis=1)
        label = "fixed form" if forms.nunique() == 1 else f"form of {len(items)} items: {form}"
        rows.append(
            _row(
                bank,
                label,
                statistic,
                estimate,
                totals,
                float(maxima.sum()),
                len(items),
                interval=feldt_interval(estimate.value, len(totals), len(items)),
            )
        )
    return rows


def random_form_reliability(
    bank: str, points: pd.DataFrame, max_points: pd.Series, min_form_learners: int = MIN_FORM_LEARNERS
) -> list[dict]:
    """Reliability rows of a test whose form is drawn per learner (the post-test's first attempts).

    - every form (the same set of items) that ``min_form_learners`` or more learners took: KR-20 or alpha on it,
      as for a fixed form;
    - over every learner: KR-21 on the number-correct totals, labelled as a **lower bound** (``lower_bound`` True).
      With a different random form per learner, classical KR-20 of "the" form does not exist; KR-21 is the
      reliability under Lord's (1965) binomial error model (randomly sampled items, their difficulty counted as
      error; the post-test's draw is stratified by objective, which removes some of that error, so KR-21 errs low)
      and it is below the KR-20 of any one form of equally weighted items. Only forms of the most common length are
      pooled (KR-21 needs one number of items); it needs dichotomous, equally weighted items.
    """
    if points.empty or points.shape[1] == 0:
        return [
            _row(
                bank,
                "first attempts, random forms",
                KR21,
                _no("no learner finished an attempt"),
                np.array([]),
                float("nan"),
                0,
                lower_bound=True,
            )
        ]
    rows = []
    forms = _forms(points)
    counts = forms.value_counts()
    for form in counts[counts >= min_form_learners].index:
        rows.extend(
            r | {"form": f"one form, {len(form.split())} items: {form}"}
            for r in fixed_form_reliability(bank, points[forms == form], max_points)
        )
    lengths = points.notna().sum(axis=1)
    k = int(lengths.mode().iloc[0])
    pooled = points[lengths == k]
    left_out = len(points) - len(pooled)
    seen = pooled.notna().to_numpy()
    values = pooled.to_numpy(dtype=float)
    maxima = np.broadcast_to(max_points.reindex(pooled.columns).to_numpy(dtype=float), values.shape)
    note = (
        f"a lower bound, not the reliability of a form: KR-21 on first-attempt totals over {forms.nunique()} "
        "different randomly drawn forms"
    )
    if left_out:
        note += f"; {left_out} learners whose attempt had another number of items left out"
    if len(counts[counts >= min_form_learners]) == 0:
        note += f"; no single form was taken by {min_form_learners} or more learners"
    item_max = np.unique(maxima[seen]) if seen.any() else np.array([])
    dichotomous = len(item_max) == 1 and item_max[0] > 0 and np.isin(values[seen] / item_max[0], (0.0, 1.0)).all()
    if not dichotomous:
        return rows + [
            _row(
                bank,
                "first attempts, random forms",
                KR21,
                _no("KR-21 needs dichotomous, equally weighted items"),
                np.array([]),
                float("nan"),
                k,
                lower_bound=True,
                note=note,
            )
        ]
    correct = np.nansum(values, axis=1) / item_max[0]
    return rows + [
        _row(
            bank,
            "first attempts, random forms",
            KR21,
            kr21(correct, k),
            correct,
            float(k),
            k,
            lower_bound=True,
            note=note,
        )
    ]


def decision_consistency(bank: str, points: pd.DataFrame, max_points: pd.Series, pass_marks: pd.Series) -> list[dict]:
    """``decision_consistency.csv``: Subkoviak's agreement coefficient p0 and kappa (``subkoviak``) for the pass
    decision of the first post-test attempts, one row per pass mark announced (normally one). ``points`` as in
    ``random_form_reliability``, ``pass_marks`` the pass mark (%) of each row's attempt. Forms of the most common
    length only; needs dichotomous, equally weighted items (the binomial model counts correct answers)."""
    nan = float("nan")
    rows = []
    if points.empty:
        return [
            {
                "bank": bank,
                "pass_mark": nan,
                "cut_items": nan,
                "learners": 0,
                "items": 0,
                "kr21": nan,
                "observed_pass_percent": nan,
                "expected_pass_percent": nan,
                "agreement_p0": nan,
                "chance_agreement": nan,
                "kappa": nan,
                "note": "not computable: no learner finished an attempt",
            }
        ]
    lengths = points.notna().sum(axis=1)
    k = int(lengths.mode().iloc[0])
    for mark in sorted(pass_marks.reindex(points.index).dropna().unique()):
        group = points[(lengths == k) & (pass_marks.reindex(points.index) == mark)]
        values = group.to_numpy(dtype=float)
        seen = ~np.isnan(values)
        maxima = np.broadcast_to(max_points.reindex(group.columns).to_numpy(dtype=float), values.shape)
        item_max = np.unique(maxima[seen])
        cut = cut_score(k, float(mark))
        row = {"bank": bank, "pass_mark": mark, "cut_items": cut, "learners": len(group), "items": k}
        if not (len(item_max) == 1 and item_max[0] > 0 and np.isin(values[seen] / item_max[0], (0.0, 1.0)).all()):
            reason = "not computable: the binomial model needs dichotomous, equally weighted items"
            rows.append(
                row
                | {
                    "kr21": nan,
                    "observed_pass_percent": nan,
                    "expected_pass_percent": nan,
                    "agreement_p0": nan,
                    "chance_agreement": nan,
                    "kappa": nan,
                    "note": reason,
                }
            )
            continue
        correct = np.nansum(values, axis=1) / item_max[0]
        result = subkoviak(correct, k, cut)
        reasons = [r for r in dict.fromkeys((result.agreement.reason, result.kappa.reason)) if r]
        rows.append(
            row
            | {
                "kr21": result.reliability.value if result.reliability.computable else nan,
                "observed_pass_percent": 100 * float((correct >= cut).mean()) if len(correct) else nan,
                "expected_pass_percent": 100 * result.expected_pass if result.expected_pass is not None else nan,
                "agreement_p0": result.agreement.value if result.agreement.computable else nan,
                "chance_agreement": result.chance if result.chance is not None else nan,
                "kappa": result.kappa.value if result.kappa.computable else nan,
                "note": "; ".join(reasons),
            }
        )
    return rows
