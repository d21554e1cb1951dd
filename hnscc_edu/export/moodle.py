"""Moodle XML: one ``<quiz>`` file per source, in its own question category.

Single best answer and multiple select are ``multichoice`` questions (``single`` true or false). Answer fractions are
the course's option scores as percentages: 100 for the key of a single best answer; +100/k for each of k keys and
-100/k for each distractor of a multiple-select item, which Moodle sums and floors at 0, the course's own rule.
Numeric items are ``numerical`` with an absolute tolerance; free text is an ``essay`` worth 0 marks (recorded, not
scored) with the points a strong answer covers as grader information. Every answer carries its rationale, evidence
label and sources as feedback, and the general feedback names the key or the expected answer.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ..content.models import Reference
from . import xmltree
from .common import (
    Output,
    Source,
    behaviour_notes,
    feedback_html,
    max_score,
    numeric_prompt,
    numeric_tolerance,
    option_scores,
    percent,
    split_supported,
)
from .common import html_paragraphs as _html
from .xmltree import number, sub

FORMAT = "moodle"


def _text(parent: ET.Element, tag: str, markup: str, fmt: str = "html") -> ET.Element:
    element = sub(parent, tag, format=fmt)
    sub(element, "text", markup)
    return element


def _question(quiz: ET.Element, kind: str, item: Any, stem_markup: str, general: str) -> ET.Element:
    question = sub(quiz, "question", type=kind)
    sub(sub(question, "name"), "text", item.id)
    _text(question, "questiontext", stem_markup)
    _text(question, "generalfeedback", general)
    sub(question, "defaultgrade", number(max_score(item)))
    sub(question, "penalty", "0")
    sub(question, "hidden", "0")
    sub(question, "idnumber", item.id)
    return question


def _choice(quiz: ET.Element, item: Any, references: Mapping[str, Reference], single: bool) -> None:
    keys = [o.text for o in item.options if o.correct]
    general = (
        _html(f"The best answer: {keys[0]}")
        if single
        else _html("The options that apply:") + "<ul>" + "".join(f"<li>{html.escape(k)}</li>" for k in keys) + "</ul>"
    )
    question = _question(quiz, "multichoice", item, _html(item.stem), general)
    sub(question, "single", "true" if single else "false")
    sub(question, "shuffleanswers", "false")
    sub(question, "answernumbering", "ABCD")
    sub(question, "showstandardinstruction", "1")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(question, tag, "")
    scores = option_scores(item)
    for option in item.options:
        answer = sub(question, "answer", fraction=percent(scores[option.id]), format="html")
        sub(answer, "text", _html(option.text))
        _text(answer, "feedback", feedback_html(option, references))


def _numeric(quiz: ET.Element, item: Any, references: Mapping[str, Reference]) -> None:
    answer = item.answer
    markup = feedback_html(item.feedback, references, item.working)
    general = _html(f"Expected answer: {answer.value:g} {answer.unit}") + markup
    question = _question(quiz, "numerical", item, _html(item.stem, numeric_prompt(answer)), general)
    accepted = sub(question, "answer", fraction="100", format="moodle_auto_format")
    sub(accepted, "text", number(answer.value))
    sub(accepted, "tolerance", number(numeric_tolerance(answer)))
    _text(accepted, "feedback", markup)
    # The learner types the number only (showunits 3), in the unit the stem names.
    sub(question, "unitgradingtype", "0")
    sub(question, "unitpenalty", "0")
    sub(question, "showunits", "3")
    sub(question, "unitsleft", "0")
    unit = sub(sub(question, "units"), "unit")
    sub(unit, "multiplier", "1")
    sub(unit, "unit_name", answer.unit)


def _essay(quiz: ET.Element, item: Any, references: Mapping[str, Reference]) -> None:
    markup = feedback_html(item.feedback, references)
    question = _question(quiz, "essay", item, _html(item.stem), markup)
    sub(question, "responseformat", "editor")
    sub(question, "responserequired", "1")
    sub(question, "responsefieldlines", "10")
    if item.min_words > 1:
        sub(question, "minwordlimit", str(item.min_words))
    sub(question, "attachments", "0")
    sub(question, "attachmentsrequired", "0")
    _text(question, "graderinfo", markup)
    _text(question, "responsetemplate", "")


BUILDERS = {
    "single_best_answer": lambda quiz, item, refs: _choice(quiz, item, refs, single=True),
    "multiple_select": lambda quiz, item, refs: _choice(quiz, item, refs, single=False),
    "numeric": _numeric,
    "free_text": _essay,
}


def export(source: Source, references: Mapping[str, Reference]) -> Output:
    """One file, ``<source id>.moodle.xml``, with the source's questions in the category hnscc-edu/<source id>."""
    chosen, warnings = split_supported(FORMAT, source, BUILDERS)
    if not chosen:
        return Output({}, tuple(warnings))
    quiz = xmltree.root("quiz", None)
    category = sub(quiz, "question", type="category")
    sub(sub(category, "category"), "text", f"$course$/top/hnscc-edu/{source.id}")
    _text(category, "info", _html(source.title))
    for _, item, build in chosen:
        build(quiz, item, references)
    return Output(
        {f"{source.id}.moodle.xml": xmltree.serialize(quiz)}, tuple(warnings + behaviour_notes(FORMAT, source))
    )
