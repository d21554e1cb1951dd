"""Layer 4: the public verification page of a certificate, served by Voila (the route ``voila.json`` adds), read in
Debian's Chromium the way a third party reads it: the address printed on the certificate (and in its QR code) opens
with no login; the page says valid, shows the statements to compare, marks a draft, then says revoked after a
revocation; an unknown id says so. The page passes the accessibility gate and its style is not blocked by its own
Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest

from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.store.database import utc_now
from tests.credit.conftest import Clock, walk

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING = ("serious", "critical")


def serious_violations(browser, url: str) -> list[str]:
    """axe on the page at ``url``, in a context of its own that lets the test inject axe (the page's CSP allows no
    script at all, which the main page of the test keeps enforced)."""
    context = browser.new_context(bypass_csp=True)
    try:
        scanned = context.new_page()
        scanned.goto(url)
        scanned.add_script_tag(path=str(AXE_JS))
        found = scanned.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', "
            "'wcag22aa', 'best-practice']})).violations"
        )
    finally:
        context.close()
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in found if v["impact"] in BLOCKING]


def test_a_third_party_opens_the_address_printed_on_the_certificate(voila, page, browser, tmp_path, monkeypatch):
    server = voila("00_start_here.ipynb", learner="certificate-page")  # the notebook itself is never opened
    monkeypatch.setenv("HNSCC_EDU_PUBLIC_URL", server.url)  # the provider's public address, printed on certificates
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")  # the store the voila fixture gives the server
    record = walk(
        store, "page-learner", Clock(), "radiation_oncologist", "MD", minutes=45, name="Dr Zoë <i>Łukasz</i>"
    ).certificate()
    address = record.payload["verification_url"]  # the text under the QR code, and what the code holds
    assert address == f"{server.url}hnscc/certificates/{record.certificate_id}"

    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    response = page.goto(address)
    assert response.status == 200 and page.title() == f"Certificate {record.certificate_id}: valid · hnscc-edu"
    assert page.locator("html").get_attribute("lang") == "en" and page.get_by_role("main").count() == 1
    assert page.get_by_role("heading", level=1).inner_text() == f"Certificate {record.certificate_id}"
    status = page.get_by_role("status")
    assert status.inner_text().startswith("Valid.")
    assert status.evaluate("e => getComputedStyle(e).borderTopWidth") == "3px"  # the style passed the CSP
    details = page.locator("dl").inner_text()
    for line in (
        "Dr Zoë <i>Łukasz</i>",
        "Certificate of Credit",
        "0.75 AMA PRA Category 1 Credit™",
        record.payload["activity_title"],
        record.payload["completion_date"],
    ):
        assert line in details
    assert page.locator("dl i").count() == 0  # what the learner typed is text, never markup
    assert "Draft: not for credit." in page.locator(".draft").inner_text()
    assert serious_violations(browser, address) == []

    CreditStore(store).revoke(record.certificate_id, "Issued in error", utc_now())
    page.reload()
    assert page.get_by_role("status").inner_text().startswith("Revoked.")
    assert "no longer valid" in page.get_by_role("status").inner_text() and "Issued in error" not in page.content()
    assert page.title() == f"Certificate {record.certificate_id}: revoked · hnscc-edu"
    assert serious_violations(browser, address) == []

    response = page.goto(f"{server.url}hnscc/certificates/HNSCC-0000000000")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Certificate not found"
    assert "There is no certificate HNSCC-0000000000" in page.get_by_role("status").inner_text()
    assert errors == [] or all("404" in e for e in errors)  # the browser logs the 404 itself, nothing else
    store.engine.dispose()
