"""The re-irradiation checklist: one page in HTML and PDF, read back (lxml, pypdf), with every limits row and every
criterion and step present with its sources; generated from the data modules, escaped, and the same bytes each time."""

from __future__ import annotations

import base64
import io
import re
import time

import lxml.html
import pytest
from pypdf import PdfReader

from hnscc_edu.cli import main
from hnscc_edu.clinical import reirradiation_checklist as data
from hnscc_edu.clinical.oar_limits import ORGAN_LIMITS
from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import EvidenceLabel
from hnscc_edu.export import checklist
from hnscc_edu.ui.checklist_link import PREPARING, checklist_download, links_html
from tests.helpers import ROOT

REFERENCES = load_course(ROOT).references
ENTRIES = data.SELECTION_CRITERIA + data.MITIGATION_STEPS


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdf_text() -> str:
    reader = PdfReader(io.BytesIO(checklist.render_pdf(REFERENCES)))
    assert len(reader.pages) == 1
    text = _words(reader.pages[0].extract_text())
    if checklist._fonts().ttf is None:  # Helvetica fallback: the Greek letters are spelt out
        for char, words in checklist._SPELT_OUT.items():
            text = text.replace(words, char)
    return text


@pytest.fixture(scope="module")
def page():
    return lxml.html.fromstring(checklist.render_html(REFERENCES))


# --- the data -------------------------------------------------------------------------------------------------------


def test_every_statement_has_resolving_keys_a_course_evidence_label_and_is_verified():
    labels = {label.value for label in EvidenceLabel}
    for entry in ENTRIES:
        assert entry.references and entry.tag == "[verified]" and entry.evidence in labels, entry.id
    assert [row.evidence for row in data.limit_rows() if row.evidence not in labels] == []
    assert [key for key in data.reference_keys() if key not in REFERENCES] == []
    assert len({entry.id for entry in ENTRIES}) == len(ENTRIES)


def test_the_limits_are_the_calculators_table_less_its_unconfirmed_rows():
    printed = [(row.organ, row.metric, row.limit, row.source) for row in data.limit_rows()]
    assert printed == [(r.organ, r.metric, r.limit_text, r.source) for r in ORGAN_LIMITS if r.confirmed]
    assert {r.source for r in data.omitted_limit_rows()} == {"embring2021"}
    assert all("[recalled]" not in row.tag for row in data.limit_rows())


# --- HTML -------------------------------------------------------------------------------------------------------------


def test_html_is_one_accessible_self_contained_page(page):
    assert page.get("lang") == "en"
    assert page.findtext(".//title") == data.TITLE
    assert len(page.findall(".//main")) == 1
    assert "Education, not clinical advice." in page.find_class("banner")[0].text_content()
    assert not page.xpath("//script | //link | //img | //iframe | //*[@src]")
    assert [h.text_content() for h in page.findall(".//h2")] == list(checklist.SECTION_TITLES)


def test_html_has_every_limits_row_with_its_source(page):
    rows = page.xpath("//section[@id='limits']//tbody/tr")
    assert len(rows) == len(data.limit_rows())
    for tr, row in zip(rows, data.limit_rows(), strict=True):
        cells = [_words(td.text_content()) for td in tr.findall("td")]
        assert cells == [
            row.organ_label,
            row.metric,
            row.limit,
            f"{row.source_label} ({row.source})",
            f"{row.evidence} {row.tag}",
        ]
        assert tr.get("data-source") == row.source
    assert [th.get("scope") for th in page.xpath("//section[@id='limits']//th")] == ["col"] * 5
    assert _words(page.find_class("note")[0].text_content()) == checklist.omitted_note()


@pytest.mark.parametrize(
    "section, entries", [("selection", data.SELECTION_CRITERIA), ("mitigation", data.MITIGATION_STEPS)]
)
def test_html_has_every_criterion_and_step_with_its_sources(page, section, entries):
    items = page.xpath(f"//section[@id='{section}']/ol/li")
    assert len(items) == len(entries)
    for li, entry in zip(items, entries, strict=True):
        assert li.get("id") == f"{section}-{entry.id}"
        assert _words(li.text_content()) == f"{entry.heading}. {entry.text} {checklist.entry_sources(entry)}"
        assert li.get("data-references").split() == list(entry.references)
        assert li.get("data-evidence") == entry.evidence
    sources = _words(page.get_element_by_id("sources").text_content())
    assert all(f"{key}:" in sources for key in data.reference_keys())


