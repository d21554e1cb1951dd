"""Linear-quadratic (LQ) dose conversions for re-irradiation: BED, EQD2, cumulative EQD2 with an explicit recovery
assumption, and cumulative organ-at-risk checks against every source's own limit.

Symbols: D total physical dose (Gy), n number of fractions, d = D/n dose per fraction (Gy), α/β tissue ratio (Gy).
Sources: the LQ formulas of ``tsang-rbapp-equations`` and ``icrpaedia-equieffective-dose`` [verified]; the limits
of the sources keyed in ``oar_limits``; the recovery rules named in :func:`recovery_fraction`. Worked values marked
[derived] are computed from these formulas (tests/unit/clinical/test_dose.py checks them).

The LQ model is contested for large doses per fraction (SBRT); alternatives such as LQ-L exist. Every function
here still computes, but :func:`summary` flags doses per fraction above ``SBRT_CAVEAT_GY_PER_FRACTION``. A dose per
fraction above ``MAX_GY_PER_FRACTION`` (35 Gy) is refused as an entry slip (``DosePerFractionError``), with the
dose read as cGy suggested when that is plausible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from . import _validate as check
from .oar_limits import CUMULATIVE_EQD2, LAST_COURSE_PHYSICAL, ORGAN_LIMITS, ORGANS, OrganLimit

FORMULA_SOURCES: tuple[str, ...] = ("tsang-rbapp-equations", "icrpaedia-equieffective-dose")
SBRT_CAVEAT_GY_PER_FRACTION = 8.0
NEAR_FRACTION = 0.95  # a teaching convention, not from a source: within 5% of a single-number limit is "near"


# A plausibility rule of this calculator, set to catch entry slips; not a clinical limit (radiosurgery of a small
# target or brachytherapy can exceed it, and the LQ conversion is not meant for them). A larger dose per fraction is
# most often a dose in cGy typed as Gy (4600 "Gy" in 23 fractions is 200 Gy per fraction).
MAX_GY_PER_FRACTION = 35.0
CGY_PER_GY = 100
MIN_SUGGESTED_GY_PER_FRACTION = 0.5


class DosePerFractionError(ValueError):
    """A dose per fraction above ``MAX_GY_PER_FRACTION``. ``suggested_gy``: the dose read as cGy, when that gives a
    plausible schedule (so a view can ask "did you mean 46 Gy?"); None otherwise."""

    def __init__(self, message: str, dose_gy: float, fractions: int, suggested_gy: float | None) -> None:
        super().__init__(message)
        self.dose_gy, self.fractions, self.suggested_gy = dose_gy, fractions, suggested_gy


def plausible_per_fraction(dose_gy: float, fractions: int) -> None:
    """Refuse a dose per fraction above ``MAX_GY_PER_FRACTION`` with a ``DosePerFractionError`` whose message
    suggests the dose in cGy when that reading is plausible."""
    per_fraction = dose_gy / fractions
    if per_fraction <= MAX_GY_PER_FRACTION:
        return
    suggested = dose_gy / CGY_PER_GY
    # read as cGy, the dose per fraction must itself look like a schedule (0.5 Gy and up), or nothing is suggested
    plausible = MIN_SUGGESTED_GY_PER_FRACTION <= suggested / fractions <= MAX_GY_PER_FRACTION
    hint = (
        f" Did you mean {suggested:g} Gy ({dose_gy:g} cGy)?"
        if plausible
        else " Check the dose and the number of fractions."
    )
    raise DosePerFractionError(
        f"{dose_gy:g} Gy in {fractions} fraction{'s' if fractions != 1 else ''} is {per_fraction:g} Gy per fraction, "
        f"more than this calculator accepts ({MAX_GY_PER_FRACTION:g} Gy per fraction, a limit set to catch entry "
        f"slips).{hint}",
        dose_gy,
        fractions,
        suggested if plausible else None,
    )


def _inputs(dose_gy: object, fractions: object, alpha_beta: object) -> tuple[float, int, float]:
    total, count = check.non_negative(dose_gy, "A dose", "Gy"), check.fraction_count(fractions)
    plausible_per_fraction(total, count)
    return total, count, check.alpha_beta(alpha_beta)


def bed(dose_gy: float, fractions: int, alpha_beta: float) -> float:
    """Biologically effective dose of one course.

    ``BED = D * (1 + d / (α/β))`` with ``d = D / n`` (Gy; often written Gy_{α/β}, e.g. Gy2, Gy10).
    Source: LQ model as given on the University of Toronto radiobiology-app equations page citing Hall & Giaccia
    (``tsang-rbapp-equations``) and ICRPaedia "Equieffective dose" (``icrpaedia-equieffective-dose``) [verified].
    Worked values: 50 Gy / 25 fx gives 100 Gy2 at α/β 2 and 75 Gy4 at α/β 4 (Nieder 2006, ``nieder2006``).

    Valid input: ``dose_gy >= 0`` (Gy), ``fractions`` a whole number >= 1, ``alpha_beta > 0`` (Gy).
    The LQ model is least reliable above about 8-10 Gy per fraction.
    """
    total, count, ab = _inputs(dose_gy, fractions, alpha_beta)
    return total * (1.0 + (total / count) / ab)


def eqd2(dose_gy: float, fractions: int, alpha_beta: float) -> float:
    """Equivalent dose in 2-Gy fractions of one course.

    ``EQD2 = BED / (1 + 2/(α/β)) = D * (d + α/β) / (2 + α/β)`` (Gy).
    Source: ``tsang-rbapp-equations`` [verified]; general EQDX form from ``icrpaedia-equieffective-dose``. At
    d = 2 Gy the EQD2 equals the physical dose.
    Worked values ([derived]): 60 Gy / 40 fx is 57.5 Gy at α/β 10 and 52.5 Gy at α/β 2;
    44 Gy / 5 fx is 103.84 Gy at α/β 3.

    Valid input as for :func:`bed`.
    """
    total, count, ab = _inputs(dose_gy, fractions, alpha_beta)
    return total * (total / count + ab) / (2.0 + ab)


def eqd2_from_bed(bed_gy: float, alpha_beta: float) -> float:
    """Convert a BED (Gy_{α/β}) into EQD2 (Gy): ``EQD2 = BED / (1 + 2/(α/β))``.

    Source: ``tsang-rbapp-equations`` [verified]. Example ([derived]): Nieder's cumulative cord threshold 135.5 Gy2
    is an EQD2 of 67.75 Gy at α/β 2; 120 Gy2 is 60 Gy; 98 Gy2 is 49 Gy.
    Valid input: ``bed_gy >= 0``, ``alpha_beta > 0``.
    """
    value = check.non_negative(bed_gy, "A BED", "Gy")
    ab = check.alpha_beta(alpha_beta)
    return value / (1.0 + 2.0 / ab)


def recovery_fraction(months_since_prior: float) -> float:
    """Fraction of the earlier course assumed to be recovered by the time of re-irradiation (default rule).

    Rule of thumb for the spinal cord (Doi 2021, ``doi2021`` [verified]): 0 before 6 months, 0.25 from 6 to
    under 12 months, 0.5 from 12 months on (tolerance rises to 125% or 150% of the first-course tolerance).
    Partial repair becomes evident about 6 months after RT and grows over 2 years (QUANTEC,
    ``kirkpatrick2010-quantec`` [verified]). Practice varies: a 2025 17-centre survey found a median
    tissue-recovery factor of 23% (``survey2025-reirradiation-constraints`` [verified]), and whether any recovery
    applies to carotid, mandible or mucosa is unresolved in the sources read for the course. State the assumption.

    Valid input: ``months_since_prior >= 0`` (months). Returns 0.0, 0.25 or 0.5.
    """
    months = check.non_negative(months_since_prior, "The time since the previous course", "months")
    if months < 6:
        return 0.0
    if months < 12:
        return 0.25
    return 0.5


MONTH_DAYS = 365.25 / 12  # an average calendar month, so that 12 "months" are one year of days


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Months from the end of one course to the start of the next, for :func:`recovery_fraction`.

    Calendar arithmetic, not a clinical source: days divided by an average month of 30.44 days.
    Valid input: two dates with ``earlier`` on or before ``later``.
    """
    for value, what in ((earlier, "The earlier date"), (later, "The later date")):
        if not isinstance(value, dt.date):
            raise ValueError(f"{what} must be a date: got {value!r}.")  # noqa: TRY004 - one error type (_validate.py)
    if later < earlier:
        raise ValueError(
            f"The courses are out of order: {later:%Y-%m-%d} comes before {earlier:%Y-%m-%d}. "
            "List courses oldest first."
        )
    return (later - earlier).days / MONTH_DAYS


