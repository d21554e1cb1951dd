"""The re-irradiation checklist offered for download in a notebook or a Voila dashboard.

The files are made when the cell runs (nothing waits for a click) and carried in ``data:`` links, so nothing is
written next to the notebook or into the course folder, and the download works the same in JupyterLab and in Voila
(as the certificate link of the path panel does). The checklist itself: :mod:`hnscc_edu.export.checklist`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping

import ipywidgets as widgets

from ..content.models import Reference
from ..export import checklist
from ..templating import error_box
from . import render
from .errors import FAULT_MESSAGE, log_fault


def _link(data: bytes, mime: str, name: str, label: str, css: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{css}" download="{html.escape(name)}" href="data:{mime};base64,{encoded}">{html.escape(label)}</a>'
    )


def links_html(references: Mapping[str, Reference]) -> str:
    """Two download links (PDF and HTML) with a line saying what the checklist holds."""
    pdf = _link(
        checklist.render_pdf(references),
        "application/pdf",
        checklist.PDF_NAME,
        "Download the checklist (PDF, one page)",
        "hnscc-checklist-pdf",
    )
    page = _link(
        checklist.render_html(references).encode("utf-8"),
        "text/html;charset=utf-8",
        checklist.HTML_NAME,
        "Download the checklist (HTML)",
        "hnscc-checklist-html",
    )
    return (
        f'<div class="hnscc-info"><p><strong>{html.escape(checklist.TITLE)}.</strong> Selection criteria, the '
        "cumulative organ-at-risk limits with each row's source, and the toxicity-mitigation steps, each with its "
        f"sources and evidence label.</p><p>{pdf} &nbsp;|&nbsp; {page}</p></div>"
    )


def checklist_download(references: Mapping[str, Reference]) -> widgets.HTML:
    """A widget with the download links; if the files cannot be made, a friendly message instead of a traceback."""
    try:
        value = links_html(references)
    except Exception:  # noqa: BLE001 - a learner or a dashboard never sees a traceback
        log_fault("making the re-irradiation checklist failed")
        value = error_box(FAULT_MESSAGE, "The checklist cannot be made.")
    box = widgets.HTML(f"{render.STYLE}{value}")
    box.add_class("hnscc-checklist-link")
    return box
