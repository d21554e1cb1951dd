"""HTML for content: markdown, tables, citations and the feedback of a graded answer. Display only, no logic."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

from ..content import safe_html
from ..content.models import Reference, RevealBlock, Status, TableBlock
from ..rules.grading import GradeResult
from ..rules.grading.result import points

# The banner every page carries; the first sentence is shown in bold.
DISCLAIMER_HEADLINE = "Education, not clinical advice."
DISCLAIMER_DETAIL = (
    "The patients in this course are synthetic; decisions for real patients belong to their treating team."
)

STYLE = """<style>
.hnscc-banner{border:2px solid #5a3e00;background:#fff4d6;color:#2b1d00;padding:6px 10px;margin:4px 0;
  font-size:0.95em}
.hnscc-stage h3{margin:8px 0 4px}
.hnscc-table{border-collapse:collapse;margin:6px 0}
.hnscc-table th,.hnscc-table td{border:1px solid #555;padding:3px 8px;text-align:left !important;vertical-align:top}
.hnscc-feedback{border-left:4px solid #1f3b73;padding:4px 10px;margin:6px 0;background:#f3f6fb;color:#111}
.hnscc-feedback li{margin:4px 0}
.hnscc-error{border:2px solid #8b0000;background:#fdecea;color:#4a0000;padding:6px 10px}
.hnscc-info{border:2px solid #1f3b73;background:#eef3fb;color:#10214a;padding:6px 10px}
.hnscc-badge{display:inline;border:1px solid #333;border-radius:3px;padding:0 4px;font-size:0.85em;line-height:1.2;
  background:#fff;color:#111}
.hnscc-badge-investigational,.hnscc-badge-off-label,.hnscc-badge-emerging{border-width:2px;font-weight:bold}
.hnscc-stem{font-weight:600;margin:8px 0 2px}
.hnscc-stem-for-you{border-left:4px solid #1f3b73;padding-left:6px}
.hnscc-for-you{border-color:#1f3b73;color:#10214a;font-weight:600}
.hnscc-stem-optional{border-left:4px dashed #6b6b6b;padding-left:6px}
.hnscc-optional{border-style:dashed;color:#333}
.hnscc-feedback small{display:block;line-height:1.4;margin-top:2px}
.hnscc-case-player .widget-radio-box,.hnscc-bank-player .widget-radio-box{height:auto !important}
.hnscc-case-player .widget-radio-box label,.hnscc-bank-player .widget-radio-box label{display:flex !important;
  align-items:flex-start;gap:6px;white-space:normal !important;height:auto !important;line-height:1.4;margin:3px 0}
.hnscc-case-player .widget-radio-box input,.hnscc-bank-player .widget-radio-box input{margin-top:3px;flex:none;
  order:-1}
.hnscc-feedback li,.hnscc-feedback p,.hnscc-stage li,.hnscc-stage p{line-height:1.5}
.hnscc-case-player .widget-checkbox label,.hnscc-bank-player .widget-checkbox label{white-space:normal !important;
  height:auto !important;line-height:1.4}
.hnscc-case-player .widget-checkbox,.hnscc-bank-player .widget-checkbox{height:auto !important;
  align-items:flex-start}
/* a box ipywidgets lets scroll, holding nothing a keyboard can focus (an earlier stage, a locked ordering answer), is
   a region a keyboard user cannot scroll (axe scrollable-region-focusable): let it grow instead */
.hnscc-case-player .widget-box,.hnscc-bank-player .widget-box{overflow:visible !important}
/* show-and-hide sections (ui/disclosure.py): long titles wrap instead of being cut off */
.hnscc-disclosure-toggle{white-space:normal !important;text-align:left;line-height:1.4;padding:4px 10px}
.hnscc-details summary{cursor:pointer;font-weight:600;margin:4px 0}
</style>"""


def markdown(text: str) -> str:
    """Content markdown as HTML, through the one sanitising helper (raw HTML and script links never survive)."""
    return safe_html.markdown_html(text)


def data_table(
    columns: Sequence[object], rows: Sequence[Sequence[object]], caption: str, row_classes: Sequence[str] | None = None
) -> str:
    """A plain accessible table with a caption and column headers; every cell is escaped."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)
    classes = row_classes or [""] * len(rows)
    body = "".join(
        (f'<tr class="{html.escape(cls)}">' if cls else "<tr>")
        + "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
        + "</tr>"
        for row, cls in zip(rows, classes, strict=True)
    )
    return (
        f'<table class="hnscc-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def table(block: TableBlock) -> str:
    return data_table(block.columns, block.rows, block.caption)


def reveal(blocks: Iterable[RevealBlock]) -> str:
    """What a stage reveals: headings and table cells as escaped text, markdown through ``safe_html``."""
    parts: list[str] = []
    for block in blocks:
        if block.heading:
            parts.append(f"<h4>{safe_html.text(block.heading)}</h4>")
        if block.markdown:
            parts.append(safe_html.markdown_html(block.markdown))
        if block.table:
            parts.append(table(block.table))
    return "".join(parts)


def banner() -> str:
    return (
        f'{STYLE}<div class="hnscc-banner" role="note"><strong>{DISCLAIMER_HEADLINE}</strong> '
        f"{html.escape(DISCLAIMER_DETAIL)}</div>"
    )


def citation(reference: Reference | None, key: str) -> str:
    if reference is None:
        return html.escape(key)
    where = ", ".join(x for x in (reference.journal, str(reference.year)) if x)
    link = ""
    if reference.doi:
        link = f" doi:{html.escape(reference.doi)}"
    elif reference.pmid:
        link = f" PMID {html.escape(reference.pmid)}"
    parts = [reference.authors.rstrip("."), reference.title.rstrip("."), where]
    return ". ".join(html.escape(x) for x in parts if x) + "." + link


def _badge(status: Status) -> str:
    return f'<span class="hnscc-badge hnscc-badge-{status.value}">{html.escape(status.value.upper())}</span>'


def feedback(result: GradeResult, references: Mapping[str, Reference]) -> str:
    """The elaborated feedback: the verdict in words, then each option's rationale, evidence label and sources."""
    icon = {"Correct": "✔", "Partly correct": "◐", "Not correct": "✘", "Recorded": "✎"}[result.verdict]
    parts = [
        f'<div class="hnscc-feedback" role="status"><p><strong>{icon} {result.verdict}</strong> '
        f"(score {points(result.score)} of {points(result.max_score)}). {html.escape(result.summary)}</p><ul>"
    ]
    for entry in result.feedback:
        marks = []
        if entry.chosen and len(result.feedback) > 1:
            marks.append("your choice")
        if len(result.feedback) > 1:
            marks.append("applies" if entry.correct else "does not apply")
        label = f" ({'; '.join(marks)})" if marks else ""
        sources = "; ".join(citation(references.get(k), k) for k in entry.references)
        parts.append(
            f"<li><strong>{html.escape(entry.text)}</strong>{label}. {html.escape(entry.rationale)}<br>"
            f"<small>Evidence: {html.escape(entry.evidence.label)} {_badge(entry.status)} "
            f"Sources: {sources}</small></li>"
        )
    parts.append("</ul>")
    if result.working:
        parts.append(f"<p><strong>Working:</strong></p>{safe_html.markdown_html(result.working)}")
    parts.append("</div>")
    return "".join(parts)