def _courses(courses: object) -> list[tuple[float, int]]:
    listed = check.items(courses, "The courses")
    if not listed:
        raise ValueError("Give at least one course of radiotherapy as (dose in Gy, number of fractions).")
    result = []
    for number, course in enumerate(listed, start=1):
        if isinstance(course, (str, bytes)) or not isinstance(course, Iterable) or len(course := tuple(course)) != 2:
            raise ValueError(f"Course {number} must be a pair (dose in Gy, number of fractions): got {course!r}.")
        try:
            total, count = check.non_negative(course[0], "A dose", "Gy"), check.fraction_count(course[1])
            plausible_per_fraction(total, count)
        except DosePerFractionError as error:
            raise DosePerFractionError(
                f"Course {number}: {error}", error.dose_gy, error.fractions, error.suggested_gy
            ) from None
        except ValueError as error:
            raise ValueError(f"Course {number}: {error}") from None
        result.append((total, count))
    return result


def _recovery(recovery: object) -> float:
    return check.proportion(recovery, "The recovery fraction")


def cumulative_eqd2(courses: Iterable[tuple[float, int]], alpha_beta: float, recovery: float = 0.0) -> float:
    """Cumulative EQD2 of several courses, with every course before the last discounted for recovery.

    ``EQD2_cum = (1 - r) * sum(EQD2 of earlier courses) + EQD2 of the last course`` (Gy), each course converted
    with its own dose per fraction before adding (the LQ formulas of ``tsang-rbapp-equations``, summed as a GEC-ESTRO
    teaching slide does; the recovery form restates Doi 2021, ``doi2021``). ``courses`` run oldest first, each
    ``(dose_gy, fractions)``. Examples ([derived]): 70 Gy/35 fx + 40 Gy/5 fx at α/β 10 gives 130 Gy; 60 Gy/30 fx +
    30 Gy/5 fx at α/β 3 gives 114 Gy.

    Valid input: at least one course; doses >= 0 Gy; whole fractions >= 1; ``alpha_beta > 0``;
    ``0 <= recovery <= 1`` (see :func:`recovery_fraction`).
    """
    listed = _courses(courses)
    ab = check.alpha_beta(alpha_beta)
    kept = 1.0 - _recovery(recovery)
    values = [eqd2(total, count, ab) for total, count in listed]
    return kept * sum(values[:-1]) + values[-1]


