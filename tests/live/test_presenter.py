"""The presenter's dashboard without a browser, through its real widget callbacks; participants vote through the
store as the live-poll handlers do."""

from __future__ import annotations

import logging
import re

import pytest

from hnscc_edu.store import Store
from hnscc_edu.store.live import LiveStore
from hnscc_edu.ui.presenter import PresenterDashboard, qr_svg, rehearsal_votes
from tests.helpers import fixture_course

CONTENT = fixture_course()
VOILA = {"VOILA_REQUEST_URL": "http://10.0.0.5:8866/voila/render/live_presenter.ipynb", "VOILA_BASE_URL": "/"}


@pytest.fixture
def live(tmp_path):
    return LiveStore(Store(f"sqlite:///{tmp_path / 'presenter.sqlite3'}"))


@pytest.fixture
def dashboard(live):
    return PresenterDashboard(CONTENT, live, environ=VOILA)


def started(dashboard):
    dashboard.start_button.click()
    assert not dashboard.boundary.message.value
    return dashboard.session.code


def votes(dashboard, *choices):
    for n, choice in enumerate(choices):
        dashboard.live.vote(dashboard.session.code, dashboard.poll.id, f"participant-{n:03d}", choice)


def test_a_session_shows_its_code_join_address_and_qr_code_but_not_its_token(dashboard):
    code = started(dashboard)
    shown = dashboard.session_html.value
    assert code in shown and f"http://10.0.0.5:8866/hnscc/live/{code}" in shown
    assert "hnscc-live-address-warning" not in shown  # phones can reach 10.0.0.5
    assert "<svg" in shown and 'role="img"' in shown and "QR code of the join address" in shown
    assert dashboard.token not in shown and not dashboard.token_html.value  # off the projector by default
    dashboard.token_toggle.value = True
    assert dashboard.token in dashboard.token_html.value
    dashboard.token_toggle.value = False
    assert not dashboard.token_html.value


def test_the_projector_link_appears_with_a_session_and_keeps_the_token_in_its_fragment(dashboard, live):
    """Issue 20 §5: "Open the projector view" opens the room's screen in a new tab; the token travels in the URL
    fragment (never sent to a server) and is not in the link's text."""
    assert not dashboard.projector_html.value  # no session, no link
    code = started(dashboard)
    shown = dashboard.projector_html.value
    href = re.search(r'href="([^"]+)"', shown).group(1)
    assert href == f"/hnscc/live/{code}/projector#token={dashboard.token}" and 'target="_blank"' in shown
    assert "Open the projector view" in shown and dashboard.token not in re.sub(r"<[^>]+>", "", shown)
    # a resumed session gets its own link; a hub's base URL is kept
    session, token = live.create_session("Earlier")
    dashboard.environ = {**VOILA, "VOILA_BASE_URL": "/user/ana/"}
    dashboard.resume_code.value, dashboard.resume_token.value = session.code, token
    dashboard.resume_button.click()
    assert f'href="/user/ana/hnscc/live/{session.code}/projector#token={token}"' in dashboard.projector_html.value


def test_the_case_steps_stage_by_stage_and_only_single_best_answer_items_poll(dashboard):
    assert dashboard.case.id == "fixture-case" and "visible first" in dashboard.stage_html.value
    assert dashboard.previous_button.disabled and dashboard.item_picker.options == (
        ("Question 1: Pick the key.", "fx-single"),
    )
    assert "SECRET-PLAN" not in dashboard.stage_html.value
    dashboard.next_button.click()
    assert "SECRET-PLAN" in dashboard.stage_html.value and dashboard.item_picker.value == "fx-branch"
    dashboard.next_button.click()
    dashboard.next_button.click()
    assert dashboard.next_button.disabled
    dashboard.previous_button.click()
    assert not dashboard.next_button.disabled


def test_poll_buttons_follow_the_state(dashboard):
    assert dashboard.open_pre_button.disabled  # no session yet
    started(dashboard)
    assert not dashboard.open_pre_button.disabled and dashboard.lock_button.disabled
    dashboard.open_pre_button.click()
    assert dashboard.ticker.playing  # the count refreshes only while votes can change it
    assert not dashboard.lock_button.disabled and not dashboard.reveal_button.disabled
    dashboard.lock_button.click()
    assert not dashboard.ticker.playing and dashboard.lock_button.disabled and not dashboard.reveal_button.disabled
    dashboard.reveal_button.click()
    assert dashboard.reveal_button.disabled and not dashboard.reset_button.disabled


def test_live_count_lock_reveal_histogram_and_answer(dashboard, live):
    started(dashboard)
    dashboard.open_pre_button.click()
    assert "0</strong> responses" in dashboard.status_html.value
    votes(dashboard, "a", "b", "a")
    dashboard.ticker.value += 1  # what the browser's timer does
    assert "is open: <strong>3</strong> responses" in dashboard.status_html.value
    assert not dashboard.figure.outputs and not dashboard.result_html.value  # nothing before the reveal
    dashboard.lock_button.click()
    with pytest.raises(Exception, match="locked"):
        votes(dashboard, "b")
    dashboard.reveal_button.click()
    figure = dashboard.figure.outputs[0]["data"]
    assert figure["application/vnd.plotly.v1+json"]["data"][0]["x"] == [2, 1]
    table = dashboard.figure_text.value
    assert "<table" in table and "<td>2</td>" in table and "<td>1</td>" in table and "correct" in table
    answer = dashboard.result_html.value
    assert "A. Key (✔ correct answer)" in answer and "B. Distractor (✘ not the best answer)" in answer
    assert "A is right." in answer and "B is wrong." in answer and "Evidence:" in answer and "Sources:" in answer


