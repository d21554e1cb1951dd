"""The one Jinja2 environment (hnscc_edu/templating.py): every page it writes escapes what a learner or a content
author typed, keeps sanitised markdown as markup, ships with the package, and writes each shared piece once."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pytest

from hnscc_edu import templating
from hnscc_edu.content.citations import citation_text
from hnscc_edu.content.models import Reference, RevealBlock
from hnscc_edu.export import transcript
from hnscc_edu.service.certificate_page import certificate_html, not_found_html
from hnscc_edu.ui import render
from tests.helpers import ROOT

SCRIPT = "<script>alert(1)</script>"
ESCAPED = html.escape(SCRIPT)


def _transcript_of(name: str) -> transcript.Transcript:
    entry = transcript.TranscriptEntry(
        "HNSCC-0123456789",
        "Recurrent head and neck cancer",
        "A provider",
        "2026-01-02",
        "2026-01-03",
        "ama-pra-category-1",
        "Certificate of Credit",
        Decimal(1),
        "AMA PRA Category 1 Credit™",
        "draft",
    )
    return transcript.Transcript("learner-1", name, "nurse", "Nurse", "RN", (entry,), transcript.totals((entry,)))


def _certificate_of(name: str) -> dict[str, str]:
    return {
        "status": "valid",
        "certificate_id": "HNSCC-0123456789",
        "learner_name": name,
        "credit_type": "ama-pra-category-1",
        "amount": "1.00",
        "completed_on": "2026-01-02",
        "activity_title": "Recurrent head and neck cancer",
        "certificate_title": "Certificate of Credit",
        "amount_label": "AMA PRA Category 1 Credit™",
        "issued_on": "2026-01-03",
        "mode": "for_credit",
    }


# Pages that show text a learner typed (a name, a message echoing their input), each with that text in it.
PAGES = {
    "transcript": lambda text: transcript.render_html(_transcript_of(f"Dr {text}")),
    "certificate page": lambda text: certificate_html(_certificate_of(f"Dr {text}")),
    "certificate not found": lambda text: not_found_html(f"There is no certificate {text}"),
    "error box": lambda text: templating.error_box(f"You typed {text}", f"Your answer {text} was refused."),
    "table": lambda text: render.data_table([f"Column {text}"], [[f"Cell {text}"]], f"Caption {text}", [text]),
}


@pytest.mark.parametrize("page", PAGES)
def test_text_a_learner_typed_is_escaped_on_the_page(page):
    """Fails if autoescaping were off: the name or message would reach the page as a live script element."""
    shown = PAGES[page](SCRIPT)
    assert SCRIPT not in shown and "<script" not in shown
    assert ESCAPED in shown


def test_escaping_spells_characters_as_html_escape_did():
    """The pages keep their bytes: quotes are written &#x27; and &quot; (html.escape), not &#39; and &#34;."""
    text = """Nora O'Neil & "Co" <b>"""
    assert templating.environment().from_string("{{ text }}").render(text=text) == html.escape(text)


def test_sanitised_markdown_stays_markup_and_raw_html_in_it_does_not():
    shown = render.reveal([RevealBlock(heading=f"Heading {SCRIPT}", markdown=f"**bold** and {SCRIPT}")])
    assert "<strong>bold</strong>" in shown  # marked safe after sanitising, so not escaped a second time
    assert "<script" not in shown
    assert f"<h4>Heading {ESCAPED}</h4>" in shown


def test_a_web_only_source_shows_its_address_in_the_notebooks_as_in_the_exports():
    """One citation format: a reference with neither DOI nor PMID ends with its web address, escaped."""
    reference = Reference(
        key="web-only", authors="Agency", title="A label", year=2025, url="https://example.org/label?a=1&b=<2>"
    )
    shown = render.citation(reference, "web-only")
    assert shown == html.escape(citation_text(reference, "web-only"))
    assert shown.endswith(" https://example.org/label?a=1&amp;b=&lt;2&gt;")


def test_every_template_compiles():
    names = templating.environment().list_templates()
    assert "macros.html.j2" in names and len(names) >= 8
    for name in names:
        templating.environment().get_template(name)


def test_the_error_box_is_written_in_one_place():
    """The error box's markup lives in the macro only: no module of the package writes it by hand."""
    writers = [
        p.relative_to(ROOT).as_posix()
        for p in Path(ROOT / "hnscc_edu").rglob("*.py")
        if 'class="hnscc-error' in p.read_text(encoding="utf-8")
    ]
    assert writers == []