def remaining_eqd2(
    limit_eqd2_gy: float, prior_courses: Iterable[tuple[float, int]], alpha_beta: float, recovery: float = 0.0
) -> float:
    """EQD2 still available to a new course: ``limit - (1 - r) * sum(EQD2 of prior courses)`` (Gy).

    Source: the recovery rule of Doi 2021 (``doi2021`` [verified]); their example: cord EQD2 50 Gy first, re-RT
    18 months later with 50% recovery against a 50 Gy tolerance leaves 25 Gy. A negative result means the
    earlier courses alone already exceed the limit.
    Valid input: ``limit_eqd2_gy >= 0``; prior courses and α/β as for :func:`cumulative_eqd2`; ``0 <= recovery <= 1``.
    """
    limit = check.non_negative(limit_eqd2_gy, "The EQD2 limit", "Gy")
    listed = _courses(prior_courses)
    ab = check.alpha_beta(alpha_beta)
    kept = 1.0 - _recovery(recovery)
    return limit - kept * sum(eqd2(total, count, ab) for total, count in listed)


def max_dose_for_eqd2(eqd2_gy: float, fractions: int, alpha_beta: float) -> float:
    """Total physical dose in ``fractions`` fractions that gives the requested EQD2 (inverse of :func:`eqd2`).

    From ``EQD2 (2 + α/β) = D (D/n + α/β)``: ``D^2/n + (α/β) D - EQD2 (2 + α/β) = 0``, positive root
    ``D = (n/2) * (-α/β + sqrt((α/β)^2 + 4 EQD2 (2 + α/β) / n))``, computed in the algebraically equal form
    ``D = 2 EQD2 (2 + α/β) / (α/β + sqrt((α/β)^2 + 4 EQD2 (2 + α/β) / n))`` to avoid cancellation.
    Source: the LQ formula of ``tsang-rbapp-equations`` [verified], rearranged. Example ([derived]): EQD2 60 Gy in
    5 fractions at α/β 10 is 40 Gy.

    Valid input: ``eqd2_gy >= 0`` (Gy); whole ``fractions >= 1``; ``alpha_beta > 0`` (Gy).
    """
    target = check.non_negative(eqd2_gy, "The EQD2", "Gy")
    count = check.fraction_count(fractions)
    ab = check.alpha_beta(alpha_beta)
    product = target * (2.0 + ab)
    return 2.0 * product / (ab + math.sqrt(ab * ab + 4.0 * product / count))


