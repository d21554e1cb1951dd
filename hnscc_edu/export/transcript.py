"""A learner's transcript (HTML and PDF) and the activity summary (CSV or JSON), read from the store (issue 18 §3).

**Transcript**: the learner's name as attested, their profession and degree (from the acknowledgement), then one row
per activity completed with a certificate, as the certificate's record states it: activity, provider, completion date,
certificate id, credit type and amount with its label, and the record's mode. A draft or practice record is marked
"not for credit"; a revoked certificate is listed as revoked, with the reason, and never counted. The totals are per
credit type, for-credit records apart from draft and practice records. A course store holds one activity and at most
one certificate per learner, so a transcript has one row today; the layout takes any number.

**Activity summary**: per credit type and profession, the learners who acknowledged the activity information, who
passed the post-test, the certificates issued (revoked ones apart, never counted), and the credit they state. A learner
without a certificate is counted under the credit type their profession and degree would receive (``course.yaml:
credit.types``), or ``none`` when no type fits; a learner with a certificate under the type it states (``practice``
for a practice record). ``credit_total`` sums the certificates that are not revoked, ``credit_for_credit`` only those
issued while the course ran for credit (the rest are draft or practice records: ``not_for_credit``). Rows whose
credit type is ``all`` add up learners over types, so they carry no credit sum (the units differ). ``physicians`` and
``other_learners`` are the two counts ACCME asks of an activity: certificates (not revoked, of any mode) whose credit
type is of kind ``ama-pra-category-1`` in ``course.yaml``, and those of any other type; the row with credit type and
profession both ``all`` holds the activity's figures.

Pure functions of a ``Store`` and the course content build the data; others render it. Everything a learner typed is
escaped in HTML; the PDF is drawn with ReportLab in invariant mode, so the same records give the same bytes.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import templating
from ..content.course import CourseContent
from ..content.models import Profession
from ..rules.credit import PRACTICE, credit_type_for, profession_label
from ..rules.learner_path import PathEvent, PathState, Rules, Step, replay, step
from ..store import Store
from ..store.credit import CreditStore

FOR_CREDIT = "for_credit"
AMA_KIND = "ama-pra-category-1"
ALL = "all"
NO_TYPE = "none"  # a learner without a certificate whom no credit type in course.yaml fits
NOT_REGISTERED = "not registered"
MODE_LABELS = {FOR_CREDIT: "For credit", "draft": "Draft: not for credit", PRACTICE: "Practice record: not for credit"}
TRANSCRIPT_RENDERER = "hnscc-edu transcript 1"
SUMMARY_COLUMNS = [
    "credit_type",
    "kind",
    "profession",
    "acknowledged",
    "passed",
    "certificates",
    "revoked",
    "not_for_credit",
    "credit_total",
    "credit_for_credit",
    "physicians",
    "other_learners",
]


class NoTranscript(LookupError):
    """There is nothing to put on a transcript: an unknown learner, or one without a certificate."""


def mode_label(mode: str) -> str:
    return MODE_LABELS.get(mode, f"{mode}: not for credit")


# -- the transcript's data -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TranscriptEntry:
    """One activity completed with a certificate, as its record states it."""

    certificate_id: str
    activity_title: str
    provider: str
    completion_date: str
    issued_on: str
    credit_type: str
    certificate_title: str
    amount: Decimal
    amount_label: str
    mode: str
    revoked_on: str | None = None
    revocation_reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_on is not None

    @property
    def for_credit(self) -> bool:
        return self.mode == FOR_CREDIT

    @property
    def credit_line(self) -> str:
        return f"{self.amount:.2f} {self.amount_label}"

    @property
    def status(self) -> str:
        """The record's mode in words, and the revocation when there is one."""
        if self.revoked:
            return (
                f"Revoked on {self.revoked_on}: {self.revocation_reason}. Not counted in the totals. "
                f"({mode_label(self.mode)})"
            )
        return mode_label(self.mode)


@dataclass(frozen=True)
class TranscriptTotal:
    """The certificates of one credit type and mode that are not revoked, and the credit they state."""

    credit_type: str
    amount_label: str
    mode: str
    certificates: int
    amount: Decimal

    @property
    def for_credit(self) -> bool:
        return self.mode == FOR_CREDIT

    @property
    def credit_line(self) -> str:
        return f"{self.amount:.2f} {self.amount_label}"


