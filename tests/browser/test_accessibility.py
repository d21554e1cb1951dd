"""The accessibility gate (WCAG 2.2 AA, `../shared/MEDED.md` section 5) in Debian's Chromium, pages served by Voila.

axe-core comes from an installed package (``axe-playwright-python`` ships ``axe.min.js``; axe-core itself is MPL-2.0),
injected with ``page.add_script_tag``: nothing is fetched at run time. Every notebook is scanned as it opens (its
cases and self-check closed), again with every case and self-check opened, and one case again after answering,
reading the feedback and continuing to the next stage (which reveals new content).
Violations of impact "serious" or "critical" fail; milder ones are listed in the failure message of a failing scan only.

A keyboard-only walk (Tab, Space, Enter, the arrow keys; no click) opens a case, answers a single-best-answer and a
multiple-select item, reads both feedbacks and continues to the next stage.

One Voila per notebook for the whole module, and one page reused by every test, keep this file near two minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import axe_playwright_python
import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from hnscc_edu.ui.course_map import case_notebooks
from tests.browser.walk import (
    answer,
    answer_by_keyboard,
    continue_to,
    feedback_text,
    open_case,
    stage_heading,
    tab_to,
    wait_until_drawn,
)
from tests.helpers import ROOT, finish_with_keys
from tests.voila_server import VoilaServer

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
NOTEBOOKS = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
BLOCKING = ("serious", "critical")

# What axe leaves out of every scan: only markup that Jupyter or Voila renders and we do not control. None is needed
# today: on every notebook the only finding is the moderate "region" rule (our cells sit in Voila's lab layout, which
# has no <main> landmark); it does not block and is Voila's template, not our HTML.
EXCLUDE: list[list[str]] = []
# Rules switched off for one selector of ipywidgets/Voila markup: {rule id: [selector, ...]}, each with its reason.
# None is needed today; add an entry only with a comment naming the upstream markup. Findings so far were fixed, not
# excepted: the grey title of ipywidgets' accordion (3.6:1), then the accordion itself (Tab never reached its
# headers; ui/disclosure.py replaces it), and boxes that scrolled with nothing focusable inside (render.STYLE).
RULE_EXCEPTIONS: dict[str, list[str]] = {}

COURSE = load_course(ROOT)
KEYBOARD_CASE = COURSE.case("reirr-candidacy-01")  # 01_reirradiation: stage 1 holds a single-best-answer and a
KEYBOARD_PLAYER = f".hnscc-case-{KEYBOARD_CASE.id}"  # multiple-select item
REVEAL_CASE = COURSE.case("reirr-planning-04")  # 01b_reirradiation_planning
REVEAL_PLAYER = f".hnscc-case-{REVEAL_CASE.id}"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Callable[[str], VoilaServer]]:
    """``served("02_salvage.ipynb")`` starts Voila for that notebook once per module (its own store and learner)."""
    folder = tmp_path_factory.mktemp("a11y")
    servers: dict[str, VoilaServer] = {}

    def start(notebook: str) -> VoilaServer:
        if notebook not in servers:
            stem = Path(notebook).stem
            servers[notebook] = VoilaServer(
                notebook, folder / f"{stem}.sqlite3", f"a11y-{stem}", folder / f"{stem}.log"
            )
        return servers[notebook]

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="module")
def shared_page(browser):
    """One Chromium page for every test of this module."""
    from tests.browser.conftest import WIDGET_TIMEOUT_MS

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WIDGET_TIMEOUT_MS)
    yield page
    context.close()


def open_notebook(page, server: VoilaServer, timeout_ms: float | None = None) -> None:
    """Open the dashboard and wait until Voila has run every cell and drawn the outputs (``timeout_ms``: for a page
    that answers whole cases before it is sent)."""
    page.goto(server.url, timeout=timeout_ms)
    page.wait_for_selector("#loading", state="detached")  # Voila removes its spinner when the last cell has run
    # the first output drawn that shows something (the import cell's output is a script: nothing to see)
    page.locator(".jp-OutputArea-output >> visible=true").first.wait_for()
    wait_until_drawn(page, timeout_ms)  # widget views and plotly figures draw just after their output arrives


# axe-core in the page; a rule's exceptions drop only the nodes inside their selectors, for that rule alone.
_RUN_AXE = """async ([exclude, exceptions]) => {
  const results = await axe.run({include: [document], exclude}, {resultTypes: ['violations']});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.filter(n => {
      const element = document.querySelector(String(n.target[n.target.length - 1]));
      return !(element && (exceptions[v.id] || []).some(selector => element.closest(selector)));
    }).map(n => n.target.join(' '))})).filter(v => v.targets.length > 0);
}"""


def blocking_violations(page) -> list[str]:
    """Run axe-core on the page; one line per serious or critical violation, with the nodes it names."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(_RUN_AXE, [EXCLUDE, RULE_EXCEPTIONS])
    lines = [
        f"{v['impact']} {v['id']}: {v['help']} -- {'; '.join(v['targets'][:5])}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    if lines:  # the milder findings too, so one failing run shows the whole picture
        lines += [
            f"(not blocking) {v['impact']} {v['id']}: {v['help']}" for v in violations if v["impact"] not in BLOCKING
        ]
    return lines


def test_the_gate_catches_a_violation_and_an_exception_is_scoped_to_its_rule(shared_page, monkeypatch):
    """A gate that cannot fail proves nothing: grey-on-white text and an unlabelled input must be reported, and an
    exception for one rule and one selector must hide that rule's nodes there and nothing else."""
    shared_page.set_content(
        '<html lang="en"><head><title>gate</title></head><body><main><h1>Gate</h1>'
        '<p class="pale" style="color:#aaa;background:#fff">too pale</p>'
        '<input type="text" class="unlabelled"></main></body></html>'
    )
    found = blocking_violations(shared_page)
    assert any(line.startswith("serious color-contrast") for line in found), found
    assert any(" label:" in line for line in found), found
    monkeypatch.setitem(RULE_EXCEPTIONS, "color-contrast", [".pale"])
    found = blocking_violations(shared_page)
    assert not any("color-contrast" in line for line in found) and any(" label:" in line for line in found), found


# Every plotly figure and every text alternative, in page order: "P" for a figure, "T" for its text.
_FIGURES_AND_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot, .hnscc-figure-text')]
  .map((e) => (e.classList.contains('js-plotly-plot') ? 'P' : 'T'))"""


def figures_without_text(page) -> tuple[int, int]:
    """(figures, figures with no text alternative of their own right before or after them)."""
    order = page.evaluate(_FIGURES_AND_TEXTS)
    used: set[int] = set()
    missing = 0
    for index, kind in enumerate(order):
        if kind != "P":
            continue
        partner = next(
            (j for j in (index - 1, index + 1) if 0 <= j < len(order) and order[j] == "T" and j not in used), None
        )
        if partner is None:
            missing += 1
        else:
            used.add(partner)
    return order.count("P"), missing


def test_the_figure_check_finds_a_figure_without_its_text(shared_page):
    shared_page.set_content(
        '<div class="js-plotly-plot"></div><div class="hnscc-figure-text">Figure: a.</div>'
        '<div class="js-plotly-plot"></div>'
    )
    assert figures_without_text(shared_page) == (2, 1)


def open_everything(page) -> int:
    """Press every "Open" button of the page (its cases and its self-check), one after the other, waiting for each
    player to be drawn in its box; returns how many were opened."""
    names = page.evaluate(
        "() => [...document.querySelectorAll('.hnscc-opener')]"
        ".map((box) => [...box.classList].find((c) => c.startsWith('hnscc-opener-')))"
    )
    for name in names:
        box = page.locator(f".{name}")
        box.locator("button.hnscc-open").click()
        box.locator(".hnscc-case-player, .hnscc-bank-player").wait_for()
    return len(names)


def show_every_figure(page) -> int:
    """Press every "Show the figure" button the page shows (its module figures, and the calculators that have a
    result to draw), each once, then wait for the figures to be drawn; returns how many were shown."""
    buttons = page.locator("button.hnscc-show-figure")  # pressing one adds or removes no button: the order holds
    shown = 0
    for n in range(buttons.count()):
        button = buttons.nth(n)
        if button.is_visible() and button.inner_text() == "Show the figure":
            button.click()
            button.filter(has_text="Hide the figure").wait_for()
            shown += 1
    wait_until_drawn(page)
    return shown


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_serious_or_critical_violations_on_opening(served, shared_page, notebook):
    open_notebook(shared_page, served(notebook))
    assert blocking_violations(shared_page) == []
    assert figures_without_text(shared_page)[1] == 0
    if open_everything(shared_page) + show_every_figure(
        shared_page
    ):  # the players and figures, as a learner opens them
        assert blocking_violations(shared_page) == []
        assert figures_without_text(shared_page)[1] == 0


@pytest.mark.parametrize(
    "notebook", ["01_reirradiation.ipynb", "01b_reirradiation_planning.ipynb", "02_salvage.ipynb", "03_systemic.ipynb"]
)
def test_finished_cases_show_their_figures_with_text_and_pass_the_gate(tmp_path, shared_page, notebook):
    """Every case of the notebook finished with its key (through the learner's own session code), then the page
    opened as that learner comes back to it: each case, opened, shows the figures kept until a case is finished,
    each with its text alternative, and the page passes the gate.

    The cases are played before the page is opened, not by the page's auto-answer run: that run builds every case's
    widgets at once, thousands of kernel messages in a few seconds, and on a busy 2-core machine the kernel's message
    channel to Voila dropped some (the page then never finished loading, or its widgets never left "Loading")."""
    learner = f"a11y-done-{Path(notebook).stem}"
    server = VoilaServer(notebook, tmp_path / "done.sqlite3", learner, tmp_path / "voila.log")
    case_ids = [case_id for case_id, shown_in in case_notebooks(ROOT / "notebooks").items() if shown_in == notebook]
    assert case_ids, f"{notebook} shows no case"
    store = Store(server.db_url)
    try:
        for case_id in case_ids:
            finish_with_keys(CaseSession(COURSE.case(case_id), store, learner), case_id)
    finally:
        store.engine.dispose()
    try:
        open_notebook(shared_page, server)
        for case_id in case_ids:
            open_case(shared_page, case_id).locator(".hnscc-complete").wait_for()
        figures, missing = figures_without_text(shared_page)
        assert figures >= 1 and missing == 0, (figures, missing)
        assert blocking_violations(shared_page) == []
    finally:
        server.stop()


def test_no_serious_or_critical_violations_after_answering_and_revealing(served, shared_page):
    """Answer the first stage (one answer wrong, so both kinds of feedback show), continue to the next stage (new
    content revealed), answer there too, then scan."""
    open_notebook(shared_page, served("01b_reirradiation_planning.ipynb"))
    player = open_case(shared_page, REVEAL_CASE.id)
    first = REVEAL_CASE.stages[0]
    second = REVEAL_CASE.stage(first.next or REVEAL_CASE.stages[1].id)
    assert stage_heading(player) == first.title
    for number, item in enumerate(first.items):
        answer(player, item, correct=number > 0)
        feedback_text(player, item)
    continue_to(player, second.title)  # the earlier stage folds under its "Earlier:" button
    answer(player, second.items[0])
    feedback_text(player, second.items[0])
    assert blocking_violations(shared_page) == []


def test_a_case_walked_from_the_keyboard_alone_reaches_feedback_and_continues(served, shared_page):
    """Stage 1 of a case with Tab, Space, the arrow keys and Enter only: the case opened (Enter on its button), a
    single-best-answer item (chosen with the arrow keys), a multiple-select item (ticked with Space), both feedbacks
    read, then Continue reached by Tab."""
    page = shared_page
    open_notebook(page, served("01_reirradiation.ipynb"))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # Tab from the page's start
    tab_to(page, f".hnscc-opener-{KEYBOARD_CASE.id} button.hnscc-open")
    page.keyboard.press("Enter")
    player = page.locator(KEYBOARD_PLAYER)
    player.wait_for()
    # the button is gone with the opening: the focus moves to the case's heading, and Tab goes on from there
    page.wait_for_function("(s) => document.activeElement === document.querySelector(s)", arg=f"{KEYBOARD_PLAYER} h2")
    stage = KEYBOARD_CASE.stages[0]
    assert stage_heading(player) == stage.title
    kinds = [item.type for item in stage.items]
    assert "single_best_answer" in kinds and "multiple_select" in kinds
    for item in stage.items:
        answer_by_keyboard(page, item, within=KEYBOARD_PLAYER)
        assert "✔ Correct" in feedback_text(player, item)
    tab_to(page, f"{KEYBOARD_PLAYER} button.hnscc-continue")
    page.keyboard.press("Enter")
    following = KEYBOARD_CASE.stage(stage.next or KEYBOARD_CASE.stages[1].id)
    player.locator(".hnscc-current-stage h3", has_text=following.title).wait_for()
    # Continue gives the new stage's heading the keyboard focus (issue 20 §2); only then is the focus ours to move
    page.wait_for_function(
        f"() => document.activeElement && document.activeElement.tagName === 'H3' && "
        f"document.activeElement.innerText.includes({following.title!r})"
    )
    # the stage just left folds into "Earlier: ..." above the new heading; the keyboard goes back to it and opens it
    earlier = player.locator(".hnscc-earlier-stage")
    assert earlier.is_hidden()
    tab_to(page, f"{KEYBOARD_PLAYER} button.hnscc-earlier-toggle", backwards=True)
    assert "Earlier: " + stage.title in page.evaluate("() => document.activeElement.textContent")
    page.keyboard.press("Enter")
    earlier.locator("h3", has_text=stage.title).wait_for()
    assert earlier.is_visible()
