"""Layer 4: the post-test and certificate page served by Voila, driven in Debian's Chromium, from the post-test to a
downloaded certificate that reads back and verifies against the store.

The learner has acknowledged the activity information and finished the modules (set up through the session, as the
start page would); the browser does the rest the way a learner does: the pass mark is on screen before the attempt,
each answer is clicked and saved, the feedback comes after the attempt, then the evaluation, the time attestation and
the PDF.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from hnscc_edu.cli import main
from hnscc_edu.content.course import load_course
from hnscc_edu.engine import assessment
from hnscc_edu.engine.credit_session import LearnerPath
from hnscc_edu.store import Store
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT)
INFO = COURSE.info
POST = next(b for b in COURSE.banks.values() if b.purpose == "post")
LEARNER = "browser-credit"


def exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def test_post_test_to_certificate_in_voila(voila, page, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}")  # the store the voila fixture gives the server
    path = LearnerPath(COURSE, store, LEARNER)
    path.acknowledge("radiation_oncologist", "MD")
    path.skip_pretest()
    path.complete_modules()
    store.engine.dispose()

    server = voila("90_post_test_and_certificate.ipynb", learner=LEARNER)
    page.goto(server.url)
    page.locator(".hnscc-credit-path").wait_for()
    assert page.title() == "Post-test, evaluation and certificate"
    assert "Education, not clinical advice" in page.locator(".hnscc-banner").inner_text()
    announcement = page.locator(".hnscc-pass-mark").inner_text()
    assert "minimum passing score is 70%" in announcement and "attempt 1 of 3" in announcement

    page.locator("button.hnscc-start-posttest").click()
    drawn = assessment.draw(POST.items, [o.id for o in INFO.objectives], INFO.post_test.items_per_attempt,
                            LEARNER, 1)
    items = {item.id: item for item in POST.items}
    page.locator(f".hnscc-input-{drawn[0]}").wait_for()
    assert page.locator(".hnscc-stem").count() == len(drawn) == 12
    sent = page.content()
    assert all(option.rationale[:60] not in sent for i in drawn for option in items[i].options)  # no key yet
    for item_id in drawn:
        keyed = next(o for o in items[item_id].options if o.correct)
        page.locator(f".hnscc-input-{item_id} label", has_text=exactly(keyed.text)).click()
        page.locator(f".hnscc-submit-{item_id}").click()
        page.locator(f".hnscc-submit-{item_id}").wait_for(state="hidden")
    finish = page.locator("button.hnscc-finish-test")
    page.wait_for_function("() => !document.querySelector('button.hnscc-finish-test').disabled")
    finish.click()
    result = page.locator(".hnscc-test-result")
    result.wait_for()
    assert "Attempt 1: 100%" in result.inner_text() and "You passed" in result.inner_text()

    for objective in INFO.objectives:
        page.locator(f".hnscc-eval-met-{objective.id} label", has_text=exactly("Yes")).click()
        page.locator(f".hnscc-eval-change-{objective.id} textarea").fill("Write the MIRI class in every referral.")
    page.locator(".hnscc-eval-bias label", has_text=exactly("Yes")).click()
    page.locator("button.hnscc-submit-evaluation").click()

    page.locator(".hnscc-attest-name input").wait_for()
    page.locator(".hnscc-attest-name input").fill("Dr Browser Learner")
    minutes = page.locator(".hnscc-attest-minutes input")
    minutes.fill("45")
    minutes.press("Enter")
    page.locator(".hnscc-credit-preview", has_text="0.75").wait_for()
    page.locator(".hnscc-attest-confirm input").check()
    page.locator("button.hnscc-attest").click()

    page.locator("button.hnscc-certificate").click()
    link = page.locator(".hnscc-certificate-link a")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = " ".join(PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().split())
    assert text.startswith("Certificate of Credit This certifies that Dr Browser Learner Radiation oncologist, MD")
    assert "Credit awarded: 0.75 AMA PRA Category 1 Credit™" in text
    assert "Traceback" not in page.content()

    # the course director checks the downloaded file against the store
    assert main(["--root", str(ROOT), "verify-certificate", str(pdf), "--db", store.url]) == 0

    page.reload()  # a reload keeps everything: the certificate can be downloaded again
    page.locator("button.hnscc-certificate", has_text="again").wait_for()
