"""Lint rules of the pre-test and the post-test, and the per-objective quotas of a post-test draw.

- At most one bank with ``purpose: pre`` and one with ``purpose: post``.
- Only post-test items carry ``pairs_with``; it names a pre-test item on the same objective, and each pre-test item is
  paired with exactly one post-test item (the pairs are what the course director's pre/post comparison uses).
- Pre- and post-test items are scored: no free-text items.
- The pre-test has at least ``MIN_PRE_TEST_ITEMS`` items; the post-test pool can fill a draw of
  ``post_test.items_per_attempt`` items, spread over the objectives.
- Issue 15 §4 (the post-test decides credit):
  - every pre- and post-test item names its ``skill``; a pre-test item and its post-test twin share it;
  - the post-test has at least ``MIN_DECISION_ITEMS`` items with ``skill: decision`` per objective;
  - the post-test pool holds at least ``items_per_attempt x max_attempts`` items, and each objective's pool holds its
    quota times ``max_attempts``, so every retake can be drawn from items the learner has not seen;
  - no answer cue in any bank: the key of a single-best-answer item is not the longest option in more than
    ``MAX_KEY_LONGEST_SHARE`` of the bank's single-best-answer items, and no option says "all of the above" or
    "none of the above" (item-writing guidance: Case & Swanson, NBME item-writing manual; Haladyna, Downing &
    Rodriguez 2002 taxonomy of item-writing rules, which both list the longest correct option and these two phrases
    as cues that test-wise learners use).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from fractions import Fraction

from .loading import LoadedFile, Problem
from .models import CourseInfo, FreeText, ItemBank, SingleBestAnswer

MIN_PRE_TEST_ITEMS = 10
MIN_DECISION_ITEMS = 2  # post-test items with skill "decision", per objective (issue 15 §4)
MAX_KEY_LONGEST_SHARE = Fraction(1, 3)  # of a bank's single-best-answer items
_CUE_PHRASE = re.compile(r"\b(all|none)\s+of\s+the\s+above\b", re.IGNORECASE)


def key_is_longest(item: SingleBestAnswer) -> bool:
    """True when the keyed option is longer (in characters) than every other option: the test-wise learner's "pick
    the longest" cue. A tie for longest does not single the key out, so it does not count."""
    keys = [o for o in item.options if o.correct]
    if len(keys) != 1:
        return False
    key = keys[0]
    return all(len(key.text) > len(o.text) for o in item.options if o is not key)


def _check_answer_cues(f: LoadedFile) -> Iterator[Problem]:
    """Answer cues of one bank: the key longest too often, or "all/none of the above" in an option."""
    bank = f.model
    single = [(i, item) for i, item in enumerate(bank.items) if isinstance(item, SingleBestAnswer)]
    longest = [item.id for _, item in single if key_is_longest(item)]
    if single and Fraction(len(longest), len(single)) > MAX_KEY_LONGEST_SHARE:
        yield f.problem(
            ("items",),
            f"answer cue: the key is the longest option in {len(longest)} of {len(single)} "
            f"single-best-answer items (more than a third): {', '.join(longest)}; "
            "rewrite options so length does not point to the key",
        )
    for i, item in enumerate(bank.items):
        for o, option in enumerate(getattr(item, "options", [])):
            if _CUE_PHRASE.search(option.text):
                yield f.problem(
                    ("items", i, "options", o, "text"),
                    "answer cue: an option says 'all of the above' or 'none of the above'; write a real option",
                )


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
    """Every learner gets some certificate, AMA credit goes only to listed degrees, and only a certificate of AMA
    credit names AMA credit as its amount."""
    types = f.model.credit.types
    if not any(not t.degrees and not t.professions for t in types):
        yield f.problem(
            ("credit", "types"),
            "no credit type accepts every learner; add a last type with no "
            "degrees and no professions (a certificate of participation)",
        )
    if sum(t.kind == "ama-pra-category-1" for t in types) > 1:
        yield f.problem(("credit", "types"), "more than one type has kind ama-pra-category-1; keep one")
    for t, credit_type in enumerate(types):
        ama_wording = "AMA PRA" in f"{credit_type.certificate_title} {credit_type.amount_label}"
        if credit_type.kind == "ama-pra-category-1":
            if not credit_type.degrees:
                yield f.problem(
                    ("credit", "types", t, "degrees"),
                    "AMA PRA Category 1 Credit™ is for physicians only: list the qualifying degrees (e.g. [MD, DO])",
                )
            if "AMA PRA Category 1 Credit" not in credit_type.amount_label:
                yield f.problem(
                    ("credit", "types", t, "amount_label"),
                    "a type of kind ama-pra-category-1 awards AMA PRA Category 1 Credit™: say so",
                )
        elif ama_wording:
            yield f.problem(
                ("credit", "types", t, "kind"),
                "only a type of kind ama-pra-category-1 may award AMA PRA "
                "credit; others say what the activity was designated for",
            )


def _banks(files: Sequence[LoadedFile], purpose: str) -> list[LoadedFile]:
    return [f for f in files if isinstance(f.model, ItemBank) and f.model.purpose == purpose]


