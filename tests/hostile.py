"""A hostile copy of the fixture course: script-injection payloads in every text a case shows (markdown, table cells,
headings, stage titles, stems, options, rationales, the working of a numeric answer, a citation) and in the course
title, which becomes a live-poll session's title. Built into a temp folder by the tests; never part of the course.

Every payload would set ``window.__pwned`` if the page ran it, so a browser test only has to look at that one value.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
from ruamel.yaml import YAML

from tests.helpers import FIXTURE_COURSE

PAYLOADS: tuple[str, ...] = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "[x](javascript:window.__pwned=1)",
    '"><svg onload=window.__pwned=1>',
    '<a href="#" onclick="window.__pwned=1">',
)
ALL = " ".join(PAYLOADS)
# One paragraph per payload, so that the text shown can be compared payload by payload.
MARKDOWN = "\n\n".join(PAYLOADS)
# What a learner types into a free-text answer (and, elsewhere, into a numeric one).
LEARNER_TEXT = "My plan, in plain words: " + ALL
CASE_ID = "fixture-case"


def _hostile_case(case: dict[str, Any]) -> None:
    case["title"] = f"Hostile case {PAYLOADS[0]}"
    case["patient"]["summary"] = f"Synthetic test patient. {ALL}"
    for number, stage in enumerate(case["stages"]):
        stage["title"] = f"{stage['title']} {PAYLOADS[number % len(PAYLOADS)]}"
        stage["reveal"].insert(0, {"heading": f"Heading {PAYLOADS[3]}", "markdown": MARKDOWN})
        for block in stage["reveal"]:
            table = block.get("table")
            if table:
                table["caption"] = f"{table['caption']} {PAYLOADS[1]}"
                table["columns"] = [f"{table['columns'][0]} {PAYLOADS[4]}", *table["columns"][1:]]
                table["rows"].append([ALL, 1])
        for item in stage.get("items", []):
            item["stem"] = f"{item['stem']} {PAYLOADS[1]}"
            for option in item.get("options", []):
                option["text"] = f"{option['text']} {PAYLOADS[3]}"
                option["rationale"] = f"{option['rationale']} {ALL}"
            if "feedback" in item:
                item["feedback"]["rationale"] = f"{item['feedback']['rationale']} {ALL}"
            if "working" in item:
                item["working"] = f"{item['working']}\n\n{MARKDOWN}"


def hostile_course(dest: Path) -> Path:
    """Copy the fixture course to ``dest`` with the payloads inserted; returns the course root."""
    shutil.copytree(FIXTURE_COURSE, dest)
    yaml = YAML()  # round trip: dates, ids and quoting stay as the fixture has them
    yaml.width = 4096
    case_file = dest / "cases" / f"{CASE_ID}.yaml"
    case = yaml.load(case_file)
    _hostile_case(case)
    yaml.dump(case, case_file)
    course_file = dest / "course.yaml"
    course = yaml.load(course_file)
    course["title"] = f"Hostile course {ALL}"  # the presenter names its live sessions after the course
    yaml.dump(course, course_file)
    references_file = dest / "references" / "references.yaml"
    references = yaml.load(references_file)
    references["references"][0]["title"] = f"A fixture source {ALL}"
    yaml.dump(references, references_file)
    return dest


# Attributes that take a URL: none may hold a script URL, whatever its case or the blanks inside it.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "{http://www.w3.org/1999/xlink}href")
_BLANKS = re.compile(r"[\x00-\x20]+")


def script_url(value: str) -> bool:
    return _BLANKS.sub("", value).lower().startswith(("javascript:", "vbscript:", "data:text/html"))


def inert_problems(fragment: str) -> list[str]:
    """What in an HTML fragment could run a script: script elements, images (every payload image is one), on*
    attributes, script URLs. Empty when the fragment is inert."""
    if not fragment.strip():
        return []
    problems = []
    if "<script" in fragment.lower():
        problems.append("a <script> tag in the markup")
    tree = lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>")
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        if element.tag.lower() in {"script", "img", "iframe", "object", "embed"}:
            problems.append(f"a <{element.tag}> element")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"attribute {name}={value!r} on <{element.tag}>")
            if name.lower() in URL_ATTRIBUTES and script_url(value):
                problems.append(f"script URL {value!r} on <{element.tag}>")
    return problems


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, blanks collapsed."""
    if not fragment.strip():
        return ""
    tree = lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>")
    for hidden in tree.xpath("//style"):
        hidden.drop_tree()
    return " ".join(tree.text_content().split())


def walk(widget: Any) -> Iterator[Any]:
    """A widget and every widget inside it (boxes, accordions)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)
