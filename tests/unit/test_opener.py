"""A case and a self-check stand closed on the page until the learner opens them (issue 19 §1): nothing of the player
is built before the click, the click builds it once, a problem leaves the box closed with a message, and a case
opened again after a reload shows the saved answers exactly as before. Checked through the real button callbacks."""

from __future__ import annotations

import logging

import ipywidgets as widgets
import pytest

from hnscc_edu.sessions.bank_session import BankSession
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store, StoreError
from hnscc_edu.ui.after_case import OPEN_TO_SEE, CaseFigures
from hnscc_edu.ui.autoanswer import answer_case, answer_self_check
from hnscc_edu.ui.bank_player import BankPlayer
from hnscc_edu.ui.case_player import CasePlayer
from hnscc_edu.ui.item_views import ItemView
from hnscc_edu.ui.opener import CASE_PROGRESS, CaseOpener, SelfCheckOpener
from tests.helpers import fixture_course
from tests.store.test_bank_session import BANK

CONTENT = fixture_course()
CASE = CONTENT.case("fixture-case")


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'opener.sqlite3'}")


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _texts(widget) -> str:
    return " ".join(w.value for w in _walk(widget) if isinstance(getattr(w, "value", None), str))


def _shown(widget):
    if getattr(getattr(widget, "layout", None), "display", None) == "none":
        return  # hidden (a Submit button once its answer is in)
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _shown(child)


def _state(player: CasePlayer | BankPlayer) -> list[tuple]:
    """What the learner sees in the player: every shown widget's value and whether it is locked, in screen order."""
    return [
        (type(w).__name__, getattr(w, "value", None), getattr(w, "disabled", None))
        for w in _shown(player.widget)
        if hasattr(w, "value") or hasattr(w, "disabled")
    ]


class Builds:
    """Counts the players built (a closed box must build none)."""

    def __init__(self, store, learner="opener-learner"):
        self.store, self.learner, self.count = store, learner, 0

    def __call__(self) -> CasePlayer:
        self.count += 1
        return CasePlayer(CaseSession(CASE, self.store, self.learner), CONTENT.references)


def test_a_closed_case_builds_nothing_of_its_player_until_the_learner_opens_it(store):
    build = Builds(store)
    opener = CaseOpener(CASE, build)
    shown = _texts(opener.widget)
    assert build.count == 0 and opener.player is None
    assert CASE.title in shown and CASE.patient.pseudonym in shown and CASE_PROGRESS[None] in shown
    first_stage = CASE.stage(CASE.start)
    assert first_stage.items[0].stem not in shown  # no question is sent before the case is opened
    assert not any(isinstance(w, widgets.RadioButtons | widgets.Checkbox) for w in _walk(opener.widget))

    opener.button.click()
    assert build.count == 1 and isinstance(opener.player, CasePlayer)
    assert opener.widget.children[0] is opener.player.widget  # the player stands where the box was
    assert f"hnscc-case-{CASE.id}" in opener.player.widget._dom_classes
    assert opener.button not in list(_walk(opener.widget))
    opener.button.click()  # a second click (a double click) builds nothing more
    assert build.count == 1


def test_a_case_opened_after_a_reload_shows_every_saved_answer_as_before(store):
    before = CaseOpener(CASE, Builds(store))
    before.open()
    player = before.player
    player.views["fx-single"].input.value = "b"  # a wrong answer, saved
    player.submit_buttons["fx-single"].click()
    seen = _state(player)
    assert "Not correct" in player.feedback["fx-single"].value

    after = CaseOpener(CASE, Builds(store), progress="started")  # what a reload shows: closed, with the progress
    assert CASE_PROGRESS["started"] in _texts(after.widget)
    after.open()
    assert _state(after.player) == seen
    assert after.player.views["fx-single"].input.value == "b" and after.player.views["fx-single"].input.disabled
    assert after.player.session.state == player.session.state


def test_a_problem_on_opening_leaves_the_box_closed_with_a_message_and_the_button_ready(store, caplog):
    attempts = []

    def flaky() -> CasePlayer:
        attempts.append(1)
        if len(attempts) == 1:
            raise StoreError("The course server cannot be reached just now; please try again in a moment.")
        if len(attempts) == 2:
            raise AttributeError("internal detail")
        return Builds(store)()

    opener = CaseOpener(CASE, flaky)
    assert opener.boundary.message not in opener.widget.children  # no empty message box on arrival
    opener.button.click()
    assert opener.player is None and "cannot be reached just now" in opener.boundary.message.value
    assert opener.boundary.message in opener.widget.children  # shown under the button
    assert not opener.button.disabled and opener.button.description == "Open this case"
    with caplog.at_level(logging.ERROR, logger="hnscc_edu.ui"):
        opener.button.click()
    assert opener.player is None and "Your saved answers are safe" in opener.boundary.message.value
    assert "internal detail" not in opener.boundary.message.value and "internal detail" in caplog.text
    opener.button.click()
    assert opener.player is not None and opener.boundary.message.value == ""


def test_the_case_figures_follow_a_case_opened_later(store):
    finished = Builds(store, "figures-learner")()
    answer_case(finished)  # finished earlier (another visit)
    opener = CaseOpener(CASE, Builds(store, "figures-learner"), progress="finished")
    figures = CaseFigures(opener, lambda case: [])
    assert OPEN_TO_SEE in figures.note.value and figures.player is None
    opener.button.click()
    assert figures.player is opener.player and figures.note.value == ""  # drawn for the finished case


def test_the_auto_answer_driver_opens_the_case_through_its_button(store):
    build = Builds(store, "driver")
    opener = CaseOpener(CASE, build)
    player = answer_case(opener)
    assert build.count == 1 and opener.player is player and player.session.state.completed


def test_a_self_check_stands_closed_until_opened_and_resumes(store):
    def build() -> BankPlayer:
        return BankPlayer(BankSession(BANK, store, "bank-learner"), CONTENT.references)

    opener = SelfCheckOpener(BANK, build)
    assert BANK.title in _texts(opener.widget) and opener.player is None
    assert not any(isinstance(w, ItemView) for w in _walk(opener.widget))
    answer_self_check(opener)
    seen = _state(opener.player)
    again = SelfCheckOpener(BANK, build)  # a reload
    again.button.click()
    assert _state(again.player) == seen and again.player.session.progress() == opener.player.session.progress()
