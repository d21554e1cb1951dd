"""Certificates: earned only after pass, evaluation and attestation, never after the termination date; the PDF read
back with pypdf says exactly what the learner's profession and degree call for, carries its signed record and the
provider's signature, and verifies offline with the public key alone and against the store; the provider's key is made
by ``keys init`` outside the repository; a revoked certificate fails; a draft is stamped. (Forgeries:
``test_forgery.py``.)"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from hnscc_edu import keys
from hnscc_edu.cli import main
from hnscc_edu.content import statements
from hnscc_edu.content.course import CourseContent
from hnscc_edu.export import certificate_check, certificates
from hnscc_edu.rules.credit import payload_hash, record_bytes
from hnscc_edu.rules.learner_path import PathError
from hnscc_edu.rules.signing import Signer, key_id, signature_valid
from hnscc_edu.sessions.credit_session import LearnerPath, record_from_row
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.store.credit import certificates as certificate_table
from tests.credit.conftest import COURSE, EVALUATION, INFO, lookup_in, walk
from tests.helpers import ROOT

DESIGNATION = (
    "designates this enduring material for a maximum of 1.00 AMA PRA Category 1 Credit(s)™. Physicians "
    "should claim only the credit commensurate with the extent of their participation in the activity."
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def provider_key():
    """The public half of the test run's provider key (made by the root conftest in HNSCC_EDU_KEY_DIR)."""
    return keys.load_public()


def embedded_record(pdf: bytes) -> tuple[dict, str]:
    info = PdfReader(io.BytesIO(pdf)).metadata
    return json.loads(info["/HnsccCertificate"]), str(info["/HnsccSignature"])


@pytest.mark.parametrize(
    "profession, degree, label",
    [
        ("radiation_oncologist", "MD", "Radiation oncologist, MD"),
        ("surgeon", "DO", "Surgeon, DO"),
        ("trainee", "MD", "Trainee, MD"),
    ],
)
def test_an_md_or_do_physician_gets_ama_pra_category_1_credit(store, clock, profession, degree, label):
    path = walk(store, "doc", clock, profession, degree, until="certificate", minutes=45, name="Dr Zoë Łukasz")
    text = text_of(certificates.render(path.certificate()))
    assert text.startswith("Certificate of Credit This certifies that Dr Zoë Łukasz " + label)
    assert "Credit awarded: 0.75 AMA PRA Category 1 Credit™" in text
    assert DESIGNATION in text
    assert f"completed the enduring activity {INFO.title}" in text
    assert f"Completion date: {clock.now.date().isoformat()}" in text
    assert f"{INFO.provider} {DESIGNATION}" in text  # the AMA's form names the provider first
    assert f"Provider: {INFO.provider}" in text and statements.accreditation_statement(INFO) in text
    record = path.certificate()
    assert f"Certificate ID: {record.certificate_id}" in text
    assert f"Signed by the provider with the Ed25519 key {key_id(provider_key())}" in text
    assert (
        f"To check this certificate, open http://localhost:8888/hnscc/certificates/{record.certificate_id} or scan "
        "the code: the page says whether it is valid or has been revoked."
    ) in text
    assert "verify-certificate" not in text and "--public-key" not in text  # no command line for a registrar
    assert f"Signature: {record.signature}" in text
    assert "SHA-256" not in text and record.sha256 not in text  # the unkeyed hash is the store's own, not printed
    assert text.endswith("Draft: not for credit")  # course.yaml: mode: draft


@pytest.mark.parametrize(
    "profession, degree",
    [
        ("nurse", "RN"),
        ("medical_physicist", "PhD"),
        ("dosimetrist", "Other"),
        ("dentist", "DDS"),
        ("speech_language_pathologist", "MSc"),
        ("radiation_oncologist", "MBBS"),
        ("nurse", "MD"),
    ],
)
def test_every_other_learner_gets_a_certificate_of_participation_that_awards_no_ama_credit(
    store, clock, profession, degree
):
    path = walk(store, "other", clock, profession, degree, until="certificate", minutes=60, name="Sam Example")
    text = text_of(certificates.render(path.certificate()))
    assert text.startswith("Certificate of Participation This certifies that Sam Example")
    assert "Time of participation: 1.00 hours" in text
    assert "Certificate of Credit" not in text and "Credit awarded" not in text and "designates" not in text
    # what the activity was designated for, which PAs and NPs need for their own boards (issue 18)
    assert (
        f"This activity was designated for a maximum of 1.00 AMA PRA Category 1 Credit(s)™ by {INFO.provider}." in text
    )


