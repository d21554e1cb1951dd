"""Credit and certificates as pure functions: attested minutes to credit, the credit type a learner receives, and the
certificate record the provider signs (``signing``): everything the certificate states, its verification address and
the id of the key that signs it.

Which wording a learner gets is configuration (``course.yaml: credit.types``): the first type whose degrees and
professions both match wins. With the defaults, AMA PRA Category 1 Credit™ goes only to MD/DO physicians and every
other learner receives a certificate of participation that says what the activity was designated for. The statements
on a certificate are built from the activity record (``content.statements``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from ..content import statements
from ..content.models import CourseInfo, CreditSettings, CreditType, Profession

MAX_ATTESTED_MINUTES = 24 * 60
# Attested time "far above" the time on the path (first recorded step to the attestation): more than this ratio AND
# more than this many minutes above it. Both, so a quick learner who rounds 10 minutes up to 20 is not flagged, and
# neither is an hour-long path attested as 80 minutes; 60 minutes attested after 12 on the path is.
ATTESTED_RATIO = 1.5
ATTESTED_MARGIN_MINUTES = 15
# The mode of a record issued where the learner and the store share one machine (no hub): a practice record.
PRACTICE = "practice"
PRACTICE_TITLE = "Practice Record"
PRACTICE_LABEL = "(a practice record: not for credit)"
# Where a certificate's public verification page lives on the course server, under its public address.
CERTIFICATE_ROUTE = "hnscc/certificates"
DEFAULT_PUBLIC_URL = "http://localhost:8888/"  # the address of `make course`; a provider sets HNSCC_EDU_PUBLIC_URL


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))  # str() keeps 0.25 as 0.25, not its binary neighbour


def credit_for_minutes(minutes: int, increment: float = 0.25, cap: float = 1.0) -> Decimal:
    """Attested minutes as credit: hours rounded to the nearest ``increment`` (halves round up), capped at ``cap``.

    45 min -> 0.75; 50 min -> 0.75 (0.83 h); 53 min -> 1.00 (0.88 h); 120 min -> 1.00 (the cap); 7 min -> 0.00.
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError("Please give the time as a whole number of minutes.")  # noqa: TRY004 - shown to the learner
    if not 1 <= minutes <= MAX_ATTESTED_MINUTES:
        raise ValueError(f"Please give the time you spent in minutes, between 1 and {MAX_ATTESTED_MINUTES}.")
    step = _decimal(increment)
    steps = (Decimal(minutes) / Decimal(60) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(steps * step, _decimal(cap)).quantize(Decimal("0.01"))


def minutes_for_first_increment(increment: float = 0.25) -> int:
    """The fewest whole minutes that round to one increment of credit (8 for 0.25: 7.5 minutes rounds up)."""
    half = _decimal(increment) * 60 / 2
    return int(half.to_integral_value(rounding=ROUND_CEILING))


def attested_time_flagged(attested_minutes: int | None, path_minutes: float | None) -> bool:
    """True when the attested time is far above the time on the path: more than ``ATTESTED_RATIO`` times it and
    more than ``ATTESTED_MARGIN_MINUTES`` above it. Shown to the learner and flagged in the director's report; it
    does not refuse the attestation (the learner may have read the references offline)."""
    if attested_minutes is None or path_minutes is None:
        return False
    return (
        attested_minutes > ATTESTED_RATIO * path_minutes and attested_minutes - path_minutes > ATTESTED_MARGIN_MINUTES
    )


def credit_type_for(profession: str, degree: str, settings: CreditSettings) -> CreditType:
    """The certificate a learner of this profession and degree receives: the first configured type that matches."""
    for credit_type in settings.types:
        degree_ok = not credit_type.degrees or degree.casefold() in {d.casefold() for d in credit_type.degrees}
        profession_ok = not credit_type.professions or profession in {p.value for p in credit_type.professions}
        if degree_ok and profession_ok:
            return credit_type
    raise ValueError(
        f"No credit type in course.yaml fits a {profession} with the degree {degree}; the last type "
        "should accept every learner (a Certificate of Participation)."
    )


def profession_label(profession: str) -> str:
    try:
        return Profession(profession).label.capitalize()
    except ValueError:
        return profession


def canonical_json(payload: dict[str, Any]) -> str:
    """One spelling of a payload (sorted keys, no spaces), so its hash is the same on every machine."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_bytes(payload: dict[str, Any]) -> bytes:
    """What the provider's signature covers: the record's canonical JSON in UTF-8."""
    return canonical_json(payload).encode("utf-8")


def payload_hash(payload: dict[str, Any]) -> str:
    """The store's digest of a record (its own integrity check; the certificate carries a signature instead)."""
    return hashlib.sha256(record_bytes(payload)).hexdigest()


def verification_url(base: str, certificate_id: str) -> str:
    """The public verification page of a certificate under the course server's public address ``base``."""
    return f"{base.rstrip('/')}/{CERTIFICATE_ROUTE}/{certificate_id}"


@dataclass(frozen=True)
class CertificateRecord:
    """What the store keeps of an issued certificate; the PDF is drawn from it, on first issue and on re-issue.

    ``signature`` is the provider's Ed25519 signature of the payload (None for a certificate issued before
    certificates were signed: it is signed on its next re-issue). ``revoked_at`` and ``revocation_reason`` are the
    store's revocation, when there is one."""

    certificate_id: str
    learner_id: str
    payload: dict[str, Any]
    sha256: str
    issued_at: dt.datetime
    signature: str | None = None
    revoked_at: dt.datetime | None = None
    revocation_reason: str | None = None

    @property
    def intact(self) -> bool:
        """True when the stored payload still hashes to the stored digest (nobody edited the record)."""
        return payload_hash(self.payload) == self.sha256

    @property
    def credit_line(self) -> str:
        return f"{self.payload['credit_amount']} {self.payload['amount_label']}"

    @property
    def draft(self) -> bool:
        """Not a certificate of credit: a draft (the course is not yet run for credit) or a practice record."""
        return self.payload.get("mode", "draft") != "for_credit"

    @property
    def practice(self) -> bool:
        """A practice record: issued by a course service the learner could write to (one machine, no hub)."""
        return self.payload.get("mode") == PRACTICE


def certificate_payload(
    certificate_id: str,
    full_name: str,
    profession: str,
    degree: str,
    credit: Decimal | str,
    completed_on: dt.date,
    issued_on: dt.date,
    info: CourseInfo,
    *,
    public_url: str,
    key_id: str,
    practice: bool = False,
) -> dict[str, Any]:
    """Everything a certificate states; the provider's signature covers exactly this. The learner's internal id is
    not part of it (the store keeps it beside the record): the record travels inside the PDF.

    ``practice``: a practice record (mode ``practice``), never a certificate of credit: titled "Practice Record",
    no credit amount, no designation statement, and stamped "Practice record: not for credit"."""
    common = {
        "certificate_id": certificate_id,
        "learner_name": full_name,
        "profession": profession,
        "profession_label": profession_label(profession),
        "degree": degree,
        "activity_title": info.title,
        "completion_date": completed_on.isoformat(),
        "issued_on": issued_on.isoformat(),
        "provider": info.provider,
        "accreditation_statement": statements.accreditation_statement(info),
        "verification_url": verification_url(public_url, certificate_id),
        "key_id": key_id,
    }
    if practice:
        return {
            **common,
            "credit_type": PRACTICE,
            "certificate_title": PRACTICE_TITLE,
            "amount_heading": "Credit awarded",
            "amount_label": PRACTICE_LABEL,
            "credit_amount": "0.00",
            "designation_statement": None,
            "mode": PRACTICE,
        }
    credit_type = credit_type_for(profession, degree, info.credit)
    return {
        **common,
        "credit_type": credit_type.id,
        "certificate_title": credit_type.certificate_title,
        "amount_heading": credit_type.amount_heading,
        "amount_label": credit_type.amount_label,
        "credit_amount": statements.amount_text(credit),
        "designation_statement": statements.statement_for(info, credit_type),
        "mode": info.mode,
    }


def signed_upgrade(payload: dict[str, Any], info: CourseInfo, *, public_url: str, key_id: str) -> dict[str, Any]:
    """The record of a certificate issued before certificates were signed, made ready to sign: the same statements,
    without the learner's internal id, with the course's mode, the verification address and the key id."""
    upgraded = {key: value for key, value in payload.items() if key != "learner_id"}
    upgraded.update(
        mode=info.mode, verification_url=verification_url(public_url, payload["certificate_id"]), key_id=key_id
    )
    return upgraded


def public_status(record: CertificateRecord) -> dict[str, Any]:
    """What the public verification page says of a certificate (``GET /hnscc/certificates/{id}``, as JSON)."""
    p = record.payload
    body: dict[str, Any] = {
        "status": "revoked" if record.revoked_at is not None else "valid",
        "certificate_id": record.certificate_id,
        "learner_name": p["learner_name"],
        "credit_type": p["credit_type"],
        "amount": p["credit_amount"],
        "completed_on": p["completion_date"],
        "activity_title": p["activity_title"],
        "certificate_title": p["certificate_title"],
        "amount_label": p["amount_label"],
        "issued_on": p["issued_on"],
        "mode": p.get("mode", "draft"),
    }
    if record.revoked_at is not None:
        body["revoked_on"] = record.revoked_at.date().isoformat()
    return body
