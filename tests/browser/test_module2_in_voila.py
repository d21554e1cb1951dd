"""Layer 4: the module 2 notebook served by Voila on 127.0.0.1, driven in Debian's Chromium.

The module's cases share the page, each closed until the learner opens it, so every locator is scoped to one player
(``.hnscc-case-<case id>``). The learner opens the pseudoprogression case and walks it down its side branch (a surgical
referral on an unconfirmed progression), sees the consequence stage, and comes back to the main route; the other cases
stay where they were (opened afterwards, they start at their first stage), and neither the consequence stage nor the
map of the case reaches the browser before the learner does.
"""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.ui.module2_figures import MAP_WAITING
from tests.browser.walk import answer as _answer
from tests.browser.walk import continue_to, open_case, opener
from tests.browser.walk import stage_heading as heading
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT)
CASE = COURSE.case("salvage-pseudoprogression-08")
BRANCH_ITEM, BRANCH_OPTION = "sp08-week9", "b"  # "Stop pembrolizumab and refer for urgent salvage surgery ..."
OTHER_CASES = ("salvage-unresectable-06", "salvage-conversion-07", "salvage-perioperative-09")


def player(page, case_id: str = CASE.id):
    return page.locator(f".hnscc-case-{case_id}")


def test_walk_a_branch_to_its_consequence_and_back(voila, page):
    server = voila("02_salvage.ipynb", learner="browser-module2")
    first, week9 = CASE.stage(CASE.start), CASE.stage("week9")
    consequence, week15 = CASE.stage("consequence-surgery"), CASE.stage("week15")
    assert next(o for o in week9.items[0].options if o.id == BRANCH_OPTION).next_stage == consequence.id
    page.goto(server.url)
    figures = page.locator(f".hnscc-case-figures-{CASE.id}")
    figures.wait_for()
    assert "appear here when you finish" in figures.inner_text()  # the case is closed: its figures wait too
    case = open_case(page, CASE.id)
    assert page.title() == "Module 2: resectability and salvage surgery"
    assert "Education, not clinical advice" in case.locator(".hnscc-banner").inner_text()
    assert heading(case) == first.title
    sent = page.content()  # the whole DOM, hidden parts included
    assert consequence.title not in sent and week15.title not in sent  # later stages are not sent ...
    assert "The MDT pathway of the case: " + CASE.title not in sent  # ... nor the map that names them
    assert "appear here when you finish" in figures.inner_text()

    for item in first.items:
        answer(case, item)
    continue_to(case, week9.title)
    for item in week9.items:
        answer(case, item, BRANCH_OPTION if item.id == BRANCH_ITEM else None)
    assert "Not correct" in case.locator(f".hnscc-feedback-{BRANCH_ITEM}").inner_text()
    continue_to(case, consequence.title)  # the branch
    assert heading(case) == consequence.title

    for item in consequence.items:
        answer(case, item)
    continue_to(case, week15.title)  # and back on the main route
    assert heading(case) == week15.title
    text = case.inner_text()
    assert "Earlier: " + consequence.title in text and "Earlier: " + week9.title in text

    for other in OTHER_CASES:  # the other cases on the page stayed closed, and did not move
        assert player(page, other).count() == 0 and "Not started yet." in opener(page, other).inner_text()
        assert heading(open_case(page, other)) == COURSE.case(other).stage(COURSE.case(other).start).title
    assert MAP_WAITING[:40] in figures.inner_text()  # the case is not finished: still no map
    assert "Traceback" not in page.content()


def answer(scope, item, option_id: str | None = None) -> None:
    """Answer inside one player (the key, or the option named) and wait for the feedback."""
    _answer(scope, item, option_id=option_id)
    scope.locator(f".hnscc-feedback-{item.id} .hnscc-feedback").wait_for()
