"""Layer 4: a case added by the December 2026 review in each module that gained one (modules 2 and 3), walked in
Voila on 127.0.0.1 in Debian's Chromium from the first stage to "Finish the case".

Module 2: transoral robotic salvage of an HPV-positive recurrence (``salvage-tors-hpv-16``); once it is finished,
its map appears under it. Module 3: the patients the trials left out (``systemic-special-populations-15``), with its
key-feature items on immune-related adverse events. Module 1 gained no case (the issue keeps it as it is, apart from
its corrections): its walk reaches the corrected AIRO volume teaching of the first case instead.
"""

from __future__ import annotations

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.timing import case_path
from tests.browser.walk import answer, continue_to, feedback_text, open_case, walk_to_item
from tests.browser.walk import stage_heading as heading
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

COURSE = load_course(ROOT)


def walk_whole_case(page, case) -> None:
    """Open the case, answer every stage of its path with its keys, then finish it."""
    player = open_case(page, case.id)
    assert heading(player) == case.stage(case.start).title
    assert "Education, not clinical advice" in player.locator(".hnscc-banner").inner_text()
    path = case_path(case)
    for n, stage in enumerate(path):
        if n:
            continue_to(player, stage.title)
        for item in stage.items:
            answer(player, item)
            text = feedback_text(player, item)
            assert "Correct" in text and "Evidence:" in text, text
    player.locator("button.hnscc-continue", has_text="Finish the case").click()
    player.locator(".hnscc-complete").wait_for()
    assert "Traceback" not in page.content()


def test_module2_new_case_transoral_salvage(voila, page):
    case = COURSE.case("salvage-tors-hpv-16")
    server = voila("02_salvage.ipynb", learner="browser-new-case-2")
    page.goto(server.url)
    figures = page.locator(f".hnscc-case-figures-{case.id}")
    figures.wait_for()
    assert "appear here when you finish" in figures.inner_text()
    walk_whole_case(page, case)
    page.locator(f".hnscc-case-figures-{case.id} .hnscc-figure-text").first.wait_for()
    assert "The MDT pathway of the case: " + case.title in figures.inner_text()


def test_module3_new_case_special_populations(voila, page):
    case = COURSE.case("systemic-special-populations-15")
    server = voila("03_systemic.ipynb", learner="browser-new-case-3")
    page.goto(server.url)
    walk_whole_case(page, case)
    # the other cases on the page did not move: opened now, they start at their first stage
    other = open_case(page, "systemic-regimens-16")
    assert heading(other) == COURSE.case("systemic-regimens-16").stage(COURSE.case("systemic-regimens-16").start).title


def test_module1_corrected_volume_teaching(voila, page):
    """Module 1 gained no case; its added teaching point (AIRO's volume metric is not stated, so compare like with
    like) is shown as the feedback of the first case's resectability question."""
    case = COURSE.case("reirr-candidacy-01")
    server = voila("01_reirradiation.ipynb", learner="browser-new-case-1")
    page.goto(server.url)
    player = open_case(page, case.id)
    stage = walk_to_item(player, case, "rc01-resectability")
    item = next(i for i in stage.items if i.id == "rc01-resectability")
    answer(player, item)
    text = feedback_text(player, item)
    assert "GTV, a CTV or a PTV" in text and "compare like with like" in text and "59 cm³" in text, text
    assert "Traceback" not in page.content()