@dataclass(frozen=True)
class Transcript:
    learner_id: str
    learner_name: str
    profession: str
    profession_label: str
    degree: str
    entries: tuple[TranscriptEntry, ...]
    totals: tuple[TranscriptTotal, ...]

    @property
    def revoked(self) -> int:
        return sum(1 for e in self.entries if e.revoked)


def _state(credit_store: CreditStore, learner_id: str, rules: Rules) -> PathState:
    return replay((PathEvent(kind, at, data) for kind, at, data in credit_store.events(learner_id)), rules)


def _entry(row: dict[str, Any]) -> TranscriptEntry:
    p = row["payload"]
    revoked = row.get("revoked_at")
    return TranscriptEntry(
        certificate_id=row["certificate_id"],
        activity_title=str(p.get("activity_title", "")),
        provider=str(p.get("provider", "")),
        completion_date=str(p.get("completion_date", "")),
        issued_on=str(p.get("issued_on", "")),
        credit_type=str(p.get("credit_type", "")),
        certificate_title=str(p.get("certificate_title", "")),
        amount=Decimal(str(p.get("credit_amount", "0"))),
        amount_label=str(p.get("amount_label", "")),
        mode=str(p.get("mode", "draft")),
        revoked_on=revoked.date().isoformat() if revoked is not None else None,
        revocation_reason=row.get("revocation_reason"),
    )


def totals(entries: Iterable[TranscriptEntry]) -> tuple[TranscriptTotal, ...]:
    """Per credit type and mode, over the entries that are not revoked (for-credit first)."""
    grouped: dict[tuple[str, str, str], list[TranscriptEntry]] = defaultdict(list)
    for entry in entries:
        if not entry.revoked:
            grouped[(entry.credit_type, entry.amount_label, entry.mode)].append(entry)
    rows = [
        TranscriptTotal(credit_type, label, mode, len(group), sum((e.amount for e in group), Decimal(0)))
        for (credit_type, label, mode), group in grouped.items()
    ]
    return tuple(sorted(rows, key=lambda t: (not t.for_credit, t.credit_type, t.mode)))


def build_transcript(store: Store, content: CourseContent, learner_id: str) -> Transcript:
    """The learner's transcript; raises NoTranscript for an unknown learner or one without a certificate."""
    credit_store = CreditStore(store)
    if learner_id not in credit_store.learner_ids():
        where = store.engine.url.render_as_string(hide_password=True)  # never a database password on screen
        raise NoTranscript(f"there is no learner {learner_id!r} in the store ({where})")
    row = credit_store.certificate_for(learner_id)  # one certificate per learner (store/schema.py)
    rules = Rules.from_course(content.info) if content.info is not None else None
    state = _state(credit_store, learner_id, rules) if rules is not None else PathState()
    if row is None:
        here = step(state, rules) if rules is not None else None
        if here is None:
            where = ""
        elif here is Step.certificate:
            where = f" (it is earned but not issued yet: 'hnscc-edu certificate {learner_id} --out FILE.pdf' issues it)"
        else:
            where = f" (their path is at: {here.label})"
        raise NoTranscript(f"learner {learner_id!r} has no certificate{where}, so there is no transcript to write")
    entries = (_entry(row),)
    payload = row["payload"]
    attested = [a for a in credit_store.attestation_rows() if a["learner_id"] == learner_id]
    name = attested[0]["full_name"] if attested else state.full_name or str(payload.get("learner_name", ""))
    profession = state.profession or str(payload.get("profession", ""))
    degree = state.degree or str(payload.get("degree", ""))
    return Transcript(learner_id, name, profession, profession_label(profession), degree, entries, totals(entries))


def file_stem(learner_id: str) -> str:
    """``transcript-<id>``, with every character of the id that is unsafe in a file name replaced by "_"."""
    return "transcript-" + re.sub(r"[^A-Za-z0-9._@+-]", "_", learner_id)


# -- the transcript as HTML ----------------------------------------------------------------------------------------
def render_html(t: Transcript) -> str:
    """The transcript as one HTML page (``templates/transcript.html.j2``; the learner's name and every text escaped,
    the AMA credit phrase in italics)."""
    who = ", ".join(x for x in (t.profession_label, t.degree) if x)
    return templating.render("transcript.html.j2", t=t, who=who, mode_label=mode_label)


