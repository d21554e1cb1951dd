"""Certificates as PDF, drawn from the store's record, and their verification.

A certificate states the learner, profession and degree, the activity, the completion date, the credit type and
amount, the provider and the accreditation statement, a certificate id and a verification hash (SHA-256 of the
record's canonical JSON). The same record always gives the same PDF bytes (ReportLab's invariant mode), so a
re-issue is a true copy.

``verify`` reads a PDF back: the printed hash must equal the store's record for the printed id, the record must
still hash to itself, and every statement of the record must be in the PDF's text (an edited name fails).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..engine.credit import CertificateRecord

# DejaVu Sans (Debian's fonts-dejavu-core) prints names in Latin, Greek and Cyrillic scripts; without it the PDF falls
# back to Helvetica, which prints Western European names only. unprintable_characters() says which is in force.
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")
ID_PATTERN = re.compile(r"Certificate ID:\s*(HNSCC-[0-9A-F]+)")
HASH_PATTERN = re.compile(r"SHA-256\):\s*([0-9a-f]{64})")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    ttf: TTFont | None  # the regular TrueType font, to check which characters it can draw


def _fonts() -> Fonts:
    for folder in _FONT_DIRS:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "HnsccSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("HnsccSans", str(regular)))
                pdfmetrics.registerFont(TTFont("HnsccSans-Bold", str(bold)))
            return Fonts("HnsccSans", "HnsccSans-Bold", pdfmetrics.getFont("HnsccSans"))
    return Fonts("Helvetica", "Helvetica-Bold", None)


def unprintable_characters(text: str) -> str:
    """The characters of ``text`` the certificate's font cannot draw (empty when all can be printed)."""
    fonts = _fonts()
    if fonts.ttf is None:
        bad = [c for c in text if not _encodes(c, "cp1252")]
    else:
        char_to_glyph = fonts.ttf.face.charToGlyph
        bad = [c for c in text if not c.isspace() and ord(c) not in char_to_glyph]
    return "".join(dict.fromkeys(bad))


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


class _Page:
    """Centred lines from the top of a landscape letter page, wrapping long text."""

    WIDTH, HEIGHT = landscape(letter)
    MARGIN = 60

    def __init__(self, pdf: canvas.Canvas, fonts: Fonts) -> None:
        self.pdf, self.fonts, self.y = pdf, fonts, self.HEIGHT - 60

    def line(self, text: str, size: float, bold: bool = False, gap: float = 8) -> None:
        name = self.fonts.bold if bold else self.fonts.regular
        for part in simpleSplit(text, name, size, self.WIDTH - 2 * self.MARGIN - 40):
            self.y -= size * 1.3  # move down by the line's height first, so large text never meets the line above
            self.pdf.setFont(name, size)
            self.pdf.drawCentredString(self.WIDTH / 2, self.y, part)
        self.y -= gap


def render(record: CertificateRecord) -> bytes:
    """The certificate PDF for a stored record (the same bytes every time for the same record)."""
    p = record.payload
    fonts = _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(letter), invariant=1, pageCompression=1)
    pdf.setTitle(f"{p['certificate_title']}: {p['learner_name']}")
    pdf.setAuthor(p["provider"])
    pdf.setSubject(p["activity_title"])
    pdf.setKeywords(f"certificate {record.certificate_id}")
    pdf.setCreator("hnscc-edu")
    pdf.setLineWidth(2)
    pdf.rect(28, 28, _Page.WIDTH - 56, _Page.HEIGHT - 56)
    page = _Page(pdf, fonts)
    page.line(p["certificate_title"], 28, bold=True, gap=22)
    page.line("This certifies that", 12, gap=10)
    page.line(p["learner_name"], 24, bold=True, gap=6)
    page.line(f"{p['profession_label']}, {p['degree']}", 12, gap=18)
    page.line("completed the enduring activity", 12, gap=6)
    page.line(p["activity_title"], 14, bold=True, gap=12)
    page.line(f"Completion date: {p['completion_date']}", 12, gap=16)
    page.line(f"{p['amount_heading']}: {p['credit_amount']} {p['amount_label']}", 15, bold=True, gap=16)
    if p.get("designation_statement"):
        page.line(p["designation_statement"], 10, gap=12)
    page.line(f"Provider: {p['provider']}", 10, gap=4)
    page.line(p["accreditation_statement"], 9, gap=22)
    page.line(f"Certificate ID: {record.certificate_id}    Issued: {p['issued_on']}", 9, gap=2)
    page.line(f"Verification hash (SHA-256): {record.sha256}", 8, gap=2)
    page.line("Check it with: hnscc-edu verify-certificate FILE.pdf", 8, gap=0)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write(record: CertificateRecord, path: Path) -> Path:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise OSError(f"The folder {path.parent} does not exist.")
    path.write_bytes(render(record))
    return path


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace normalised (raises ValueError when it is not a readable PDF)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # its warnings about a damaged file would clutter the one-line answer
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ValueError(f"it is not a readable PDF ({exc.__class__.__name__})") from exc
    finally:
        pypdf_log.setLevel(level)
    return " ".join(text.split())


@dataclass(frozen=True)
class Verification:
    ok: bool
    message: str
    certificate_id: str | None = None


def _statements(record: CertificateRecord) -> dict[str, str]:
    p = record.payload
    return {"learner name": p["learner_name"], "certificate title": p["certificate_title"],
            "activity title": p["activity_title"], "completion date": p["completion_date"],
            "credit": f"{p['credit_amount']} {p['amount_label']}", "provider": p["provider"],
            "profession": f"{p['profession_label']}, {p['degree']}"}


def verify(data: bytes, lookup: Callable[[str], CertificateRecord | None]) -> Verification:
    """Check a certificate PDF against the store (``lookup`` finds a record by certificate id)."""
    try:
        text = pdf_text(data)
    except ValueError as exc:
        return Verification(False, f"The file cannot be checked: {exc}.")
    found_id, found_hash = ID_PATTERN.search(text), HASH_PATTERN.search(text)
    if not found_id or not found_hash:
        return Verification(False, "No certificate id and verification hash were found in this PDF.")
    certificate_id, printed_hash = found_id.group(1), found_hash.group(1)
    record = lookup(certificate_id)
    if record is None:
        return Verification(False, f"The store has no certificate {certificate_id}.", certificate_id)
    if printed_hash != record.sha256:
        return Verification(False, f"The hash printed on certificate {certificate_id} does not match the store's "
                                   "record.", certificate_id)
    if not record.intact:
        return Verification(False, f"The store's record of certificate {certificate_id} was altered: it no longer "
                                   "matches its own hash.", certificate_id)
    for what, statement in _statements(record).items():
        if " ".join(statement.split()) not in text:
            return Verification(False, f"The {what} printed on certificate {certificate_id} differs from the store's "
                                       "record.", certificate_id)
    p = record.payload
    return Verification(True, f"Certificate {certificate_id} matches the store's record: {p['learner_name']}, "
                              f"{record.credit_line}, completed {p['completion_date']}.", certificate_id)