def test_the_credit_on_the_certificate_is_the_attested_time_rounded_and_capped(store, clock):
    assert walk(store, "long", clock, minutes=200).certificate().payload["credit_amount"] == "1.00"
    assert walk(store, "short", clock, minutes=22).certificate().payload["credit_amount"] == "0.25"


@pytest.mark.parametrize(
    "until, reason",
    [
        ("acknowledge", "acknowledge the activity information"),
        ("posttest", "pass the post-test"),
        ("evaluation", "complete the evaluation"),
        ("attestation", "attest the time"),
    ],
)
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
    with pytest.raises(PathError, match="complete the evaluation"):  # asked of everyone, pass or not
        path.certificate()
    with pytest.raises(PathError, match="complete the evaluation"):
        path.start_posttest()
    path.submit_evaluation({o.id: "no" for o in INFO.objectives}, {}, True, **EVALUATION)
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
    later = dt.datetime.combine(INFO.termination_date + dt.timedelta(days=30), dt.time(9), dt.UTC)
    monkeypatch.setattr("hnscc_edu.sessions.credit_session.utc_now", lambda: later)  # the command's real clock
    code = main(
        ["--root", str(COURSE.root), "certificate", "late-cli", "--out", str(tmp_path / "c.pdf"), "--db", store.url]
    )
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


def test_the_pdf_carries_its_signed_record_and_verifies_offline_and_against_the_store(store, clock):
    record = walk(store, "v", clock, "nurse", "RN").certificate()
    pdf = certificates.render(record)
    payload, signature = embedded_record(pdf)
    assert payload == record.payload and signature == record.signature
    assert "learner_id" not in payload and "v" not in payload.values()  # the internal id stays in the store
    assert signature_valid(provider_key(), record_bytes(payload), signature)
    assert PdfReader(io.BytesIO(pdf)).metadata["/Creator"] == certificates.renderer_id()
    offline = certificate_check.verify(pdf, provider_key())
    assert (
        offline.ok
        and offline.code == 0
        and offline.message.startswith(
            f"Certificate {record.certificate_id} is genuine: signed with the provider's key {key_id(provider_key())}"
        )
    )
    assert "Alex Example, Nurse, RN: Certificate of Participation, 1.00 hours" in offline.message
    assert "It is a draft: not for credit" in offline.message and payload["verification_url"] in offline.message
    online = certificate_check.verify_with_store(pdf, provider_key(), lookup_in(store))
    assert online.ok and "matches the course's record (not revoked)" in online.message


def test_a_record_edited_and_drawn_again_fails_the_signature(store, clock):
    record = walk(store, "v", clock, "nurse", "RN").certificate()
    for change in ({"learner_name": "Someone Else"}, {"credit_amount": "5.00"}, {"mode": "for_credit"}):
        forged = dataclasses.replace(record, payload=dict(record.payload, **change))
        result = certificate_check.verify(certificates.render(forged), provider_key())
        assert result.code == 1 and "its signature does not match the record it carries" in result.message
    other = Signer.generate()  # another key: the certificate names the provider's key, the verifier holds another
    result = certificate_check.verify(certificates.render(record), other.public)
    assert result.code == 1 and f"it names the key {record.payload['key_id']}" in result.message
    assert f"the key given is {other.key_id}" in result.message


def test_a_certificate_the_store_does_not_hold_fails_against_the_store(store, clock, tmp_path):
    record = walk(store, "v", clock).certificate()
    pdf = certificates.render(record)
    elsewhere = Store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    result = certificate_check.verify_with_store(pdf, provider_key(), lookup_in(elsewhere))
    assert result.code == 1 and f"has no certificate {record.certificate_id}" in result.message


def test_a_record_altered_in_the_store_no_longer_verifies(store, clock):
    record = walk(store, "altered", clock).certificate()
    pdf = certificates.render(record)
    with store.engine.begin() as conn:
        conn.execute(
            certificate_table.update().values(payload=json.dumps(dict(record.payload, learner_name="Mallory")))
        )
    result = certificate_check.verify_with_store(pdf, provider_key(), lookup_in(store))
    assert result.code == 1 and "course's record of certificate" in result.message and "differs" in result.message
    assert certificate_check.verify(pdf, provider_key()).ok  # the PDF itself is still the genuine signed one


def test_an_unsigned_record_is_never_drawn(store, clock):
    record = walk(store, "u", clock).certificate()
    with pytest.raises(ValueError, match="not signed"):
        certificates.render(dataclasses.replace(record, signature=None))


