"""Classes of clinical error a program can catch, found by the December 2026 clinical review: each rule reads every
text the course teaches (cases, item banks, bibliography, notebook markdown) so the error cannot come back.

See references/review-2026-12.md for the findings behind each rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.content.texts import notebook_texts, sentences, yaml_texts
from tests.helpers import ROOT

CONTENT = sorted([*ROOT.glob("cases/*.yaml"), *ROOT.glob("quizzes/*.yaml"), *ROOT.glob("references/*.yaml")])
NOTEBOOKS = sorted(ROOT.glob("notebooks/*.ipynb"))


def taught_texts() -> Iterator[tuple[str, str]]:
    yield from yaml_texts(CONTENT)
    yield from notebook_texts(NOTEBOOKS)


# A margin under 5 mm is close (or involved), never clear (clinical-module2 E9).
CLEAR_MARGIN = re.compile(
    r"\b([0-4](?:\.\d+)?)\s*mm\b[^.;]{0,60}\bclear\b"
    r"|\bclear\b[^.;]{0,60}\b([0-4](?:\.\d+)?)\s*mm\b",
    re.IGNORECASE,
)
# A post hoc long-term update of KEYNOTE-048 is not its final analysis (clinical-module3 error 1).
FINAL_ANALYSIS = re.compile(r"final analys", re.IGNORECASE)
# Nodal disease is staged in N: encasement by a node is not a T4b criterion (clinical-module2 E2).
NODAL_T4B = re.compile(
    r"\b(node|nodal|nodes)\b[^.;]{0,80}\bT4b criterion\b"
    r"|\bT4b criterion\b[^.;]{0,80}\b(node|nodal)\b",
    re.IGNORECASE,
)


def _offending(pattern: re.Pattern, also: str | None = None) -> list[str]:
    found = []
    for where, text in taught_texts():
        for sentence in sentences(text):
            matches = pattern.search(sentence) and (also is None or also.lower() in sentence.lower())
            if matches and not re.search(r"\bnot\b|\bnever\b|\bisn't\b|\bno longer\b", sentence, re.IGNORECASE):
                found.append(f"{where}: {sentence[:160]}")
    return found


def test_no_margin_under_5_mm_is_called_clear():
    assert _offending(CLEAR_MARGIN) == []


def test_no_keynote048_update_is_called_a_final_analysis():
    assert _offending(FINAL_ANALYSIS, also="KEYNOTE-048") == []


def test_nodal_encasement_is_never_taught_as_a_t4b_criterion():
    assert _offending(NODAL_T4B) == []


def test_no_reference_is_cited_unread():
    unread = [
        f"{where}: {text}"
        for where, text in taught_texts()
        if where.startswith("references/") and re.search(r"\bnot read\b", text, re.IGNORECASE)
    ]
    assert unread == []


@pytest.mark.parametrize(
    "pattern, text",
    [
        (CLEAR_MARGIN, "The closest margin was 4 mm, so the resection was clear."),
        (FINAL_ANALYSIS, "In the KEYNOTE-048 final analysis at 5 years the gain held."),
        (NODAL_T4B, "The nodal mass encases the carotid over 300 degrees, a T4b criterion."),
    ],
)
def test_each_rule_catches_a_seeded_error(pattern, text):
    assert any(pattern.search(s) for s in sentences(text))