# -- the transcript as PDF -----------------------------------------------------------------------------------------
class _Writer:
    """Left-aligned lines from the top of a portrait letter page, wrapped, on as many pages as they need."""

    MARGIN = 54

    def __init__(self, pdf, fonts) -> None:
        from reportlab.lib.pagesizes import letter

        self.pdf, self.fonts = pdf, fonts
        self.width, self.height = letter
        self.y = self.height - self.MARGIN

    def line(self, text: str, size: float = 10, bold: bool = False, indent: float = 0, gap: float = 2) -> None:
        from reportlab.lib.utils import simpleSplit

        name = self.fonts.bold if bold else self.fonts.regular
        for part in simpleSplit(text, name, size, self.width - 2 * self.MARGIN - indent) or [""]:
            if self.y - size * 1.3 < self.MARGIN:
                self.pdf.showPage()
                self.y = self.height - self.MARGIN
            self.y -= size * 1.3
            self.pdf.setFont(name, size)
            self.pdf.drawString(self.MARGIN + indent, self.y, part)
        self.y -= gap


def render_pdf(t: Transcript) -> bytes:
    """The transcript as PDF: the same transcript gives the same bytes (ReportLab's invariant mode)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    from .certificates import _fonts

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=1, pageCompression=1)
    pdf.setTitle(f"Transcript: {t.learner_name}")
    pdf.setSubject("Transcript of continuing education")
    pdf.setCreator(TRANSCRIPT_RENDERER)
    out = _Writer(pdf, _fonts())
    out.line("Transcript of continuing education", 18, bold=True, gap=12)
    out.line(t.learner_name, 14, bold=True)
    out.line(", ".join(x for x in (t.profession_label, t.degree) if x), 11)
    out.line(f"Learner id: {t.learner_id}", 9, gap=14)
    out.line("Activities completed", 13, bold=True, gap=6)
    for e in t.entries:
        out.line(e.activity_title, 11, bold=True)
        out.line(f"Provider: {e.provider}", 10, indent=12)
        out.line(
            f"Completion date: {e.completion_date}    Certificate: {e.certificate_id}    Issued: {e.issued_on}",
            10,
            indent=12,
        )
        out.line(f"{e.certificate_title}: {e.credit_line}", 10, indent=12)
        out.line(e.status, 10, bold=not e.for_credit or e.revoked, indent=12, gap=10)
    out.line("Totals by credit type (revoked certificates are not counted)", 13, bold=True, gap=6)
    if not t.totals:
        out.line("No credit counted: every certificate listed above was revoked.", 10)
    for x in t.totals:
        count = f"{x.certificates} certificate{'' if x.certificates == 1 else 's'}"
        out.line(f"{x.credit_line} ({count}): {mode_label(x.mode)}", 10, bold=not x.for_credit, indent=12)
    out.line("", 6)
    out.line(
        "Draft and practice records are not for credit. A revoked certificate is listed with the reason and "
        "never counted. Each certificate can be checked on the provider's verification page.",
        8,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write_transcript(t: Transcript, out_dir: Path) -> tuple[Path, Path]:
    """``transcript-<id>.html`` and ``.pdf`` in ``out_dir`` (created when missing)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(t.learner_id)
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    html_path.write_text(render_html(t), encoding="utf-8")
    pdf_path.write_bytes(render_pdf(t))
    return html_path, pdf_path


# -- the activity summary ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Learner:
    credit_type: str
    kind: str
    profession: str
    acknowledged: bool
    passed: bool
    certificate: str | None  # "valid" | "revoked" | None
    mode: str | None
    amount: Decimal


@dataclass(frozen=True)
class ActivitySummary:
    activity_title: str
    provider: str
    mode: str
    rows: tuple[dict[str, Any], ...]

    @property
    def activity(self) -> dict[str, Any]:
        """The row of the whole activity (credit type and profession both ``all``)."""
        return next(r for r in self.rows if r["credit_type"] == ALL and r["profession"] == ALL)

    def as_json(self) -> dict[str, Any]:
        whole = self.activity
        return {
            "activity_title": self.activity_title,
            "provider": self.provider,
            "mode": self.mode,
            "physicians": whole["physicians"],
            "other_learners": whole["other_learners"],
            "columns": SUMMARY_COLUMNS,
            "rows": [dict(r) for r in self.rows],
        }


def _kinds(content: CourseContent) -> dict[str, str]:
    kinds = {t.id: t.kind for t in content.info.credit.types} if content.info is not None else {}
    kinds[PRACTICE] = PRACTICE
    return kinds


