"""The one Jinja2 environment for the HTML the course writes, and the shared pieces every page and widget uses.

Whole pages are templates in ``hnscc_edu/templates/`` (shipped as package data): the static export's question paper
and answer sheet, the outcomes report, the re-irradiation checklist, the transcript, the certificate verification
page and the course information. The pieces they share (citation, table, stage reveal, disclaimer banner, graded
feedback, error box) are macros in ``templates/macros.html.j2``; widgets reach the same macros through ``fragment``
and ``error_box``, so each piece of markup is written once. This is how Voila and otter render their pages
(``voila/server_extension.py`` builds one ``Environment(autoescape=True)``; otter's exporters render
``templates/via_html/index.html.j2``).

Autoescaping is on for every template: whatever ``{{ ... }}`` puts in a page is escaped unless it is ``Markup``.
Only two kinds of value are ``Markup``: what another template or macro rendered, and HTML a caller marks safe
explicitly, with a comment saying why (the output of the course's sanitiser ``content.safe_html``, the course's own
constant stylesheets, pandas' table markup, whose cells pandas escapes). Learner input and content text stay plain
strings, so they are escaped.

Escaping spells the five special characters as ``html.escape`` does (``&#x27;``, ``&quot;``), as the pages did when
they were f-strings: the pages, their tests and the exported files keep their bytes. Jinja's own escaping (markupsafe)
escapes the same characters and spells two of them differently (``&#39;``, ``&#34;``).
"""

from __future__ import annotations

import functools
import html
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from markupsafe import Markup

from .content import safe_html, statements
from .content.citations import citation_text

MACROS = "macros.html.j2"


@pass_eval_context
def _escape_as_html_escape(eval_ctx: EvalContext, value: Any) -> Any:
    """Escape a value on its way into an autoescaped page with ``html.escape`` (see the module docstring); Markup
    passes unchanged, and a template rendered without autoescaping gets the value as it is."""
    if not eval_ctx.autoescape or hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


def _markdown(text: str) -> Markup:
    # Safe to insert as HTML: markdown-it renders with raw HTML off, then nh3 keeps only the course's allowlist of
    # tags, attributes and link schemes (content/safe_html.py), so no script, handler or javascript: link survives.
    return Markup(safe_html.markdown_html(text))


def _ama_italics(text: str) -> Markup:
    # Safe to insert as HTML: html_with_ama_italics escapes the whole text first, then wraps the AMA credit phrase
    # (a fixed pattern, statements.AMA_PHRASE) in <em>.
    return Markup(statements.html_with_ama_italics(text))


@functools.cache
def environment() -> Environment:
    """The course's Jinja2 environment (built once): templates from the package, autoescaping on, an undefined name
    an error rather than an empty string, and block tags that leave no blank lines behind."""
    env = Environment(
        loader=PackageLoader("hnscc_edu", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        finalize=_escape_as_html_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates ship with the package and do not change while it runs
    )
    env.filters["markdown"] = _markdown
    env.filters["ama_italics"] = _ama_italics
    env.globals["citation_text"] = citation_text
    return env


def render(name: str, /, **context: Any) -> str:
    """The template ``name`` (a path under ``hnscc_edu/templates/``) rendered with ``context``."""
    return environment().get_template(name).render(**context)


def fragment(macro: str, /, *args: Any, **kwargs: Any) -> str:
    """One of the shared macros of ``macros.html.j2`` as an HTML string, for a widget or a page built in Python.

    A plain ``str``, not ``Markup``: callers join it with other strings, and ``Markup + str`` would escape the
    other string."""
    return str(getattr(environment().get_template(MACROS).module, macro)(*args, **kwargs))


def error_box(detail: str | None = None, headline: str | None = None, extra_class: str | None = None) -> str:
    """The course's error box (an ``hnscc-error`` alert): an optional bold headline after a warning sign, then the
    detail; both are escaped. ``extra_class`` is a second CSS class, for a test or a style to find."""
    return fragment("error_box", detail, headline, extra_class)
