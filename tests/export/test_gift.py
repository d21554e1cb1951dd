"""GIFT: parsed back with a reader of our own (tests/export/gift_parser.py), every question equals its item."""

from __future__ import annotations

from hnscc_edu.export import gift
from tests.export.expected import assert_choice_scores, assert_feedback, assert_numeric_range, exported
from tests.export.gift_parser import parse, parse_question


def _questions(source, references):
    output = gift.export(source, references)
    categories, questions = parse(output.files[f"{source.id}.gift.txt"].decode("utf-8"))
    assert categories == [f"$course$/top/hnscc-edu/{source.id}"]
    return questions, output.warnings


def test_the_reader_reads_moodles_documented_examples():
    """A control on the reader itself, with examples in the style of Moodle's GIFT documentation."""
    q = parse_question("::Q1:: 1+1\\=? {=2#right ~3#wrong ####Because 1\\:1.}")
    assert (q.title, q.stem, q.kind, q.general_feedback) == ("Q1", "1+1=?", "choice", "Because 1:1.")
    assert [(a.text, a.weight, a.feedback) for a in q.answers] == [("2", 1.0, "right"), ("3", 0.0, "wrong")]
    q = parse_question("::Q2:: Pick two {~%50%a ~%50%b ~%-100%c}")
    assert [(a.text, a.weight) for a in q.answers] == [("a", 0.5), ("b", 0.5), ("c", -1.0)]
    q = parse_question("::Q3:: When? {#=1822:2#close enough}")
    assert (q.kind, q.value, q.tolerance, q.answers[0].feedback) == ("numeric", 1822.0, 2.0, "close enough")
    assert parse_question("::Q4:: Write {}").kind == "essay"


def test_questions_read_back_equal_the_item_bank(sources):
    seen = set()
    for source, references in sources:
        questions, _ = _questions(source, references)
        assert [q.title for q in questions] == [item.id for item in exported(source)]
        for item, question in zip(exported(source), questions, strict=True):
            assert question.text_format == "plain"
            seen.add(item.type)
            if item.type in ("single_best_answer", "multiple_select"):
                assert question.kind == "choice"
                assert question.stem == item.stem
                assert [a.text for a in question.answers] == [o.text for o in item.options]
                weights = {o.id: a.weight for o, a in zip(item.options, question.answers, strict=True)}
                assert_choice_scores(item, weights)
                for option, answer in zip(item.options, question.answers, strict=True):
                    assert_feedback(answer.feedback, option, references)
                for key in (o for o in item.options if o.correct):
                    assert key.text in question.general_feedback
            elif item.type == "numeric":
                assert question.kind == "numeric"
                assert question.stem.splitlines()[: len(item.stem.splitlines())] == item.stem.splitlines()
                assert question.value == item.answer.value
                assert_numeric_range(item, question.value - question.tolerance, question.value + question.tolerance)
                assert_feedback(question.answers[0].feedback, item.feedback, references)
                if item.working:
                    assert item.working in question.answers[0].feedback
            else:
                assert question.kind == "essay"
                assert question.stem == item.stem
                assert_feedback(question.general_feedback, item.feedback, references)
    assert seen == {"single_best_answer", "multiple_select", "numeric", "free_text"}


def test_special_characters_survive_exactly(awkward_bank, fixture_references):
    from hnscc_edu.export.common import source_of

    questions, _ = _questions(source_of(awkward_bank), fixture_references)
    single = questions[0]
    assert single.stem == awkward_bank.items[0].stem  # every special character and the line break, unchanged
    assert single.answers[0].text == awkward_bank.items[0].options[0].text


def test_essay_mark_is_reported(awkward_bank, fixture_references):
    """GIFT cannot say an essay is worth 0 marks: the export says so instead of hiding it."""
    from hnscc_edu.export.common import source_of

    _, warnings = _questions(source_of(awkward_bank), fixture_references)
    assert [(w.item_id, w.left_out) for w in warnings if "mark" in w.message] == [("essay", False)]
