"""The public verification page of a certificate over HTTP, on SQLite and PostgreSQL: JSON for a program, HTML for a
person, no login and no cookie, revocation shown at once, an unknown id a 404, an edited store record never "valid".
The handlers run on a real tornado server (XSRF cookies on, as under Jupyter's server); the certificates are issued by
the real learner path."""

from __future__ import annotations

import json

import pytest

from hnscc_edu.rules.credit import payload_hash
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.store.credit import certificates as certificate_table
from hnscc_edu.store.database import utc_now
from tests.credit.conftest import Clock, walk
from tests.live.client import call

JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def issued(url):
    """A physician's certificate and a nurse's, issued in the server's store."""
    store = Store(url)
    clock = Clock()
    physician = walk(store, "doc", clock, "surgeon", "DO", minutes=45, name="Dr Zoë <b>Łukasz</b>").certificate()
    nurse = walk(store, "rn", clock, "nurse", "RN", name="Sam Example").certificate()
    yield store, physician, nurse
    store.engine.dispose()


def page(server, certificate_id: str) -> str:
    return f"{server.root}hnscc/certificates/{certificate_id}"


def test_a_program_gets_the_certificate_as_json(server, issued):
    _, physician, nurse = issued
    status, body, headers = call("GET", page(server, physician.certificate_id), headers=JSON)
    assert status == 200 and headers["Content-Type"] == "application/json; charset=UTF-8"
    assert headers["Cache-Control"] == "no-store" and "Set-Cookie" not in headers
    assert body == {
        "status": "valid",
        "certificate_id": physician.certificate_id,
        "learner_name": "Dr Zoë <b>Łukasz</b>",
        "credit_type": "ama-pra-category-1",
        "amount": "0.75",
        "completed_on": "2026-12-01",
        "activity_title": physician.payload["activity_title"],
        "certificate_title": "Certificate of Credit",
        "amount_label": "AMA PRA Category 1 Credit™",
        "issued_on": "2026-12-01",
        "mode": "draft",
    }
    body = call("GET", page(server, nurse.certificate_id.lower()), headers=JSON)[1]  # ids are read in any case
    assert (body["status"], body["credit_type"], body["amount"], body["amount_label"]) == (
        "valid",
        "attendance",
        "1.00",
        "hours",
    )


def test_a_person_gets_a_page_that_escapes_what_the_learner_typed(server, issued):
    _, physician, _ = issued
    status, body, headers = call("GET", page(server, physician.certificate_id), headers=BROWSER)
    html = body["_raw"]
    assert status == 200 and headers["Content-Type"] == "text/html; charset=UTF-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"] and headers["Vary"] == "Accept"
    assert '<html lang="en">' in html and html.count("<main>") == 1
    assert f"<h1>Certificate {physician.certificate_id}</h1>" in html and "<strong>Valid.</strong>" in html
    assert "Dr Zoë &lt;b&gt;Łukasz&lt;/b&gt;" in html and "<b>Łukasz</b>" not in html
    assert "0.75 AMA PRA Category 1 Credit™" in html and "Draft: not for credit." in html
    assert call("GET", page(server, physician.certificate_id))[2]["Content-Type"].startswith("text/html")  # no Accept


def test_a_revoked_certificate_says_revoked_at_once_without_the_reason(server, issued):
    store, physician, _ = issued
    assert call("GET", page(server, physician.certificate_id), headers=JSON)[1]["status"] == "valid"
    assert CreditStore(store).revoke(physician.certificate_id, "Attested time not supported by the log", utc_now())
    body = call("GET", page(server, physician.certificate_id), headers=JSON)[1]
    assert body["status"] == "revoked" and body["revoked_on"] == utc_now().date().isoformat()
    assert "Attested time" not in json.dumps(body)
    html = call("GET", page(server, physician.certificate_id), headers=BROWSER)[1]["_raw"]
    assert "<strong>Revoked.</strong>" in html and "no longer valid" in html and "Attested time" not in html


@pytest.mark.parametrize("certificate_id", ["HNSCC-0000000000", "HNSCC-XYZ", "nothing", "x" * 300])
def test_an_unknown_certificate_is_a_404_with_an_error(server, issued, certificate_id):
    status, body, headers = call("GET", page(server, certificate_id), headers=JSON)
    assert status == 404 and set(body) == {"error"} and "no certificate" in body["error"].lower()
    assert headers["Content-Type"].startswith("application/json")
    assert call("GET", page(server, certificate_id))[0] == 404  # no Accept header: JSON too
    status, body, _ = call("GET", page(server, certificate_id), headers=BROWSER)
    assert status == 404 and "<h1>Certificate not found</h1>" in body["_raw"]


def test_other_addresses_and_methods_under_the_prefix(server, issued):
    _, physician, _ = issued
    assert call("GET", f"{server.root}hnscc/certificates/")[:2] == (
        404,
        {"error": "There is nothing here. Check the address."},
    )
    assert call("GET", f"{server.root}hnscc/certificates/{physician.certificate_id}/pdf")[0] == 404
    status, body, _ = call("POST", page(server, physician.certificate_id), b"{}")
    assert status == 405 and body == {"error": "This address does not accept that method."}


@pytest.mark.parametrize("rehash", [False, True], ids=["payload-only", "digest-recomputed"])
def test_a_record_edited_in_the_store_is_never_shown_as_valid(server, issued, rehash):
    """Whoever edits the record in the database (and even recomputes its unkeyed digest) cannot sign it."""
    store, physician, _ = issued
    edited = dict(physician.payload, credit_amount="1.00")
    values = {"payload": json.dumps(edited, sort_keys=True)}
    if rehash:
        values["sha256"] = payload_hash(edited)
    with store.engine.begin() as conn:
        conn.execute(
            certificate_table.update()
            .where(certificate_table.c.certificate_id == physician.certificate_id)
            .values(**values)
        )
    status, body, _ = call("GET", page(server, physician.certificate_id), headers=JSON)
    assert status == 500 and "cannot be confirmed" in body["error"] and "status" not in body
