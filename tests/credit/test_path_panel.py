"""The path panel through its real callbacks, without a browser: what shows when, what is refused, and that a
reload resumes. The widgets only display and call the session."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

from pypdf import PdfReader

from hnscc_edu.engine.credit_session import LearnerPath
from hnscc_edu.engine.learner_path import Step
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.ui.path_panel import PathPanel
from tests.credit.conftest import COURSE, INFO, walk


def panel(store, clock, learner="ui", scope="all") -> PathPanel:
    return PathPanel(LearnerPath(COURSE, store, learner, clock=clock), COURSE.references, scope=scope,
                     module_links='<a href="01_reirradiation.ipynb">Module 1</a>')


def texts(widget) -> str:
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        for attr in ("value", "description"):
            value = getattr(w, attr, None)
            if isinstance(value, str):
                out.append(value)
        out.extend(str(o) for o in getattr(w, "options", ()) or ())
        stack.extend(getattr(w, "children", ()))
    return " ".join(out)


def test_the_gate_states_the_pass_mark_and_refuses_without_the_tick(store, clock):
    shown = panel(store, clock)
    page = texts(shown.widget)
    assert "minimum passing score is <strong>70%</strong>" in page and "<strong>3 attempts</strong>" in page
    assert "Certificate of Attendance" in page and "AMA PRA Category 1 Credit™" in page
    shown.form["profession"].value, shown.form["degree"].value = "nurse", "RN"
    shown.buttons["acknowledge"].click()
    assert "tick the box" in shown.boundary.message.value
    assert CreditStore(store).events("ui") == []
    shown.form["read"].value = True
    shown.buttons["acknowledge"].click()
    assert shown.boundary.message.value == "" and shown.path.step is Step.pre_test


def test_the_post_test_announces_the_pass_mark_before_it_starts_and_hides_keys_until_the_end(store, clock):
    walk(store, "ui", clock, until="posttest")
    shown = panel(store, clock)
    before = texts(shown.widget)
    assert "The minimum passing score is <strong>70%</strong>" in before and "attempt 1 of 3" in before
    shown.buttons["start-posttest"].click()
    during = texts(shown.widget)
    items = shown.path.test_items()
    assert len(shown.views) == len(items) == INFO.post_test.items_per_attempt
    for item in items:  # no rationale of any option is in the widgets before the attempt is finished
        assert all(option.rationale[:50] not in during for option in item.options)
    assert shown.buttons["finish-test"].disabled
    for item_id, view in shown.views.items():
        view.fill(view.key_response())
        shown.submit_buttons[item_id].click()
    assert not shown.buttons["finish-test"].disabled
    shown.buttons["finish-test"].click()
    after = texts(shown.widget)
    assert "Attempt 1: 100%" in after and "You passed" in after and "Evidence:" in after
    assert shown.path.step is Step.evaluation


def test_a_reload_in_the_middle_of_an_attempt_keeps_the_answers(store, clock):
    walk(store, "ui", clock, until="posttest")
    shown = panel(store, clock)
    shown.buttons["start-posttest"].click()
    first_id, view = next(iter(shown.views.items()))
    view.fill(view.key_response())
    shown.submit_buttons[first_id].click()
    again = panel(store, clock)  # what a Voila reload does
    assert again.views[first_id].input.disabled and first_id not in again.submit_buttons
    assert len(again.submit_buttons) == INFO.post_test.items_per_attempt - 1


def test_auto_answer_walks_to_a_certificate_that_reads_back(store, clock):
    shown = panel(store, clock)
    shown.auto_answer(profession="nurse", degree="RN")
    assert shown.boundary.message.value == ""
    assert shown.summary() == ("Path: certificate; pre-test completed; post-test attempt 1 of 3: 100% (passed); "
                               f"evaluation submitted; {INFO.estimated_minutes} minutes attested: 1.00 hours "
                               "(Certificate of Attendance); certificate issued.")
    link = re.search(r'href="data:application/pdf;base64,([^"]+)"', shown.download.value)
    pdf = base64.b64decode(link.group(1))
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Certificate of Attendance" in text and "Auto Answer Learner" in text and "AMA" not in text


def test_the_start_page_stops_after_the_pre_test(store, clock):
    shown = panel(store, clock, scope="start")
    shown.auto_answer()
    assert shown.path.step is Step.modules
    assert "Next: the modules." in texts(shown.widget) and "01_reirradiation.ipynb" in texts(shown.widget)
    assert shown.summary() == "Path: modules; pre-test completed."


def test_a_name_the_certificate_cannot_print_is_refused_on_the_page(store, clock):
    walk(store, "ui", clock, until="attestation")
    shown = panel(store, clock)
    shown.form["name"].value, shown.form["minutes"].value, shown.form["confirm"].value = "王小明", 60, True
    shown.buttons["attest"].click()
    assert "cannot print these characters of your name: 王小明" in shown.boundary.message.value
    assert shown.path.step is Step.attestation
    preview = next(w for w in shown.body.children if "hnscc-credit-preview" in w._dom_classes)
    assert "60 minutes give <strong>1.00</strong> credit" in preview.value


def test_after_the_termination_date_the_page_explains_and_issues_nothing(store, clock):
    walk(store, "ui", clock, until="attestation").attest("Dr Late", 60, True)
    clock.now = dt.datetime.combine(INFO.termination_date + dt.timedelta(days=1), dt.time(8), dt.timezone.utc)
    shown = panel(store, clock)
    shown.buttons["certificate"].click()
    assert "ended on 2028-03-01" in shown.boundary.message.value and "Traceback" not in shown.boundary.message.value
    assert shown.download.value == "" and CreditStore(store).certificate_for("ui") is None


def test_used_up_attempts_close_the_path_with_the_contact(store, clock):
    path = walk(store, "ui", clock, until="posttest")
    for _ in range(INFO.post_test.max_attempts):
        path.start_posttest()
        for item in path.test_items():
            path.answer(item.id, next(o.id for o in item.options if not o.correct))
        path.finish_test()
    page = texts(panel(store, clock).widget)
    assert "All 3 attempts are used" in page and "No certificate can be issued" in page


def test_the_modules_step_lists_the_cases_and_which_are_complete(store, clock):
    from hnscc_edu.engine.case_session import CaseSession
    from hnscc_edu.ui.case_player import CasePlayer

    walk(store, "ui", clock, until="modules")
    cases = len(COURSE.cases)
    assert f"Your cases (0 of {cases} complete)" in texts(panel(store, clock).widget)
    CasePlayer(CaseSession(COURSE.case("reirr-candidacy-01"), store, "ui"), COURSE.references).auto_answer()
    page = texts(panel(store, clock).widget)
    assert f"Your cases (1 of {cases} complete)" in page and "(complete)" in page
