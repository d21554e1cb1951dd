"""Certificates as PDF, drawn from the store's signed record.

A certificate states the learner, profession and degree, the activity, the completion date, the credit type and
amount, the provider and the accreditation statement, the certificate id, the id of the provider's signing key, the
address of its public verification page (also as a QR code) and the provider's Ed25519 signature. While the course is
not yet run for credit (``course.yaml: mode: draft``) it is stamped "Draft: not for credit". A practice record (mode
``practice``: issued where the learner and the store share one machine, without a hub) is titled "Practice Record",
carries no credit and is stamped "Practice record: not for credit".

The signed record (its canonical JSON) and the signature also travel inside the PDF, in its document information
(``/HnsccCertificate`` and ``/HnsccSignature``), so the PDF alone holds what an offline verifier needs. The same
record always gives the same PDF bytes (ReportLab's invariant mode), so a re-issue is a true copy, and a verifier
compares a PDF with a fresh render of its signed record byte for byte (``certificate_check``). The renderer names
itself in the PDF's ``/Creator`` (this format, the ReportLab version and the font), so a verifier whose machine would
draw differently can say so instead of calling a genuine certificate forged.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..content.statements import AMA_PHRASE
from ..rules.credit import CertificateRecord, canonical_json

# DejaVu Sans (Debian's fonts-dejavu-core) prints names in Latin, Greek and Cyrillic scripts; without it the PDF falls
# back to Helvetica, which prints Western European names only. unprintable_characters() says which is in force.
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu")
RECORD_KEY, SIGNATURE_KEY = "HnsccCertificate", "HnsccSignature"  # the document information keys
RENDERER_FAMILY = "hnscc-edu certificate"
RENDERER = f"{RENDERER_FAMILY} 4"  # the layout's name and version; a new version whenever the drawing below changes
DRAFT_STAMP = "Draft: not for credit"
_CLOSING = re.compile(r"[.,;:]*")
ITALIC_SLANT = 0.21  # the shear of the slanted AMA credit phrase (about 12 degrees, like an oblique font)
PRACTICE_STAMP = "Practice record: not for credit"


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    ttf: TTFont | None  # the regular TrueType font, to check which characters it can draw
    files: tuple[Path, ...] = ()


def _fonts() -> Fonts:
    for folder in _FONT_DIRS:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            if "HnsccSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("HnsccSans", str(regular)))
                pdfmetrics.registerFont(TTFont("HnsccSans-Bold", str(bold)))
            return Fonts("HnsccSans", "HnsccSans-Bold", pdfmetrics.getFont("HnsccSans"), (regular, bold))
    return Fonts("Helvetica", "Helvetica-Bold", None)


@functools.cache
def _font_id(files: tuple[Path, ...]) -> str:
    if not files:
        return "Helvetica"
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:12]
    return f"DejaVu Sans {digest}"


def renderer_id() -> str:
    """How this machine draws certificates: the layout, the ReportLab version and the font (with a digest of its
    files). Two machines with the same id draw the same record as the same bytes."""
    return f"{RENDERER} (ReportLab {reportlab.Version}; {_font_id(_fonts().files)})"


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


class _SignedInfo(PDFInfo):
    """ReportLab's document information with two more keys: the signed record and its signature. (PDF allows keys
    of its own in the information dictionary; readers show the standard ones and keep the rest.)"""

    def __init__(self, base: PDFInfo, extra: dict[str, str]) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        self.extra = extra

    def format(self, document) -> bytes:
        entries = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
        }
        entries["ModDate"] = entries["CreationDate"] = PDFDate(
            ts=document._timeStamp, dateFormatter=self._dateFormatter
        )
        entries.update({key: PDFString(value) for key, value in self.extra.items()})
        return PDFDictionary(entries).format(document)


class _Page:
    """Centred lines from the top of a landscape letter page, wrapping long text."""

    WIDTH, HEIGHT = landscape(letter)
    MARGIN = 60

    def __init__(self, pdf: canvas.Canvas, fonts: Fonts) -> None:
        self.pdf, self.fonts, self.y = pdf, fonts, self.HEIGHT - 60

    @property
    def text_width(self) -> float:
        return self.WIDTH - 2 * self.MARGIN - 40

    def fitted(self, text: str, size: float, smallest: float, bold: bool = False, lines: int = 2) -> float:
        """The largest size from ``size`` down to ``smallest`` at which ``text`` takes at most ``lines`` lines."""
        name = self.fonts.bold if bold else self.fonts.regular
        while size > smallest and len(simpleSplit(text, name, size, self.text_width)) > lines:
            size -= 1
        return size

    def statement(self, text: str, size: float, bold: bool = False, gap: float = 8) -> None:
        """Text with the AMA credit phrase in italics, as the AMA prints it (drawn slanted, so no italic font file
        is needed), wrapped and centred like ``line``."""
        name = self.fonts.bold if bold else self.fonts.regular
        # the phrase and the punctuation that closes it (a separate "." would be read back as " ." from the PDF)
        italic_at = {
            i
            for match in AMA_PHRASE.finditer(text)
            for i in range(match.start(), match.end() + len(_CLOSING.match(text, match.end()).group()))
        }
        # each word as its pieces of one style: "Credit(s)™." is an italic piece and a regular "."
        words: list[list[tuple[str, bool]]] = []
        for word in re.finditer(r"\S+", text):
            pieces: list[tuple[str, bool]] = []
            for i in range(word.start(), word.end()):
                italic = i in italic_at
                if pieces and pieces[-1][1] == italic:
                    pieces[-1] = (pieces[-1][0] + text[i], italic)
                else:
                    pieces.append((text[i], italic))
            words.append(pieces)

        def width_of(chunk: str) -> float:
            return pdfmetrics.stringWidth(chunk, name, size)

        space = width_of(" ")
        lines: list[list[list[tuple[str, bool]]]] = [[]]
        width = 0.0
        for pieces in words:
            word_width = sum(width_of(piece) for piece, _ in pieces)
            if lines[-1] and width + space + word_width > self.text_width:
                lines.append([])
                width = 0.0
            width += (space if lines[-1] else 0) + word_width
            lines[-1].append(pieces)
        for words_of_line in lines:
            self.y -= size * 1.3
            # runs of one style; a space between two runs ends the first, so text extraction keeps it
            runs: list[tuple[str, bool]] = []
            for w, pieces in enumerate(words_of_line):
                for k, (piece, italic) in enumerate(pieces):
                    if k == len(pieces) - 1 and w < len(words_of_line) - 1:
                        piece += " "
                    if runs and runs[-1][1] == italic:
                        runs[-1] = (runs[-1][0] + piece, italic)
                    else:
                        runs.append((piece, italic))
            x = (self.WIDTH - sum(width_of(run) for run, _ in runs)) / 2
            for run, italic in runs:
                text_object = self.pdf.beginText()
                text_object.setFont(name, size)
                text_object.setTextTransform(1, 0, ITALIC_SLANT if italic else 0, 1, x, self.y)
                text_object.textOut(run)
                self.pdf.drawText(text_object)
                x += width_of(run)
        self.y -= gap

    def line(self, text: str, size: float, bold: bool = False, gap: float = 8) -> None:
        name = self.fonts.bold if bold else self.fonts.regular
        for part in simpleSplit(text, name, size, self.text_width):
            self.y -= size * 1.3  # move down by the line's height first, so large text never meets the line above
            self.pdf.setFont(name, size)
            self.pdf.drawCentredString(self.WIDTH / 2, self.y, part)
        self.y -= gap


QR_SIZE = 84  # points: about 3 cm, readable by a phone from a printout
FOOTER_X, FOOTER_BOTTOM = 48, 40


def _qr(pdf: canvas.Canvas, url: str) -> None:
    """The verification address as a QR code in the bottom right corner."""
    widget = QrCodeWidget(url, barBorder=2)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, _Page.WIDTH - 36 - QR_SIZE, 36)


def _footer(pdf: canvas.Canvas, fonts: Fonts, record: CertificateRecord) -> None:
    """The id, verification address, key and signature, bottom left (beside the QR code)."""
    p = record.payload
    width = _Page.WIDTH - FOOTER_X - QR_SIZE - 56
    lines = [
        (f"Certificate ID: {record.certificate_id}    Issued: {p['issued_on']}", 9, True),
        (
            (
                f"To check this certificate, open {p['verification_url']} or scan the code: the page says whether "
                "it is valid or has been revoked."
            ),
            8,
            False,
        ),
        (
            (
                f"Signed by the provider with the Ed25519 key {p['key_id']}; the signature below covers everything "
                "this certificate states."
            ),
            8,
            False,
        ),
        (f"Signature: {record.signature}", 6.5, False),
    ]
    parts = [
        (part, size, bold)
        for text, size, bold in lines
        for part in simpleSplit(text, fonts.bold if bold else fonts.regular, size, width)
    ]
    top = FOOTER_BOTTOM + sum(size * 1.35 for _, size, _ in parts[1:])
    y = top
    for part, size, bold in parts:  # drawn from the top down, so the text reads in order
        pdf.setFont(fonts.bold if bold else fonts.regular, size)
        pdf.drawString(FOOTER_X, y, part)
        y -= size * 1.35


def _draft_stamp(pdf: canvas.Canvas, fonts: Fonts, text: str = DRAFT_STAMP) -> None:
    """A translucent diagonal stamp across the page, drawn last so nothing covers it."""
    pdf.saveState()
    pdf.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.22))
    pdf.translate(_Page.WIDTH / 2, _Page.HEIGHT / 2)
    pdf.rotate(24)
    pdf.setFont(fonts.bold, 60 if text == DRAFT_STAMP else 48)
    pdf.drawCentredString(0, -20, text)
    pdf.restoreState()


def render(record: CertificateRecord) -> bytes:
    """The certificate PDF of a signed record (the same bytes every time for the same record on the same renderer)."""
    if record.signature is None:
        raise ValueError(f"certificate {record.certificate_id} is not signed yet; re-issue it to sign it")
    p = record.payload
    fonts = _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(letter), invariant=1, pageCompression=1)
    # ReportLab has no public call for keys of one's own in the document information; its document object is where
    # the information dictionary lives (tests read both keys back with pypdf, so a ReportLab change would show).
    pdf._doc.info = _SignedInfo(pdf._doc.info, {RECORD_KEY: canonical_json(p), SIGNATURE_KEY: record.signature})
    pdf.setTitle(f"{p['certificate_title']}: {p['learner_name']}")
    pdf.setAuthor(p["provider"])
    pdf.setSubject(p["activity_title"])
    pdf.setKeywords(f"certificate {record.certificate_id}")
    pdf.setCreator(renderer_id())
    pdf.setLineWidth(2)
    pdf.rect(28, 28, _Page.WIDTH - 56, _Page.HEIGHT - 56)
    page = _Page(pdf, fonts)
    page.line(p["certificate_title"], 28, bold=True, gap=22)
    page.line("This certifies that", 12, gap=10)
    page.line(p["learner_name"], page.fitted(p["learner_name"], 24, 12, bold=True), bold=True, gap=6)
    page.line(f"{p['profession_label']}, {p['degree']}", 12, gap=18)
    page.line("completed the enduring activity", 12, gap=6)
    page.line(p["activity_title"], 14, bold=True, gap=12)
    page.line(f"Completion date: {p['completion_date']}", 12, gap=16)
    page.statement(f"{p['amount_heading']}: {p['credit_amount']} {p['amount_label']}", 15, bold=True, gap=16)
    if p.get("designation_statement"):
        page.statement(p["designation_statement"], 10, gap=12)
    page.line(f"Provider: {p['provider']}", 10, gap=4)
    page.line(p["accreditation_statement"], 9, gap=0)
    _footer(pdf, fonts, record)
    _qr(pdf, p["verification_url"])
    if p.get("mode") == "practice":
        _draft_stamp(pdf, fonts, PRACTICE_STAMP)
    elif p.get("mode", "draft") != "for_credit":
        _draft_stamp(pdf, fonts)
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
