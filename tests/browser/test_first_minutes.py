"""A learner's first minutes (issue 20 §1, §2, §6), in Debian's Chromium: ``make course`` opens the start page
rendered (no Python on screen), Continue brings the next stage into view and gives it keyboard focus, and a nurse
finishes a case without answering the question written for radiologists, her score written as people write it."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import time

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.rules import case_flow
from hnscc_edu.rules.grading.keys import key_response
from tests.browser.walk import answer, feedback_text, open_case
from tests.helpers import ROOT
from tests.voila_server import free_port

pytestmark = pytest.mark.browser

CASE = load_course(ROOT).case("reirr-candidacy-01")
PLAYER = f".hnscc-case-{CASE.id}"


def test_make_course_opens_the_start_page_rendered(page, tmp_path):
    port, token = free_port(), secrets.token_urlsafe(12)
    env = dict(
        os.environ,
        HNSCC_EDU_DB_URL=f"sqlite:///{tmp_path / 'course.sqlite3'}",
        HNSCC_EDU_LEARNER_ID="make-course-learner",
        HNSCC_EDU_AUTO_ANSWER="0",
    )
    for inherited in ("HNSCC_EDU_SERVICE_URL", "HNSCC_EDU_SERVICE_TOKEN", "HNSCC_EDU_SHARED_VIEWERS"):
        env.pop(inherited, None)
    with open(tmp_path / "make-course.log", "w") as log:  # make keeps its own handle on the log
        process = subprocess.Popen(
            [
                "make",
                "-s",
                "course",
                f"LAB_PORT={port}",
                f"LAB_ARGS=--no-browser --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (tmp_path / "make-course.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "make course did not listen within two minutes"
                time.sleep(0.3)
        page.goto(f"http://127.0.0.1:{port}/?token={token}")  # the address make course prints, without a path
        page.locator(".hnscc-banner").first.wait_for()
        assert page.url.split("?")[0].endswith("/voila/render/00_start_here.ipynb")
        assert page.title().startswith("Start here")
        page.get_by_role("button", name="Acknowledge and continue").wait_for()  # the activity gate, live
        body = page.inner_text("body")
        assert "from hnscc_edu" not in body and "import" not in body and "Run All" not in body
        # every module is an ordinary relative link, so it opens rendered as well (/voila/render/01_...)
        for notebook in (
            "01_reirradiation.ipynb",
            "02_salvage.ipynb",
            "03_systemic.ipynb",
            "90_post_test_and_certificate.ipynb",
        ):
            assert page.locator(f'a[href="{notebook}"]').count() >= 1, notebook
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


_FOCUSED_HEADING = "() => { const e = document.activeElement; return e && e.tagName === 'H3' ? e.innerText : null; }"
_IN_VIEW = "(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"


def test_continue_brings_the_next_stage_into_view_and_gives_it_focus(voila, page):
    server = voila("01_reirradiation.ipynb", learner="browser-focus")
    first = CASE.stages[0]
    second = CASE.stage(first.next)
    page.goto(server.url)
    player = open_case(page, CASE.id)
    for item in first.items:
        answer(page, item)
        feedback_text(page, item)
    player.locator("button.hnscc-continue").click()
    heading = player.locator(".hnscc-current-stage h3", has_text=second.title)
    heading.wait_for()
    page.wait_for_function(
        f"() => {{ const e = document.activeElement; return !!e && e.tagName === 'H3' && "
        f"e.innerText.includes({second.title!r}); }}",
        timeout=30_000,
    )
    assert page.evaluate(_FOCUSED_HEADING) == second.title
    assert heading.evaluate(_IN_VIEW), "the new stage's heading is off screen"


def test_a_nurse_finishes_a_case_without_the_radiology_question(voila, page):
    server = voila("01_reirradiation.ipynb", learner="browser-nurse", profession="nurse")
    radiology = CASE.stage("restaging").items[0]
    assert "radiologist" in {p.value for p in radiology.professions}
    assert "nurse" not in {p.value for p in radiology.professions}
    page.goto(server.url)
    player = open_case(page, CASE.id)
    state = case_flow.start(CASE)  # the same route in the pure rules: which stage comes next
    seen_optional = False
    for _ in range(len(CASE.stages) + 1):
        stage = case_flow.current_stage(CASE, state)
        player.locator(f'.hnscc-current-stage [data-stage="{stage.id}"]').wait_for()
        for item in stage.items:
            if case_flow.is_optional(CASE, item, "nurse"):
                assert "Optional for you" in player.locator(f"#stem-{item.id}").inner_text()
                seen_optional |= item.id == radiology.id
                continue
            answer(player, item)
            feedback_text(player, item)
            state, _ = case_flow.submit(CASE, state, item.id, key_response(item))
        player.locator("button.hnscc-continue").click()
        state = case_flow.advance(CASE, state, "nurse")
        if state.completed:
            break
    assert seen_optional, "the radiology question was never shown to her"
    done = player.locator(".hnscc-complete")
    done.wait_for()
    recorded = server.client().case(CASE.id)  # what the course service stored, scored by the pure rules
    assert recorded["completed"] and radiology.id not in {item_id for item_id, _ in recorded["answers"]}
    replayed = case_flow.replay(CASE, [tuple(a) for a in recorded["answers"]], recorded["moves"], True)
    score, maximum, _ = case_flow.counted_score(CASE, replayed, "nurse")
    text = done.inner_text()
    shown = re.search(r"You scored (\S+) of (\S+) on the questions for you", text)
    assert shown, text
    assert all(re.fullmatch(r"\d+(\.\d)?", n) for n in shown.groups()), shown.groups()  # "3.3 of 8", never 3.27778
    assert (float(shown.group(1)), float(shown.group(2))) == (round(score, 1), round(maximum, 1))
