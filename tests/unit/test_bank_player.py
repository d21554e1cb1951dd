"""The module self-check player only displays and calls the session: checked without a browser, through its real
callbacks, and ``show_module_check`` never shows a traceback."""

from __future__ import annotations

import pytest

from hnscc_edu.sessions.bank_session import BankSession
from hnscc_edu.store import Store
from hnscc_edu.ui.autoanswer import answer_self_check, self_check_summary
from hnscc_edu.ui.bank_player import BankPlayer
from tests.store.test_bank_session import BANK, CONTENT


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'bank.sqlite3'}")


def player(store, learner="bank-learner", profession=None):
    return BankPlayer(BankSession(BANK, store, learner, profession), CONTENT.references, profession)


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _text(shown) -> str:
    return " ".join(w.value for w in _walk(shown.widget) if isinstance(getattr(w, "value", None), str))


def test_title_disclaimer_and_questions_but_no_key_before_an_answer(store):
    shown = player(store)
    text = _text(shown)
    assert "Module self-check" in text and BANK.title in text and "Education, not clinical advice." in text
    assert all(f"stem-{item.id}" in text for item in BANK.items)
    assert "Right." not in text and "A is right." not in text and "Applies." not in text  # no rationale yet
    assert all(not feedback.value for feedback in shown.feedback.values())
    assert "0 of 4 questions answered" in shown.score_text.value and shown.restart_button.disabled


def test_submit_shows_feedback_and_the_score_and_a_reload_shows_them_again(store):
    shown = player(store)
    shown.views["fxb-1"].input.value = "b"
    shown.submit_buttons["fxb-1"].click()
    assert "Not correct" in shown.feedback["fxb-1"].value and "Wrong." in shown.feedback["fxb-1"].value
    assert shown.submit_buttons["fxb-1"].layout.display == "none" and shown.views["fxb-1"].input.disabled
    assert "1 of 4 questions answered; score 0 of 1" in shown.score_text.value
    again = player(store)  # what a Voila reload or a kernel restart does
    assert "Not correct" in again.feedback["fxb-1"].value
    assert again.views["fxb-1"].input.value == "b" and again.views["fxb-1"].input.disabled
    assert again.submit_buttons["fxb-1"].layout.display == "none"
    assert not again.feedback["fx-single"].value and not again.views["fx-single"].input.disabled


def test_nonsense_gets_a_plain_message_stores_nothing_and_keeps_what_was_typed(store):
    shown = player(store)
    shown.views["fx-numeric"].input.value = "about seventy"
    shown.submit_buttons["fx-numeric"].click()
    assert "Please type a number" in shown.boundary.message.value
    shown.submit_buttons["fx-single"].click()  # nothing chosen
    assert "Please choose one answer" in shown.boundary.message.value
    assert store.attempt_rows() == [] and not shown.feedback["fx-numeric"].value
    assert shown.views["fx-numeric"].input.value == "about seventy" and not shown.views["fx-numeric"].input.disabled
    shown.views["fx-numeric"].input.value = "70"
    shown.submit_buttons["fx-numeric"].click()
    assert shown.boundary.message.value == "" and "Correct" in shown.feedback["fx-numeric"].value


def test_start_again_clears_the_screen_and_keeps_the_record(store):
    shown = player(store)
    answer_self_check(shown)
    assert self_check_summary(shown) == "Self-check fixture-bank: 4 of 4 questions answered; score 4 of 4."
    assert "All answered" in shown.score_text.value and not shown.restart_button.disabled
    shown.restart_button.click()
    assert self_check_summary(shown) == "Self-check fixture-bank: 0 of 4 questions answered; score 0 of 0."
    assert all(not feedback.value for feedback in shown.feedback.values())
    assert len(store.attempt_rows()) == 4 and player(store).session.run == 2


def test_questions_for_the_learners_profession_are_named_as_such(store):
    item = BANK.items[0]
    profession = item.professions[0].value
    assert f"For you: {profession.replace('_', ' ')}" in player(store, profession=profession).views[item.id].stem.value
    assert "For you" not in player(store, profession="dentist").views[item.id].stem.value


@pytest.mark.parametrize(
    ("bank_id", "message"), [("no-such-bank", "There is no module item bank"), ("post-test", "not a module self-check")]
)
def test_a_missing_or_wrong_bank_gets_a_message_not_a_traceback(capsys, bank_id, message):
    from hnscc_edu.notebook import show_module_check

    assert show_module_check(bank_id, auto_answer=False) is None
    out = capsys.readouterr().out
    assert "cannot show the module self-check" in out and message in out and "Traceback" not in out


def test_an_unusable_store_gets_a_message_not_a_traceback(monkeypatch, tmp_path, capsys):
    from hnscc_edu.notebook import show_module_check

    monkeypatch.setenv("HNSCC_EDU_DB_URL", f"sqlite:///{tmp_path / 'no-such-folder' / 'x.sqlite3'}")
    shown = show_module_check("module2-bank", auto_answer=False)  # closed: the store is read when it is opened
    shown.button.click()
    assert shown.player is None and "cannot be opened" in shown.boundary.message.value
    assert "Traceback" not in shown.boundary.message.value + capsys.readouterr().out


def test_the_module_banks_play_in_auto_answer_mode(monkeypatch, tmp_path):
    from hnscc_edu.notebook import course, show_module_check

    monkeypatch.setenv("HNSCC_EDU_DB_URL", f"sqlite:///{tmp_path / 'auto.sqlite3'}")
    for bank in (b for b in course().banks.values() if b.purpose == "module"):
        shown = show_module_check(bank.id, auto_answer=True)
        assert shown is not None and shown.player is not None and shown.player.session.complete, bank.id


def test_a_nurse_sees_the_other_questions_as_optional_and_only_hers_count(store):
    """Issue 20 §2 in a self-check: the same rule as in the cases (rules.tailoring)."""
    shown = player(store, "nurse", profession="nurse")
    assert "For you: nurse" in shown.views["fxb-1"].stem.value
    assert all("Optional for you" in view.stem.value for item_id, view in shown.views.items() if item_id != "fxb-1")
    shown.views["fx-single"].input.value = "a"  # an optional question, answered correctly: kept, not counted
    shown.submit_buttons["fx-single"].click()
    assert "Correct" in shown.feedback["fx-single"].value
    assert "score 0 of 0 on the questions for you" in shown.score_text.value
    shown.views["fxb-1"].input.value = "b"
    shown.submit_buttons["fxb-1"].click()
    assert "2 of 4 questions answered; score 0 of 1 on the questions for you" in shown.score_text.value
