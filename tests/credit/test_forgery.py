"""Every forgery of the CME review (``shared/reviews/cme-credit.md`` §3), built for real from genuine certificates with
pypdf and ReportLab, fails verification: offline with the provider's public key, against the store, and through the
command (exit 1, the reason in words, no traceback). The genuine files pass.

A   the name edited in the page's content stream
B   the record edited and "re-signed" without the provider's key (another key; the old SHA-256 scheme)
B2  a brand-new certificate id with a self-consistent record
C1  a dentist's Certificate of Participation shown as a physician's AMA certificate: the genuine text made invisible,
    forged text drawn over it
C2  the same with a white rectangle over the genuine text
C3  a physician's genuine AMA certificate under another person's name (a white box over the name, a new name)
D   a forged first page before the genuine page
E   a substring edit of the name ("Synthetic Learner 1" -> "Synthetic Learner 10")
F   the title and amount lines lengthened
G   a forged name added as an annotation in an incremental update (the genuine bytes kept whole)
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from hnscc_edu import keys
from hnscc_edu.cli import main
from hnscc_edu.export import certificate_check, certificates
from hnscc_edu.rules.credit import CertificateRecord, payload_hash, record_bytes
from hnscc_edu.rules.signing import Signer
from hnscc_edu.store import Store
from tests.credit.conftest import Clock, lookup_in, walk
from tests.helpers import ROOT

WIDTH, HEIGHT = landscape(letter)
FORGER = "Dr Mallory Forger"


@dataclasses.dataclass(frozen=True)
class Genuine:
    store: Store
    dentist: CertificateRecord  # Certificate of Participation, "Synthetic Learner 1", DDS
    physician: CertificateRecord  # Certificate of Credit (AMA), "Synthetic Learner 2", MD

    def pdf(self, which: str) -> bytes:
        return certificates.render(getattr(self, which))


@pytest.fixture(scope="module")
def genuine(tmp_path_factory) -> Genuine:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('forgery') / 'store.sqlite3'}")
    clock = Clock()
    dentist = walk(store, "sim-00001", clock, "dentist", "DDS", name="Synthetic Learner 1").certificate()
    physician = walk(store, "sim-00002", clock, "medical_oncologist", "MD", name="Synthetic Learner 2").certificate()
    return Genuine(store, dentist, physician)


# -- how a forger works: pypdf and ReportLab on a genuine PDF ----------------------------------------------------------
def edit_content(pdf: bytes, *replacements: tuple[bytes, bytes]) -> bytes:
    """The genuine PDF with its page's content stream edited (the embedded record and signature kept)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = page.get_contents()
    data = contents.get_data()
    for old, new in replacements:
        assert old in data, old
        data = data.replace(old, new)
    contents.set_data(data)
    page.replace_contents(contents)
    return _written(writer)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def drawn(draw: Callable[[canvas.Canvas], None]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(letter))
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def forged_physician_page(pdf: canvas.Canvas, white_box: bool = False) -> None:
    """A physician's AMA certificate for the forger, in Helvetica (over a white box when asked)."""
    if white_box:
        pdf.setFillColorRGB(1, 1, 1)
        pdf.rect(34, 150, WIDTH - 68, HEIGHT - 190, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 0)
    lines = [
        ("Helvetica-Bold", 28, "Certificate of Credit", 516),
        ("Helvetica", 12, "This certifies that", 478),
        ("Helvetica-Bold", 24, FORGER, 437),
        ("Helvetica", 12, "Medical oncologist, MD", 415),
        ("Helvetica-Bold", 15, "Credit awarded: 1.00 AMA PRA Category 1 Credit\u2122", 276),
    ]
    for font, size, text, y in lines:
        pdf.setFont(font, size)
        pdf.drawCentredString(WIDTH / 2, y, text)


