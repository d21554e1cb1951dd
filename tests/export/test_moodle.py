"""Moodle XML: each question read back equals its item (texts, keys, fractions, tolerance, feedback)."""

from __future__ import annotations

import lxml.html
from lxml import etree

from hnscc_edu.export import moodle
from tests.export.expected import assert_choice_scores, assert_feedback, assert_numeric_range, exported


def _paragraphs(markup: str) -> list[str]:
    return [p.text_content() for p in lxml.html.fragments_fromstring(markup) if not isinstance(p, str)]


def _text(markup: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(markup, create_parent="div").itertext())


def _questions(source, references):
    output = moodle.export(source, references)
    quiz = etree.fromstring(output.files[f"{source.id}.moodle.xml"])
    assert quiz.tag == "quiz"
    category, *questions = quiz.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text") == f"$course$/top/hnscc-edu/{source.id}"
    return questions


def _check(item, question, references) -> None:
    assert question.findtext("name/text") == item.id
    assert question.findtext("idnumber") == item.id
    assert _paragraphs(question.findtext("questiontext/text"))[0] == item.stem
    assert question.find("questiontext").get("format") == "html"
    general = question.findtext("generalfeedback/text")
    assert float(question.findtext("defaultgrade")) == (0.0 if item.type == "free_text" else 1.0)
    if item.type in ("single_best_answer", "multiple_select"):
        assert question.get("type") == "multichoice"
        assert question.findtext("single") == ("true" if item.type == "single_best_answer" else "false")
        answers = question.findall("answer")
        assert [_paragraphs(a.findtext("text"))[0] for a in answers] == [o.text for o in item.options]
        weights = {o.id: float(a.get("fraction")) / 100 for o, a in zip(item.options, answers, strict=True)}
        # Moodle adds the fractions of the chosen answers and keeps the sum between 0 and 1.
        assert_choice_scores(item, weights)
        for option, answer in zip(item.options, answers, strict=True):
            assert_feedback(_text(answer.findtext("feedback/text")), option, references)
        for key in (o for o in item.options if o.correct):
            assert " ".join(key.text.split()) in " ".join(_text(general).split())
    elif item.type == "numeric":
        assert question.get("type") == "numerical"
        (answer,) = question.findall("answer")
        assert float(answer.get("fraction")) == 100
        value, tolerance = float(answer.findtext("text")), float(answer.findtext("tolerance"))
        assert value == item.answer.value
        assert_numeric_range(item, value - tolerance, value + tolerance)
        assert question.findtext("units/unit/unit_name") == item.answer.unit
        assert_feedback(_text(answer.findtext("feedback/text")), item.feedback, references)
        assert_feedback(_text(general), item.feedback, references)
        if item.working:
            assert " ".join(item.working.split()) in " ".join(_text(general).split())
    else:
        assert question.get("type") == "essay"
        assert question.findall("answer") == []
        assert_feedback(_text(general), item.feedback, references)
        assert_feedback(_text(question.findtext("graderinfo/text")), item.feedback, references)


def test_questions_read_back_equal_the_item_bank(sources):
    seen = set()
    for source, references in sources:
        questions = _questions(source, references)
        assert len(questions) == len(exported(source))
        for item, question in zip(exported(source), questions, strict=True):
            _check(item, question, references)
            seen.add(item.type)
    assert seen == {"single_best_answer", "multiple_select", "numeric", "free_text"}


def test_fractions_are_values_moodle_offers(sources):
    """Moodle's question editor offers fixed fractions (100, 50, 33.33333, 25, 20, ...); an imported fraction that
    is not one of them is changed by the editor on the next save."""
    offered = {
        100.0,
        90.0,
        83.33333,
        80.0,
        75.0,
        70.0,
        66.66667,
        60.0,
        50.0,
        40.0,
        33.33333,
        30.0,
        25.0,
        20.0,
        16.66667,
        14.28571,
        12.5,
        11.11111,
        10.0,
        5.0,
        0.0,
    }
    for source, references in sources:
        for question in _questions(source, references):
            for answer in question.findall("answer"):
                assert abs(float(answer.get("fraction"))) in offered, answer.get("fraction")