@dataclass(frozen=True)
class DoseSummary:
    """BED and EQD2 of one course with the assumptions behind them (values in Gy)."""

    dose_gy: float
    fractions: int
    alpha_beta: float
    dose_per_fraction_gy: float
    bed_gy: float
    eqd2_gy: float
    unit: str
    assumptions: tuple[str, ...]
    source: tuple[str, ...]


def summary(dose_gy: float, fractions: int, alpha_beta: float) -> DoseSummary:
    """BED and EQD2 together, flagging doses per fraction where the LQ model is contested.

    Source: ``tsang-rbapp-equations`` [verified]; showing both quantities and flagging fractions above about 8-10 Gy
    is the course's own recommendation. Valid input as for :func:`bed`.
    """
    total, count, ab = _inputs(dose_gy, fractions, alpha_beta)
    per_fraction = total / count
    notes = ["Linear-quadratic model, no overall-time factor.", f"α/β = {ab:g} Gy."]
    if per_fraction > SBRT_CAVEAT_GY_PER_FRACTION:
        notes.append(
            f"{per_fraction:g} Gy per fraction: the LQ model is contested above about 8-10 Gy per "
            "fraction (SBRT); treat BED and EQD2 as approximate."
        )
    return DoseSummary(
        total,
        count,
        ab,
        per_fraction,
        bed(total, count, ab),
        eqd2(total, count, ab),
        "Gy",
        tuple(notes),
        FORMULA_SOURCES,
    )


def organ_limits(organ: str | None = None) -> tuple[OrganLimit, ...]:
    """The cumulative organ-at-risk limits table (one row per organ and per source), optionally for one organ.

    Sources per row (``row.source``); see :mod:`hnscc_edu.clinical.oar_limits` for what is and is not included.
    """
    if organ is None:
        return ORGAN_LIMITS
    return tuple(row for row in ORGAN_LIMITS if row.organ == _organ(organ))


def _organ(organ: object) -> str:
    if not isinstance(organ, str) or organ.strip().lower() not in ORGANS:
        raise ValueError(f"No cumulative limits are tabulated for {organ!r}. Organs with limits: {', '.join(ORGANS)}.")
    return organ.strip().lower()


