"""Verifying a certificate PDF: offline with the provider's public key alone, or also against the course's store.

Offline (``verify``), the PDF must carry a record signed by the provider's key, and it must be, byte for byte, the
PDF this machine draws from that signed record (``certificates.render`` is deterministic). So a name edited in the
page, hidden or covered text, an added page or a lengthened credit line all fail, even though the embedded record and
signature are genuine; a record or signature made without the private key fails the signature. Nothing is read but
the PDF and the key, and nothing is written.

With the store (``verify_with_store``), the course's record must also hold this certificate, with the same record and
signature, not revoked.

Each answer is a ``Verification``: code 0 valid, 1 not valid (the message says why, in words), 2 cannot be checked
(an unreadable file, or a machine that would draw the certificate differently).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..rules.credit import CertificateRecord, payload_hash, record_bytes
from ..rules.signing import key_id, signature_valid
from . import certificates

VALID, INVALID, UNCHECKABLE = 0, 1, 2
# What a signed record must state (as text) to be drawn; anything else in it is covered by the signature all the same.
REQUIRED = (
    "certificate_id",
    "learner_name",
    "profession_label",
    "degree",
    "activity_title",
    "completion_date",
    "issued_on",
    "credit_type",
    "certificate_title",
    "amount_heading",
    "amount_label",
    "credit_amount",
    "provider",
    "accreditation_statement",
    "verification_url",
    "key_id",
)


@dataclass(frozen=True)
class Verification:
    code: int
    message: str
    certificate_id: str | None = None
    record: CertificateRecord | None = None

    @property
    def ok(self) -> bool:
        return self.code == VALID


class NotACertificate(ValueError):
    """A readable PDF that carries no signed certificate record."""


@dataclass(frozen=True)
class Embedded:
    """What a certificate PDF carries for its verifier: the record, the signature and the renderer's name."""

    payload: dict[str, Any]
    signature: str
    creator: str

    @property
    def record(self) -> CertificateRecord:
        p = self.payload
        issued = dt.datetime.combine(dt.date.fromisoformat(p["issued_on"]), dt.time(), dt.UTC)
        return CertificateRecord(p["certificate_id"], "", p, payload_hash(p), issued, self.signature)


def _reader(data: bytes):
    """A pypdf reader of ``data``; ValueError when it is not a readable PDF (pypdf's warnings stay quiet)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        _ = reader.metadata, len(reader.pages)  # parse now, so a damaged file fails here
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise ValueError(f"it is not a readable PDF ({exc.__class__.__name__})") from exc
    finally:
        pypdf_log.setLevel(level)
    return reader


def embedded(data: bytes) -> Embedded:
    """The signed record of a certificate PDF. ValueError when the file is not a readable PDF; NotACertificate when
    it carries no well-formed record (not an hnscc-edu certificate, or one issued before certificates were signed)."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("it is not a PDF")
    info = _reader(data).metadata or {}
    raw, signature = info.get(f"/{certificates.RECORD_KEY}"), info.get(f"/{certificates.SIGNATURE_KEY}")
    if raw is None or signature is None:
        raise NotACertificate(
            "This PDF carries no signed certificate record: it is not a certificate of this course, "
            "or it was issued before certificates were signed (the provider re-issues it, signed, "
            "with 'hnscc-edu certificate LEARNER_ID')."
        )
    try:
        payload = json.loads(str(raw))
    except ValueError as exc:
        raise NotACertificate("The certificate record inside this PDF is damaged (it is not JSON).") from exc
    if not isinstance(payload, dict) or not all(isinstance(payload.get(key), str) for key in REQUIRED):
        raise NotACertificate("The certificate record inside this PDF is incomplete.")
    try:
        dt.date.fromisoformat(payload["issued_on"])
    except ValueError as exc:
        raise NotACertificate("The certificate record inside this PDF has no valid issue date.") from exc
    return Embedded(payload, str(signature), str(info.get("/Creator") or ""))


def _summary(record: CertificateRecord) -> str:
    p = record.payload
    text = (
        f"{p['learner_name']}, {p['profession_label']}, {p['degree']}: {p['certificate_title']}, "
        f"{record.credit_line}, completed {p['completion_date']}, issued {p['issued_on']}"
    )
    if record.practice:
        return text + ". It is a practice record: not for credit"
    return text + (". It is a draft: not for credit" if record.draft else "")


def _words_around(words: list[str], index: int, before: int = 5, after: int = 5) -> str:
    start = max(0, index - before)
    shown = " ".join(words[start : index + after + 1])
    return ("…" if start > 0 else "") + shown + ("…" if index + after + 1 < len(words) else "")