def overlaid(pdf: bytes, overlay: bytes, hide_genuine_text: bool = False) -> bytes:
    """The genuine page with ``overlay`` merged on top (the genuine text first made invisible: ``3 Tr``)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    if hide_genuine_text:
        contents = page.get_contents()
        contents.set_data(contents.get_data().replace(b"BT ", b"BT 3 Tr "))
        page.replace_contents(contents)
    page.merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    return _written(writer)


def resigned(record: CertificateRecord, sign: Callable[[bytes], str], **changes: str) -> bytes:
    """The record edited and drawn with the kit's own renderer, with a signature made without the provider's key."""
    payload = dict(record.payload, **changes)
    return certificates.render(
        dataclasses.replace(
            record, payload=payload, certificate_id=payload["certificate_id"], signature=sign(record_bytes(payload))
        )
    )


def resigned_by_a_forger_naming_their_key(record: CertificateRecord) -> bytes:
    """The record edited and signed with a new key of the forger's, whose id the certificate now names."""
    forger = Signer.generate()
    return resigned(record, forger.sign, learner_name="Synthetic Learner 9", key_id=forger.key_id)


def sha256_as_signature(message: bytes) -> str:
    """The old, unkeyed "verification hash", in the signature's place."""
    return base64.b64encode(hashlib.sha256(message).digest() * 2).decode("ascii")


FORGERIES: dict[str, tuple[str, Callable[[Genuine], bytes], str]] = {
    # id: (genuine certificate used, how it is forged, what the verifier says)
    "A-name-in-content-stream": (
        "physician",
        lambda g: edit_content(g.pdf("physician"), (b"(Synthetic Learner 2)", b"(Synthetic Learner 9)")),
        'it reads "…This certifies that Synthetic Learner 9',
    ),
    "B-resigned-with-another-key": (
        "physician",
        lambda g: resigned(g.physician, Signer.generate().sign, learner_name="Synthetic Learner 9"),
        "its signature does not match the record it carries",
    ),
    "B-resigned-with-the-forgers-key-id": (
        "physician",
        lambda g: resigned_by_a_forger_naming_their_key(g.physician),
        "is not signed by the key given",
    ),
    "B-sha256-recomputed": (
        "physician",
        lambda g: resigned(g.physician, sha256_as_signature, learner_name="Synthetic Learner 9"),
        "its signature does not match the record it carries",
    ),
    "B2-new-certificate-id": (
        "physician",
        lambda g: resigned(g.physician, Signer.generate().sign, certificate_id="HNSCC-0000000001", learner_name=FORGER),
        "Certificate HNSCC-0000000001 is not genuine: its signature does not match",
    ),
    "C1-invisible-original-forged-text": (
        "dentist",
        lambda g: overlaid(g.pdf("dentist"), drawn(forged_physician_page), hide_genuine_text=True),
        'it carries text the signed certificate does not: "Certificate of Credit This certifies that Dr Mallory',
    ),
    "C2-white-box-over-the-original": (
        "dentist",
        lambda g: overlaid(g.pdf("dentist"), drawn(lambda pdf: forged_physician_page(pdf, white_box=True))),
        'it carries text the signed certificate does not: "Certificate of Credit This certifies that Dr Mallory',
    ),
    "C3-genuine-certificate-under-another-name": (
        "physician",
        lambda g: overlaid(
            g.pdf("physician"),
            drawn(
                lambda pdf: (
                    pdf.setFillColorRGB(1, 1, 1),
                    pdf.rect(60, 430, WIDTH - 120, 32, stroke=0, fill=1),
                    pdf.setFillColorRGB(0, 0, 0),
                    pdf.setFont("Helvetica-Bold", 24),
                    pdf.drawCentredString(WIDTH / 2, 437, FORGER),
                )
            ),
        ),
        f'it carries text the signed certificate does not: "{FORGER}" (drawn over',
    ),
    "D-forged-first-page": (
        "dentist",
        lambda g: _forged_first_page(g.pdf("dentist")),
        "it has 2 pages, and the signed certificate has one",
    ),
    "E-substring-name": (
        "dentist",
        lambda g: edit_content(g.pdf("dentist"), (b"(Synthetic Learner 1)", b"(Synthetic Learner 10)")),
        'it reads "…This certifies that Synthetic Learner 10',
    ),
    "F-extended-title-and-amount": (
        "dentist",
        lambda g: edit_content(
            g.pdf("dentist"),
            (b"(Certificate of Participation)", b"(Certificate of Participation and Credit)"),
            (b"(Time of participation: 1.00 hours)", b"(Time of participation: 1.00 hours = 1.00 credit)"),
        ),
        'it reads "Certificate of Participation and Credit',
    ),
    "G-annotation-in-an-incremental-update": (
        "physician",
        lambda g: _annotated(g.pdf("physician")),
        "its page is drawn differently from the signed certificate",
    ),
}


