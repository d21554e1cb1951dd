"""Layer 4: the module 2 self-check, served by Voila on 127.0.0.1 and driven in Debian's Chromium.

The learner opens the self-check at the end of the module 2 notebook, answers one question and sees its feedback;
the page is reloaded (a new kernel), the self-check opened again, and the stored answer comes back, locked, with its
feedback and the running score. Before the answer, none of the question's rationales is in the page. Every locator is
scoped to the self-check's player (``.hnscc-bank-module2-bank``): the module's cases share the page.
"""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import SingleBestAnswer
from tests.browser.walk import answer, feedback_text, open_self_check, opener
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

BANK = load_course(ROOT).banks["module2-bank"]
ITEM = next(item for item in BANK.items if isinstance(item, SingleBestAnswer))
WRONG = next(option for option in ITEM.options if not option.correct)


def test_answer_a_self_check_question_reload_and_see_it_kept(voila, page):
    server = voila("02_salvage.ipynb", learner="browser-module-check")
    page.goto(server.url)
    closed = opener(page, BANK.id)
    closed.wait_for()
    assert BANK.title in closed.inner_text() and ITEM.stem[:40] not in page.content()  # no question before it opens
    check = open_self_check(page, BANK.id)
    assert "Education, not clinical advice" in check.locator(".hnscc-banner").inner_text()
    assert "Module self-check" in check.inner_text() and BANK.title in check.inner_text()
    sent = page.content()  # the whole DOM, hidden parts included
    assert all(option.rationale[:60] not in sent for option in ITEM.options)  # no feedback before an answer

    answer(check, ITEM, option_id=WRONG.id)
    text = feedback_text(check, ITEM)
    assert "Not correct" in text and "Evidence:" in text and "Sources:" in text
    assert f"1 of {len(BANK.items)} questions answered" in check.locator(".hnscc-bank-score").inner_text()

    page.reload()
    open_self_check(page, BANK.id)
    assert feedback_text(check, ITEM) == text  # the stored answer's feedback, as it was
    chosen = check.locator(f".hnscc-input-{ITEM.id} label:has(input:checked)")
    assert chosen.inner_text().strip() == WRONG.text
    assert check.locator(f".hnscc-input-{ITEM.id} input:checked").is_disabled()
    assert check.locator(f".hnscc-submit-{ITEM.id}").is_hidden()
    assert f"1 of {len(BANK.items)} questions answered" in check.locator(".hnscc-bank-score").inner_text()
    assert "Traceback" not in page.content()
