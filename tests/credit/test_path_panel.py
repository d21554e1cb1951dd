"""The path panel through its real callbacks, without a browser, talking to the course service over HTTP as a
learner's kernel does: what shows when, what is refused, that a reload resumes, and that the kernel's auto-answer
cannot pass the post-test (it holds no key)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

from pypdf import PdfReader

from hnscc_edu.rules.learner_path import Step
from hnscc_edu.service.client import RemotePath
from hnscc_edu.store.credit import CreditStore
from hnscc_edu.ui.autoanswer import answer_case, path_summary, walk_credit_path
from hnscc_edu.ui.path_panel import PathPanel
from tests.credit.conftest import COURSE, EVALUATION, INFO, finish_case, key, walk
from tests.service_harness import answer_test, finish_core_path

POST = {item.id: item for bank in COURSE.banks.values() if bank.purpose == "post" for item in bank.items}


def panel(service, learner="ui", scope="all") -> PathPanel:
    return PathPanel(
        RemotePath(service.client(learner), INFO),
        COURSE.references,
        scope=scope,
        module_links='<a href="01_reirradiation.ipynb">Module 1</a>',
    )


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


def test_the_gate_states_the_pass_mark_and_refuses_without_the_tick(store, service):
    shown = panel(service)
    page = texts(shown.widget)
    assert "minimum passing score is <strong>70%</strong>" in page and "<strong>3 attempts</strong>" in page
    assert "Certificate of Participation" in page and "AMA PRA Category 1 Credit™" in page
    assert "Practice record, not for credit" in page  # a service on the learner's machine issues no credit
    shown.form["profession"].value, shown.form["degree"].value = "nurse", "RN"
    shown.buttons["acknowledge"].click()
    assert "tick the box" in shown.boundary.message.value
    assert CreditStore(store).events("ui") == []
    shown.form["read"].value = True
    shown.buttons["acknowledge"].click()
    assert shown.boundary.message.value == "" and shown.path.step is Step.pre_test


def test_the_post_test_announces_the_pass_mark_before_it_starts_and_hides_keys_until_the_end(store, clock, service):
    walk(store, "ui", clock, until="posttest")
    shown = panel(service)
    before = texts(shown.widget)
    assert "The minimum passing score is <strong>70%</strong>" in before and "attempt 1 of 3" in before
    shown.buttons["start-posttest"].click()
    during = texts(shown.widget)
    items = shown.path.test_items()
    assert len(shown.views) == len(items) == INFO.post_test.items_per_attempt
    for item in items:  # the kernel holds stems and options only; no rationale is in the widgets
        assert not hasattr(item, "correct") and all(not hasattr(o, "correct") for o in item.options)
        assert all(option.rationale[:50] not in during for option in POST[item.id].options)
    assert shown.buttons["finish-test"].disabled
    for item_id, view in shown.views.items():  # a learner who knows every answer
        view.fill(key(POST[item_id]))
        shown.submit_buttons[item_id].click()
    assert not shown.buttons["finish-test"].disabled and shown.boundary.message.value == ""
    shown.buttons["finish-test"].click()
    after = texts(shown.widget)
    assert "Attempt 1: 100%" in after and "You passed" in after and "Evidence:" in after
    assert shown.path.step is Step.evaluation


def test_a_reload_in_the_middle_of_an_attempt_keeps_the_answers(store, clock, service):
    walk(store, "ui", clock, until="posttest")
    shown = panel(service)
    shown.buttons["start-posttest"].click()
    first_id, view = next(iter(shown.views.items()))
    view.fill(key(POST[first_id]))
    shown.submit_buttons[first_id].click()
    again = panel(service)  # what a Voila reload does
    assert again.views[first_id].input.disabled and first_id not in again.submit_buttons
    assert len(again.submit_buttons) == INFO.post_test.items_per_attempt - 1


def test_auto_answer_in_the_kernel_cannot_pass_the_post_test(store, service):
    """Issue 16 section 5: the kernel's auto-answer has no key, so it stops at the modules and then at the post-test;
    only the service's own harness (which holds the keys) answers it, and then the panel walks on to a practice
    record."""
    shown = panel(service)
    walk_credit_path(shown, profession="nurse", degree="RN")
    assert shown.boundary.message.value == ""
    assert path_summary(shown) == "Path: modules; pre-test completed; core path: 0 of 3 cases finished."
    finish_core_path(service.service, "ui")
    shown = panel(service)
    walk_credit_path(shown)
    assert path_summary(shown) == "Path: post-test; pre-test completed; core path: 3 of 3 cases finished."
    assert not [r for r in store.attempt_rows("ui") if r["context_id"] == "post-test"]
    assert CreditStore(store).certificate_for("ui") is None
    shown.buttons["start-posttest"].click()
    view = next(iter(shown.views.values()))
    try:
        view.key_response()
        raise AssertionError("a view of a post-test item knew its key")
    except TypeError:
        pass

    answer_test(service.service, "ui")  # the service-side harness answers
    shown = panel(service)
    fill_evaluation(shown)
    shown.buttons["submit-evaluation"].click()
    shown.form["name"].value, shown.form["minutes"].value, shown.form["confirm"].value = "Dr Auto", 45, True
    shown.buttons["attest"].click()
    shown.buttons["certificate"].click()
    assert shown.boundary.message.value == ""
    assert path_summary(shown).endswith(
        "45 minutes attested (a practice record: not for credit); practice record issued."
    )
    link = re.search(r'href="data:application/pdf;base64,([^"]+)"', shown.download.value)
    text = " ".join(PdfReader(io.BytesIO(base64.b64decode(link.group(1)))).pages[0].extract_text().split())
    assert text.startswith("Practice Record This certifies that Dr Auto Nurse, RN")
    assert "not for credit" in text and "AMA" not in text and "Certificate of" not in text


def test_the_start_page_stops_after_the_pre_test(service):
    shown = panel(service, scope="start")
    walk_credit_path(shown)
    assert shown.path.step is Step.modules
    assert "Next: the modules." in texts(shown.widget) and "01_reirradiation.ipynb" in texts(shown.widget)
    assert path_summary(shown) == "Path: modules; pre-test completed; core path: 0 of 3 cases finished."


def test_a_name_the_certificate_cannot_print_is_refused_on_the_page(store, clock, service):
    walk(store, "ui", clock, until="attestation")
    shown = panel(service)
    shown.form["name"].value, shown.form["minutes"].value, shown.form["confirm"].value = "王小明", 60, True
    shown.buttons["attest"].click()
    assert "cannot print these characters of your name: 王小明" in shown.boundary.message.value
    assert shown.path.step is Step.attestation
    preview = next(w for w in shown.body.children if "hnscc-credit-preview" in w._dom_classes)
    assert "60 minutes give <strong>1.00</strong> credit" in preview.value
    # the service refuses it too, for a caller that skips the page
    assert "cannot print" in _refusal(
        lambda: service.client("ui").path("attestation", full_name="王小明", minutes=60, confirmed=True)
    )


def _refusal(call) -> str:
    try:
        call()
    except ValueError as exc:
        return str(exc)
    raise AssertionError("not refused")


def test_after_the_termination_date_the_page_explains_and_issues_nothing(store, clock, service):
    walk(store, "ui", clock, until="attestation").attest("Dr Late", 60, True)
    clock.now = dt.datetime.combine(INFO.termination_date + dt.timedelta(days=1), dt.time(8), dt.UTC)
    shown = panel(service)
    shown.buttons["certificate"].click()
    assert "ended on 2028-03-01" in shown.boundary.message.value and "Traceback" not in shown.boundary.message.value
    assert shown.download.value == "" and CreditStore(store).certificate_for("ui") is None


def test_used_up_attempts_close_the_path_with_the_contact(store, clock, service):
    path = walk(store, "ui", clock, until="posttest")
    for _ in range(INFO.post_test.max_attempts):
        path.start_posttest()
        for item in path.test_items():
            path.answer(item.id, next(o.id for o in item.options if not o.correct))
        path.finish_test()
    shown = panel(service)
    page = texts(shown.widget)
    # the evaluation first: every learner who finishes is asked, pass or not
    assert "All 3 attempts are used" in page and "no certificate can be issued" in page
    assert "Your evaluation still counts" in page and "Submit the evaluation" in page
    fill_evaluation(shown)
    shown.buttons["submit-evaluation"].click()
    assert shown.boundary.message.value == ""
    page = texts(panel(service).widget)
    assert "All 3 attempts are used" in page and "No certificate can be issued" in page and INFO.contact in page


def test_the_modules_step_lists_the_core_path_and_which_cases_are_finished(store, clock, service):
    from hnscc_edu.service.client import RemoteCaseSession
    from hnscc_edu.ui.case_player import CasePlayer

    walk(store, "ui", clock, until="modules")
    shown = panel(service)
    page = texts(shown.widget)
    assert "Core path: 0 of 3 cases finished" in page and "hnscc-modules-done" not in page
    assert "modules-done" not in shown.buttons  # no button declares the modules done
    first = INFO.core_path[0]
    answer_case(CasePlayer(RemoteCaseSession(COURSE.case(first), service.client("ui")), COURSE.references))
    shown.buttons["refresh"].click()
    page = texts(shown.widget)
    assert "Core path: 1 of 3 cases finished" in page and "(finished)" in page
    for case_id in INFO.core_path[1:]:
        finish_case(store, "ui", case_id)
    shown.buttons["refresh"].click()
    assert shown.path.step is Step.post_test and "start-posttest" in shown.buttons


def fill_evaluation(shown) -> None:
    """Every evaluation widget, as a learner would answer it."""
    for objective in INFO.objectives:
        shown.form[f"met:{objective.id}"].value = "yes"
        shown.form[f"intent:{objective.id}"].value = EVALUATION["intents"][objective.id]
    for question, answer in EVALUATION["answers"].items():
        shown.form[f"q:{question}"].value = tuple(answer) if isinstance(answer, list) else answer
    shown.form["bias"].value = True