def test_no_histogram_below_the_minimum(dashboard):
    started(dashboard)
    dashboard.min_votes.value = 4
    assert dashboard.live.session(dashboard.session.code).min_votes == 4  # stored with the session
    dashboard.open_pre_button.click()
    votes(dashboard, "a", "b", "a")
    dashboard.reveal_button.click()
    assert not dashboard.figure.outputs and not dashboard.figure_text.value
    assert "Only 3 votes: the histogram shows from 4 votes" in dashboard.result_html.value
    assert "✔ correct answer" in dashboard.result_html.value  # the answer and rationale still show


def test_before_and_after_discussion_side_by_side(dashboard):
    started(dashboard)
    dashboard.open_pre_button.click()
    votes(dashboard, "b", "b", "a")
    dashboard.reveal_button.click()
    assert not dashboard.compare_figure.outputs  # no partner yet
    dashboard.open_post_button.click()
    assert dashboard.poll.phase == "post" and not dashboard.figure.outputs  # a new poll starts hidden
    votes(dashboard, "a", "a", "a", "b")
    dashboard.reveal_button.click()
    data = dashboard.compare_figure.outputs[0]["data"]["application/vnd.plotly.v1+json"]["data"]
    assert [trace["name"] for trace in data] == ["Before discussion (3 votes)", "After discussion (4 votes)"]
    text = dashboard.compare_text.value
    assert "from 33% before discussion to 75% after (+42 points)" in text and "<table" in text


def test_reset_empties_and_reopens_the_poll(dashboard):
    started(dashboard)
    dashboard.open_pre_button.click()
    votes(dashboard, "a", "a", "b")
    dashboard.reveal_button.click()
    dashboard.reset_button.click()
    assert "is open: <strong>0</strong> responses" in dashboard.status_html.value and not dashboard.figure.outputs
    assert dashboard.ticker.playing


def test_resume_needs_the_right_token_and_finds_the_current_poll(dashboard, live):
    started(dashboard)
    dashboard.open_pre_button.click()
    votes(dashboard, "a")
    code, token, poll = dashboard.session.code, dashboard.token, dashboard.poll.id
    again = PresenterDashboard(CONTENT, live, environ=VOILA)  # a reload: a new kernel, a new dashboard
    again.resume_code.value, again.resume_token.value = code.lower(), "not-the-token"
    again.resume_button.click()
    assert "does not belong to this session" in again.boundary.message.value and again.session is None
    again.resume_token.value = token
    again.resume_button.click()
    assert not again.boundary.message.value and again.poll.id == poll and again.resume_token.value == ""
    assert "is open: <strong>1</strong> response." in again.status_html.value


def test_refusals_show_a_message_not_a_traceback(dashboard, caplog):
    dashboard.lock_button.disabled = False
    dashboard.lock_button.click()
    assert "Start a live session first" in dashboard.boundary.message.value
    started(dashboard)
    dashboard.lock_button.click()
    assert "Open a poll first" in dashboard.boundary.message.value
    dashboard.open_pre_button.click()
    dashboard.reveal_button.click()
    dashboard.reveal_button.click()  # a second click (another tab, a double click)
    assert "already revealed" in dashboard.boundary.message.value
    dashboard.live = None  # an unforeseen fault
    with caplog.at_level(logging.ERROR, logger="hnscc_edu.ui"):
        dashboard.refresh_button.click()
    assert "Sorry, something went wrong" in dashboard.boundary.message.value
    assert "Traceback" not in dashboard.boundary.message.value and "AttributeError" in caplog.text


def test_rehearsal_runs_headless_and_is_deterministic(dashboard):
    assert dashboard.rehearse() == "Rehearsal: one poll revealed; 5 votes counted; histogram shown (minimum 3)."
    item = CONTENT.case("fixture-case").stages[0].items[0]
    assert rehearsal_votes(item, 6) == {
        "rehearsal-000": "a",
        "rehearsal-001": "a",
        "rehearsal-002": "b",
        "rehearsal-003": "a",
        "rehearsal-004": "a",
        "rehearsal-005": "b",
    }


def test_the_qr_code_is_drawn_offline_as_svg():
    svg = qr_svg("http://10.0.0.5:8866/hnscc/live/ACD347")
    assert svg.count("<svg") == 1 and "http" not in svg.split("<svg", 1)[1].split(">", 1)[0]


def test_a_localhost_join_address_is_pointed_out_on_the_dashboard(dashboard):
    dashboard.environ = {
        "VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/live_presenter.ipynb",
        "VOILA_BASE_URL": "/",
    }
    started(dashboard)
    shown = dashboard.session_html.value
    assert "hnscc-live-address-warning" in shown and "Phones cannot reach 127.0.0.1" in shown