def _learners(store: Store, content: CourseContent) -> list[_Learner]:
    credit_store = CreditStore(store)
    events: dict[str, list[PathEvent]] = defaultdict(list)
    for row in credit_store.event_rows():
        events[row["learner_id"]].append(PathEvent(row["event"], row["at"], row["data"]))
    rules = Rules.from_course(content.info) if content.info is not None else None
    states = {learner: replay(evs, rules) if rules is not None else PathState() for learner, evs in events.items()}
    certificates = {row["learner_id"]: row for row in credit_store.certificate_rows()}
    kinds = _kinds(content)
    learners = []
    for learner in sorted(set(states) | set(certificates)):
        state, row = states.get(learner, PathState()), certificates.get(learner)
        payload = row["payload"] if row is not None else {}
        if state.acknowledged_at is None and row is None:
            continue  # events but no acknowledgement: not a learner of the activity yet
        profession = state.profession or payload.get("profession") or NOT_REGISTERED
        if row is not None:
            credit_type = str(payload.get("credit_type", NO_TYPE))
        else:
            try:
                credit_type = credit_type_for(profession, state.degree or "", content.info.credit).id
            except (ValueError, AttributeError):
                credit_type = NO_TYPE
        learners.append(
            _Learner(
                credit_type=credit_type,
                kind=kinds.get(credit_type, ""),
                profession=profession,
                acknowledged=state.acknowledged_at is not None,
                passed=state.passed,
                certificate=None if row is None else "revoked" if row.get("revoked_at") is not None else "valid",
                mode=None if row is None else str(payload.get("mode", "draft")),
                amount=Decimal(str(payload.get("credit_amount", "0"))),
            )
        )
    return learners


def _summary_row(credit_type: str, kind: str, profession: str, group: list[_Learner]) -> dict[str, Any]:
    valid = [g for g in group if g.certificate == "valid"]
    one_type = credit_type != ALL

    def credit(members: list[_Learner]) -> str | None:
        return f"{sum((m.amount for m in members), Decimal(0)):.2f}" if one_type else None

    return {
        "credit_type": credit_type,
        "kind": kind,
        "profession": profession,
        "acknowledged": sum(1 for g in group if g.acknowledged),
        "passed": sum(1 for g in group if g.passed),
        "certificates": len(valid),
        "revoked": sum(1 for g in group if g.certificate == "revoked"),
        "not_for_credit": sum(1 for g in valid if g.mode != FOR_CREDIT),
        "credit_total": credit(valid),
        "credit_for_credit": credit([g for g in valid if g.mode == FOR_CREDIT]),
        "physicians": sum(1 for g in valid if g.kind == AMA_KIND),
        "other_learners": sum(1 for g in valid if g.kind != AMA_KIND),
    }


def build_summary(store: Store, content: CourseContent) -> ActivitySummary:
    """The activity summary: rows per (credit type, profession), per credit type, per profession, and the whole."""
    learners = _learners(store, content)
    type_order = list(_kinds(content))
    profession_order = [p.value for p in Profession]

    def type_key(t: str) -> tuple:
        return (type_order.index(t) if t in type_order else len(type_order), t)

    def profession_key(p: str) -> tuple:
        return (profession_order.index(p) if p in profession_order else len(profession_order), p)

    types = sorted({x.credit_type for x in learners}, key=type_key)
    professions = sorted({x.profession for x in learners}, key=profession_key)
    kinds = _kinds(content)
    rows: list[dict[str, Any]] = []
    for credit_type in types:
        of_type = [x for x in learners if x.credit_type == credit_type]
        for profession in professions:
            group = [x for x in of_type if x.profession == profession]
            if group:
                rows.append(_summary_row(credit_type, kinds.get(credit_type, ""), profession, group))
        rows.append(_summary_row(credit_type, kinds.get(credit_type, ""), ALL, of_type))
    for profession in professions:
        rows.append(_summary_row(ALL, "", profession, [x for x in learners if x.profession == profession]))
    rows.append(_summary_row(ALL, "", ALL, learners))
    info = content.info
    return ActivitySummary(
        info.title if info else "", info.provider if info else "", info.mode if info else "", tuple(rows)
    )


def summary_csv(summary: ActivitySummary) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in summary.rows:
        writer.writerow({k: "" if row[k] is None else row[k] for k in SUMMARY_COLUMNS})
    return buffer.getvalue()


def write_summary(summary: ActivitySummary, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(summary_csv(summary), encoding="utf-8")
    return path
