"""Hostile content and hostile learner text, at the widget level: what JupyterLab (and Voila) would put on the page.

ipywidgets writes an ``HTML`` widget's value into the page as markup and every other widget's labels as text, so the
checks are: every HTML value is inert and shows the payloads as text; no label widget is switched to HTML. The same
case is played in Chromium by tests/browser/test_hostile_input.py.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from hnscc_edu.content.course import CourseContent, load_course
from hnscc_edu.export import static_html
from hnscc_edu.rules.grading import grade
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from hnscc_edu.ui import render
from hnscc_edu.ui.case_player import CasePlayer
from hnscc_edu.ui.presenter import PresenterDashboard
from tests.helpers import ROOT
from tests.hostile import ALL, CASE_ID, LEARNER_TEXT, PAYLOADS, hostile_course, inert_problems, visible_text, walk

VOILA = {"VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/live_presenter.ipynb", "VOILA_BASE_URL": "/"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> CourseContent:
    content = load_course(hostile_course(tmp_path_factory.mktemp("hostile") / "course"))
    assert not content.problems, [str(p) for p in content.problems]
    return content


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'hostile.sqlite3'}")


def shown_html(root: widgets.Widget) -> list[str]:
    """Every HTML value in a widget tree, after checking that no label widget renders its text as HTML."""
    values = []
    for widget in walk(root):
        if isinstance(widget, (widgets.HTML, widgets.HTMLMath)):
            values.append(widget.value)
        elif hasattr(widget, "description_allow_html"):
            assert widget.description_allow_html is False, widget  # descriptions stay text in the browser
    return values


def assert_inert(fragments: list[str]) -> str:
    """All fragments inert; returns their visible text joined, for the "shown as text" checks."""
    for fragment in fragments:
        assert inert_problems(fragment) == [], fragment
    return " ".join(visible_text(f) for f in fragments)


def test_a_hostile_case_played_to_the_end_is_inert_and_shows_every_payload_as_text(hostile, store):
    case = hostile.case(CASE_ID)
    player = CasePlayer(CaseSession(case, store, "hostile-learner"), hostile.references)
    seen: list[str] = []

    def check() -> None:
        text = assert_inert(shown_html(player.widget))
        seen.append(text)
        assert player.session.stage.title in text  # a stage title with a payload, as text

    def submit(item_id: str, response: object) -> None:
        player.views[item_id].fill(response)
        player.submit_buttons[item_id].click()

    check()
    assert all(payload in seen[-1] for payload in PAYLOADS)  # markdown, headings, patient summary
    labels = [label for label, _ in player.views["fx-single"].input.options]
    assert all(PAYLOADS[3] in label for label in labels)  # option texts are labels: text, not markup
    submit("fx-single", "b")
    submit("fx-multi", ["a", "b"])
    check()
    assert f"B is wrong. {ALL}" in seen[-1]  # the rationale, payloads included, as text
    player.continue_button.click()
    check()
    player.views["fx-numeric"].fill(LEARNER_TEXT)  # not a number: the message echoes what the learner typed
    player.submit_buttons["fx-numeric"].click()
    assert inert_problems(player.boundary.message.value) == []
    assert LEARNER_TEXT in visible_text(player.boundary.message.value)
    submit("fx-numeric", "70")
    submit("fx-branch", "detour")
    check()
    assert all(payload in seen[-1] for payload in PAYLOADS)  # the working of the numeric answer (markdown)
    player.continue_button.click()
    submit("fx-reflect", LEARNER_TEXT)
    check()
    again = CasePlayer(CaseSession(case, store, "hostile-learner"), hostile.references)  # a reload
    assert again.views["fx-reflect"].input.value == LEARNER_TEXT  # a Textarea's value: text
    assert_inert(shown_html(again.widget))
    player.continue_button.click()
    submit("fx-last", "a")
    player.continue_button.click()
    check()
    assert player.session.state.completed


def test_jupyterlab_html_of_a_result_and_of_citations_is_inert(hostile):
    """What a notebook shows when it displays a GradeResult or a bibliography (JupyterLab renders both as HTML)."""
    case = hostile.case(CASE_ID)
    for item in case.items:
        response = {
            "fx-single": "a",
            "fx-multi": ["a"],
            "fx-numeric": "70",
            "fx-branch": "main",
            "fx-reflect": LEARNER_TEXT,
            "fx-last": "b",
        }[item.id]
        result = grade(item, response)
        text = assert_inert([result._repr_html_(), render.feedback(result, hostile.references)])
        assert PAYLOADS[0] in text
    cited = render.citation(hostile.references["fixture-source"], "fixture-source")
    assert ALL in assert_inert([cited])


def test_the_presenters_dashboard_and_a_live_session_titled_with_payloads_are_inert(hostile, store):
    dashboard = PresenterDashboard(hostile, LiveStore(store), environ=VOILA)
    assert dashboard.rehearse().startswith("Rehearsal: one poll revealed")
    assert dashboard.session.title == hostile.info.title and PAYLOADS[0] in dashboard.session.title
    texts = [assert_inert(shown_html(dashboard.widget))]
    dashboard.token_toggle.value = True
    for _ in dashboard.case.stages:  # every stage the presenter can put on the projector
        texts.append(assert_inert(shown_html(dashboard.widget)))
        dashboard.next_button.click()
    joined = " ".join(texts)
    assert all(stage.title in joined for stage in dashboard.case.stages)
    assert f"A is right. {ALL}" in joined  # the revealed answer's rationale, as text


def test_the_static_export_of_a_hostile_case_is_inert(hostile):
    output = static_html.render(hostile.case(CASE_ID), hostile.references, f"Disclaimer {ALL}")
    for name, data in output.files.items():
        page = data.decode("utf-8")
        assert inert_problems(page) == [], name
        assert all(payload in visible_text(page) for payload in PAYLOADS), name


def test_the_participant_page_puts_every_text_in_with_text_content():
    """Poll questions, choices and the session title reach a phone as JSON; the page's script must treat them as
    text. A static check of the script, beside the browser test that plays it."""
    script = (ROOT / "hnscc_edu" / "live" / "static" / "participant.js").read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        'setAttribute("on',
        "DOMParser",
    ):
        assert sink not in script, sink
    for shown in (
        '$("question").textContent = poll.question',
        "label.textContent = ",
        '$("session-title").textContent = ',
    ):
        assert shown in script


def test_the_real_course_holds_no_payload():
    real = load_course(ROOT)
    assert all(PAYLOADS[0] not in case.title for case in real.cases.values())
