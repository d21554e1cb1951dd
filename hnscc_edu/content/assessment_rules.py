"""Lint rules of the pre-test and the post-test, and the per-objective quotas of a post-test draw.

- At most one bank with ``purpose: pre`` and one with ``purpose: post``.
- Only post-test items carry ``pairs_with``; it names a pre-test item on the same objective, and each pre-test item is
  paired with exactly one post-test item (the pairs are what the course director's pre/post comparison uses).
- Pre- and post-test items are scored: no free-text items.
- The pre-test has at least ``MIN_PRE_TEST_ITEMS`` items; the post-test pool can fill a draw of
  ``post_test.items_per_attempt`` items, spread over the objectives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .loading import LoadedFile, Problem
from .models import CourseInfo, FreeText, ItemBank

MIN_PRE_TEST_ITEMS = 10


def objective_quotas(n: int, available: dict[str, int]) -> dict[str, int]:
    """Split a draw of ``n`` items over objectives as evenly as their pools allow, in the order given.

    One item at a time goes round the objectives, skipping any whose pool is used up, so 12 over three pools of 8 is
    4/4/4 and 10 is 4/3/3. Raises ValueError when the pools hold fewer than ``n`` items in all.
    """
    if sum(available.values()) < n:
        raise ValueError(f"the pool holds {sum(available.values())} items; {n} are drawn per attempt")
    quotas = dict.fromkeys(available, 0)
    while sum(quotas.values()) < n:
        for objective, count in available.items():
            if quotas[objective] < count and sum(quotas.values()) < n:
                quotas[objective] += 1
    return quotas


def _check_credit_types(f: LoadedFile) -> Iterator[Problem]:
    """Every learner gets some certificate, and AMA wording never reaches a learner without a qualifying degree."""
    types = f.model.credit.types
    if not any(not t.degrees and not t.professions for t in types):
        yield f.problem(("credit", "types"), "no credit type accepts every learner; add a last type with no "
                                             "degrees and no professions (a Certificate of Attendance)")
    for t, credit_type in enumerate(types):
        wording = " ".join(x or "" for x in (credit_type.certificate_title, credit_type.amount_label,
                                             credit_type.designation_statement))
        if "AMA PRA" in wording and not credit_type.degrees:
            yield f.problem(("credit", "types", t, "degrees"), "AMA PRA Category 1 Credit™ is for physicians only: "
                                                                "list the qualifying degrees (e.g. [MD, DO])")


def _banks(files: Sequence[LoadedFile], purpose: str) -> list[LoadedFile]:
    return [f for f in files if isinstance(f.model, ItemBank) and f.model.purpose == purpose]


def check_assessment(checked: Sequence[LoadedFile], course_files: Sequence[LoadedFile]) -> Iterator[tuple[LoadedFile,
                                                                                                            Problem]]:
    """Problems of the files in ``checked``, judged against the whole course (``course_files``)."""
    checked_ids = {id(f) for f in checked}
    info = next((f.model for f in course_files if isinstance(f.model, CourseInfo)), None)
    pre_banks, post_banks = _banks(course_files, "pre"), _banks(course_files, "post")
    for banks in (pre_banks, post_banks):
        for extra in banks[1:]:
            if id(extra) in checked_ids:
                yield extra, extra.problem(("purpose",), f"the course already has a {extra.model.purpose}-test bank "
                                                         f"({banks[0].display}); keep one")
    pre_bank = pre_banks[0] if pre_banks else None
    post_bank = post_banks[0] if post_banks else None
    pre_items = {item.id: item for item in pre_bank.model.items} if pre_bank else {}

    paired: dict[str, str] = {}  # pre-test item id -> the post-test item paired with it
    for f in _banks(course_files, "post")[:1]:
        for i, item in enumerate(f.model.items):
            problem = None
            target = item.pairs_with
            if target is None:
                continue
            if target not in pre_items:
                problem = f"names no pre-test item: {target!r}"
            elif pre_items[target].objective != item.objective:
                problem = (f"is paired with {target!r} on objective {pre_items[target].objective!r}, but this item's "
                           f"objective is {item.objective!r}; a pair shares its objective")
            elif target in paired:
                problem = f"pre-test item {target!r} is already paired with {paired[target]!r}"
            else:
                paired[target] = item.id
            if problem and id(f) in checked_ids:
                yield f, f.problem(("items", i, "pairs_with"), problem)

    for f in checked:
        if isinstance(f.model, CourseInfo):
            yield from ((f, problem) for problem in _check_credit_types(f))
        if not isinstance(f.model, ItemBank) or f.model.purpose not in ("pre", "post"):
            continue
        bank = f.model
        for i, item in enumerate(bank.items):
            if isinstance(item, FreeText):
                yield f, f.problem(("items", i, "type"), f"{bank.purpose}-test items are scored; free_text is not")
            if item.pairs_with is not None and bank.purpose != "post":
                yield f, f.problem(("items", i, "pairs_with"),
                                   f"only post-test items are paired (this bank's purpose is {bank.purpose!r})")
        if f is pre_bank:
            if len(bank.items) < MIN_PRE_TEST_ITEMS:
                yield f, f.problem(("items",), f"the pre-test has {len(bank.items)} items; it needs at least "
                                               f"{MIN_PRE_TEST_ITEMS}")
            for i, item in enumerate(bank.items):
                if item.id not in paired:
                    yield f, f.problem(("items", i, "id"), "no post-test item is paired with this pre-test item "
                                                           f"(set 'pairs_with: {item.id}' on one)")
        if f is post_bank and info is not None:
            available: dict[str, int] = {o.id: 0 for o in info.objectives}
            for item in bank.items:
                if item.objective in available:
                    available[item.objective] += 1
            wanted = info.post_test.items_per_attempt
            if sum(available.values()) < wanted:
                yield f, f.problem(("items",), f"the post-test pool has {sum(available.values())} items on the "
                                               f"course's objectives; course.yaml draws {wanted} per attempt "
                                               "(post_test.items_per_attempt)")
