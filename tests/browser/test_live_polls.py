"""Layer 4: a live poll with a presenter page (Voila) and three participant pages (the server's live-poll pages, no
kernel each), in Debian's Chromium: vote, change a vote, lock, reveal, and the histogram's counts on the presenter's
page. One participant joins by typing the code; one uses the keyboard only. And the first load of the dashboard from
Voila's pre-heated kernels (voila.json's pools) shows a full join address of the presenter's own host."""

from __future__ import annotations

import time

import pytest

from hnscc_edu.content.course import load_course
from tests.browser.conftest import WIDGET_TIMEOUT_MS
from tests.helpers import ROOT
from tests.voila_server import VoilaServer

pytestmark = pytest.mark.browser

CASE = load_course(ROOT).case("reirr-candidacy-01")
ITEM = CASE.stages[0].items[0]
KEY = next(i for i, o in enumerate(ITEM.options) if o.correct)
WRONG = [i for i, o in enumerate(ITEM.options) if not o.correct]
PHONE = {"width": 390, "height": 844}


def label(index: int) -> str:
    return f"{chr(65 + index)}. {ITEM.options[index].text}"


def phone(browser, url: str):
    """A participant's phone: a browser context of its own (its own anonymous id) on the live-poll page."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    return context, page


def vote(page, index: int) -> None:
    page.get_by_label(label(index), exact=True).check()
    page.get_by_role("button", name="Send my vote").click()
    page.locator("#status", has_text=f"Your vote is recorded: {label(index)}").wait_for()


def test_presenter_and_three_participants(voila, page, browser):
    server = voila("live_presenter.ipynb", learner="presenter")
    page.goto(server.url)
    page.locator("button.hnscc-live-start").wait_for()
    assert page.title() == "Live polls: presenter dashboard"
    assert "Education, not clinical advice" in page.locator(".hnscc-banner").first.inner_text()
    page.locator(".hnscc-live-case select").select_option(label=CASE.title)
    page.locator("button.hnscc-live-start").click()
    code = page.locator(".hnscc-live-code").inner_text().strip()
    join = page.locator(".hnscc-live-session a").get_attribute("href")
    assert join == f"{server.url}hnscc/live/{code}"
    assert page.locator(".hnscc-live-session svg").count() == 1  # the QR code
    # the test server listens on 127.0.0.1, which phones could not reach: the dashboard says so (issue 20 §5)
    assert "Phones cannot reach 127.0.0.1" in page.locator(".hnscc-live-address-warning").inner_text()
    page.locator("button.hnscc-live-open-pre").click()
    page.locator(".hnscc-live-count", has_text="is open").wait_for()

    phones = []
    try:
        # 1: scans the QR code (opens the join address)
        phones.append(phone(browser, join))
        first = phones[-1][1]
        # 2: opens the join page and types the code
        phones.append(phone(browser, f"{server.url}hnscc/live/"))
        second = phones[-1][1]
        second.get_by_label("Session code, as shown on the presenter's screen").fill(code.lower())
        second.keyboard.press("Enter")
        # 3: keyboard only
        phones.append(phone(browser, join))
        third = phones[-1][1]
        for participant in (first, second, third):
            participant.locator("#question", has_text=ITEM.stem[:40]).wait_for()
            assert participant.locator("html").get_attribute("lang") == "en"
            assert participant.get_by_role("main").count() == 1
            assert participant.locator("#choices input[type=radio]").count() == len(ITEM.options)
            assert ITEM.options[KEY].rationale[:50] not in participant.content()  # no rationale on a phone

        vote(first, KEY)
        vote(second, WRONG[0])
        vote(second, KEY)  # changed until the lock: replaced, not added
        third.keyboard.press("Tab")
        assert third.evaluate("document.activeElement.type") == "radio"
        for _ in range(WRONG[1]):
            third.keyboard.press("ArrowDown")
        third.keyboard.press("Space")
        third.keyboard.press("Tab")
        assert third.evaluate("document.activeElement.textContent") == "Send my vote"
        third.keyboard.press("Enter")
        third.locator("#status", has_text=f"Your vote is recorded: {label(WRONG[1])}").wait_for()

        page.locator(".hnscc-live-count", has_text="3 responses").wait_for()  # the live count, unprompted
        assert not page.locator(".hnscc-live-figure-text table").count()  # no histogram before the reveal

        page.locator("button.hnscc-live-lock").click()
        page.locator(".hnscc-live-count", has_text="is locked").wait_for()
        first.locator("#status", has_text="Voting is closed").wait_for()
        # the pushed lock keeps what each phone knows of its own vote (the page asks the server nothing)
        assert "Your vote:" in first.locator("#status").inner_text()
        assert first.locator("#send").is_disabled()
        refused = first.evaluate(
            """async ([poll]) => {
                 const joined = await (await fetch(location.pathname + '/join', {method: 'POST'})).json();
                 return (await fetch(location.pathname + '/polls/' + poll + '/votes', {method: 'POST',
                   headers: {'Content-Type': 'application/json'},
                   body: JSON.stringify({participant: joined.participant, choice: 'a'})})).status; }""",
            [int(page.locator(".hnscc-live-count").inner_text().split()[1])],
        )
        assert refused == 409  # a late phone, with an id of its own, is told the poll is closed

        page.locator("button.hnscc-live-reveal").click()
        table = page.locator(".hnscc-live-figure-text table")
        table.wait_for(state="attached")
        counts = table.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
        rows = {cells[0]: int(cells[2]) for cells in counts}
        expected = {chr(65 + i): 0 for i in range(len(ITEM.options))} | {chr(65 + KEY): 2, chr(65 + WRONG[1]): 1}
        assert rows == expected
        page.locator(".hnscc-live-figure .js-plotly-plot").wait_for()  # the histogram itself, drawn offline
        result = page.locator(".hnscc-live-result").inner_text()
        assert f"{label(KEY)} (✔ correct answer)" in result and "Sources:" in result
        first.locator("#status", has_text="showing the results").wait_for()
        assert "Your vote:" in first.locator("#status").inner_text()
        page.locator("button.hnscc-live-reset").click()  # a new round: every phone is asked to vote again
        first.locator("#status", has_text="please vote again").wait_for()
        assert not first.locator("#send").is_disabled()
        assert "Traceback" not in page.content()
    finally:
        for context, _ in phones:
            context.close()


def _log_count(log, text: str, at_least: int, timeout: float = 120) -> None:
    """Wait until Voila's log says ``text`` ``at_least`` times (a readiness signal of the server, not a sleep)."""
    deadline = time.monotonic() + timeout
    while log.read_text().count(text) < at_least:
        assert time.monotonic() < deadline, f"Voila's log never said {text!r} {at_least} time(s)"
        time.sleep(0.25)