def describe_difference(found: bytes, expected: bytes) -> str:
    """Why a PDF is not the certificate of its signed record, in words (for the verifier's message)."""
    try:
        pages = len(_reader(found).pages)
        found_text, expected_text = certificates.pdf_text(found), certificates.pdf_text(expected)
    except Exception:  # noqa: BLE001 - a forger's file may break a reader in any way; it is not genuine either way
        return "the file is not the certificate's PDF"
    if pages != 1:
        return f"it has {pages} pages, and the signed certificate has one"
    if found_text != expected_text:
        seen, wanted = found_text.split(), expected_text.split()
        index = next(
            (i for i, (a, b) in enumerate(zip(seen, wanted, strict=False)) if a != b), min(len(seen), len(wanted))
        )
        if index in (len(seen), len(wanted)):  # one is the other with words added at its end
            longer = seen if index == len(wanted) else wanted
            words = " ".join(longer[index : index + 10]) + ("…" if index + 10 < len(longer) else "")
            if longer is seen:
                return (
                    f'it carries text the signed certificate does not: "{words}" (drawn over or beside the '
                    "genuine text)"
                )
            return f'text of the signed certificate is missing from it: "{words}"'
        return (
            f'its text differs from the signed record: it reads "{_words_around(seen, index)}" where the signed '
            f'certificate reads "{_words_around(wanted, index)}"'
        )
    return (
        "its page is drawn differently from the signed certificate (text hidden, covered or added, or the file "
        "rewritten)"
    )


def verify(data: bytes, public_key: Ed25519PublicKey) -> Verification:
    """Check a certificate PDF with the provider's public key alone (no store, no file written)."""
    try:
        found = embedded(data)
    except NotACertificate as exc:
        return Verification(INVALID, str(exc))
    except ValueError as exc:
        return Verification(UNCHECKABLE, f"The file cannot be checked: {exc}.")
    record = found.record
    certificate_id, named_key, given_key = record.certificate_id, found.payload["key_id"], key_id(public_key)
    if not signature_valid(public_key, record_bytes(found.payload), found.signature):
        if named_key != given_key:
            return Verification(
                INVALID,
                f"Certificate {certificate_id} is not signed by the key given: it names the "
                f"key {named_key}, and the key given is {given_key}. Check that you hold "
                "the provider's published key.",
                certificate_id,
            )
        return Verification(
            INVALID,
            f"Certificate {certificate_id} is not genuine: its signature does not match "
            "the record it carries (the record was altered, or it was not signed with the "
            "provider's key).",
            certificate_id,
        )
    here = certificates.renderer_id()
    if found.creator != here and found.creator.startswith(certificates.RENDERER_FAMILY):
        return Verification(
            UNCHECKABLE,
            f"The signature of certificate {certificate_id} is valid ({_summary(record)})"
            f", but the PDF says it was drawn by '{found.creator}', and this machine "
            f"draws with '{here}', so the pages cannot be compared here. Check it on a "
            "machine with that ReportLab version and font, or at "
            f"{found.payload['verification_url']}.",
            certificate_id,
            record,
        )
    try:
        expected = certificates.render(record)
    except (KeyError, ValueError, TypeError) as exc:
        return Verification(
            INVALID,
            f"Certificate {certificate_id} cannot be drawn from its record ({exc.__class__.__name__}).",
            certificate_id,
        )
    if expected != data:
        return Verification(
            INVALID,
            f"Certificate {certificate_id} is not genuine: {describe_difference(data, expected)}.",
            certificate_id,
        )
    return Verification(
        VALID,
        f"Certificate {certificate_id} is genuine: signed with the provider's key "
        f"{given_key}, and the PDF is exactly the certificate of its signed record: "
        f"{_summary(record)}. Whether it was revoked since is on its verification page: "
        f"{found.payload['verification_url']}",
        certificate_id,
        record,
    )


def verify_with_store(
    data: bytes, public_key: Ed25519PublicKey, lookup: Callable[[str], CertificateRecord | None]
) -> Verification:
    """``verify``, then the course's own record (``lookup`` finds it by certificate id): it must hold this certificate
    with the same record and signature, and not revoked."""
    result = verify(data, public_key)
    if result.code != VALID or result.record is None:
        return result
    found, certificate_id = result.record, result.record.certificate_id
    stored = lookup(certificate_id)
    if stored is None:
        return Verification(
            INVALID,
            f"The course's store has no certificate {certificate_id}: this server did not issue it.",
            certificate_id,
            found,
        )
    if stored.payload != found.payload or stored.signature != found.signature:
        return Verification(
            INVALID,
            f"The course's record of certificate {certificate_id} differs from the signed record in the PDF.",
            certificate_id,
            found,
        )
    if stored.revoked_at is not None:
        return Verification(
            INVALID,
            f"Certificate {certificate_id} was revoked on "
            f"{stored.revoked_at.date().isoformat()}: {stored.revocation_reason}",
            certificate_id,
            found,
        )
    return Verification(
        VALID,
        f"Certificate {certificate_id} is genuine and matches the course's record (not revoked): {_summary(found)}.",
        certificate_id,
        found,
    )
