"""Learner transcripts and the activity summary (issue 18 §3): a real SQLite store filled through the real session
(a physician, a nurse, a physician whose certificate is revoked, a physician certified while the course ran for
credit, and a learner who passed but never finished), read back as HTML, PDF, CSV and JSON."""

from __future__ import annotations

import csv
import dataclasses
import json
from decimal import Decimal

import pytest

from hnscc_edu.cli import main
from hnscc_edu.export import transcript
from hnscc_edu.export.certificates import pdf_text
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.credit import conftest
from tests.credit.conftest import COURSE, Clock, walk
from tests.helpers import ROOT

AMA = "AMA PRA Category 1 Credit™"
NAME = "<b>Dr X</b>"
REASON = "Attested <time> not supported by the record"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """The store of five learners; the surgeon's certificate revoked through the command line."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('transcript') / 'credit.sqlite3'}")
    clock = Clock()
    walk(store, "doc", clock, name=NAME, minutes=60)
    walk(store, "nurse", clock, profession="nurse", degree="RN", name="Nora O'Neil & Co", minutes=45)
    walk(store, "revoked", clock, profession="surgeon", degree="DO", name="Dr Rex Voked", minutes=60)
    walk(store, "quitter", clock, profession="medical_oncologist", until="evaluation")
    for_credit = dataclasses.replace(COURSE, info=COURSE.info.model_copy(update={"mode": "for_credit"}))
    with pytest.MonkeyPatch.context() as patch:  # the course later ran for credit: the same walk, another mode
        patch.setattr(conftest, "COURSE", for_credit)
        walk(store, "credited", clock, name="Dr Cred Ited", minutes=30)
    revoked_id = CreditStore(store).certificate_for("revoked")["certificate_id"]
    assert main(["revoke-certificate", revoked_id, "--reason", REASON, "--db", store.url]) == 0
    return store


def test_transcript_html_escapes_learner_text_and_marks_a_draft(cohort):
    data = transcript.build_transcript(cohort, COURSE, "doc")
    certificate = CreditStore(cohort).certificate_for("doc")
    assert (data.learner_name, data.profession, data.degree) == (NAME, "radiation_oncologist", "MD")
    page = transcript.render_html(data)
    assert "&lt;b&gt;Dr X&lt;/b&gt;" in page and NAME not in page
    assert "Radiation oncologist, MD" in page
    assert certificate["certificate_id"] in page
    assert f"<td>{certificate['payload']['completion_date']}</td>" in page
    assert f"Certificate of Credit: 1.00 <em>{AMA}</em>" in page
    assert '<td class="status not-for-credit">Draft: not for credit</td>' in page
    assert "TO BE COMPLETED: the accredited provider" in page
    assert [(t.credit_type, t.mode, t.certificates, t.amount) for t in data.totals] == [
        ("ama-pra-category-1", "draft", 1, Decimal("1.00"))
    ]


def test_nurse_transcript_escapes_her_name_and_counts_hours(cohort):
    data = transcript.build_transcript(cohort, COURSE, "nurse")
    page = transcript.render_html(data)
    assert "Nora O&#x27;Neil &amp; Co" in page and "Nurse, RN" in page
    assert "Certificate of Participation: 0.75 hours" in page and "<em>" not in page.split("<h2>Totals")[0]
    assert [(t.credit_type, t.amount) for t in data.totals] == [("attendance", Decimal("0.75"))]


def test_transcript_pdf_reads_back_and_is_the_same_every_time(cohort):
    data = transcript.build_transcript(cohort, COURSE, "doc")
    pdf = transcript.render_pdf(data)
    assert pdf.startswith(b"%PDF") and b"(D:20000101000000" in pdf  # ReportLab's invariant mode: a fixed date
    text = pdf_text(pdf)
    certificate_id = CreditStore(cohort).certificate_for("doc")["certificate_id"]
    for expected in (
        NAME,
        "Radiation oncologist, MD",
        f"Certificate: {certificate_id}",
        f"1.00 {AMA}",
        "Draft: not for credit",
        COURSE.info.title[:40],
    ):
        assert expected in text, expected
    assert transcript.render_pdf(transcript.build_transcript(cohort, COURSE, "doc")) == pdf


def test_a_revoked_certificate_is_listed_with_its_reason_and_never_counted(cohort):
    data = transcript.build_transcript(cohort, COURSE, "revoked")
    (entry,) = data.entries
    assert entry.revoked and entry.revocation_reason == REASON
    assert data.totals == () and data.revoked == 1
    page = transcript.render_html(data)
    assert '<tr class="revoked">' in page and "Revoked on " in page
    assert "Attested &lt;time&gt; not supported by the record" in page and REASON not in page
    assert "No credit counted" in page
    text = pdf_text(transcript.render_pdf(data))
    assert f"Revoked on {entry.revoked_on}: {REASON}" in text and "No credit counted" in text


def test_totals_by_credit_type_leave_out_revoked_and_keep_drafts_apart():
    def entry(
        certificate_id: str, amount: str, mode: str, credit_type: str = "ama-pra-category-1", revoked: bool = False
    ) -> transcript.TranscriptEntry:
        return transcript.TranscriptEntry(
            certificate_id,
            "Activity",
            "Provider",
            "2026-12-01",
            "2026-12-01",
            credit_type,
            "Certificate of Credit",
            Decimal(amount),
            AMA,
            mode,
            "2026-12-02" if revoked else None,
            "wrong learner" if revoked else None,
        )

    totals = transcript.totals(
        [
            entry("A", "1.00", "for_credit"),
            entry("B", "0.75", "for_credit"),
            entry("C", "1.00", "for_credit", revoked=True),
            entry("D", "0.50", "draft"),
            entry("E", "0.25", "for_credit", credit_type="attendance"),
        ]
    )
    assert [(t.credit_type, t.mode, t.certificates, t.amount) for t in totals] == [
        ("ama-pra-category-1", "for_credit", 2, Decimal("1.75")),
        ("attendance", "for_credit", 1, Decimal("0.25")),
        ("ama-pra-category-1", "draft", 1, Decimal("0.50")),
    ]


def test_every_text_of_a_record_is_escaped_in_html():
    evil = "<script>alert(1)</script>"
    entry = transcript.TranscriptEntry(
        "HNSCC-<1>", evil, evil, evil, evil, evil, evil, Decimal("1.00"), f"{evil} {AMA}", evil, "2026-12-02", evil
    )
    data = transcript.Transcript(evil, evil, evil, evil, evil, (entry,), ())
    page = transcript.render_html(data)
    assert "<script" not in page and "HNSCC-<1>" not in page
    assert page.count("&lt;script&gt;") >= 10
    assert f"&lt;/script&gt; <em>{AMA}</em>" in page


def test_a_certificate_for_credit_is_marked_for_credit(cohort):
    data = transcript.build_transcript(cohort, COURSE, "credited")
    assert [(t.mode, t.amount) for t in data.totals] == [("for_credit", Decimal("0.50"))]
    page = transcript.render_html(data)
    assert '<td class="status">For credit</td>' in page and "status not-for-credit" not in page
    assert f"0.50 <em>{AMA}</em>" in page


def test_activity_summary_counts_physicians_and_others_without_revoked(cohort):
    summary = transcript.build_summary(cohort, COURSE)
    rows = {(r["credit_type"], r["profession"]): r for r in summary.rows}

    def counts(key, *columns):
        return tuple(rows[key][c] for c in columns)

    columns = (
        "acknowledged",
        "passed",
        "certificates",
        "revoked",
        "not_for_credit",
        "credit_total",
        "credit_for_credit",
        "physicians",
        "other_learners",
    )
    assert counts(("ama-pra-category-1", "radiation_oncologist"), *columns) == (2, 2, 2, 0, 1, "1.50", "0.50", 2, 0)
    assert counts(("ama-pra-category-1", "surgeon"), *columns) == (1, 1, 0, 1, 0, "0.00", "0.00", 0, 0)
    assert counts(("ama-pra-category-1", "medical_oncologist"), *columns) == (1, 1, 0, 0, 0, "0.00", "0.00", 0, 0)
    assert counts(("ama-pra-category-1", "all"), *columns) == (4, 4, 2, 1, 1, "1.50", "0.50", 2, 0)
    assert counts(("attendance", "nurse"), *columns) == (1, 1, 1, 0, 1, "0.75", "0.00", 0, 1)
    assert counts(("all", "all"), *columns) == (5, 5, 3, 1, 2, None, None, 2, 1)
    assert rows[("ama-pra-category-1", "all")]["kind"] == "ama-pra-category-1"
    assert rows[("attendance", "all")]["kind"] == "participation"
    assert summary.as_json()["physicians"] == 2 and summary.as_json()["other_learners"] == 1
    assert list(rows)[-1] == ("all", "all")


def test_activity_summary_command_writes_the_csv_and_prints_the_same_json(cohort, tmp_path, capsys):
    out = tmp_path / "new" / "summary.csv"
    assert main(["--root", str(ROOT), "activity-summary", "--out", str(out), "--json", "--db", cohort.url]) == 0
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert (printed["physicians"], printed["other_learners"]) == (2, 1)
    with out.open(encoding="utf-8", newline="") as handle:
        from_csv = list(csv.DictReader(handle))
    assert list(from_csv[0]) == transcript.SUMMARY_COLUMNS
    assert from_csv == [{k: "" if v is None else str(v) for k, v in row.items()} for row in printed["rows"]]
    assert captured.err.startswith(f"Wrote {out}: 5 learners acknowledged") and "2 physicians, 1 other" in captured.err
    assert main(["--root", str(ROOT), "activity-summary", "--out", str(out), "--db", cohort.url]) == 0
    plain = capsys.readouterr()
    assert plain.out.startswith("Wrote ") and "1 revoked and not counted" in plain.out and plain.err == ""


def test_transcript_command_writes_html_and_pdf(cohort, tmp_path, capsys):
    out = tmp_path / "transcripts"
    assert main(["--root", str(ROOT), "transcript", "doc", "--out", str(out), "--db", cohort.url]) == 0
    said = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["transcript-doc.html", "transcript-doc.pdf"]
    assert f"1.00 {AMA} (Draft: not for credit)" in said
    assert NAME in pdf_text((out / "transcript-doc.pdf").read_bytes())
    assert "&lt;b&gt;Dr X&lt;/b&gt;" in (out / "transcript-doc.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "learner, message",
    [
        ("ghost", "there is no learner 'ghost' in the store"),
        ("quitter", "learner 'quitter' has no certificate (their path is at: Evaluation), so there is no transcript"),
    ],
)
def test_transcript_command_without_a_certificate_says_so_in_one_line(cohort, tmp_path, capsys, learner, message):
    out = tmp_path / "none"
    assert main(["--root", str(ROOT), "transcript", learner, "--out", str(out), "--db", cohort.url]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"hnscc-edu: {message}")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert not out.exists()
    with pytest.raises(transcript.NoTranscript, match=learner):
        transcript.build_transcript(cohort, COURSE, learner)


def test_a_learner_id_never_leads_the_files_out_of_the_folder(tmp_path):
    stem = transcript.file_stem("../../etc/pass wd")
    assert stem == "transcript-.._.._etc_pass_wd" and "/" not in stem
    assert (tmp_path / f"{stem}.html").resolve().parent == tmp_path.resolve()