def check_assessment(
    checked: Sequence[LoadedFile], course_files: Sequence[LoadedFile]
) -> Iterator[tuple[LoadedFile, Problem]]:
    """Problems of the files in ``checked``, judged against the whole course (``course_files``)."""
    checked_ids = {id(f) for f in checked}
    info = next((f.model for f in course_files if isinstance(f.model, CourseInfo)), None)
    pre_banks, post_banks = _banks(course_files, "pre"), _banks(course_files, "post")
    for banks in (pre_banks, post_banks):
        for extra in banks[1:]:
            if id(extra) in checked_ids:
                yield (
                    extra,
                    extra.problem(
                        ("purpose",),
                        f"the course already has a {extra.model.purpose}-test bank ({banks[0].display}); keep one",
                    ),
                )
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
                problem = (
                    f"is paired with {target!r} on objective {pre_items[target].objective!r}, but this item's "
                    f"objective is {item.objective!r}; a pair shares its objective"
                )
            elif target in paired:
                problem = f"pre-test item {target!r} is already paired with {paired[target]!r}"
            else:
                paired[target] = item.id
            if problem and id(f) in checked_ids:
                yield f, f.problem(("items", i, "pairs_with"), problem)

    for f in _banks(course_files, "post")[:1]:
        if id(f) not in checked_ids:
            continue
        for i, item in enumerate(f.model.items):
            twin = pre_items.get(item.pairs_with or "")
            if twin is not None and paired.get(twin.id) == item.id and twin.skill != item.skill:
                yield (
                    f,
                    f.problem(
                        ("items", i, "skill"),
                        f"is {item.skill!r} but its pre-test twin {twin.id!r} is "
                        f"{twin.skill!r}; a pair shares its skill",
                    ),
                )

    for f in checked:
        if isinstance(f.model, CourseInfo):
            yield from ((f, problem) for problem in _check_credit_types(f))
        if isinstance(f.model, ItemBank):
            yield from ((f, problem) for problem in _check_answer_cues(f))
        if not isinstance(f.model, ItemBank) or f.model.purpose not in ("pre", "post"):
            continue
        bank = f.model
        for i, item in enumerate(bank.items):
            if isinstance(item, FreeText):
                yield f, f.problem(("items", i, "type"), f"{bank.purpose}-test items are scored; free_text is not")
            if item.pairs_with is not None and bank.purpose != "post":
                yield (
                    f,
                    f.problem(
                        ("items", i, "pairs_with"),
                        f"only post-test items are paired (this bank's purpose is {bank.purpose!r})",
                    ),
                )
            if item.skill is None:
                yield (
                    f,
                    f.problem(
                        ("items", i, "skill"),
                        f"{bank.purpose}-test items name their skill (recall, application or decision)",
                    ),
                )
        if f is pre_bank:
            if len(bank.items) < MIN_PRE_TEST_ITEMS:
                yield (
                    f,
                    f.problem(
                        ("items",), f"the pre-test has {len(bank.items)} items; it needs at least {MIN_PRE_TEST_ITEMS}"
                    ),
                )
            for i, item in enumerate(bank.items):
                if item.id not in paired:
                    yield (
                        f,
                        f.problem(
                            ("items", i, "id"),
                            f"no post-test item is paired with this pre-test item (set 'pairs_with: {item.id}' on one)",
                        ),
                    )
        if f is post_bank and info is not None:
            available: dict[str, int] = {o.id: 0 for o in info.objectives}
            for item in bank.items:
                if item.objective in available:
                    available[item.objective] += 1
            wanted = info.post_test.items_per_attempt
            attempts = info.post_test.max_attempts
            if sum(available.values()) < wanted:
                yield (
                    f,
                    f.problem(
                        ("items",),
                        f"the post-test pool has {sum(available.values())} items on the "
                        f"course's objectives; course.yaml draws {wanted} per attempt "
                        "(post_test.items_per_attempt)",
                    ),
                )
            elif sum(available.values()) < wanted * attempts:
                yield (
                    f,
                    f.problem(
                        ("items",),
                        f"the post-test pool has {sum(available.values())} items on the "
                        f"course's objectives; a retake must be able to draw unseen items, "
                        f"so it needs at least {wanted} x {attempts} = {wanted * attempts} "
                        "(post_test.items_per_attempt x max_attempts)",
                    ),
                )
            else:
                quotas = objective_quotas(wanted, available)
                for objective, quota in quotas.items():
                    if available[objective] < quota * attempts:
                        yield (
                            f,
                            f.problem(
                                ("items",),
                                f"objective {objective!r} has {available[objective]} "
                                f"post-test items; each attempt draws {quota}, so "
                                f"{attempts} attempts need {quota * attempts}",
                            ),
                        )
            decisions = {o: 0 for o in available}
            for item in bank.items:
                if item.skill == "decision" and item.objective in decisions:
                    decisions[item.objective] += 1
            for objective, count in decisions.items():
                if count < MIN_DECISION_ITEMS:
                    yield (
                        f,
                        f.problem(
                            ("items",),
                            f"objective {objective!r} has {count} post-test item(s) with "
                            f"'skill: decision'; it needs at least {MIN_DECISION_ITEMS} "
                            "(a management choice on a vignette, not recall)",
                        ),
                    )