@dataclass(frozen=True)
class LimitVerdict:
    """How a set of courses compares with one source's limit for one organ.

    ``status`` is "within", "near" (inside a source's range, or within 5% of a single-number limit), "over", or
    "not comparable" (the source's α/β is unknown and none was given). ``compared_gy`` is the number set against
    the limit (cumulative EQD2, or the last course's physical dose for a per-course observation);
    ``cumulative_eqd2_gy`` applies the requested recovery, ``undiscounted_eqd2_gy`` does not.
    """

    organ: str
    source: str
    source_label: str
    metric: str
    limit: str
    limit_low_gy: float
    limit_high_gy: float
    status: str
    compared_gy: float | None
    cumulative_eqd2_gy: float | None
    undiscounted_eqd2_gy: float | None
    alpha_beta: float | None
    confirmed: bool
    tag: str
    definition: str
    assumptions: str


def _status(value: float, row: OrganLimit) -> str:
    low, high = row.limit_low_gy, row.limit_high_gy
    at = math.isclose(value, high, rel_tol=1e-9, abs_tol=1e-9)
    if value > high and not at:
        return "over"
    if at and not row.inclusive and not row.is_range:
        return "over"
    if row.is_range:
        return "near" if value >= low or math.isclose(value, low, rel_tol=1e-9, abs_tol=1e-9) else "within"
    return "near" if value >= NEAR_FRACTION * low else "within"


def _verdict(
    row: OrganLimit, listed: list[tuple[float, int]], alpha_beta: float | None, recovery: float
) -> LimitVerdict:
    notes: list[str] = []
    ab = alpha_beta if alpha_beta is not None else row.alpha_beta
    if alpha_beta is not None and row.alpha_beta is not None and alpha_beta != row.alpha_beta:
        notes.append(f"Computed with the α/β you gave ({alpha_beta:g} Gy), not the source's {row.alpha_beta:g} Gy.")
    if alpha_beta is not None and row.alpha_beta is None:
        notes.append(f"Computed with the α/β you gave ({alpha_beta:g} Gy); the source does not state one.")
    if ab is None and row.assumed_alpha_beta is not None:
        ab = row.assumed_alpha_beta
        notes.append(f"The source's α/β is not stated; {ab:g} Gy is the α/β of the table that quotes it.")
    cumulative = undiscounted = None
    if ab is not None:
        values = [eqd2(total, count, ab) for total, count in listed]
        undiscounted = sum(values)
        cumulative = (1.0 - recovery) * sum(values[:-1]) + values[-1]
    if row.quantity == CUMULATIVE_EQD2:
        compared = cumulative
        if recovery > 0 and len(listed) > 1:
            notes.append(
                f"Earlier courses discounted by {recovery:.0%} for recovery (undiscounted sum "
                f"{undiscounted:.2f} Gy). This source states its limit as a plain cumulative sum at a "
                "minimum interval, so adding a recovery discount may count recovery twice [synthesis]."
            )
    else:
        compared = listed[-1][0]
        notes.append("Compared with the physical dose of the last course only, as the source defines it.")
    if compared is None:
        status = "not comparable"
        notes.append(
            "The source does not state its α/β; give alpha_beta to compare, and treat the result as an assumption."
        )
    else:
        status = _status(compared, row)
        if row.max_course_eqd2_gy is not None:
            worst = max(eqd2(total, count, ab) for total, count in listed)
            if worst > row.max_course_eqd2_gy + 1e-9:
                status = "over"
                notes.append(
                    f"One course reaches EQD2 {worst:.2f} Gy, above this source's per-course "
                    f"{row.max_course_eqd2_gy:g} Gy."
                )
        if row.max_last_course_eqd2_gy is not None:
            last = eqd2(*listed[-1], ab)
            if last > row.max_last_course_eqd2_gy + 1e-9:
                status = "over"
                notes.append(
                    f"The last course gives EQD2 {last:.2f} Gy, above the {row.max_last_course_eqd2_gy:g} "
                    "Gy this source reported as safe for it."
                )
        if row.max_last_course_share is not None and undiscounted:
            share = eqd2(*listed[-1], ab) / undiscounted
            notes.append(
                f"The last course is {share:.0%} of the total (source: <= about {row.max_last_course_share:.0%})."
            )
            if share > row.max_last_course_share + 1e-9:
                status = "over"
    if row.min_interval_months is not None:
        notes.append(
            f"The source assumes at least {row.min_interval_months:g} months between courses; "
            "the interval is not checked here."
        )
    if not row.confirmed:
        notes.append(
            "Unconfirmed: the text read gives this cut-off but not whether it is an EQD2 or at which α/β; read "
            "it as one cohort's threshold, not a limit."
        )
    return LimitVerdict(
        row.organ,
        row.source,
        row.source_label,
        row.metric,
        row.limit_text,
        row.limit_low_gy,
        row.limit_high_gy,
        status,
        compared,
        cumulative,
        undiscounted,
        ab,
        row.confirmed,
        row.tag,
        row.definition,
        " ".join(notes),
    )


