"""Show-and-hide sections a keyboard can open: a real button that toggles the section below it.

ipywidgets' Accordion draws its headers as elements Tab never reaches (WCAG 2.1.1, found by the keyboard walk in
tests/browser/test_accessibility.py), so the course does not use it. Sections made only of HTML use the browser's own
``<details>`` element, which is keyboard-operable as it stands.
"""

from __future__ import annotations

import html

import ipywidgets as widgets


def disclosure(title: str, body: widgets.Widget, css_class: str, open_: bool = False) -> widgets.VBox:
    """``body`` under a toggle button named ``title`` (Space or Enter opens and closes it), shown when ``open_``."""
    toggle = widgets.ToggleButton(
        value=open_,
        description=title,
        tooltip=f"Show or hide: {title}",
        layout=widgets.Layout(width="auto", max_width="100%", height="auto"),
    )
    toggle.add_class("hnscc-disclosure-toggle")
    toggle.add_class(css_class)
    body.layout.display = None if open_ else "none"

    def show(change: dict) -> None:
        body.layout.display = None if change["new"] else "none"

    toggle.observe(show, names="value")
    return widgets.VBox([toggle, body])


def details_html(summary: str, body_html: str, open_: bool = False) -> str:
    """An HTML ``<details>`` section: ``summary`` is escaped here, ``body_html`` must already be safe HTML."""
    return (
        f'<details class="hnscc-details"{" open" if open_ else ""}><summary>{html.escape(summary)}</summary>'
        f"{body_html}</details>"
    )