def test_a_course_for_credit_prints_no_draft_stamp(store, clock):
    for_credit = CourseContent(**{**COURSE.__dict__, "info": INFO.model_copy(update={"mode": "for_credit"})})
    path = walk(store, "fc", clock, until="attestation")
    path.attest("Dr For Credit", 60, True)
    record = LearnerPath(for_credit, store, "fc", clock=clock).certificate()
    assert record.payload["mode"] == "for_credit" and not record.draft
    pdf = certificates.render(record)
    assert "Draft" not in text_of(pdf) and "draft" not in certificate_check.verify(pdf, provider_key()).message
    assert path.certificate().certificate_id == record.certificate_id


def test_the_commands_write_and_verify_a_certificate(store, clock, tmp_path, capsys):
    walk(store, "cli", clock, "nurse", "RN", until="attestation").attest("Ana", 30, True)
    out = tmp_path / "ana.pdf"
    root = ["--root", str(COURSE.root)]
    assert main(root + ["certificate", "cli", "--out", str(out), "--db", store.url]) == 0
    said = capsys.readouterr().out
    assert "Certificate of Participation, 0.50 hours" in said and "(draft: not for credit)" in said
    assert f"signed with key {key_id(provider_key())}" in said and "/hnscc/certificates/HNSCC-" in said
    assert "Time of participation: 0.50 hours" in text_of(out.read_bytes())
    assert main(root + ["verify-certificate", str(out), "--db", store.url]) == 0
    assert "matches the course's record (not revoked): Ana, Nurse, RN" in capsys.readouterr().out
    public = tmp_path / "provider.pem"
    assert main(["keys", "public"]) == 0
    public.write_text(capsys.readouterr().out)
    assert main(root + ["verify-certificate", str(out), "--public-key", str(public)]) == 0
    assert "is genuine: signed with the provider's key" in capsys.readouterr().out
    # the same PDF against another store: not issued there (1); a damaged file, a missing one, a bad key: 2
    other = tmp_path / "other.sqlite3"
    assert main(root + ["verify-certificate", str(out), "--db", f"sqlite:///{other}"]) == 1
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(out.read_bytes()[:200])
    assert main(root + ["verify-certificate", str(tampered), "--db", store.url]) == 2
    assert main(root + ["verify-certificate", str(tmp_path / "missing.pdf"), "--db", store.url]) == 2
    (tmp_path / "junk.pem").write_text("not a key")
    assert main(root + ["verify-certificate", str(out), "--public-key", str(tmp_path / "junk.pem")]) == 2
    assert main(root + ["verify-certificate", str(out), "--public-key", str(tmp_path / "none.pem")]) == 2
    assert main(root + ["verify-certificate", str(tmp_path / "provider.pem"), "--public-key", str(public)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 6 and "Traceback" not in err
    assert "has no certificate" in err and "junk.pem is not usable as the provider's public key" in err


def test_a_pdf_that_is_not_a_signed_certificate_is_not_valid(tmp_path, capsys):
    from reportlab.pdfgen import canvas

    plain = tmp_path / "plain.pdf"
    pdf = canvas.Canvas(str(plain))
    pdf.drawString(72, 720, "Certificate of Credit. Certificate ID: HNSCC-79B6E58747")
    pdf.save()
    assert main(["verify-certificate", str(plain), "--public-key", keys.public_pem(provider_key())]) == 1
    assert "carries no signed certificate record" in capsys.readouterr().err


def test_verification_with_only_the_public_key_on_another_machine_reads_nothing_else_and_writes_nothing(
    store, clock, tmp_path, capsys
):
    """A copy of the PDF and the published key, on a "machine" with an empty home, no store and no hnscc-edu
    settings: the genuine certificate passes, an edited one fails, and no file appears anywhere."""
    record = walk(store, "away", clock).certificate()
    issued = tmp_path / "issued" / "certificate.pdf"
    issued.parent.mkdir()
    certificates.write(record, issued)
    assert main(["keys", "public"]) == 0
    machine, home = tmp_path / "third-party", tmp_path / "home"
    machine.mkdir(), home.mkdir()
    shutil.copy(issued, machine / "copy.pdf")
    (machine / "provider.pem").write_text(capsys.readouterr().out)
    forged = machine / "forged.pdf"
    forged.write_bytes(issued.read_bytes().replace(b"Dr Alex Example", b"Dr Alex Exampel"))  # title and record
    assert forged.read_bytes() != issued.read_bytes()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}  # nothing of the course's set-up
    command = [str(Path(sys.executable).with_name("hnscc-edu")), "verify-certificate"]
    genuine = subprocess.run(
        [*command, "copy.pdf", "--public-key", "provider.pem"],
        check=False,
        cwd=machine,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert genuine.returncode == 0, genuine.stderr
    assert f"Certificate {record.certificate_id} is genuine" in genuine.stdout
    bad = subprocess.run(
        [*command, "forged.pdf", "--public-key", "provider.pem"],
        check=False,
        cwd=machine,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and "is not genuine" in bad.stderr and "Traceback" not in bad.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # no database, no file at all
    assert list(home.iterdir()) == []


# -- the provider's key -----------------------------------------------------------------------------------------------
def test_keys_init_makes_a_private_key_only_its_owner_can_read_and_prints_the_public_key(tmp_path, capsys):
    folder = tmp_path / "provider" / "keys"
    assert main(["keys", "init", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    private, public = folder / "certificate-signing-key.pem", folder / "certificate-signing-key.pub.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    signer = keys.load_signer(folder)
    assert f"Made the certificate signing key {signer.key_id}." in out and str(private) in out and str(public) in out
    assert "Publish the public key" in out and "--public-key" in out
    assert out.endswith(public.read_text()) and public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert keys.read_public_key(public).public_bytes_raw() == signer.public.public_bytes_raw()
    assert main(["keys", "public", "--dir", str(folder)]) == 0
    printed = capsys.readouterr()
    assert printed.out == public.read_text() and printed.err == f"Key id {signer.key_id}\n"


def test_keys_init_refuses_to_replace_a_key_without_force_and_to_write_into_the_repository(
    tmp_path, capsys, monkeypatch
):
    folder = tmp_path / "keys"
    assert main(["keys", "init", "--dir", str(folder)]) == 0
    first = keys.load_signer(folder).key_id
    assert main(["keys", "init", "--dir", str(folder)]) == 1
    assert f"already holds a signing key (key id {first}). Give --force" in capsys.readouterr().err
    assert keys.load_signer(folder).key_id == first
    assert main(["keys", "init", "--dir", str(folder), "--force"]) == 0
    assert keys.load_signer(folder).key_id != first
    assert main(["keys", "init", "--dir", str(ROOT / "keys")]) == 1
    assert "is inside the course repository" in capsys.readouterr().err and not (ROOT / "keys").exists()
    monkeypatch.setenv(keys.KEY_DIR_VARIABLE, str(tmp_path / "from-env"))
    assert main(["keys", "init"]) == 0 and (tmp_path / "from-env" / "certificate-signing-key.pem").is_file()
    monkeypatch.delenv(keys.KEY_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert keys.key_dir() == tmp_path / "config" / "hnscc-edu" / "keys"


def test_without_a_key_nothing_is_signed_and_the_commands_say_so(store, clock, tmp_path, capsys, monkeypatch):
    walk(store, "nokey", clock, until="attestation").attest("Dr No Key", 60, True)
    monkeypatch.setenv(keys.KEY_DIR_VARIABLE, str(tmp_path / "empty"))
    root = ["--root", str(ROOT)]
    assert main(root + ["certificate", "nokey", "--out", str(tmp_path / "c.pdf"), "--db", store.url]) == 2
    assert main(root + ["simulate-cohort", "--learners", "1", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}"]) == 2
    assert main(root + ["verify-certificate", str(tmp_path / "c.pdf"), "--db", store.url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "hnscc-edu: no certificate for nokey: Your certificate is earned, but it cannot be "
        f"issued yet: There is no certificate signing key in {tmp_path / 'empty'}"
    )
    assert "'hnscc-edu keys init'" in err[0] and "simulated learners who finish receive signed" in err[1]
    assert "cannot be read" in err[2]
    assert CreditStore(store).certificate_for("nokey") is None and not (tmp_path / "c.pdf").exists()
    with pytest.raises(PathError, match="cannot be issued yet"):
        LearnerPath(COURSE, store, "nokey", clock=clock).certificate()


# -- revocation -------------------------------------------------------------------------------------------------------
def test_a_revoked_certificate_fails_against_the_store_with_the_reason(store, clock, tmp_path, capsys):
    record = walk(store, "rev", clock).certificate()
    out = certificates.write(record, tmp_path / "rev.pdf")
    root = ["--root", str(ROOT)]
    reason = "Attested time far above the time on the path; confirmed with the learner."
    assert (
        main(root + ["revoke-certificate", record.certificate_id.lower(), "--reason", reason, "--db", store.url]) == 0
    )
    assert f"Revoked certificate {record.certificate_id} (Dr Alex Example" in capsys.readouterr().out
    assert main(root + ["verify-certificate", str(out), "--db", store.url]) == 1
    err = capsys.readouterr().err
    assert f"Certificate {record.certificate_id} was revoked on {dt.date.today().isoformat()}: {reason}" in err
    offline = certificate_check.verify(out.read_bytes(), provider_key())  # offline cannot know: it says where to look
    assert (
        offline.ok
        and f"Whether it was revoked since is on its verification page: {record.payload['verification_url']}"
        in offline.message
    )
    assert main(root + ["revoke-certificate", record.certificate_id, "--reason", "again", "--db", store.url]) == 1
    assert main(root + ["revoke-certificate", "HNSCC-0000000000", "--reason", "x", "--db", store.url]) == 1
    assert main(root + ["revoke-certificate", record.certificate_id, "--reason", "  ", "--db", store.url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0] == f"hnscc-edu: certificate {record.certificate_id} was already revoked on "
        f"{dt.date.today().isoformat()}: {reason}"
    )
    assert "there is no certificate HNSCC-0000000000" in err[1] and "give the reason" in err[2]
    with pytest.raises(PathError, match=f"Certificate {record.certificate_id} was revoked on"):
        LearnerPath(COURSE, store, "rev", clock=clock).certificate()
    assert main(root + ["certificate", "rev", "--out", str(tmp_path / "again.pdf"), "--db", store.url]) == 1


# -- the director's rehearsal -----------------------------------------------------------------------------------------
def test_simulate_cohort_then_certificate_issues_the_signed_certificate_a_simulated_learner_earned(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    root = ["--root", str(ROOT)]
    assert main(root + ["simulate-cohort", "--learners", "6", "--db", url]) == 0
    capsys.readouterr()
    store = Store(url)
    earned = sorted(row["learner_id"] for row in CreditStore(store).certificate_rows())
    assert earned, "the seeded cohort of 6 has a certified learner"
    learner = earned[0]
    out = tmp_path / f"{learner}.pdf"
    assert main(root + ["certificate", learner, "--out", str(out), "--db", url]) == 0
    said = capsys.readouterr().out
    record = record_from_row(CreditStore(store).certificate_for(learner))
    assert f"certificate {record.certificate_id} (draft: not for credit)" in said
    assert record.payload["learner_name"].startswith("Synthetic Learner ") and record.draft
    assert main(root + ["verify-certificate", str(out), "--db", url]) == 0
    assert f"Certificate {record.certificate_id} is genuine and matches the course's record" in capsys.readouterr().out
    assert "Draft: not for credit" in text_of(out.read_bytes())


# -- certificates issued before signing --------------------------------------------------------------------------------
def test_a_certificate_issued_before_signing_is_signed_when_re_issued(store, clock, tmp_path, capsys):
    record = walk(store, "old", clock).certificate()
    legacy = {k: v for k, v in record.payload.items() if k not in ("mode", "verification_url", "key_id")}
    legacy["learner_id"] = "old"
    with store.engine.begin() as conn:  # the row as a version 2 store holds it: hashed, not signed
        conn.execute(
            certificate_table.update().values(
                payload=json.dumps(legacy, sort_keys=True), sha256=payload_hash(legacy), signature=None
            )
        )
    again = LearnerPath(COURSE, store, "old", clock=clock).certificate()
    assert again.certificate_id == record.certificate_id and again.signature is not None
    assert again.payload == record.payload  # the same statements, now signed; the internal id left out
    assert certificate_check.verify_with_store(certificates.render(again), provider_key(), lookup_in(store)).ok
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM certificates WHERE signature IS NULL")).scalar() == 0


def test_the_command_says_clearly_when_nothing_was_earned(store, clock, tmp_path, capsys):
    walk(store, "halfway", clock, until="evaluation")
    root = ["--root", str(COURSE.root)]
    assert main(root + ["certificate", "halfway", "--out", str(tmp_path / "x.pdf"), "--db", store.url]) == 1
    assert main(root + ["certificate", "nobody", "--out", str(tmp_path / "x.pdf"), "--db", store.url]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "hnscc-edu: no certificate for halfway: Please complete the evaluation first.",
        f"hnscc-edu: there is no learner 'nobody' in the store ({store.url})",
    ]
    assert not (tmp_path / "x.pdf").exists()
