"""Static HTML: a self-contained question paper per case or bank, the answers on a separate sheet, every text
escaped and markdown rendered without raw HTML."""

from __future__ import annotations

import lxml.html
import pytest

from hnscc_edu.content.models import RevealBlock
from hnscc_edu.export import static_html
from tests.export.expected import norm

DISCLAIMER = "Synthetic patients; decisions for real patients belong to their treating team."


def _models(course, fixture, awkward_bank):
    return (
        [(m, course.references) for m in [*course.cases.values(), *course.banks.values()]]
        + [(m, fixture.references) for m in [*fixture.cases.values(), *fixture.banks.values()]]
        + [(awkward_bank, fixture.references)]
    )


def _pages(model, references):
    output = static_html.render(model, references, DISCLAIMER)
    assert sorted(output.files) == sorted([f"{model.id}.html", f"{model.id}-answers.html"])
    paper = output.files[f"{model.id}.html"].decode("utf-8")
    sheet = output.files[f"{model.id}-answers.html"].decode("utf-8")
    return paper, sheet


def _assert_self_contained(document: str, sibling: str) -> lxml.html.HtmlElement:
    assert document.startswith("<!DOCTYPE html>")
    tree = lxml.html.document_fromstring(document)
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title")
    assert tree.xpath("//script | //link | //img | //iframe | //object | //embed | //@src") == []
    hrefs = tree.xpath("//a/@href")
    assert sibling in hrefs  # the pair links to each other
    for href in hrefs:  # a link loads nothing until followed, but never a script
        assert not href.strip().lower().startswith(("javascript:", "vbscript:", "data:")), href
    return tree


def test_paper_asks_and_sheet_answers(course, fixture, awkward_bank):
    for model, references in _models(course, fixture, awkward_bank):
        paper, sheet = _pages(model, references)
        paper_tree = _assert_self_contained(paper, f"{model.id}-answers.html")
        sheet_tree = _assert_self_contained(sheet, f"{model.id}.html")
        paper_text, sheet_text = norm(paper_tree.text_content()), norm(sheet_tree.text_content())
        assert DISCLAIMER in paper_text and DISCLAIMER in sheet_text
        for stage in getattr(model, "stages", []):
            assert norm(stage.title) in paper_text
        for item in model.items:
            assert norm(item.stem) in paper_text and norm(item.stem) in sheet_text
            choices = list(getattr(item, "options", [])) or list(getattr(item, "steps", []))
            blocks = choices or [item.feedback]
            for option in choices:
                assert norm(option.text) in paper_text and norm(option.text) in sheet_text
            for block in blocks:
                assert norm(block.rationale) not in paper_text, (model.id, item.id)  # answers stay off the paper
                assert norm(block.rationale) in sheet_text
                assert block.evidence.label in sheet_text
                for key in block.references:
                    assert norm(references[key].title if key in references else key) in sheet_text
            if item.type == "single_best_answer":
                key = next(o for o in item.options if o.correct)
                assert f"Best answer: {chr(65 + item.options.index(key))}. {norm(key.text)}" in sheet_text
            if item.type == "ordering":  # the paper never lists the steps in the key's order
                assert " ".join(norm(step.text) for step in item.steps) not in paper_text
            if item.type == "key_feature":
                assert "HARMFUL" in sheet_text and "HARMFUL" not in paper_text
            if item.type == "script_concordance":
                assert norm(item.new_information) in paper_text and norm(item.panel.description) in sheet_text
                assert norm(item.panel.description) not in paper_text
            if item.type == "numeric":
                assert f"Expected answer: {item.answer.value:g} {item.answer.unit}" in sheet_text
                if item.working:
                    assert norm(item.working) in sheet_text
                    assert norm(item.working) not in paper_text


def test_branches_are_named_on_the_answer_sheet(fixture):
    case = fixture.cases["fixture-case"]
    _, sheet = _pages(case, fixture.references)
    text = norm(lxml.html.document_fromstring(sheet).text_content())
    assert "In the course this choice leads to the stage: Detour" in text


def test_markup_in_content_is_shown_as_text(awkward_bank, fixture_references):
    paper, sheet = _pages(awkward_bank, fixture_references)
    for document in (paper, sheet):
        tree = lxml.html.document_fromstring(document)
        assert tree.xpath("//script") == []
        assert "<script>alert(1)</script>" in tree.text_content()
        assert tree.xpath("//b[text()='bold']") == []
    assert "Wrong <b>bold</b>" in lxml.html.document_fromstring(sheet).text_content()  # a rationale, as characters


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("Raw <img src=x onerror=alert(1)> and <script>alert(2)</script>", "//img | //script | //@onerror"),
        ("[click](javascript:alert(1))", "//a[starts-with(@href, 'javascript')]"),
        ("![a remote picture](http://example.org/p.png)", "//img | //@src"),
        ("<iframe src='http://example.org'></iframe>", "//iframe"),
    ],
)
def test_case_markdown_cannot_inject_or_load(fixture, markdown, forbidden):
    case = fixture.cases["fixture-case"]
    first = case.stages[0].model_copy(update={"reveal": [RevealBlock(markdown=markdown)]})
    hostile = case.model_copy(update={"stages": [first, *case.stages[1:]]})
    paper, _ = _pages(hostile, fixture.references)
    tree = lxml.html.document_fromstring(paper)
    assert tree.xpath(forbidden) == []
    _assert_self_contained(paper, f"{case.id}-answers.html")