def check_cumulative(
    organ: str, courses: Iterable[tuple[float, int]], alpha_beta: float | None = None, recovery: float = 0.0
) -> list[LimitVerdict]:
    """Compare the dose an organ received over several courses with every tabulated source's limit for it.

    ``courses``: oldest first, each ``(dose_gy, fractions)`` where ``dose_gy`` is the dose *to the organ* in that
    course at the source's metric (for example cord Dmax). Each source's own α/β is used unless ``alpha_beta`` is
    given; the cumulative EQD2 follows :func:`cumulative_eqd2` with ``recovery``. One :class:`LimitVerdict` per
    source, in table order; all rows for the organ are reported, including unconfirmed ones, because the sources
    disagree (limits, point-dose definitions and α/β differ from source to source: ``oar_limits``) and the
    disagreement is the lesson.
    Example (Sahgal 2012, ``sahgal2012``): prior cord Pmax EQD2 40 Gy + SBRT 25 Gy gives 65 Gy <= about 70 Gy and an
    SBRT share of 38% <= about 50%.

    Valid input: ``organ`` one of ``spinal_cord``, ``brachial_plexus``, ``great_vessels``, ``carotid_artery``,
    ``mandible``; courses as for :func:`cumulative_eqd2`; ``alpha_beta > 0`` or None; ``0 <= recovery <= 1``.
    """
    rows = organ_limits(organ)
    listed = _courses(courses)
    ab = None if alpha_beta is None else check.alpha_beta(alpha_beta)
    kept = _recovery(recovery)
    return [_verdict(row, listed, ab, kept) for row in rows]


@dataclass(frozen=True)
class CourseBudget:
    """The most one source's limit leaves for a new course to an organ, given the earlier courses.

    ``max_eqd2_gy`` is the EQD2 the new course may add (None when the source's α/β is unknown and none was given);
    ``max_physical_gy`` is that EQD2 as a physical dose in the new course's number of fractions. For a source whose
    limit is "below" a number (``inclusive`` False) the figures are the bound to stay under, not a dose to reach.
    """

    organ: str
    source: str
    source_label: str
    metric: str
    limit: str
    max_eqd2_gy: float | None
    max_physical_gy: float | None
    fractions: int
    alpha_beta: float | None
    confirmed: bool
    note: str


