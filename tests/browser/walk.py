"""How the browser tests act as a learner inside one case player: open the case, answer an item, read its feedback, read
the current stage's heading, continue to the next stage. ``scope`` is a page or one player's locator.

A case or a self-check stands closed on the page until the learner opens it (``hnscc_edu.ui.opener``): ``open_case``
and ``open_self_check`` press its Open button, as a learner does, and wait for the player to be drawn."""

from __future__ import annotations

from hnscc_edu.content.models import FreeText, KeyFeature, MultipleSelect, Numeric, SingleBestAnswer


def opener(page, content_id: str):
    """The closed box of a case or a self-check (its id), with its Open button."""
    return page.locator(f".hnscc-opener-{content_id}")


def open_case(page, case_id: str):
    """Press "Open this case" of the case ``case_id`` and wait for its player; returns the player's locator. The button
    is pressed once the page has drawn it (Playwright waits for it to be visible and enabled)."""
    opener(page, case_id).locator("button.hnscc-open").click()
    player = page.locator(f".hnscc-case-{case_id}")
    player.wait_for()
    return player


def open_self_check(page, bank_id: str):
    """Press "Open the self-check" of the item bank ``bank_id`` and wait for it; returns its locator."""
    opener(page, bank_id).locator("button.hnscc-open").click()
    check = page.locator(f".hnscc-bank-{bank_id}")
    check.wait_for()
    return check


def answer(scope, item, correct: bool = True, option_id: str | None = None) -> None:
    """Enter an answer the way a learner does (the key, a wrong answer, or the option named), then press Submit."""
    if isinstance(item, SingleBestAnswer):
        option = next(o for o in item.options if (o.id == option_id if option_id else o.correct == correct))
        scope.locator(f".hnscc-input-{item.id} label", has_text=option.text).first.click()
    elif isinstance(item, (MultipleSelect, KeyFeature)):
        for option in item.options:
            if option.correct == correct:
                scope.locator(f".hnscc-input-{item.id} .hnscc-option-{option.id} input").check()
    elif isinstance(item, Numeric):
        value = item.answer.value if correct else item.answer.value * 3 + 10
        scope.locator(f".hnscc-input-{item.id} input").fill(f"{value:g}")
    elif isinstance(item, FreeText):
        scope.locator(f".hnscc-input-{item.id} textarea").fill("I would bring the imaging to the tumour board first.")
    else:
        raise NotImplementedError(f"the browser walk does not answer {item.type} items")
    scope.locator(f".hnscc-submit-{item.id}").click()


def feedback_text(scope, item) -> str:
    locator = scope.locator(f".hnscc-feedback-{item.id} .hnscc-feedback")
    locator.wait_for()
    return locator.inner_text()


def stage_heading(scope) -> str:
    return scope.locator(".hnscc-current-stage h3").first.inner_text()


def continue_to(scope, title: str) -> None:
    """Press Continue in one case player (``scope``) and wait for the stage ``title``."""
    scope.locator("button.hnscc-continue").click()
    scope.locator(".hnscc-current-stage h3", has_text=title).wait_for()


# Keyboard only: Tab, Space, Enter and the arrow keys, never a click. ``page`` is the Playwright page (the keyboard is
# the page's); ``within`` is a CSS selector that scopes the walk to one case player.
_FOCUSED = "(selector) => { const e = document.activeElement; return !!e && e.matches(selector); }"


def tab_to(page, selector: str, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab when ``backwards``) until the focused element matches the CSS ``selector``; fail after
    ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(_FOCUSED, selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def answer_by_keyboard(page, item, correct: bool = True, within: str = "") -> None:
    """Answer a single-best-answer item (Space, then the arrow keys) or a multiple-select item (Space on each box),
    then Tab to Submit and press Enter."""
    scope = f"{within} .hnscc-input-{item.id}"
    if isinstance(item, SingleBestAnswer):
        index = next(n for n, o in enumerate(item.options) if o.correct == correct)
        tab_to(page, f"{scope} input[type=radio]")  # with nothing chosen yet, Tab enters the group at its first option
        page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")  # moves to the next option and chooses it
    elif isinstance(item, (MultipleSelect, KeyFeature)):
        for option in item.options:
            if option.correct == correct:
                tab_to(page, f"{scope} .hnscc-option-{option.id} input[type=checkbox]")
                page.keyboard.press("Space")
    else:
        raise NotImplementedError(f"the keyboard walk does not answer {item.type} items")
    tab_to(page, f"{within} button.hnscc-submit-{item.id}")
    page.keyboard.press("Enter")


def walk_to_item(scope, case, item_id: str):
    """Answer every stage from the case's start with its keys (checking each feedback cites its evidence) and
    continue until the stage that asks ``item_id``; returns that stage."""
    stage = case.stage(case.start)
    while not any(item.id == item_id for item in stage.items):
        for item in stage.items:
            answer(scope, item)
            assert "Evidence:" in feedback_text(scope, item)
        stage = case.stage(stage.next)
        continue_to(scope, stage.title)
    return stage


def choose_branch(scope, item, next_stage: str) -> None:
    """Choose the option of a branching item that leads to ``next_stage``, submit it and wait for the feedback."""
    option = next(o for o in item.options if o.next_stage == next_stage)
    scope.locator(f".hnscc-input-{item.id} label", has_text=option.text).first.click()
    scope.locator(f".hnscc-submit-{item.id}").click()
    feedback_text(scope, item)


# The page's own signals that everything it was sent is drawn: Voila's spinner gone and its cell-output holders all
# turned into outputs, every widget output holding its view, every plotly output holding its drawn figure.
_DRAWN = """() => !document.getElementById('loading')
  && !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')
  && [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]')]
    .every((o) => o.querySelector('.jupyter-widgets'))
  && [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.plotly.v1+json"]')]
    .every((o) => o.querySelector('.js-plotly-plot .main-svg'))"""


# A widget view is in the page before its children are: a box's children views are made one by one as their models
# arrive. The page has settled when, besides, no element has been added or removed for ``quiet`` ms (the first call
# starts watching).
_SETTLED = """(quiet) => {
  if (window.__hnsccLastChange === undefined) {
    window.__hnsccLastChange = performance.now();
    new MutationObserver(() => { window.__hnsccLastChange = performance.now(); })
      .observe(document.body, {childList: true, subtree: true});
    return false;
  }
  return performance.now() - window.__hnsccLastChange > quiet;
}"""


def wait_until_drawn(page, timeout_ms: float | None = None, quiet_ms: int = 300) -> None:
    """Wait until the page has drawn every output it holds (widget views and plotly figures) and has then settled:
    nothing added to or removed from it for ``quiet_ms``. A busy machine that is still drawing keeps it waiting."""
    page.wait_for_function(_DRAWN, polling=100, timeout=timeout_ms)
    page.wait_for_function(_SETTLED, arg=quiet_ms, polling=100, timeout=timeout_ms)
