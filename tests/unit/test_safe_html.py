"""The one sanitising helper (hnscc_edu.content.safe_html): script-injection payloads come out as text, the allowlist
holds nothing that runs, and the course's own markdown looks exactly as it did before sanitising."""

from __future__ import annotations

import lxml.html
import pytest
from markdown_it import MarkdownIt

from hnscc_edu.content import safe_html
from hnscc_edu.content.models import Numeric
from hnscc_edu.ui import render
from tests.helpers import ROOT
from tests.hostile import PAYLOADS, inert_problems, visible_text

# Raw HTML as an attacker would write it if it ever reached the cleaner unescaped (a future parser option, a plug-in).
RAW_ATTACKS = (
    "<script>window.__pwned=1</script><p>after</p>",
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:window.__pwned=1">x</a>',
    '<a href=" JaVaScRiPt:window.__pwned=1">x</a>',
    '<a href="java&#9;script:window.__pwned=1">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>window.__pwned=1</script>">x</a>',
    '"><svg onload=window.__pwned=1>',
    '<a href="#" onclick="window.__pwned=1">x</a>',
    '<p style="background:url(javascript:window.__pwned=1)">x</p>',
    '<td style="text-align:left;position:fixed;top:0">x</td>',
    '<iframe src="https://example.org"></iframe><object data="x"></object><embed src="x">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    '<form action="javascript:window.__pwned=1"><button formaction="javascript:1">go</button></form>',
    "<!--<img src=x onerror=window.__pwned=1>-->",
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_markdown_is_shown_as_text_and_runs_nothing(payload):
    out = safe_html.markdown_html(payload)
    assert inert_problems(out) == []
    assert payload in visible_text(out)  # the learner reads exactly what the author typed


@pytest.mark.parametrize("attack", RAW_ATTACKS)
def test_raw_html_reaching_the_cleaner_loses_everything_that_could_run(attack):
    out = safe_html.clean(attack)
    assert inert_problems(out) == [], out
    assert "style=" not in out or "text-align" in out


def test_links_keep_only_http_https_and_mailto_and_never_hand_over_the_page():
    out = safe_html.markdown_html(
        "[a](https://example.org/x) [b](http://example.org) [c](mailto:faculty@example.org) "
        "[d](page.ipynb) [e](#top) [f](//example.org) [g](javascript:alert(1))"
    )
    links = lxml.html.fragment_fromstring(out, create_parent="div").xpath("//a")
    assert {a.text: a.get("href") for a in links} == {
        "a": "https://example.org/x",
        "b": "http://example.org",
        "c": "mailto:faculty@example.org",
        "d": None,
        "e": None,
        "f": None,
    }  # g is plain text: markdown-it refuses the link before nh3 sees it
    assert all(a.get("rel") == "noopener noreferrer" for a in links)
    assert "[g](javascript:alert(1))" in visible_text(out)


def test_markdown_structure_the_course_needs_survives():
    out = safe_html.markdown_html(
        "## Plan\n\n1. **one**\n2. *two*\n\nthen\n\n3. `x`\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "> quoted\n\n```\ncode\n```\n\n---\n\nline  \nbreak"
    )
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    assert [e.tag for e in tree.iter()][1:] == [
        "h3",
        "ol",
        "li",
        "strong",
        "li",
        "em",
        "p",
        "ol",
        "li",
        "code",
        "table",
        "thead",
        "tr",
        "th",
        "th",
        "tbody",
        "tr",
        "td",
        "td",
        "blockquote",
        "p",
        "pre",
        "code",
        "hr",
        "p",
        "br",
    ]
    assert tree.xpath("//ol")[1].get("start") == "3"
    assert [c.get("style") for c in tree.xpath("//td")] == ["text-align:left", "text-align:right"]


def test_headings_start_at_h3_and_images_are_links_not_requests():
    assert safe_html.markdown_html("# Top\n\n###### Small") == "<h3>Top</h3>\n<h6>Small</h6>\n"
    out = safe_html.markdown_html("![a scan](https://example.org/scan.png)")
    assert "<img" not in out and 'href="https://example.org/scan.png"' in out


def test_the_allowlist_holds_nothing_that_runs_or_loads():
    assert not safe_html.TAGS & {
        "script",
        "style",
        "img",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "link",
        "meta",
        "base",
        "video",
        "audio",
        "source",
    }
    names = {name for names in safe_html.ATTRIBUTES.values() for name in names}
    assert not {n for n in names if n.startswith("on")} and not names & {"src", "srcdoc", "class", "id", "action"}
    assert safe_html.URL_SCHEMES == {"http", "https", "mailto"} and safe_html.STYLE_PROPERTIES == {"text-align"}


def test_text_escapes_every_character_that_means_something_in_html():
    assert safe_html.text("<a href=\"x\" title='y'>&") == "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;"
    assert safe_html.text(42) == "42"


def _course_markdown() -> list[str]:
    from hnscc_edu.content.course import load_course

    content = load_course(ROOT)
    texts = [b.markdown for case in content.cases.values() for stage in case.stages for b in stage.reveal if b.markdown]
    items = [i for case in content.cases.values() for i in case.items] + [
        i for bank in content.banks.values() for i in bank.items
    ]
    return texts + [i.working for i in items if isinstance(i, Numeric) and i.working]


def test_the_course_markdown_looks_exactly_as_before_sanitising():
    """Same elements, same attributes (links gain rel only), same text: sanitising changes nothing a learner sees."""
    unsanitised = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    texts = _course_markdown()
    assert texts
    for text in texts:
        before = lxml.html.fragment_fromstring(unsanitised.render(text), create_parent="div")
        after = lxml.html.fragment_fromstring(render.markdown(text), create_parent="div")
        assert [(e.tag, dict(e.attrib)) for e in before.iter()] == [
            (e.tag, {k: v for k, v in e.attrib.items() if k != "rel"}) for e in after.iter()
        ]
        assert before.text_content() == after.text_content()
