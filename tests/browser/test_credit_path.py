"""Layer 4: the post-test and certificate page served by Voila, driven in Debian's Chromium, through the course
service that runs inside the Voila server: from the pre-test to a downloaded practice record that reads back and
verifies against the store.

The learner acknowledged the activity information (recorded through the service's own code, as the start page
does). In the browser they skip the pre-test and find the post-test closed until the core path is finished; the
core-path cases are then finished through the same server's course service over HTTP (what the case pages do),
and the page opens the post-test. The pass mark is on screen before the attempt, each answer is clicked and saved,
no key reaches the page before the attempt is finished, the feedback comes after it, then the evaluation, the time
attestation (flagged: far above the few minutes on the path) and the PDF: a practice record, since this server
shares its machine with the learner.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from hnscc_edu.cli import main
from hnscc_edu.content.course import load_course
from hnscc_edu.rules import assessment, evaluation
from hnscc_edu.store import Store
from hnscc_edu.store.credit import CreditStore
from tests.browser.test_accessibility import blocking_violations
from tests.helpers import ROOT
from tests.service_harness import finish_case_through

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT)
INFO = COURSE.info
POST = next(b for b in COURSE.banks.values() if b.purpose == "post")
LEARNER = "browser-credit"


def exactly(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def fill_evaluation(page, met: str, intent: str) -> None:
    """Every question of the evaluation, by clicking as a learner does."""
    for objective in INFO.objectives:
        page.locator(f".hnscc-eval-met-{objective.id} label", has_text=exactly(met)).click()
        page.locator(f".hnscc-eval-intent-{objective.id} label", has_text=exactly(intent)).click()
        page.locator(f".hnscc-eval-change-{objective.id} textarea").fill("Write the MIRI class in every referral.")
    for question in evaluation.QUESTIONS:
        if question.many:
            page.locator(f".hnscc-eval-{question.id} select").select_option(label="Time")
        else:
            page.locator(f".hnscc-eval-{question.id} label", has_text=exactly(question.choices[1].capitalize())).click()
    page.locator(".hnscc-eval-bias label", has_text=exactly("Yes")).click()


def take_attempt(page, number: int, learner: str, right: bool, seen: set[str]) -> None:
    """One post-test attempt in the page: every question answered (with its key or a wrong option) and saved."""
    page.locator("button.hnscc-start-posttest").click()
    drawn = assessment.draw(
        POST.items, [o.id for o in INFO.objectives], INFO.post_test.items_per_attempt, learner, number, seen
    )
    seen.update(drawn)
    items = {item.id: item for item in POST.items}
    page.locator(f".hnscc-input-{drawn[0]}").wait_for()
    for item_id in drawn:
        chosen = next(o for o in items[item_id].options if o.correct == right)
        page.locator(f".hnscc-input-{item_id} label", has_text=exactly(chosen.text)).click()
        page.locator(f".hnscc-submit-{item_id}").click()
        page.locator(f".hnscc-submit-{item_id}").wait_for(state="hidden")
    page.wait_for_function("() => !document.querySelector('button.hnscc-finish-test').disabled")
    page.locator("button.hnscc-finish-test").click()
    page.locator(".hnscc-test-result", has_text=f"Attempt {number}:").wait_for()


def test_a_learner_who_fails_every_attempt_still_reaches_the_evaluation(voila, page):
    learner = "browser-fails"
    server = voila("90_post_test_and_certificate.ipynb", learner=learner)
    page.goto(server.url)
    page.locator(".hnscc-credit-path").wait_for()
    page.locator("button.hnscc-skip-pretest").click()
    page.locator(".hnscc-core-progress").wait_for()
    client = server.client()
    for case_id in INFO.core_path:
        finish_case_through(client, COURSE.case(case_id))
    page.locator("button.hnscc-refresh").click()
    seen: set[str] = set()
    for number in range(1, INFO.post_test.max_attempts + 1):
        take_attempt(page, number, learner, right=False, seen=seen)
        if number < INFO.post_test.max_attempts:
            page.locator("button.hnscc-start-posttest").wait_for()

    intro = page.locator("text=Your evaluation still counts")
    intro.wait_for()
    assert blocking_violations(page) == []  # the evaluation form passes the accessibility gate
    assert page.locator("button.hnscc-start-posttest").count() == 0 and page.locator(".hnscc-attest-name").count() == 0
    fill_evaluation(page, met="No", intent="No change planned")
    page.locator("button.hnscc-submit-evaluation").click()
    page.locator("button.hnscc-submit-evaluation").wait_for(state="detached")  # the form goes, the closed step shows
    shown = page.locator(".hnscc-credit-path").inner_text()
    assert "All 3 attempts are used" in shown and "No certificate can be issued" in shown and INFO.contact in shown
    assert "Traceback" not in page.content()
    events = [kind for kind, _, _ in CreditStore(Store(server.db_url)).events(learner)]
    assert events.count("posttest_finished") == 3 and events[-1] == "evaluation_submitted"


def test_the_path_in_voila_from_the_core_path_to_a_practice_record(voila, page, tmp_path, capsys):
    server = voila("90_post_test_and_certificate.ipynb", learner=LEARNER)
    page.goto(server.url)
    page.locator(".hnscc-credit-path").wait_for()
    assert page.title() == "Post-test, evaluation and certificate"
    assert "Education, not clinical advice" in page.locator(".hnscc-banner").inner_text()
    page.locator("button.hnscc-skip-pretest").click()

    core = page.locator(".hnscc-core-progress")
    core.wait_for()
    assert "Core path: 0 of 3 cases finished" in core.inner_text()
    assert page.locator("button.hnscc-start-posttest").count() == 0  # closed until the core path is finished
    assert page.locator("button.hnscc-modules-done").count() == 0  # and no button declares the modules done
    client = server.client()  # the service of this very server, as the case pages reach it
    for case_id in INFO.core_path:
        finish_case_through(client, COURSE.case(case_id))
    page.locator("button.hnscc-refresh").click()

    announcement = page.locator(".hnscc-pass-mark")
    announcement.wait_for()
    assert "minimum passing score is 70%" in announcement.inner_text()
    assert "attempt 1 of 3" in announcement.inner_text()
    page.locator("button.hnscc-start-posttest").click()
    drawn = assessment.draw(POST.items, [o.id for o in INFO.objectives], INFO.post_test.items_per_attempt, LEARNER, 1)
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

    fill_evaluation(page, met="Yes", intent="Will change")
    page.locator("button.hnscc-submit-evaluation").click()

    page.locator(".hnscc-attest-name input").wait_for()
    page.locator(".hnscc-attest-name input").fill("Dr Browser Learner")
    minutes = page.locator(".hnscc-attest-minutes input")
    minutes.fill("45")
    minutes.press("Enter")
    page.locator(".hnscc-credit-preview", has_text="0.75").wait_for()
    page.locator(".hnscc-attest-confirm input").check()
    page.locator("button.hnscc-attest").click()

    flag = page.locator(".hnscc-time-flag")  # 45 minutes attested after a few minutes on the path
    flag.wait_for()
    assert "far above the time the course recorded" in flag.inner_text()
    page.locator("button.hnscc-certificate").click()
    link = page.locator(".hnscc-certificate-link a.hnscc-download-button")
    link.wait_for()
    # one obvious download (issue 20 §4): the button that created it is gone, and no command line is shown
    assert page.locator("button.hnscc-certificate").is_hidden()
    assert "verify-certificate" not in page.locator(".hnscc-credit-path").inner_text()
    with page.expect_download() as download:
        link.click()
    pdf = tmp_path / "record.pdf"
    download.value.save_as(pdf)
    text = " ".join(PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().split())
    assert text.startswith("Practice Record This certifies that Dr Browser Learner Radiation oncologist, MD")
    assert "not for credit" in text and "AMA PRA" not in text
    assert "or scan the code: the page says whether it is valid or has been revoked" in text
    assert "verify-certificate" not in text and "--public-key" not in text  # words a registrar understands
    assert "Traceback" not in page.content()

    # the course director checks the downloaded file against the store: a genuine practice record
    capsys.readouterr()
    assert main(["--root", str(ROOT), "verify-certificate", str(pdf), "--db", server.db_url]) == 0
    assert "practice record: not for credit" in capsys.readouterr().out
    store = Store(server.db_url)
    attested = [data for kind, _, data in CreditStore(store).events(LEARNER) if kind == "time_attested"]
    assert attested[0]["minutes"] == 45 and attested[0]["path_minutes"] < 30  # both recorded by the service
    store.engine.dispose()

    page.reload()  # a reload keeps everything: on a later visit the download is there at once, nothing to create
    page.locator(".hnscc-certificate-link a.hnscc-download-button").wait_for()
    assert page.locator("button.hnscc-certificate").count() == 0


def test_the_follow_up_form_appears_after_its_date_and_is_stored(voila, page):
    """A learner evaluated 61 days ago, who said they will change their practice, sees the follow-up on their next
    visit; the answers reach the store through the course service."""
    import datetime as dt

    from hnscc_edu.sessions.credit_session import LearnerPath
    from tests.credit.conftest import EVALUATION, Clock, finish_core_path, take_test

    learner = "browser-follow-up"
    server = voila("90_post_test_and_certificate.ipynb", learner=learner)  # acknowledged, as from the start page
    store = Store(server.db_url)
    # the rest of the path 61 days ago, up to the attestation (through the real session, as the service does)
    path = LearnerPath(COURSE, store, learner, clock=Clock(dt.datetime.now(dt.UTC) - dt.timedelta(days=61)))
    path.skip_pretest()
    finish_core_path(path)
    path.start_posttest()
    take_test(path)
    path.submit_evaluation({o.id: "yes" for o in INFO.objectives}, {}, True, **EVALUATION)
    page.goto(server.url)
    form = page.locator(".hnscc-follow-up")
    form.wait_for()
    assert "Follow-up: the changes you planned" in form.inner_text()
    assert blocking_violations(page) == []  # and so does the follow-up form
    for objective in INFO.objectives:
        page.locator(f".hnscc-follow-up-{objective.id} label", has_text=exactly("Made the change")).click()
    page.locator(".hnscc-follow-up-barriers textarea").fill("Our planning system needed an update first.")
    page.locator("button.hnscc-submit-follow-up").click()
    form.wait_for(state="detached")
    rows = CreditStore(store).follow_up_rows(learner)
    assert {r["objective_id"]: r["outcome"] for r in rows} == {o.id: "made the change" for o in INFO.objectives}
    assert rows[0]["barriers"] == "Our planning system needed an update first."
    assert page.locator(".hnscc-attest-name input").count() == 1  # and the path goes on where it was
    assert "Traceback" not in page.content()