def _budget(
    row: OrganLimit, prior: list[tuple[float, int]], count: int, alpha_beta: float | None, recovery: float
) -> CourseBudget:
    notes: list[str] = []
    ab = alpha_beta if alpha_beta is not None else row.alpha_beta
    if ab is None and row.assumed_alpha_beta is not None:
        ab = row.assumed_alpha_beta
        notes.append(f"α/β {ab:g} Gy from the table that quotes this source.")
    if not row.inclusive:
        notes.append("Stay below this figure: the source's limit is strict.")
    if row.quantity == LAST_COURSE_PHYSICAL:
        notes.append("The source limits the physical dose of this course alone; earlier courses do not count.")
        return CourseBudget(
            row.organ,
            row.source,
            row.source_label,
            row.metric,
            row.limit_text,
            None,
            row.limit_high_gy,
            count,
            ab,
            row.confirmed,
            " ".join(notes),
        )
    if ab is None:
        notes.append("The source does not state its α/β; give alpha_beta to compute a budget.")
        return CourseBudget(
            row.organ,
            row.source,
            row.source_label,
            row.metric,
            row.limit_text,
            None,
            None,
            count,
            None,
            row.confirmed,
            " ".join(notes),
        )
    earlier = [eqd2(total, n, ab) for total, n in prior]
    caps = [row.limit_high_gy - (1.0 - recovery) * sum(earlier)]
    if row.is_range:
        notes.append(f"Budget to the top of the source's range; the range starts at {row.limit_low_gy:g} Gy.")
    if row.max_course_eqd2_gy is not None:
        caps.append(row.max_course_eqd2_gy)
        notes.append(f"No single course above EQD2 {row.max_course_eqd2_gy:g} Gy.")
        if max(earlier) > row.max_course_eqd2_gy + 1e-9:
            caps.append(0.0)
            notes.append("An earlier course already exceeds that per-course figure.")
    if row.max_last_course_eqd2_gy is not None:
        caps.append(row.max_last_course_eqd2_gy)
        notes.append(f"The new course itself at most EQD2 {row.max_last_course_eqd2_gy:g} Gy.")
    if row.max_last_course_share is not None:
        share = row.max_last_course_share
        caps.append(share / (1.0 - share) * sum(earlier))
        notes.append(f"The new course at most {share:.0%} of the total.")
    room = max(0.0, min(caps))
    if room == 0.0:
        notes.append("No room left under this source's limit.")
    return CourseBudget(
        row.organ,
        row.source,
        row.source_label,
        row.metric,
        row.limit_text,
        room,
        max_dose_for_eqd2(room, count, ab),
        count,
        ab,
        row.confirmed,
        " ".join(notes),
    )


def next_course_budget(
    organ: str,
    prior_courses: Iterable[tuple[float, int]],
    fractions: int,
    alpha_beta: float | None = None,
    recovery: float = 0.0,
) -> list[CourseBudget]:
    """For each tabulated source, the most a new course of ``fractions`` fractions may give the organ.

    Per source: ``limit - (1 - r) * sum(EQD2 of earlier courses)`` (the recovery rule of Doi 2021, ``doi2021``, as
    in :func:`remaining_eqd2`), further capped by the conditions the source attaches to its limit (Nieder 2006: no
    course above EQD2 49 Gy; Sahgal 2012: the new course at most about 25 Gy and about half the total), then turned
    into a physical dose in ``fractions`` fractions with :func:`max_dose_for_eqd2`. A source that limits the
    physical dose of the new course alone (Yazici 2013) gives that dose directly. Budgets below zero are reported
    as zero. Example: a cord that received EQD2 50 Gy earlier, with no recovery credit, has EQD2 10 Gy left under the
    thoracic Delphi 60 Gy (and none under Nieder, whose per-course 49 Gy it already exceeds). A credit enlarges the
    room, but the Delphi limits (Rulach 2021) already assume an interval of 6-12 months, so module 1 compares with
    them without a credit (rp04-recovery option e) to avoid counting recovery twice.

    Valid input: organ and courses as for :func:`check_cumulative` (earlier courses only, oldest first); whole
    ``fractions >= 1`` for the new course; ``alpha_beta > 0`` or None; ``0 <= recovery <= 1``.
    """
    rows = organ_limits(organ)
    prior = _courses(prior_courses)
    count = check.fraction_count(fractions)
    ab = None if alpha_beta is None else check.alpha_beta(alpha_beta)
    kept = _recovery(recovery)
    return [_budget(row, prior, count, ab, kept) for row in rows]
