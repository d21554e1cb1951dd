"""The re-irradiation checklist offered for download in a notebook or a Voila dashboard.

The files are carried in ``data:`` links, so nothing is written next to the notebook or into the course folder, and
the download works the same in JupyterLab and in Voila (as the certificate link of the path panel does). Nothing waits
for a click: the cell shows the box at once, saying the files are being made, and a thread of the kernel makes them
and puts the two links in (ReportLab and the PDF take a dashboard's kernel about 0.2 s, which the page's remaining cells
and its drawing in the browser no longer wait for). The checklist itself: :mod:`hnscc_edu.export.checklist`.
"""

from __future__ import annotations

import base64
import html
import threading
from collections.abc import Mapping

import ipywidgets as widgets

from ..clinical.reirradiation_checklist import TITLE
from ..content.models import Reference
from ..templating import error_box
from . import render
from .errors import FAULT_MESSAGE, log_fault

ABOUT = (
    "Selection criteria, the cumulative organ-at-risk limits with each row's source, and the toxicity-mitigation "
    "steps, each with its sources and evidence label."
)
PREPARING = "Preparing the checklist files (PDF and HTML)…"


def _link(data: bytes, mime: str, name: str, label: str, css: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{css}" download="{html.escape(name)}" href="data:{mime};base64,{encoded}">{html.escape(label)}</a>'
    )


def _box(detail: str) -> str:
    return f'<div class="hnscc-info"><p><strong>{html.escape(TITLE)}.</strong> {html.escape(ABOUT)}</p>{detail}</div>'


def links_html(references: Mapping[str, Reference]) -> str:
    """Two download links (PDF and HTML) with a line saying what the checklist holds."""
    from ..export import checklist  # ReportLab: loaded by the thread that makes the files, not by the page's cell

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
    return _box(f"<p>{pdf} &nbsp;|&nbsp; {page}</p>")


def _fill(box: widgets.HTML, references: Mapping[str, Reference]) -> None:
    try:
        value = links_html(references)
    except Exception:  # noqa: BLE001 - a learner or a dashboard never sees a traceback
        log_fault("making the re-irradiation checklist failed")
        value = error_box(FAULT_MESSAGE, "The checklist cannot be made.")
    box.value = f"{render.STYLE}{value}"


def checklist_download(references: Mapping[str, Reference]) -> widgets.HTML:
    """A widget that shows the download links once a thread has made the files (``PREPARING`` until then); if they
    cannot be made, a friendly message instead of a traceback."""
    box = widgets.HTML(f"{render.STYLE}{_box(f'<p>{html.escape(PREPARING)}</p>')}")
    box.add_class("hnscc-checklist-link")
    threading.Thread(target=_fill, args=(box, references), name="hnscc-checklist", daemon=True).start()
    return box
