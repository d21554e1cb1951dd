"""Layer 4: a case full of script-injection payloads, played in Voila in Debian's Chromium, and a live poll whose
session title, question and choices carry the same payloads, on a participant's page.

The course is a hostile copy of the fixture course in a temp folder (tests/hostile.py); the notebook is written there
too. Every payload would set ``window.__pwned``: it must stay undefined, the payloads must be readable as text, and no
element may carry an event-handler attribute or a script URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from hnscc_edu.content.course import CourseContent, load_course
from hnscc_edu.rules.live import Choice
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from tests.browser.walk import continue_to, open_case, opener
from tests.hostile import ALL, CASE_ID, LEARNER_TEXT, PAYLOADS, hostile_course
from tests.voila_server import VoilaServer

pytestmark = pytest.mark.browser

PLAYER = f".hnscc-case-{CASE_ID}"
# Every attribute named on*, and every URL attribute holding a script URL, anywhere in the page (shadow roots too).
INJECTED = """() => {
  const found = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\\x00-\\x20]+/g, '').toLowerCase();
        if (name.startsWith('on')) found.push(el.tagName + ' ' + name + '=' + attr.value);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name) &&
            (value.startsWith('javascript:') || value.startsWith('vbscript:'))) found.push(el.tagName + ' ' + name);
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return found;
}"""


@pytest.fixture
def hostile(tmp_path) -> tuple[Path, CourseContent]:
    root = hostile_course(tmp_path / "course")
    content = load_course(root)
    assert not content.problems, [str(p) for p in content.problems]
    return root, content


@pytest.fixture
def server(tmp_path, hostile) -> Iterator[VoilaServer]:
    """Voila serving a notebook that shows the hostile case, with the course root pointed at the hostile copy."""
    root, _ = hostile
    notebook = tmp_path / "notebooks" / "hostile.ipynb"
    notebook.parent.mkdir()
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell("# Hostile input"),
                nbformat.v4.new_code_cell(
                    f"from hnscc_edu.course_page import show_case\nplayer = show_case({CASE_ID!r})"
                ),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        notebook,
    )
    voila = VoilaServer(
        "hostile.ipynb",
        tmp_path / "store.sqlite3",
        "hostile-learner",
        tmp_path / "voila.log",
        notebook_path=notebook,
        extra_env={"HNSCC_EDU_COURSE_ROOT": str(root)},
    )
    yield voila
    voila.stop()


def assert_nothing_ran(page) -> None:
    page.wait_for_timeout(500)  # an image's onerror or an svg's onload fires a moment after insertion
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate(INJECTED) == []


def submit(page, item_id: str) -> None:
    page.locator(f".hnscc-submit-{item_id}").click()
    page.locator(f".hnscc-feedback-{item_id} .hnscc-feedback").wait_for()


def test_a_hostile_case_in_voila_runs_no_script_and_shows_the_payloads_as_text(server, hostile, page):
    case = hostile[1].case(CASE_ID)
    page.goto(server.url)
    opener(page, CASE_ID).wait_for()  # closed: the case's title and patient, as text
    assert_nothing_ran(page)
    player = open_case(page, CASE_ID)
    history, plan, detour = case.stage("history"), case.stage("plan"), case.stage("detour")
    assert player.locator(".hnscc-current-stage h3").first.inner_text() == history.title  # the title, as text
    shown = player.inner_text()
    assert all(payload in shown for payload in PAYLOADS)  # markdown, heading, patient summary: all readable
    assert_nothing_ran(page)

    single, multi = history.items
    page.locator(f".hnscc-input-{single.id} label", has_text=single.options[1].text).click()
    submit(page, single.id)
    for option in multi.options[:2]:
        page.locator(f".hnscc-input-{multi.id} .hnscc-option-{option.id} input").check()
    submit(page, multi.id)
    assert single.options[1].rationale in player.locator(f".hnscc-feedback-{single.id}").inner_text()
    assert_nothing_ran(page)

    continue_to(player, plan.title)
    numeric, branch = plan.items
    page.locator(f".hnscc-input-{numeric.id} input").fill(LEARNER_TEXT)  # not a number: echoed in the message
    page.locator(f".hnscc-submit-{numeric.id}").click()
    message = player.locator(".hnscc-message .hnscc-error")
    message.wait_for()
    assert LEARNER_TEXT in message.inner_text()
    page.locator(f".hnscc-input-{numeric.id} input").fill("70")
    submit(page, numeric.id)
    assert all(payload in player.locator(f".hnscc-feedback-{numeric.id}").inner_text() for payload in PAYLOADS)
    detour_option = next(o for o in branch.options if o.next_stage == "detour")
    page.locator(f".hnscc-input-{branch.id} label", has_text=detour_option.text).click()
    submit(page, branch.id)
    assert_nothing_ran(page)

    continue_to(player, detour.title)
    reflect = detour.items[0]
    page.locator(f".hnscc-input-{reflect.id} textarea").fill(LEARNER_TEXT)
    submit(page, reflect.id)
    assert ALL in player.locator(f".hnscc-feedback-{reflect.id}").inner_text()
    assert_nothing_ran(page)

    page.reload()  # the learner's text comes back from the store into the page
    open_case(page, CASE_ID)
    assert page.locator(f".hnscc-input-{reflect.id} textarea").input_value() == LEARNER_TEXT
    assert player.locator(".hnscc-current-stage h3").first.inner_text() == detour.title
    assert_nothing_ran(page)


def test_a_live_poll_with_a_hostile_session_title_question_and_choices_runs_no_script(server, hostile, tmp_path, page):
    content = hostile[1]
    live = LiveStore(Store(f"sqlite:///{tmp_path / 'store.sqlite3'}"))  # the store the server's poll routes use
    session, token = live.create_session(content.info.title)  # what the presenter's Start button does
    question = f"Which plan? {ALL}"
    choices = (Choice("a", f"Re-irradiate {PAYLOADS[1]}"), Choice("b", f"Systemic therapy {PAYLOADS[3]}"))
    live.open_poll(session.code, token, question, choices)

    page.goto(f"{server.url}hnscc/live/{session.code}")
    page.locator("#question", has_text="Which plan?").wait_for()
    assert page.locator("#session-title").inner_text() == f"{content.info.title[:300]} (code {session.code})"
    assert page.locator("#question").inner_text() == question
    label = f"A. {choices[0].text}"
    assert page.locator("#choices label").all_inner_texts() == [label, f"B. {choices[1].text}"]
    assert_nothing_ran(page)
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Send my vote").click()
    page.locator("#status", has_text=f"Your vote is recorded: {label}").wait_for()
    assert_nothing_ran(page)