def _forged_first_page(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))  # the genuine record and signature stay embedded
    writer.insert_page(PdfReader(io.BytesIO(drawn(forged_physician_page))).pages[0], 0)
    return _written(writer)


def _annotated(pdf: bytes) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_annotation(
        0,
        FreeText(
            text=FORGER, rect=(200, 425, 600, 465), font_size="24pt", background_color="ffffff", border_color="ffffff"
        ),
    )
    forged = _written(writer)
    assert forged.startswith(pdf)  # an incremental update: every genuine byte is still there
    return forged


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_each_forgery_fails_offline_against_the_store_and_through_the_command(genuine, tmp_path, capsys, name):
    which, forge, reason = FORGERIES[name]
    forged = forge(genuine)
    assert forged != genuine.pdf(which)
    assert PdfReader(io.BytesIO(forged)).pages  # a PDF every reader opens
    public = keys.load_public()

    offline = certificate_check.verify(forged, public)
    assert offline.code == 1 and not offline.ok, offline.message
    assert reason in offline.message, offline.message
    against_store = certificate_check.verify_with_store(forged, public, lookup_in(genuine.store))
    assert against_store.code == 1, against_store.message

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(forged)
    (tmp_path / "provider.pem").write_text(keys.public_pem(public))
    assert main(["verify-certificate", str(path), "--public-key", str(tmp_path / "provider.pem")]) == 1
    assert main(["--root", str(ROOT), "verify-certificate", str(path), "--db", genuine.store.url]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.count(f"hnscc-edu: {path}: ") == 2


def test_the_forgeries_show_what_a_reader_would_see(genuine):
    """The forged files are real forgeries: their text says what the forger wants read."""
    text = {name: certificates.pdf_text(forge(genuine)) for name, (_, forge, _) in FORGERIES.items()}
    assert "Synthetic Learner 9" in text["A-name-in-content-stream"]
    assert FORGER in text["B2-new-certificate-id"] and "HNSCC-0000000001" in text["B2-new-certificate-id"]
    for name in ("C1-invisible-original-forged-text", "C2-white-box-over-the-original", "D-forged-first-page"):
        assert FORGER in text[name] and "Credit awarded: 1.00 AMA PRA Category 1 Credit™" in text[name]
    assert text["C3-genuine-certificate-under-another-name"].count(FORGER) == 1
    assert "Synthetic Learner 10" in text["E-substring-name"]
    assert "1.00 hours = 1.00 credit" in text["F-extended-title-and-amount"]


def test_the_genuine_certificates_pass(genuine, tmp_path, capsys):
    public = keys.load_public()
    for which in ("dentist", "physician"):
        pdf = genuine.pdf(which)
        assert certificate_check.verify(pdf, public).ok
        assert certificate_check.verify_with_store(pdf, public, lookup_in(genuine.store)).ok
        path = tmp_path / f"{which}.pdf"
        path.write_bytes(pdf)
        assert main(["--root", str(ROOT), "verify-certificate", str(path), "--db", genuine.store.url]) == 0
    assert capsys.readouterr().err == ""


def test_a_genuine_record_and_signature_fail_once_the_file_is_rewritten(genuine):
    """Verification is of the PDF as issued: a copy re-saved by another program is no longer the signed certificate
    (the README says to keep the file as issued)."""
    pdf = genuine.pdf("physician")
    resaved = _written(PdfWriter(clone_from=PdfReader(io.BytesIO(pdf))))
    result = certificate_check.verify(resaved, keys.load_public())
    assert result.code == 1 and "drawn differently" in result.message


def test_a_signed_record_cannot_be_lifted_into_another_learners_certificate(genuine):
    """The dentist's genuine record and signature inside a PDF drawn for the physician's record: not genuine."""
    lifted = dataclasses.replace(genuine.physician, signature=genuine.dentist.signature)
    result = certificate_check.verify(certificates.render(lifted), keys.load_public())
    assert result.code == 1 and "signature does not match" in result.message
    assert payload_hash(genuine.dentist.payload) != payload_hash(genuine.physician.payload)
