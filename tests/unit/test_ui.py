"""The widgets only display and call the engine: checked here without a browser, through their real callbacks."""

import logging

import pytest

from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from hnscc_edu.ui.autoanswer import answer_case, case_summary
from hnscc_edu.ui.case_player import CasePlayer
from hnscc_edu.ui.errors import ErrorBoundary
from tests.helpers import fixture_course

CONTENT = fixture_course()


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'ui.sqlite3'}")


def player(store, learner="ui-learner"):
    return CasePlayer(CaseSession(CONTENT.case("fixture-case"), store, learner), CONTENT.references)


def test_later_stages_are_not_in_the_widgets_before_they_are_reached(store):
    shown = player(store)
    html = " ".join(getattr(w, "value", "") for w in _walk(shown.widget) if isinstance(getattr(w, "value", None), str))
    assert "visible first" in html and "SECRET-PLAN" not in html and "FINAL" not in html
    assert "A is right." not in html  # no rationale before an answer


def test_nonsense_gets_a_message_and_stores_nothing(store):
    shown = player(store)
    shown.submit_buttons["fx-single"].click()  # nothing chosen
    assert "Please choose one answer" in shown.boundary.message.value
    assert store.attempt_rows() == []


def test_submit_shows_feedback_and_a_reload_shows_it_again(store):
    shown = player(store)
    shown.views["fx-single"].input.value = "b"
    shown.submit_buttons["fx-single"].click()
    assert "Not correct" in shown.feedback["fx-single"].value and "B is wrong." in shown.feedback["fx-single"].value
    again = player(store)  # what a Voila reload or a kernel restart does
    assert "Not correct" in again.feedback["fx-single"].value
    assert again.views["fx-single"].input.value == "b" and again.views["fx-single"].input.disabled


def test_auto_answer_walks_the_key_route_to_the_end(store):
    shown = player(store)
    answer_case(shown)
    assert shown.session.state.completed and shown.session.state.path == ("history", "plan", "end")
    assert case_summary(shown) == (
        "Case fixture-case: complete; 5 of 6 questions answered on a path of 3 stages; score 5 of 5."
    )
    assert player(store).session.state.completed


def _texts(widget) -> str:
    return " ".join(getattr(w, "value", "") for w in _walk(widget) if isinstance(getattr(w, "value", None), str))


def test_a_nurse_sees_other_professions_questions_as_optional_and_can_hide_them(store):
    """Issue 20 §2: shown and answerable, marked optional, not required to continue, not counted; switchable."""
    shown = CasePlayer(CaseSession(CONTENT.case("fixture-case"), store, "nurse", "nurse"), CONTENT.references, "nurse")
    assert shown.show_optional.layout.display != "none" and shown.show_optional.value
    assert "Optional for you: written for radiation oncologist" in shown.views["fx-single"].stem.value
    assert not shown.continue_button.disabled  # nothing in the first stage is written for nurses
    shown.views["fx-single"].input.value = "a"  # answerable all the same
    shown.submit_buttons["fx-single"].click()
    assert "Correct" in shown.feedback["fx-single"].value
    shown.show_optional.value = False
    assert "fx-multi" not in shown.views and "fx-single" in shown.views  # the answered one stays on screen
    shown.show_optional.value = True
    assert "fx-multi" in shown.views
    shown.continue_button.click()
    shown.continue_button.click()
    assert shown.session.state.current == "end" and shown.continue_button.disabled  # fx-last is hers
    assert "For you: nurse" in shown.views["fx-last"].stem.value
    shown.views["fx-last"].input.value = "a"
    shown.submit_buttons["fx-last"].click()
    shown.continue_button.click()
    done = _texts(shown.widget)
    assert "You scored 1 of 1 on the questions for you" in done
    assert "You also answered 1 optional question written for other professions; they are not counted" in done
    assert case_summary(shown).endswith("score 1 of 1 (1 optional, not counted).")


def test_without_tailoring_the_optional_switch_is_not_offered(store):
    shown = player(store)
    assert shown.show_optional.layout.display == "none"
    assert "Optional for you" not in _texts(shown.widget)


