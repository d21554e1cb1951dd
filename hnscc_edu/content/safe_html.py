"""The one sanitising helper: every piece of HTML the course builds from content markdown or learner text goes
through here before it reaches JupyterLab, Voila or an exported page.

Two tools, for two jobs:

- ``markdown_html(text)`` renders markdown (markdown-it, raw HTML off, images off) and then passes the result through
  nh3 (the Python binding of the Rust sanitizer *ammonia*, a maintained library, not a hand-written filter) with a
  short allowlist of the tags and attributes the course's markdown needs. markdown-it alone already escapes raw HTML
  and refuses ``javascript:`` links; the allowlist is the second lock, so that a parser option changed later, a new
  markdown plug-in or a parser bug cannot put a script, an event handler or a script URL on the page.
- ``text(value)`` escapes plain text (stems, option texts, a learner's free text echoed in a message). Escaping is
  the right tool for text that is never meant to hold markup; nh3 is for fragments that are.

Widget HTML values are written into the page with ``innerHTML`` by ipywidgets in JupyterLab and in Voila alike, and
JupyterLab's own sanitizer does not see them, so what leaves this module is what the learner's browser gets.
This module imports no widget library: the static HTML export uses it too.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

# What the course's markdown needs (case text, stage reveals, the working of numeric answers), and nothing more.
# Headings start at h3: a stage's own title is an h3 in the player and the pages around it hold the h1/h2.
TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
    }
)
# Per tag; no tag may carry an event handler, a style other than table alignment, a class or an id.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),  # markdown-it writes a table column's alignment as style="text-align:..."
    "td": frozenset({"style"}),
}
STYLE_PROPERTIES: frozenset[str] = frozenset({"text-align"})
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"  # a followed link gets no handle on the course page and no referrer
# Dropped with their content (not just their tags): their text is code or styling, never something to read.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset({"script", "style"})

# Raw HTML in content is not rendered (content is text). Images are off because a remote image is a request to
# another site from a learner's browser (and the course must work offline); ``![alt](url)`` shows as a link.
_parser = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
_TOP_HEADING = 3


def _headings_from_h3(state) -> None:
    """Render ``#`` and ``##`` as h3: kept as headings (not unwrapped into loose text by the allowlist) and below
    the page's own h1/h2, so the outline a screen reader follows stays in order."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and int(token.tag[1]) < _TOP_HEADING:
            token.tag = f"h{_TOP_HEADING}"


_parser.core.ruler.push("headings_from_h3", _headings_from_h3)


def _only_absolute_safe_links(tag: str, attribute: str, value: str) -> str | None:
    """Keep a link only when it names http, https or mailto: relative and protocol-relative targets are dropped
    too, so that what a link can do is decided here and not by the page it happens to be shown on."""
    if tag == "a" and attribute == "href":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in URL_SCHEMES else None
    return value


def clean(fragment: str) -> str:
    """An HTML fragment reduced to the allowlist: other tags are unwrapped (their text stays), attributes outside
    the allowlist and links outside the allowed schemes are removed, ``rel`` is set on every link."""
    return nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_only_absolute_safe_links,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
    )


def markdown_html(text: str) -> str:
    """Markdown from content (or any text that may hold markdown) as sanitised HTML."""
    return clean(_parser.render(text))


def text(value: object) -> str:
    """Plain text as HTML: every character that means something in HTML (quotes included) escaped."""
    return html.escape(str(value), quote=True)
