"""Tumour response by RECIST 1.1 and, under immunotherapy, iRECIST.

Sources: Eisenhauer EA et al., Eur J Cancer 2009;45:228-247 (RECIST 1.1, ``eisenhauer2009-recist``) and Seymour L
et al., Lancet Oncol 2017 (iRECIST, ``seymour2017-irecist``) [verified: their PMC tables, the EORTC RECIST FAQ].
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from . import _validate as check

PR_DECREASE = 0.30  # from baseline
PD_INCREASE = 0.20  # over the nadir ...
PD_ABSOLUTE_MM = 5.0  # ... and at least this many mm
ICPD_FURTHER_MM = 5.0  # iRECIST: further target-sum increase since iUPD
IRECIST_WINDOW_WEEKS = (4.0, 8.0)
RESPONSES: tuple[str, ...] = ("CR", "PR", "SD", "PD")
IRECIST_RESPONSES: tuple[str, ...] = ("iCR", "iPR", "iSD", "iUPD", "iCPD")
_EPS = 1e-9  # sums are in mm; absorbs binary rounding of 0.7 * x and 1.2 * x at the exact thresholds


def _sum(value: object, what: str) -> float:
    return check.non_negative(value, what, "mm")


def overall_response(
    baseline_sum_mm: float,
    nadir_sum_mm: float,
    current_sum_mm: float,
    new_lesions: bool = False,
    all_targets_resolved: bool = False,
) -> str:
    """RECIST 1.1 target-lesion response at one assessment: "CR", "PR", "SD" or "PD".

    Rules, in this order (RECIST 1.1, ``eisenhauer2009-recist`` [verified]):

    - PD: an unequivocal new lesion (``new_lesions``: the reader decides that it is unequivocal, not attributable
      to scanning technique or a benign finding), or ``current >= 1.2 * nadir`` **and** ``current - nadir >= 5 mm``
      (both needed);
    - CR: all target lesions gone (target nodes < 10 mm short axis, so the sum of a CR need not be 0);
    - PR: ``current <= 0.7 * baseline`` (a fall of at least 30% from baseline);
    - SD: otherwise.

    The nadir is the smallest sum recorded before this assessment, baseline included, so ``nadir <= baseline``.
    Non-target progression is not an input here: judge it separately and report PD. Confirmation of response and
    best overall response over time are :func:`best_overall_response`'s job.
    Valid input: sums of longest diameters (short axis for nodes) in mm, >= 0; baseline > 0 (RECIST needs
    measurable disease at baseline).
    """
    baseline = _sum(baseline_sum_mm, "The baseline sum of diameters")
    nadir = _sum(nadir_sum_mm, "The nadir sum of diameters")
    current = _sum(current_sum_mm, "The current sum of diameters")
    new = check.flag(new_lesions, "new_lesions")
    resolved = check.flag(all_targets_resolved, "all_targets_resolved")
    if baseline == 0:
        raise ValueError(
            "RECIST 1.1 needs at least one measurable target lesion at baseline: the baseline sum is 0 mm."
        )
    if nadir > baseline:
        raise ValueError(
            f"The nadir is the smallest sum recorded, baseline included, so it cannot exceed the "
            f"baseline: got nadir {nadir:g} mm and baseline {baseline:g} mm."
        )
    if new:
        return "PD"
    if (current >= (1.0 + PD_INCREASE) * nadir - _EPS) and (current - nadir >= PD_ABSOLUTE_MM - _EPS):
        return "PD"
    if resolved:
        return "CR"
    if current <= (1.0 - PR_DECREASE) * baseline + _EPS:
        return "PR"
    return "SD"


def best_overall_response(responses: Iterable[str]) -> str:
    """Best response recorded from the start of treatment until progression, for a series of RECIST 1.1 calls.

    Once PR (or CR) has been reached it stays the best response even when later sums no longer meet the PR
    threshold, as long as PD criteria are not met (EORTC RECIST FAQ [verified], e.g. 100 -> 70 -> 80 mm stays PR).
    Assessments after the first PD do not count. Confirmation of CR/PR at >= 4 weeks (required mainly in
    non-randomised trials with response as the end point) is not modelled.
    Valid input: a non-empty list of "CR", "PR", "SD", "PD" in time order.
    """
    listed = check.items(responses, "The responses")
    if not listed:
        raise ValueError("Give at least one assessment (CR, PR, SD or PD).")
    best = None
    for value in listed:
        if value not in RESPONSES:
            raise ValueError(f"{value!r} is not a RECIST 1.1 response; use one of {', '.join(RESPONSES)}.")
        if value == "PD":
            return best or "PD"
        if best is None or RESPONSES.index(value) < RESPONSES.index(best):
            best = value
    return best


def irecist_response(
    previous: str | None,
    current_recist: str,
    *,
    weeks_since_previous: float | None = None,
    sum_at_iupd_mm: float | None = None,
    current_sum_mm: float | None = None,
    nontarget_increase: bool = False,
    new_lesion_growth: bool = False,
    further_new_lesions: bool = False,
    new_symptoms: bool = False,
) -> str:
    """iRECIST response at one assessment on immunotherapy (Seymour et al., Lancet Oncol 2017).

    ``previous`` is the iRECIST call at the last assessment (None at the first follow-up); ``current_recist`` is
    this assessment's RECIST 1.1 call against the baseline and nadir (see :func:`overall_response`).

    Rules (``seymour2017-irecist`` [verified: PMC5648544, the EORTC RECIST FAQ, Persigehl 2020]):

    - No pending iUPD: RECIST PD becomes **iUPD** (unconfirmed); CR/PR/SD become iCR/iPR/iSD.
    - Pending iUPD, next assessment: **iCPD** if the target sum has risen a further >= 5 mm since the iUPD
      assessment (``current_sum_mm - sum_at_iupd_mm``, so rises across assessments add up: +4 then +2 confirms),
      or non-target disease increased further, or new lesions grew (>= 5 mm in the sum of new target lesions, or
      any increase of new non-target lesions: ``new_lesion_growth``), or further new lesions appeared.
    - Otherwise, if the disease has shrunk so that RECIST 1.1 no longer calls PD against baseline and nadir, the
      call becomes iCR/iPR/iSD and the iUPD threshold resets; if not, it stays iUPD.
    - Timing: the confirming scan belongs 4-8 weeks after the previous one. A scan < 4 weeks later does not count
      for iCPD (the call stays iUPD) unless it was done for new symptoms and shows an additional new lesion
      (``new_symptoms`` and ``further_new_lesions``). An interval > 8 weeks is
      outside the iRECIST window and raises ValueError. iCPD stays iCPD.

    Valid input: ``previous`` None or one of iCR, iPR, iSD, iUPD, iCPD; ``current_recist`` one of CR, PR, SD, PD;
    after iUPD, ``weeks_since_previous`` (0-8 weeks) and both sums (mm, >= 0) are required.
    """
    if previous is not None and previous not in IRECIST_RESPONSES:
        raise ValueError(f"{previous!r} is not an iRECIST response; use None or one of {', '.join(IRECIST_RESPONSES)}.")
    if current_recist not in RESPONSES:
        raise ValueError(f"{current_recist!r} is not a RECIST 1.1 response; use one of {', '.join(RESPONSES)}.")
    flags = {
        name: check.flag(value, name)
        for name, value in (
            ("nontarget_increase", nontarget_increase),
            ("new_lesion_growth", new_lesion_growth),
            ("further_new_lesions", further_new_lesions),
            ("new_symptoms", new_symptoms),
        )
    }
    weeks = None
    if weeks_since_previous is not None:
        weeks = check.non_negative(weeks_since_previous, "The time since the previous assessment", "weeks")
    if previous == "iCPD":
        return "iCPD"
    if previous != "iUPD":
        return "iUPD" if current_recist == "PD" else "i" + current_recist
    if weeks is None or sum_at_iupd_mm is None or current_sum_mm is None:
        raise ValueError(
            "After iUPD, give weeks_since_previous, sum_at_iupd_mm and current_sum_mm to decide "
            "whether progression is confirmed."
        )
    low, high = IRECIST_WINDOW_WEEKS
    if weeks > high:
        raise ValueError(
            f"iRECIST confirms iUPD at the next assessment 4-8 weeks later; {weeks:g} weeks is outside "
            "that window, so this assessment cannot be used to confirm or refute progression here."
        )
    rise = _sum(current_sum_mm, "The current sum of diameters") - _sum(sum_at_iupd_mm, "The sum of diameters at iUPD")
    if weeks < low:
        if flags["new_symptoms"] and flags["further_new_lesions"]:
            return "iCPD"
        return "iUPD"
    if (
        rise >= ICPD_FURTHER_MM - _EPS
        or flags["nontarget_increase"]
        or flags["new_lesion_growth"]
        or flags["further_new_lesions"]
    ):
        return "iCPD"
    if current_recist != "PD":
        return "i" + current_recist
    return "iUPD"


@dataclass(frozen=True)
class Assessment:
    """One time point of a RECIST 1.1 series: the sum of target diameters and how it compares."""

    label: str
    sum_mm: float
    change_from_baseline_percent: float
    change_from_nadir_percent: float | None
    nadir_before_mm: float | None
    new_lesions: bool
    response: str | None  # None at baseline


def series(
    labels: Iterable[str], lesion_diameters_mm: Iterable[Iterable[float]], new_lesions: Iterable[bool] | None = None
) -> list[Assessment]:
    """RECIST 1.1 calls over time from a lesion table: one row per target lesion, one column per assessment.

    The first column is the baseline. Each later column's sum is compared with the baseline (for PR) and with the
    smallest earlier sum, baseline included (the nadir, for PD), by :func:`overall_response`
    (``eisenhauer2009-recist`` [verified]). ``new_lesions`` gives one yes/no per assessment (the baseline entry is
    ignored). A column where every target lesion measures 0 mm is called CR; target nodes shrinking below 10 mm
    short axis also count as resolved in RECIST 1.1 but need the nodal flag this table does not carry, so such a
    column is called by its sum only.
    Valid input: at least one lesion and two assessments; every diameter a number >= 0 mm; a non-zero baseline.
    """
    names = [str(label) for label in check.items(labels, "The assessment labels")]
    rows = [
        check.items(row, f"Target lesion {number}")
        for number, row in enumerate(check.items(lesion_diameters_mm, "The lesion table"), start=1)
    ]
    if not rows:
        raise ValueError("Give at least one target lesion.")
    if len(names) < 2:
        raise ValueError("Give a baseline and at least one follow-up assessment.")
    for number, row in enumerate(rows, start=1):
        if len(row) != len(names):
            raise ValueError(
                f"Target lesion {number} has {len(row)} measurements but there are {len(names)} "
                "assessments; measure every target lesion at every assessment."
            )
    flags = (
        [False] * len(names)
        if new_lesions is None
        else [check.flag(value, "new_lesions") for value in check.items(new_lesions, "The new-lesion flags")]
    )
    if len(flags) != len(names):
        raise ValueError(f"Give one new-lesion yes/no per assessment: {len(flags)} for {len(names)} assessments.")
    columns = [
        [_sum(row[i], f"Target lesion {n} at {names[i]}") for n, row in enumerate(rows, start=1)]
        for i in range(len(names))
    ]
    sums = [sum(column) for column in columns]
    baseline = sums[0]
    if baseline == 0:
        raise ValueError(
            "RECIST 1.1 needs at least one measurable target lesion at baseline: the baseline sum is 0 mm."
        )
    result = [Assessment(names[0], baseline, 0.0, None, None, False, None)]
    for i in range(1, len(names)):
        nadir = min(sums[:i])
        response = overall_response(
            baseline, nadir, sums[i], new_lesions=flags[i], all_targets_resolved=all(value == 0 for value in columns[i])
        )
        from_nadir = None if nadir == 0 else (sums[i] - nadir) / nadir * 100.0
        result.append(
            Assessment(
                names[i], sums[i], (sums[i] - baseline) / baseline * 100.0, from_nadir, nadir, flags[i], response
            )
        )
    return result


def irecist_series(assessments: Iterable[Assessment], weeks: Iterable[float]) -> list[str | None]:
    """iRECIST calls over a RECIST 1.1 series from :func:`series`, one per assessment (None at baseline).

    ``weeks`` gives each assessment's time in weeks from baseline, in order. Each follow-up is passed to
    :func:`irecist_response` with the previous call; after an iUPD the interval, the sum at the iUPD and the
    current sum decide confirmation, and new lesions flagged at the confirming assessment count as further new
    lesions (Seymour 2017, ``seymour2017-irecist`` [verified]). Simplified: non-target progression, growth of new
    lesions and symptoms are not inputs here.
    Valid input: one time per assessment, increasing; the confirming scan 4-8 weeks after the iUPD scan.
    """
    listed = check.items(assessments, "The assessments")
    times = [check.non_negative(value, "An assessment time", "weeks") for value in check.items(weeks, "The weeks")]
    if len(times) != len(listed):
        raise ValueError(f"Give one time per assessment: {len(times)} times for {len(listed)} assessments.")
    if any(later <= earlier for earlier, later in pairwise(times)):
        raise ValueError("The assessment times must increase from one assessment to the next.")
    calls: list[str | None] = [None]
    previous: str | None = None
    sum_at_iupd: float | None = None
    for index in range(1, len(listed)):
        current = listed[index]
        pending = previous == "iUPD"
        call = irecist_response(
            previous,
            current.response,
            weeks_since_previous=times[index] - times[index - 1] if pending else None,
            sum_at_iupd_mm=sum_at_iupd if pending else None,
            current_sum_mm=current.sum_mm if pending else None,
            further_new_lesions=current.new_lesions if pending else False,
        )
        if call == "iUPD" and not pending:
            sum_at_iupd = current.sum_mm
        calls.append(call)
        previous = call
    return calls