def test_an_unforeseen_error_shows_a_friendly_message_and_is_logged(caplog):
    boundary = ErrorBoundary()

    def broken(_button=None):
        raise KeyError("internal detail")

    with caplog.at_level(logging.ERROR, logger="hnscc_edu.ui"):
        boundary.wrap(broken)()
    assert "Your saved answers are safe" in boundary.message.value
    assert "internal detail" not in boundary.message.value
    assert "internal detail" in caplog.text


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_an_unknown_case_gets_a_message_not_a_traceback(capsys):
    from hnscc_edu.notebook import show_case

    assert show_case("no-such-case") is None
    out = capsys.readouterr().out
    assert "There is no case" in out and "no-such-case" in out


def test_a_branch_choice_shows_its_consequence_then_returns(store):
    shown = player(store, "branch-learner")
    shown.views["fx-single"].input.value = "a"
    shown.submit_buttons["fx-single"].click()
    shown.views["fx-multi"].boxes[0].value = True
    shown.submit_buttons["fx-multi"].click()
    shown.continue_button.click()
    shown.views["fx-numeric"].input.value = "70"
    shown.submit_buttons["fx-numeric"].click()
    shown.views["fx-branch"].input.value = "detour"
    shown.submit_buttons["fx-branch"].click()
    shown.continue_button.click()
    assert shown.session.state.current == "detour" and "consequence of the detour" in _text(shown)
    shown.views["fx-reflect"].input.value = "Next time I take the main road."
    shown.submit_buttons["fx-reflect"].click()
    shown.continue_button.click()
    assert shown.session.state.path == ("history", "plan", "detour", "end")
    assert player(store, "branch-learner").session.state.path == ("history", "plan", "detour", "end")


def _text(shown) -> str:
    return " ".join(w.value for w in _walk(shown.widget) if isinstance(getattr(w, "value", None), str))


@pytest.fixture
def course_service(tmp_path, monkeypatch):
    """The real course in a course service (a thread of this process) on a fresh store; this process is the learner's
    kernel: it gets the service's address and credentials, and no database address."""
    from hnscc_edu.content.course import load_course
    from hnscc_edu.service import CourseService
    from tests.helpers import ROOT
    from tests.service_harness import ThreadedService

    threaded = ThreadedService(CourseService(f"sqlite:///{tmp_path / 'service.sqlite3'}", content=load_course(ROOT)))
    for name, value in threaded.env("kernel-learner").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HNSCC_EDU_DB_URL", raising=False)
    yield threaded
    threaded.stop()


def test_a_case_without_a_course_server_gets_a_message_not_a_traceback(monkeypatch, capsys):
    from hnscc_edu.notebook import show_case

    monkeypatch.delenv("HNSCC_EDU_SERVICE_URL", raising=False)
    assert show_case("reirr-candidacy-01", auto_answer=False) is None
    out = capsys.readouterr().out
    assert "not connected to a course server" in out and "Traceback" not in out


def test_an_unusable_store_of_the_service_gets_a_message_not_a_traceback(course_service, tmp_path, capsys):
    from hnscc_edu.notebook import show_case

    course_service.service.url = f"sqlite:///{tmp_path / 'no-such-folder' / 'x.sqlite3'}"
    assert show_case("reirr-candidacy-01", auto_answer=False) is None
    out = capsys.readouterr().out
    assert "cannot be opened" in out and "Traceback" not in out


def test_a_case_opens_only_after_the_activity_information_is_acknowledged(course_service, capsys):
    """Issue 16 section 2: disclosures before content. Before the acknowledgement the page says why and links to the
    start page; the service refuses the case's record as well, to a caller that skips the page."""
    from hnscc_edu.notebook import show_case
    from hnscc_edu.service.client import ServiceRefused

    assert show_case("reirr-candidacy-01", auto_answer=False) is None
    out = capsys.readouterr().out
    assert "opens after the activity information" in out and 'href="00_start_here.ipynb"' in out
    assert "Synthetic patient" not in out
    client = course_service.client("kernel-learner")
    for call in (
        lambda: client.case("reirr-candidacy-01"),
        lambda: client.case_action("reirr-candidacy-01", "answer", item_id="x", response="a"),
    ):
        with pytest.raises(ServiceRefused, match="acknowledge") as refused:
            call()
        assert refused.value.code == "not_acknowledged"
    client.path("acknowledge", profession="nurse", degree="RN")
    shown = show_case("reirr-candidacy-01", auto_answer=True)
    assert shown is not None and shown.player is not None and shown.player.session.state.completed
    assert "reirr-candidacy-01" in course_service.service.store.completed_cases("kernel-learner")


