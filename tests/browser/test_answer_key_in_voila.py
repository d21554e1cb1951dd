"""Layer 4: the answer key stays in the kernel until the learner submits.

The module 1 notebook is opened in Voila; before any answer, the page (its whole DOM, the widget state Voila embeds
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
from tests.browser.walk import answer, feedback_text
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
    offsets = [int.from_bytes(payload[8 * (i + 1):8 * (i + 2)], "little") for i in range(count)]
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
        page.locator(f".hnscc-case-{case.id} .hnscc-current-stage h3").first.wait_for()
    page.wait_for_timeout(1000)  # let the widget-state replies that follow the first render arrive

    assert frames, "no websocket frame was captured"
    keys, sent = frames_content(frames)
    # The capture sees the widgets' state: the questions and options shown are in it (so absence below means absence).
    shown_first = [text for case in CASES for item in case.stages[0].items
                   for text in [item.stem, *(o.text for o in getattr(item, "options", []))]]
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
