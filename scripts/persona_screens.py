"""Screenshots of the first ten minutes of the course's three personas, for the next user-experience review to compare
with (issue 20 §6; the review's own screenshots are in ``../shared/reviews/ux/``).

    .venv/bin/python scripts/persona_screens.py [--out build/persona-screens] [--persona NAME ...]

Personas (the walkthrough's three users):

- ``radiation-oncologist``: a physician doing the course for CME. The start page, the activity gate filled in and
  acknowledged, the first case of module 1: a question answered with its feedback, then Continue.
- ``nurse``: a nurse doing it for a certificate of participation. A question written for her, one marked optional,
  the optional questions hidden, a stage with nothing for her passed.
- ``presenter``: a faculty member presenting live. The dashboard after a session starts (join address, QR, warning
  on a loopback address), the projector view at 1920x1080 before and during a poll, three phones at 390x844 voting,
  the projector after the reveal (histogram: three votes reach the default minimum).

Each persona gets its own Voila server on 127.0.0.1 with a throw-away store, driven in Debian's Chromium by
Playwright, as the browser tests do. The screenshots are numbered PNG files per persona with an ``index.md`` that
says what each one shows and when it was taken. Nothing is written outside ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("HNSCC_EDU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LAPTOP = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 120_000


class Shots:
    """Numbered screenshots of one persona, with a caption each for the index."""

    def __init__(self, folder: Path, persona: str) -> None:
        self.folder = folder / persona
        self.folder.mkdir(parents=True, exist_ok=True)
        self.persona = persona
        self.taken: list[tuple[str, str, str]] = []

    def take(self, page, caption: str, full_page: bool = False) -> Path:
        name = f"{len(self.taken) + 1:02d}-{_slug(caption)}.png"
        path = self.folder / name
        page.screenshot(path=str(path), full_page=full_page)
        self.taken.append((name, caption, dt.datetime.now(dt.UTC).strftime("%H:%M:%S")))
        return path

    def index(self) -> str:
        rows = "\n".join(f"| [{name}]({self.persona}/{name}) | {caption} | {at} |" for name, caption, at in self.taken)
        return f"## {self.persona}\n\n| file | what it shows | taken (UTC) |\n|---|---|---|\n{rows}\n"


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(words[:6])


def _server(notebook: str, work: Path, learner: str, **options):
    sys.path.insert(0, str(ROOT))
    from tests.voila_server import VoilaServer

    return VoilaServer(notebook, work / f"{learner}.sqlite3", learner, work / f"{learner}-voila.log", **options)


def _open(browser, url: str, viewport: dict[str, int] = LAPTOP):
    """A new page of ``browser`` at ``viewport``, opened at ``url`` (the slow first load included in its wait)."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return page


def _case_player(browser, server, case):
    """Module 1 opened for the server's learner, and the case opened as she opens it (its "Open this case" button),
    once its player is drawn: (page, player)."""
    from tests.browser.walk import open_case

    page = _open(browser, server.url)
    return page, open_case(page, case.id)


def radiation_oncologist(browser, shots: Shots, work: Path) -> None:
    from hnscc_edu.content.course import load_course
    from tests.browser.walk import answer, feedback_text

    server = _server("00_start_here.ipynb", work, "persona-ro", acknowledged=False)
    try:
        page = _open(browser, server.url)
        page.get_by_role("button", name="Acknowledge and continue").wait_for()
        shots.take(page, "Start page as it opens")
        page.locator(".hnscc-gate-profession select").select_option(label="Radiation oncologist")
        page.locator(".hnscc-gate-degree select").select_option(label="MD")
        page.locator(".hnscc-gate-read input").check()
        page.locator(".hnscc-gate-read").scroll_into_view_if_needed()
        shots.take(page, "Activity gate filled in")
        page.get_by_role("button", name="Acknowledge and continue").click()
        page.get_by_role("button", name="Acknowledge and continue").wait_for(state="detached")
        shots.take(page, "After acknowledging: the pre-test offer")
        page.close()
    finally:
        server.stop()
    case = load_course(ROOT).case("reirr-candidacy-01")
    server = _server("01_reirradiation.ipynb", work, "persona-ro-case")
    try:
        page, player = _case_player(browser, server, case)
        shots.take(page, "Module 1 opens with the course map")
        player.scroll_into_view_if_needed()
        shots.take(page, "The first case, first stage")
        first = case.stages[0]
        for item in first.items:
            answer(player, item)
            feedback_text(player, item)
        player.locator(f".hnscc-feedback-{first.items[0].id}").scroll_into_view_if_needed()
        shots.take(page, "Feedback after Submit")
        player.locator("button.hnscc-continue").click()
        player.locator(".hnscc-current-stage h3", has_text=case.stage(first.next).title).wait_for()
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H3'")
        shots.take(page, "After Continue: the next stage in view with focus")
        page.close()
    finally:
        server.stop()