def test_a_fault_while_building_the_case_is_logged_and_explained(course_service, monkeypatch, capsys, caplog):
    from hnscc_edu import notebook

    course_service.client("kernel-learner").path("acknowledge", profession="nurse", degree="RN")

    def broken(*_args, **_kwargs):
        raise AttributeError("widget bug")

    monkeypatch.setattr(notebook, "CasePlayer", broken)
    shown = notebook.show_case("reirr-candidacy-01", auto_answer=False)  # closed: nothing of the player built yet
    with caplog.at_level(logging.ERROR, logger="hnscc_edu.ui"):
        shown.button.click()  # the learner opens it
    assert shown.player is None and not shown.button.disabled  # still closed, ready for another try
    message = shown.boundary.message.value
    assert "Your saved answers are safe" in message and "widget bug" not in message and "widget bug" in caplog.text


def test_a_stage_shows_its_calculator_preloaded_and_only_while_it_is_current(store):
    shown = player(store, "calculator-learner")
    assert not any("hnscc-calculator" in w._dom_classes for w in _walk(shown.widget))  # stage 1 has none
    shown.views["fx-single"].input.value = "a"
    shown.submit_buttons["fx-single"].click()
    shown.views["fx-multi"].boxes[0].value = True
    shown.submit_buttons["fx-multi"].click()
    shown.continue_button.click()
    calculators = [w for w in _walk(shown.widget) if "hnscc-calculator-cumulative-dose" in w._dom_classes]
    assert len(calculators) == 1
    # 45 Gy/25 fx + 20 Gy/10 fx at α/β 2 with 25% recovery: 0.75 x 42.75 + 20 = 52.06 Gy
    assert "52.06 Gy" in _text(shown)
    shown.views["fx-numeric"].input.value = "70"
    shown.submit_buttons["fx-numeric"].click()
    shown.views["fx-branch"].input.value = "main"
    shown.submit_buttons["fx-branch"].click()
    shown.continue_button.click()
    assert not any("hnscc-calculator" in w._dom_classes for w in _walk(shown.widget))  # history is read-only


def test_questions_for_the_learners_profession_are_named_as_such(store):
    from hnscc_edu.rules.learner_path import chosen_profession

    events = [("acknowledged", None, {"profession": "nurse", "degree": "RN"})]
    assert chosen_profession(events) == "nurse" and chosen_profession([]) is None
    item = CONTENT.case("fixture-case").stages[0].items[0]
    profession = item.professions[0].value
    shown = CasePlayer(
        CaseSession(CONTENT.case("fixture-case"), store, "nurse-learner"), CONTENT.references, profession
    )
    assert f"For you: {profession.replace('_', ' ')}" in shown.views[item.id].stem.value
    other = next(p for p in ("dentist", "pharmacist", "dietitian") if p not in {x.value for x in item.professions})
    plain = CasePlayer(CaseSession(CONTENT.case("fixture-case"), store, "other-learner"), CONTENT.references, other)
    assert "For you" not in plain.views[item.id].stem.value


def test_a_double_click_on_continue_moves_one_stage(store):
    """Both clicks of a double click reach the kernel; the second arrives after the first has moved on."""
    shown = player(store, "double-clicker")
    shown.views["fx-single"].input.value = "a"
    shown.submit_buttons["fx-single"].click()
    shown.views["fx-multi"].boxes[0].value = True
    shown.submit_buttons["fx-multi"].click()
    pressed = shown.continue_button
    pressed.click()
    pressed.click()  # the same button again: the stage it belonged to is gone
    assert shown.session.state.path == ("history", "plan")
    assert shown.boundary.message.value == ""  # no "answer the open questions" message either
    assert store.case_history("double-clicker", "fixture-case").moves == 1


def test_earlier_stages_fold_under_a_button_the_keyboard_can_reach(store):
    shown = player(store, "folder")
    answer_case(shown)
    toggles = [w for w in _walk(shown.widget) if "hnscc-earlier-toggle" in getattr(w, "_dom_classes", ())]
    assert [t.description for t in toggles] == ["Earlier: " + s.title for s in CONTENT.case("fixture-case").stages[:2]]
    stage_box = next(w for w in _walk(shown.widget) if "hnscc-earlier-stage" in getattr(w, "_dom_classes", ()))
    assert stage_box.layout.display == "none"
    toggles[0].value = True  # what Space or Enter on the button does
    assert stage_box.layout.display is None