def test_html_escapes_every_text(monkeypatch):
    hostile = data.ChecklistEntry(
        "x", "Dose < 60 Gy & <b>bold</b>", "<script>alert(1)</script>", ("nieder2006",), "consensus"
    )
    monkeypatch.setattr(checklist, "SELECTION_CRITERIA", (hostile,))
    text = checklist.render_html(REFERENCES)
    assert "<script>" not in text and "<b>bold</b>" not in text
    parsed = lxml.html.fromstring(text)
    assert not parsed.xpath("//script | //b")
    assert "<script>alert(1)</script>" in parsed.get_element_by_id("selection-x").text_content()
    assert "Dose < 60 Gy &" in parsed.get_element_by_id("selection-x").text_content()
    pdf = PdfReader(io.BytesIO(checklist.render_pdf(REFERENCES))).pages[0].extract_text()
    assert "<script>alert(1)</script>" in _words(pdf)  # ReportLab's markup is escaped too


# --- PDF --------------------------------------------------------------------------------------------------------------


def test_pdf_is_one_page_with_the_banner_and_title(pdf_text):
    assert pdf_text.startswith(data.TITLE)
    assert f"{checklist.DISCLAIMER_HEADLINE} {checklist.DISCLAIMER_DETAIL}" in pdf_text


def test_pdf_has_every_limits_row_with_its_source(pdf_text):
    for row in data.limit_rows():
        printed = _words(
            f"{row.organ_label} {row.metric} {row.limit} {row.source_label} ({row.source}) {row.evidence} {row.tag}"
        )
        assert printed in pdf_text, printed  # the row's cells in order: the source belongs to that limit
    assert checklist.omitted_note() in pdf_text
    assert all(row.source_label in pdf_text for row in data.omitted_limit_rows())
    assert "119" not in pdf_text  # the unconfirmed cut-off itself is not printed


def test_pdf_has_every_criterion_and_step_with_its_sources(pdf_text):
    for entries in (data.SELECTION_CRITERIA, data.MITIGATION_STEPS):
        for number, entry in enumerate(entries, start=1):
            printed = _words(f"{number}. {entry.heading}. {entry.text} {checklist.entry_sources(entry)}")
            assert printed in pdf_text, printed
    sources = pdf_text[pdf_text.rindex(checklist.SECTION_TITLES[3]) :]
    assert all(re.search(rf"\b{re.escape(key)}:", sources) for key in data.reference_keys())


def test_pdf_is_the_same_bytes_every_time():
    assert checklist.render_pdf(REFERENCES) == checklist.render_pdf(REFERENCES)


# --- the command and the notebook's download links -------------------------------------------------------------------


def test_cli_writes_both_files(tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    assert main(["--root", str(ROOT), "checklist", "--out", str(out)]) == 0
    html_path, pdf_path = out / checklist.HTML_NAME, out / checklist.PDF_NAME
    assert capsys.readouterr().out.split() == [str(html_path), str(pdf_path)]
    assert html_path.read_text(encoding="utf-8") == checklist.render_html(REFERENCES)
    assert pdf_path.read_bytes() == checklist.render_pdf(REFERENCES)


def test_the_download_links_carry_the_same_files():
    links = lxml.html.fromstring(links_html(REFERENCES)).xpath("//a[@download]")
    files = {a.get("download"): a.get("href") for a in links}
    assert set(files) == {checklist.PDF_NAME, checklist.HTML_NAME}
    pdf_href, html_href = files[checklist.PDF_NAME], files[checklist.HTML_NAME]
    assert pdf_href.startswith("data:application/pdf;base64,")
    assert base64.b64decode(pdf_href.split(",", 1)[1]) == checklist.render_pdf(REFERENCES)
    assert html_href.startswith("data:text/html;charset=utf-8;base64,")
    assert base64.b64decode(html_href.split(",", 1)[1]).decode("utf-8") == checklist.render_html(REFERENCES)


def made(widget, timeout: float = 60):
    """The checklist widget once its thread has put in the links (or the message saying they cannot be made)."""
    deadline = time.monotonic() + timeout
    while PREPARING in widget.value:
        assert time.monotonic() < deadline, "the checklist files were never made"
        time.sleep(0.05)
    return widget


def test_the_widget_says_the_files_are_coming_then_carries_the_same_links():
    widget = checklist_download(REFERENCES)
    assert "hnscc-checklist-link" in widget._dom_classes
    assert PREPARING in widget.value or "hnscc-checklist-pdf" in widget.value  # the thread may already be done
    assert made(widget).value.endswith(links_html(REFERENCES))  # the links tested below, once made


def test_a_failure_shows_a_message_not_a_traceback(monkeypatch):
    def broken(_references):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(checklist, "render_pdf", broken)
    widget = made(checklist_download(REFERENCES))
    assert "The checklist cannot be made." in widget.value
    assert "disk on fire" not in widget.value and "Traceback" not in widget.value