def _start_and_read_join_address(page, url: str) -> tuple[str, str]:
    page.goto(url)
    page.locator("button.hnscc-live-start").click()
    code = page.locator(".hnscc-live-code").inner_text().strip()
    return code, page.locator(".hnscc-live-session a").get_attribute("href")


def test_the_first_presenter_load_from_a_pre_heated_kernel_has_a_full_join_address(browser, tmp_path):
    """Issue 20 §5: with voila.json's kernel pools on, the dashboard's very first load comes from a pre-heated kernel
    that Voila started before anyone asked; the join address must still be the full address of the presenter's
    request, and the second visitor (here at ``localhost``), whose kernel Voila started on the first visitor's
    request, gets their own host, not the first visitor's."""
    log = tmp_path / "voila.log"
    server = VoilaServer(
        "",
        tmp_path / "store.sqlite3",
        "presenter",
        log,
        notebook_path=ROOT / "notebooks",
        extra_args=["--VoilaConfiguration.preheat_kernel=True"],
    )
    contexts = []
    try:
        _log_count(log, "Kernel pool of live_presenter.ipynb is filled", 1)
        for n, host in enumerate(("127.0.0.1", "localhost"), start=1):
            contexts.append(browser.new_context(viewport={"width": 1280, "height": 900}))
            page = contexts[-1].new_page()
            page.set_default_timeout(WIDGET_TIMEOUT_MS)
            origin = f"http://{host}:{server.port}/"
            code, join = _start_and_read_join_address(page, f"{origin}voila/render/live_presenter.ipynb")
            assert log.read_text().count("Using pre-heated kernel") == n  # the page came from the pool
            assert join == f"{origin}hnscc/live/{code}", (host, join)  # never a bare path, never the other host
            assert page.locator(".hnscc-live-session svg").count() == 1
            assert f"Phones cannot reach {host}" in page.locator(".hnscc-live-address-warning").inner_text()
            projector = page.locator(".hnscc-live-projector a").get_attribute("href")
            assert projector.startswith(f"/hnscc/live/{code}/projector#token=")
    finally:
        for context in contexts:
            context.close()
        server.stop()