def nurse(browser, shots: Shots, work: Path) -> None:
    from hnscc_edu.content.course import load_course
    from hnscc_edu.rules import case_flow

    case = load_course(ROOT).case("reirr-candidacy-01")
    server = _server("01_reirradiation.ipynb", work, "persona-nurse", profession="nurse")
    try:
        page, player = _case_player(browser, server, case)
        optional = next(i for i in case.stages[0].items if case_flow.is_optional(case, i, "nurse"))
        mine = next(i for i in case.stages[0].items if not case_flow.is_optional(case, i, "nurse"))
        player.locator(f"#stem-{optional.id}").scroll_into_view_if_needed()
        shots.take(page, "A question marked optional for her")
        player.locator(f"#stem-{mine.id}").scroll_into_view_if_needed()
        shots.take(page, "A question written for nurses")
        player.locator(".hnscc-show-optional input").uncheck()
        player.locator(f"#stem-{optional.id}").wait_for(state="detached")
        player.scroll_into_view_if_needed()
        shots.take(page, "Optional questions hidden")
        page.close()
    finally:
        server.stop()


def presenter(browser, shots: Shots, work: Path) -> None:
    from hnscc_edu.content.course import load_course

    case = load_course(ROOT).case("reirr-candidacy-01")
    item = case.stages[0].items[0]  # a single-best-answer question on the first stage: the one polled
    key = next(n for n, option in enumerate(item.options) if option.correct)
    server = _server("live_presenter.ipynb", work, "persona-presenter")
    try:
        page = _open(browser, server.url)
        page.locator(".hnscc-live-case select").select_option(label=case.title)
        page.get_by_role("button", name="Start a new live session").click()
        page.locator(".hnscc-live-code").wait_for()
        shots.take(page, "Dashboard after starting a session")
        projector_href = page.locator("a.hnscc-live-projector-link").get_attribute("href")
        join = page.locator(".hnscc-live-join a").first.get_attribute("href")
        room = _open(
            browser,
            server.url.rstrip("/") + projector_href if projector_href.startswith("/") else projector_href,
            PROJECTOR,
        )
        room.locator("h1", has_text="Waiting for the next question").wait_for()
        shots.take(room, "Projector view before a poll")
        page.locator("button.hnscc-live-open-pre").click()
        room.locator("h1", has_text=item.stem[:40]).wait_for()
        shots.take(room, "Projector view with the question open")
        phones = []
        for choice in (key, key, next(n for n in range(len(item.options)) if n != key)):
            phone = _open(browser, join, PHONE)
            phone.locator("#question", has_text=item.stem[:40]).wait_for()
            phone.get_by_label(f"{chr(65 + choice)}. {item.options[choice].text}", exact=True).check()
            phone.get_by_role("button", name="Send my vote").click()
            phone.locator("#status", has_text="Your vote is recorded").wait_for()
            phones.append(phone)
        shots.take(phones[0], "A phone after voting")
        room.locator("#count", has_text="3 votes so far").wait_for()
        page.locator("button.hnscc-live-reveal").click()
        room.locator("#results").wait_for()
        shots.take(room, "Projector view after the reveal")
        for page_ in (room, *phones, page):
            page_.close()
    finally:
        server.stop()


PERSONAS: dict[str, Callable] = {"radiation-oncologist": radiation_oncologist, "nurse": nurse, "presenter": presenter}


def run(out: Path, personas: list[str]) -> Path:
    """Take every persona's screenshots into ``out``; returns the index file."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    with tempfile.TemporaryDirectory(prefix="persona-screens-") as folder, sync_playwright() as playwright:
        from hnscc_edu import keys

        if not os.environ.get(keys.KEY_DIR_VARIABLE):  # a throw-away signing key, as the tests make one
            os.environ[keys.KEY_DIR_VARIABLE] = str(Path(folder) / "keys")
            keys.init(Path(folder) / "keys")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for name in personas:
                shots = Shots(out, name)
                PERSONAS[name](browser, shots, Path(folder))
                sections.append(shots.index())
        finally:
            browser.close()
    index = out / "index.md"
    index.write_text(
        f"# The first minutes of each persona\n\nTaken {dt.date.today().isoformat()} by "
        f"`scripts/persona_screens.py` (Voila on 127.0.0.1, Debian's Chromium).\n\n" + "\n".join(sections),
        encoding="utf-8",
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "persona-screens")
    parser.add_argument("--persona", action="append", choices=sorted(PERSONAS), help="one persona (repeatable)")
    args = parser.parse_args(argv)
    index = run(args.out, args.persona or list(PERSONAS))
    print(f"screenshots and their index: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
