"""Layer 4: the case notebook served by Voila on 127.0.0.1, driven in Debian's Chromium.

The learner opens the case, answers, sees feedback, reloads the page (a new kernel) and opens the case again: the
answers are kept and the case resumes at the same stage. The module 1 notebook holds three cases, so every locator is
scoped to the first case's player.
"""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import MultipleSelect, Numeric, SingleBestAnswer
from hnscc_edu.rules import case_flow
from tests.browser.walk import answer, continue_to, feedback_text, open_case, opener, stage_heading, tab_to
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

CASE = load_course(ROOT).case("reirr-candidacy-01")
PLAYER = f".hnscc-case-{CASE.id}"


def test_answer_feedback_reload_resume(voila, page):
    server = voila("01_reirradiation.ipynb")
    first, second = CASE.stages[0], CASE.stage(CASE.stages[0].next or CASE.stages[1].id)
    page.goto(server.url)
    closed = opener(page, CASE.id)
    closed.wait_for()
    assert CASE.title in closed.inner_text() and "Not started yet." in closed.inner_text()
    assert first.title not in page.content()  # nothing of the case before the learner opens it
    player = open_case(page, CASE.id)
    assert "Education, not clinical advice" in player.locator(".hnscc-banner").inner_text()
    assert stage_heading(player) == first.title
    item = first.items[0]
    sent = page.content()  # the whole DOM, hidden parts included
    assert page.title() == "Module 1: re-irradiation, selecting patients"
    assert second.title not in sent  # later stages are not sent to the browser
    assert all(option.rationale[:60] not in sent for option in item.options)  # nor any feedback before answering

    answer(page, item, correct=False)
    text = feedback_text(page, item)
    assert "Not correct" in text and "Evidence:" in text and "Sources:" in text

    page.reload()
    assert "Started: your answers are saved" in opener(page, CASE.id).inner_text()
    open_case(page, CASE.id)
    assert stage_heading(player) == first.title
    assert "Not correct" in feedback_text(page, item)  # the answer was kept
    assert page.locator(f".hnscc-submit-{item.id}").count() == 0

    for other in first.items[1:]:
        answer(page, other)
        feedback_text(page, other)
    continue_to(player, second.title)

    page.reload()
    open_case(page, CASE.id)
    assert stage_heading(player) == second.title  # resumed at the same stage
    assert "Earlier: " + first.title in player.inner_text()


def test_nonsense_in_a_numeric_answer_gets_a_message_and_loses_nothing(voila, page):
    """Walk the key's route to the first numeric item, type nonsense, then a real answer."""
    server = voila("01_reirradiation.ipynb", learner="browser-numeric")
    page.goto(server.url)
    player = open_case(page, CASE.id)
    state = case_flow.start(CASE)
    while not any(isinstance(i, Numeric) for i in case_flow.current_stage(CASE, state).items):
        for item in case_flow.current_stage(CASE, state).items:
            answer(page, item)
            feedback_text(page, item)
            state, _ = case_flow.submit(CASE, state, item.id, _key(item))
        state = case_flow.advance(CASE, state)
        continue_to(player, case_flow.current_stage(CASE, state).title)
    stage = case_flow.current_stage(CASE, state)
    numeric = next(i for i in stage.items if isinstance(i, Numeric))
    page.locator(f".hnscc-input-{numeric.id} input").fill("about seventy")
    page.locator(f".hnscc-submit-{numeric.id}").click()
    message = player.locator(".hnscc-message .hnscc-error")
    message.wait_for()
    assert "Please type a number" in message.inner_text()
    assert "Traceback" not in page.content()

    page.reload()
    open_case(page, CASE.id)
    assert stage_heading(player) == stage.title  # the earlier stages' answers are all kept
    answer(page, numeric)
    assert "Correct" in feedback_text(page, numeric)


def _key(item):
    if isinstance(item, SingleBestAnswer):
        return next(o.id for o in item.options if o.correct)
    if isinstance(item, MultipleSelect):
        return [o.id for o in item.options if o.correct]
    if isinstance(item, Numeric):
        return item.answer.value
    return "I would bring the imaging to the tumour board first."


def test_a_question_can_be_answered_from_the_keyboard_alone(voila, page):
    """Tab to the case's Open button, Enter; Tab to an option, Space to choose it, Tab to Submit, Enter: no mouse."""
    server = voila("01_reirradiation.ipynb", learner="browser-keyboard")
    page.goto(server.url)
    opener(page, CASE.id).wait_for()
    tab_to(page, f".hnscc-opener-{CASE.id} button.hnscc-open")  # past the module's course map and its links
    page.keyboard.press("Enter")
    page.locator(PLAYER).wait_for()
    heading = f"{PLAYER} h2"  # the focus moves to the case just opened (its button is gone)
    page.wait_for_function("(s) => document.activeElement === document.querySelector(s)", arg=heading)
    item = CASE.stages[0].items[0]
    focused = "() => { const e = document.activeElement; return e.tagName + ':' + (e.type || '') }"
    tab_to(page, f"{PLAYER} .hnscc-input-{item.id} input[type=radio]")
    assert page.evaluate(focused) == "INPUT:radio"
    page.keyboard.press("Space")
    for _ in range(len(item.options) + 2):
        if page.evaluate(focused) == "BUTTON:submit":
            break
        page.keyboard.press("Tab")
    assert page.evaluate(focused) == "BUTTON:submit"
    page.keyboard.press("Enter")
    expected = "✔ Correct" if item.options[0].correct else "✘ Not correct"  # Space chose the first option
    assert expected in feedback_text(page, item)
