"""Layer 4 (issue 20 §5): the projector view of a live session in Debian's Chromium. The presenter starts a session on
the dashboard (Voila) and opens its projector link in a 1920x1080 page; two phones (390x844) vote; the room's screen
shows the live count, and after the reveal the histogram with the correct option named in words. The presenter token
travels in the link's fragment only: it never appears in the page or in any request's address. The same page opened
without the fragment shows the code and the count, and no results. Screenshots go to the test's tmp_path."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from hnscc_edu.content.course import load_course
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

CASE = load_course(ROOT).case("reirr-candidacy-01")
ITEM = CASE.stages[0].items[0]
KEY = next(i for i, o in enumerate(ITEM.options) if o.correct)
WRONG = next(i for i, o in enumerate(ITEM.options) if not o.correct)
PHONE = {"width": 390, "height": 844}
SCREEN = {"width": 1920, "height": 1080}


def label(index: int) -> str:
    return f"{chr(65 + index)}. {ITEM.options[index].text}"


def screen(browser, url: str, requests: list):
    """A page of its own (no shared storage) at the projector's size, recording every request it makes."""
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("request", lambda request: requests.append(request))
    page.goto(url)
    return context, page


def phone_votes(browser, url: str, index: int):
    """A participant's phone: checks the page is usable at 390x844, then votes for option ``index``."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.locator("#question", has_text=ITEM.stem[:40]).wait_for()
    # no horizontal scroll, and every option (the row a thumb taps, which checks the radio) is at least 44 px high
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    rows = page.locator("#choices label")
    assert rows.count() == len(ITEM.options)
    for n in range(rows.count()):
        box = rows.nth(n).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (n, box)
    assert page.get_by_role("button", name="Send my vote").bounding_box()["height"] >= 44
    page.get_by_label(label(index), exact=True).tap()
    page.get_by_role("button", name="Send my vote").tap()
    page.locator("#status", has_text=f"Your vote is recorded: {label(index)}").wait_for()
    return context


def test_the_projector_follows_the_presenter_and_keeps_the_token_out_of_sight(voila, page, browser, tmp_path):
    server = voila("live_presenter.ipynb", learner="presenter")
    page.goto(server.url)
    page.locator("button.hnscc-live-start").wait_for()
    assert not page.locator(".hnscc-live-projector a").count()  # no link before a session
    page.locator(".hnscc-live-case select").select_option(label=CASE.title)
    page.locator("button.hnscc-live-start").click()
    code = page.locator(".hnscc-live-code").inner_text().strip()
    link = page.locator(".hnscc-live-projector a", has_text="Open the projector view")
    assert link.get_attribute("target") == "_blank"
    href = link.get_attribute("href")
    path, _, fragment = href.partition("#")
    assert path == f"/hnscc/live/{code}/projector" and fragment.startswith("token=")
    token = fragment.removeprefix("token=")
    assert len(token) >= 20 and token not in page.locator(".hnscc-live").inner_text()

    contexts, requests, public_requests = [], [], []
    try:
        contexts.append(screen(browser, urljoin(server.url, href), requests)[0])
        projector = contexts[-1].pages[0]
        projector.locator("#mode", has_text=f"Projector view of session {code}").wait_for()  # the token was accepted
        assert "token" not in projector.url  # out of the address bar, which the room may see
        assert projector.locator("h1").inner_text() == "Waiting for the next question"
        contexts.append(screen(browser, f"{server.url}hnscc/live/{code}/projector", public_requests)[0])
        public = contexts[-1].pages[0]
        public.locator("#mode", has_text="Public view").wait_for()
        for room in (projector, public):  # the join address phones use, in full; the code; the QR code
            assert room.locator("#address").inner_text() == f"{server.url}hnscc/live/{code}"
            assert room.locator("#code").inner_text() == code
            assert room.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 100")
            assert room.locator("button, input, select, textarea, a").count() == 0  # no controls

        page.locator("button.hnscc-live-open-pre").click()
        page.locator(".hnscc-live-count", has_text="is open").wait_for()
        question = projector.locator("h1", has_text=ITEM.stem[:40])
        question.wait_for()
        assert float(question.evaluate("h => getComputedStyle(h).fontSize").removesuffix("px")) >= 32
        assert projector.locator("#options li").count() == len(ITEM.options)
        assert projector.locator("#options li").first.inner_text().replace("\n", " ") == label(0)
        projector.locator("#count", has_text="0 votes so far").wait_for()

        join = f"{server.url}hnscc/live/{code}"
        contexts.append(phone_votes(browser, join, KEY))
        contexts.append(phone_votes(browser, join, WRONG))
        projector.locator("#count", has_text="2 votes so far").wait_for()  # the live count, unprompted
        public.locator("#count", has_text="2 votes so far").wait_for()  # public: the count is for the room
        assert projector.locator("#count").get_attribute("aria-live") == "polite"
        for room in (projector, public):  # no results before the reveal, with or without the token
            assert room.locator("#results").is_hidden() and not room.locator("#results-table tbody tr").count()
        projector.screenshot(path=tmp_path / "projector-open.png")

        # reveal with 2 votes under the session's minimum of 3: the answer, but no histogram
        page.locator("button.hnscc-live-reveal").click()
        withheld = projector.locator("#withheld", has_text="Only 2 votes: the histogram shows from 3 votes")
        withheld.wait_for()
        assert f"Correct answer: {label(KEY)}" in withheld.inner_text()
        assert projector.locator("#results").is_hidden()
        # the presenter lowers the minimum to 2: the projector shows the histogram at its next round
        page.locator(".hnscc-live-min-votes input").fill("2")
        page.locator(".hnscc-live-min-votes input").press("Enter")
        results = projector.locator("#results")
        results.wait_for()
        assert projector.locator("#answer").inner_text() == f"✔ Correct answer: {chr(65 + KEY)}"
        cells = projector.locator("#results-table tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
        )
        expected = [
            [
                label(i),
                "1" if i in (KEY, WRONG) else "0",
                "50%" if i in (KEY, WRONG) else "0%",
                "✔ Yes" if i == KEY else "No",
            ]
            for i in range(len(ITEM.options))
        ]
        assert cells == expected
        correct_bar = projector.locator(".bar-row.correct")
        assert correct_bar.count() == 1  # in words, not only in colour:
        assert f"{ITEM.options[KEY].text} — ✔ correct answer" in correct_bar.inner_text()
        assert projector.locator(".bar-row").nth(KEY).locator(".bar-fill").evaluate(
            "bar => bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width"
        ) == pytest.approx(0.5, abs=0.02)
        projector.screenshot(path=tmp_path / "projector-revealed.png", full_page=True)
        # everything the room reads fits the 1920x1080 screen: no scrolling either way
        assert projector.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
            SCREEN["width"],
            SCREEN["height"],
        ]

        # without the token: the count and the code, never the results or the answer
        public.locator("#withheld", has_text="The presenter is showing the results").wait_for()
        assert public.locator("#results").is_hidden() and not public.locator("#results-table tbody tr").count()
        assert "Correct answer" not in public.locator("body").inner_text()
        assert public.locator("#count", has_text="Voting is closed: 2 votes").count() == 1
        public.screenshot(path=tmp_path / "projector-public.png")

        # the token: never in the page, never in a request's address; sent only as a header
        assert token not in projector.content() and token not in projector.locator("body").inner_text()
        assert requests and all(token not in request.url for request in requests + public_requests)
        authorized = [r for r in requests if r.headers.get("authorization") == f"Bearer {token}"]
        assert authorized and all("?" not in r.url for r in authorized)
        assert not any("authorization" in r.headers for r in public_requests)
        assert "Traceback" not in page.content()
    finally:
        for context in contexts:
            context.close()
