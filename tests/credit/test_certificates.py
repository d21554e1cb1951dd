"""Certificates: earned only after pass, evaluation and attestation, never after the termination date; the PDF read
back with pypdf says exactly what the learner's profession and degree call for; the hash verifies against the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from hnscc_edu.cli import main
from hnscc_edu.engine.credit import CertificateRecord
from hnscc_edu.engine.credit_session import LearnerPath, record_from_row
from hnscc_edu.engine.learner_path import PathError
from hnscc_edu.export import certificates
from hnscc_edu.store.credit import CreditStore, certificates as certificate_table
from tests.credit.conftest import COURSE, INFO, walk

DESIGNATION = ("designates this enduring material for a maximum of 1.00 AMA PRA Category 1 Credit™. Physicians "
               "should claim only the credit commensurate with the extent of their participation in the activity.")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def lookup_in(store):
    credit_store = CreditStore(store)
    return lambda certificate_id: (lambda row: record_from_row(row) if row else None)(
        credit_store.certificate(certificate_id))


@pytest.mark.parametrize("profession, degree, label", [
    ("radiation_oncologist", "MD", "Radiation oncologist, MD"),
    ("surgeon", "DO", "Surgeon, DO"),
    ("trainee", "MD", "Trainee, MD"),
])
def test_an_md_or_do_physician_gets_ama_pra_category_1_credit(store, clock, profession, degree, label):
    path = walk(store, "doc", clock, profession, degree, until="certificate", minutes=45, name="Dr Zoë Łukasz")
    text = text_of(certificates.render(path.certificate()))
    assert text.startswith("Certificate of Credit This certifies that Dr Zoë Łukasz " + label)
    assert "Credit awarded: 0.75 AMA PRA Category 1 Credit™" in text
    assert DESIGNATION in text
    assert f"completed the enduring activity {INFO.title}" in text
    assert f"Completion date: {clock.now.date().isoformat()}" in text
    assert f"Provider: {INFO.provider}" in text and " ".join(INFO.accreditation_statement.split()) in text
    record = path.certificate()
    assert f"Certificate ID: {record.certificate_id}" in text
    assert f"Verification hash (SHA-256): {record.sha256}" in text


@pytest.mark.parametrize("profession, degree", [
    ("nurse", "RN"), ("medical_physicist", "PhD"), ("dosimetrist", "Other"), ("dentist", "DDS"),
    ("speech_language_pathologist", "MSc"), ("radiation_oncologist", "MBBS"), ("nurse", "MD"),
])
def test_every_other_learner_gets_a_certificate_of_attendance_with_no_ama_wording(store, clock, profession,
                                                                                   degree):
    path = walk(store, "other", clock, profession, degree, until="certificate", minutes=60, name="Sam Example")
    text = text_of(certificates.render(path.certificate()))
    assert text.startswith("Certificate of Attendance This certifies that Sam Example")
    assert "Time of participation: 1.00 hours" in text
    assert "AMA" not in text and "Category 1" not in text and "™" not in text


def test_the_credit_on_the_certificate_is_the_attested_time_rounded_and_capped(store, clock):
    assert walk(store, "long", clock, minutes=200).certificate().payload["credit_amount"] == "1.00"
    assert walk(store, "short", clock, minutes=22).certificate().payload["credit_amount"] == "0.25"


@pytest.mark.parametrize("until, reason", [
    ("acknowledge", "acknowledge the activity information"),
    ("posttest", "pass the post-test"),
    ("evaluation", "complete the evaluation"),
    ("attestation", "attest the time"),
])
def test_no_certificate_before_pass_evaluation_and_attestation(store, clock, until, reason):
    path = walk(store, "early", clock, until=until)
    with pytest.raises(PathError, match=reason):
        path.certificate()
    assert CreditStore(store).certificate_for("early") is None


def test_a_failed_post_test_gives_no_certificate(store, clock):
    path = walk(store, "fail", clock, until="posttest")
    for _ in range(INFO.post_test.max_attempts):
        path.start_posttest()
        for item in path.test_items():
            path.answer(item.id, next(o.id for o in item.options if not o.correct))
        assert not path.finish_test().passed
    with pytest.raises(PathError, match="attempts have been used"):
        path.certificate()
    with pytest.raises(PathError, match="used"):
        path.start_posttest()


def test_a_fixed_clock_after_the_termination_date_refuses_the_certificate(store, clock):
    path = walk(store, "late", clock, until="attestation")
    path.attest("Dr Late", 60, True)
    clock.set_date(INFO.termination_date + dt.timedelta(days=1))
    with pytest.raises(PathError, match=f"ended on {INFO.termination_date.isoformat()}; no certificate"):
        path.certificate()
    assert CreditStore(store).certificate_for("late") is None
    clock.set_date(INFO.termination_date)  # the termination date itself still counts
    assert path.certificate().payload["issued_on"] == INFO.termination_date.isoformat()


def test_after_the_termination_date_the_command_refuses_too(store, clock, tmp_path, monkeypatch, capsys):
    walk(store, "late-cli", clock, until="attestation").attest("Dr Late", 60, True)
    later = dt.datetime.combine(INFO.termination_date + dt.timedelta(days=30), dt.time(9), dt.timezone.utc)
    monkeypatch.setattr("hnscc_edu.engine.credit_session.utc_now", lambda: later)  # the command's real clock
    code = main(["--root", str(COURSE.root), "certificate", "late-cli", "--out", str(tmp_path / "c.pdf"),
                 "--db", store.url])
    err = capsys.readouterr().err
    assert code == 1 and "no certificate for late-cli" in err and "ended on 2028-03-01" in err
    assert "Traceback" not in err and not (tmp_path / "c.pdf").exists()


def test_a_reissue_is_the_same_certificate_byte_for_byte(store, clock):
    path = walk(store, "again", clock)
    first = path.certificate()
    clock.now += dt.timedelta(days=400)
    again = LearnerPath(COURSE, store, "again", clock=clock).certificate()
    assert again.certificate_id == first.certificate_id and again.sha256 == first.sha256
    assert certificates.render(again) == certificates.render(first)
    clock.set_date(INFO.termination_date + dt.timedelta(days=10))  # a copy of an issued certificate stays available
    assert LearnerPath(COURSE, store, "again", clock=clock).certificate().certificate_id == first.certificate_id


def test_the_hash_verifies_and_any_edit_fails(store, clock):
    record = walk(store, "v", clock, "nurse", "RN").certificate()
    lookup = lookup_in(store)
    assert certificates.verify(certificates.render(record), lookup).ok
    forged = dataclasses.replace(record, payload=dict(record.payload, learner_name="Someone Else"))
    result = certificates.verify(certificates.render(forged), lookup)
    assert not result.ok and "learner name" in result.message
    upgraded = dataclasses.replace(record, payload=dict(record.payload, credit_amount="5.00"))
    assert not certificates.verify(certificates.render(upgraded), lookup).ok
    unknown = CertificateRecord("HNSCC-0000000000", "x", record.payload, record.sha256, record.issued_at)
    assert "no certificate HNSCC-0000000000" in certificates.verify(certificates.render(unknown), lookup).message
    assert not certificates.verify(b"not a pdf", lookup).ok


def test_a_record_altered_in_the_store_no_longer_verifies(store, clock):
    record = walk(store, "altered", clock).certificate()
    pdf = certificates.render(record)
    with store.engine.begin() as conn:
        conn.execute(certificate_table.update().values(payload='{"learner_name": "Mallory"}'))
    assert "was altered" in certificates.verify(pdf, lookup_in(store)).message


def test_the_commands_write_and_verify_a_certificate(store, clock, tmp_path, capsys):
    walk(store, "cli", clock, "nurse", "RN", until="attestation").attest("Ana", 30, True)
    out = tmp_path / "ana.pdf"
    root = ["--root", str(COURSE.root)]
    assert main(root + ["certificate", "cli", "--out", str(out), "--db", store.url]) == 0
    assert "Certificate of Attendance, 0.50 hours" in capsys.readouterr().out
    assert "Time of participation: 0.50 hours" in text_of(out.read_bytes())
    assert main(root + ["verify-certificate", str(out), "--db", store.url]) == 0
    assert "matches the store's record: Ana, 0.50 hours" in capsys.readouterr().out
    # the same PDF against another store, and a damaged file: exit 1 with one line
    other = tmp_path / "other.sqlite3"
    assert main(root + ["verify-certificate", str(out), "--db", f"sqlite:///{other}"]) == 1
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(out.read_bytes()[:200])
    assert main(root + ["verify-certificate", str(tampered), "--db", store.url]) == 1
    assert main(root + ["verify-certificate", str(tmp_path / "missing.pdf"), "--db", store.url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and "Traceback" not in err


def test_the_command_says_clearly_when_nothing_was_earned(store, clock, tmp_path, capsys):
    walk(store, "halfway", clock, until="evaluation")
    root = ["--root", str(COURSE.root)]
    assert main(root + ["certificate", "halfway", "--out", str(tmp_path / "x.pdf"), "--db", store.url]) == 1
    assert main(root + ["certificate", "nobody", "--out", str(tmp_path / "x.pdf"), "--db", store.url]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["hnscc-edu: no certificate for halfway: Please complete the evaluation first.",
                   f"hnscc-edu: there is no learner 'nobody' in the store ({store.url})"]
    assert not (tmp_path / "x.pdf").exists()
