"""Layer 4: the answer key stays in the kernel until the learner submits.

The module 1 notebook is opened in Voila and its three cases are opened; before any answer, the page (its whole DOM, the widget state Voila embeds
included) and every message the kernel sent over the websocket are searched for the key of every item of the
notebook's three cases: option rationales, numeric workings and expected values, script-concordance panels, and any
``correct``/``killer`` flag. Then one answer is submitted and that item's rationale does arrive.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import Numeric, ScriptConcordance, feedback_entries
from tests.browser.test_case_in_voila import PLAYER
from tests.browser.walk import answer, feedback_text, open_case
from tests.helpers import ROOT

pytestmark = pytest.mark.browser

CONTENT = load_course(ROOT)
CASES = [CONTENT.case(case_id) for case_id in ("reirr-candidacy-01", "reirr-selection-02", "reirr-branching-03")]
FLAGS = ("correct", "killer")  # names a key would travel under


def _norm(text: str) -> str:
    return " ".join(html.unescape(text).split())


def secrets() -> list[tuple[str, str]]:
    """(where, text) for every piece of every item's key in the notebook's cases; texts cut to a distinctive length."""
    found = []
    for case in CASES:
        for item in case.items:
            where = f"{case.id}/{item.id}"
            for _, feedback in feedback_entries(item):
                found.append((f"{where} rationale", _norm(feedback.rationale)[:60]))
            if isinstance(item, Numeric):
                found.append((f"{where} expected value", f"the expected answer is {item.answer.value:g}"))
                if item.working:
                    found.append((f"{where} working", _norm(item.working)[:60]))
            if isinstance(item, ScriptConcordance):
                found.append((f"{where} panel", _norm(item.panel.description)[:60]))
    return found


def _walk(value, keys: set[str], strings: list[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(str(key))
            _walk(inner, keys, strings)
    elif isinstance(value, list):
        for inner in value:
            _walk(inner, keys, strings)
    elif isinstance(value, str):
        strings.append(value)


def _json_parts(payload: str | bytes) -> Iterator[object]:
    """The JSON parts of one kernel websocket frame: a text frame is one JSON message; a binary frame is Jupyter's
    v1 websocket protocol (a count, offsets, then channel, header, parent header, metadata, content and buffers)."""
    if isinstance(payload, str):
        yield json.loads(payload)
        return
    count = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [payload[start:end] for start, end in zip(offsets, offsets[1:] + [len(payload)], strict=True)]
    for part in parts[1:5]:
        yield json.loads(part.decode("utf-8"))
    for part in parts[5:]:  # binary buffers: searched as text in case something put a key there
        yield part.decode("utf-8", errors="replace")


def frames_content(frames: list[str | bytes]) -> tuple[set[str], str]:
    """Every key name and every string the kernel sent, the strings joined and normalised."""
    keys: set[str] = set()
    strings: list[str] = []
    for payload in frames:
        for part in _json_parts(payload):
            _walk(part, keys, strings)
    return keys, _norm(" ".join(strings))


def assert_no_key(haystack: str, where: str) -> None:
    leaked = [name for name, text in secrets() if text in haystack]
    assert leaked == [], f"answer key in the {where}: {leaked}"
    for flag in FLAGS:
        assert f'"{flag}"' not in haystack and f"'{flag}'" not in haystack, f"a {flag!r} flag in the {where}"


def test_no_key_reaches_the_browser_before_an_answer_and_the_rationale_does_after(voila, page):
    frames: list[str | bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    server = voila("01_reirradiation.ipynb", learner="browser-key")
    page.goto(server.url)
    for case in CASES:
        open_case(page, case.id).locator(".hnscc-current-stage h3").first.wait_for()
    page.wait_for_timeout(1000)  # let the widget-state replies that follow the first render arrive

    assert frames, "no websocket frame was captured"
    keys, sent = frames_content(frames)
    # The capture sees the widgets' state: the questions and options shown are in it (so absence below means absence).
    shown_first = [
        text
        for case in CASES
        for item in case.stages[0].items
        for text in [item.stem, *(o.text for o in getattr(item, "options", []))]
    ]
    assert all(_norm(text)[:60] in sent for text in shown_first)
    assert not keys & set(FLAGS), keys & set(FLAGS)
    assert_no_key(sent, "websocket messages")
    assert_no_key(_norm(page.content()), "page")  # widget state embedded by Voila included
    assert "Not correct" not in page.content() and "Evidence:" not in page.content()

    case = CASES[0]
    item = case.stages[0].items[0]
    before = len(frames)
    answer(page, item, correct=False)
    shown = _norm(feedback_text(page.locator(PLAYER), item))
    rationales = [_norm(option.rationale)[:60] for option in item.options]
    assert all(text in shown for text in rationales)  # now every option's rationale is on the page
    assert all(text in frames_content(frames[before:])[1] for text in rationales)  # sent after the submission


def test_no_post_test_key_reaches_the_browser_before_the_attempt_is_finished(page, tmp_path):
    """Issue 16 section 1: the post-test pool lives with the course service (here a private pool outside the
    repository, ``HNSCC_EDU_PRIVATE_CONTENT``). Until the attempt is finished, neither the page nor any message the
    kernel sends holds a rationale, a ``correct`` flag or any text that marks a key; once it is finished, the
    rationales of the submitted items arrive."""
    from hnscc_edu.rules.assessment import draw
    from tests.service_harness import PRIVATE_MARK, finish_case_through, write_private_pool
    from tests.voila_server import VoilaServer

    write_private_pool(tmp_path / "private")
    private = load_course(ROOT, private=tmp_path / "private")
    pool = private.banks["post-test"]
    server = VoilaServer(
        "90_post_test_and_certificate.ipynb",
        tmp_path / "store.sqlite3",
        "browser-post-key",
        tmp_path / "voila.log",
        extra_env={"HNSCC_EDU_PRIVATE_CONTENT": str(tmp_path / "private")},
    )
    try:
        client = server.client()
        client.path("pretest/skip")
        for case_id in CONTENT.info.core_path:
            finish_case_through(client, CONTENT.case(case_id))
        frames: list[str | bytes] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
        page.goto(server.url)
        page.locator("button.hnscc-start-posttest").click()
        drawn = draw(
            pool.items,
            [o.id for o in private.info.objectives],
            private.info.post_test.items_per_attempt,
            "browser-post-key",
            1,
        )
        items = {item.id: item for item in pool.items}
        page.locator(f".hnscc-input-{drawn[0]}").wait_for()
        page.wait_for_timeout(1000)
        keys, sent = frames_content(frames)
        assert _norm(items[drawn[0]].stem)[:60] in sent  # the capture holds the private pool's stems
        rationales = [_norm(o.rationale)[:60] for i in drawn for o in items[i].options]
        assert PRIVATE_MARK not in sent and not [r for r in rationales if r in sent]
        assert not keys & set(FLAGS), keys & set(FLAGS)
        for flag in FLAGS:
            assert f'"{flag}"' not in sent
        dom = _norm(page.content())
        assert PRIVATE_MARK not in dom and "Evidence:" not in dom

        for item_id in drawn:  # answered (each with its first option), then finished
            page.locator(f".hnscc-input-{item_id} input[type=radio]").first.check()
            page.locator(f".hnscc-submit-{item_id}").click()
            page.locator(f".hnscc-submit-{item_id}").wait_for(state="hidden")
        page.wait_for_function("() => !document.querySelector('button.hnscc-finish-test').disabled")
        page.locator("button.hnscc-finish-test").click()
        page.locator(".hnscc-test-result").wait_for()
        page.wait_for_timeout(500)
        after = frames_content(frames)[1]
        assert PRIVATE_MARK in after and all(r in after for r in rationales)  # the feedback, now it is due
    finally:
        server.stop()
