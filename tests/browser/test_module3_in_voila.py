"""Layer 4: the module 3 notebook in Voila, driven in Debian's Chromium.

Every module 3 case shares the page, each closed until the learner opens it, so every locator is scoped to the
first-line case's player (``.hnscc-case-systemic-first-line-10``). The learner opens it and walks one branch: chooses a first line
that is not the key (pembrolizumab with chemotherapy), sees that road's consequence stage (and no other road's), and
returns to the common debrief. The figures are drawn, each with its text alternative.
"""

from __future__ import annotations

import re

import pytest

from hnscc_edu.content.course import load_course
from tests.browser.walk import answer, choose_branch, continue_to, feedback_text, open_case, opener, walk_to_item
from tests.browser.walk import stage_heading as current_heading
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

CASE = load_course(ROOT).case("systemic-first-line-10")
BRANCH_ITEM = "sf10-first-line"
CHOSEN = "consequence-combo"  # option b: pembrolizumab with carboplatin and 5-FU
COMMON = "debrief"


def test_one_branch_of_the_first_line_case_and_back_to_the_debrief(voila, page):
    server = voila("03_systemic.ipynb", learner="browser-module3")
    page.goto(server.url)
    opener(page, CASE.id).wait_for()
    assert page.title() == "Module 3: systemic sequencing, biomarkers and trials"
    assert page.locator(".hnscc-case-opener").count() == len(
        [c for c in load_course(ROOT).cases.values() if c.module == 3]
    )
    assert page.locator(".hnscc-case-player").count() == 0  # nothing of a case is drawn before it is opened
    # the cells of the automatic test run are on the page but show nothing to a learner
    test_run = page.locator(".celltag_test-run")
    assert test_run.count() > 0 and not any(cell.is_visible() for cell in test_run.all())
    player = open_case(page, CASE.id)
    assert "Education, not clinical advice" in player.locator(".hnscc-banner").inner_text()
    assert current_heading(player) == CASE.stage(CASE.start).title
    roads = {stage.id: stage.title for stage in CASE.stages if stage.id.startswith("consequence-")}
    assert len(roads) == 3
    assert not any(title in page.content() for title in roads.values())  # no road is sent before it is chosen

    # The common stages up to the choice, answered with their keys.
    stage = walk_to_item(player, CASE, BRANCH_ITEM)

    # The branch: choose pembrolizumab with chemotherapy (a defensible option, not the key).
    branch = next(item for item in stage.items if item.id == BRANCH_ITEM)
    choose_branch(player, branch, CHOSEN)
    assert "Not correct" in feedback_text(player, branch)
    continue_to(player, roads[CHOSEN])

    # Its consequence stage, and only its own.
    assert current_heading(player) == roads[CHOSEN]
    content = page.content()
    assert all(title not in content for stage_id, title in roads.items() if stage_id != CHOSEN)
    consequence = CASE.stage(CHOSEN)
    for item in consequence.items:
        answer(player, item)
        feedback_text(player, item)

    # Back to the common debrief, with the road taken in the history.
    assert consequence.next == COMMON
    continue_to(player, CASE.stage(COMMON).title)
    text = player.inner_text()
    assert "Earlier: " + roads[CHOSEN] in text
    assert all("Earlier: " + title not in text for stage_id, title in roads.items() if stage_id != CHOSEN)
    assert "Traceback" not in page.content()

    # The other cases on the page were not touched by this walk: opened now, they start at their first stage.
    other = open_case(page, "systemic-later-lines-11")
    assert current_heading(other) == load_course(ROOT).case("systemic-later-lines-11").stages[0].title


def test_the_module_figures_are_drawn_with_their_text_alternatives(voila, page):
    server = voila("03_systemic.ipynb", learner="browser-module3-figures")
    page.goto(server.url)
    page.locator(".hnscc-opener-module3-bank").wait_for()  # the last output: the page has run through
    alternatives = page.locator(".hnscc-figure-text")
    alternatives.nth(1).wait_for()
    texts = [alternatives.nth(n).inner_text() for n in range(alternatives.count())]
    assert any("Figure: KEYNOTE-048: overall survival hazard ratio" in t for t in texts)
    assert any("Figure: KEYNOTE-048: overall survival at 5 years" in t and "19.9%" in t for t in texts)
    # The patient's swimlane would answer the later-lines case: until the case is finished only a note stands there.
    assert not any("Ferreira-Lindahl" in t for t in texts)
    assert "Ferreira-Lindahl" not in page.content() or "iCPD" not in page.content()
    assert "appear here when you finish it" in page.locator(".hnscc-case-figures-systemic-later-lines-11").inner_text()
    # The module figures are drawn when asked for (issue 19): none on arrival, both once their buttons are pressed.
    assert page.locator(".js-plotly-plot").count() == 0
    buttons = page.locator("button.hnscc-show-figure")
    assert buttons.count() == 2
    for n in range(2):
        buttons.nth(n).click()
    page.locator(".js-plotly-plot").nth(1).wait_for()
    assert [buttons.nth(n).inner_text() for n in range(2)] == ["Hide the figure"] * 2
    outside_players = (
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".filter(e => !e.closest('.hnscc-case-player') && !e.closest('.hnscc-case-figures')).length"
    )
    assert page.evaluate(outside_players) == 2  # the calculators inside the cases draw their own
    # The drawn forest plot reads as people read hazard ratios (issue 20 §3): its log axis labels 0.5, 0.7, 1, 1.5,
    # and no label is a bare exponent or a long decimal.
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.textContent"
        ".includes('overall survival hazard ratio')).flatMap(p => [...p.querySelectorAll("
        "'.xtick text')].map(t => t.textContent))"
    )
    assert {"0.5", "0.7", "1", "1.5"} <= set(ticks), ticks
    assert all(re.fullmatch(r"\d+(\.\d)?", t) for t in ticks), ticks
