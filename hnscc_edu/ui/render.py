"""HTML for content: markdown, tables, citations and the feedback of a graded answer. Display only, no logic.

The markup is the shared macros of ``templates/macros.html.j2`` (the pages use the same ones), rendered with
autoescaping by ``hnscc_edu.templating``; these functions hand widgets plain strings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .. import templating
from ..content import safe_html
from ..content.models import Reference, RevealBlock, TableBlock
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
    if row_classes is not None and len(row_classes) != len(rows):
        raise ValueError(f"{len(row_classes)} row classes for {len(rows)} rows")
    return templating.fragment("table", columns, rows, caption, "hnscc-table", row_classes)


def table(block: TableBlock) -> str:
    return data_table(block.columns, block.rows, block.caption)


def reveal(blocks: Iterable[RevealBlock]) -> str:
    """What a stage reveals: headings and table cells as escaped text, markdown through ``safe_html``."""
    return templating.fragment("reveal", blocks, "h4", "", "hnscc-table")


def banner() -> str:
    return STYLE + templating.fragment("banner", DISCLAIMER_HEADLINE, DISCLAIMER_DETAIL, "div", "hnscc-banner")


def citation(reference: Reference | None, key: str) -> str:
    """A bibliography entry as escaped text (``content.citations.citation_text``)."""
    return templating.fragment("citation", reference, key)


VERDICT_ICONS = {"Correct": "✔", "Partly correct": "◐", "Not correct": "✘", "Recorded": "✎"}


def feedback(result: GradeResult, references: Mapping[str, Reference]) -> str:
    """The elaborated feedback: the verdict in words, then each option's rationale, evidence label and sources."""
    several = len(result.feedback) > 1
    entries = []
    for entry in result.feedback:
        marks = []
        if entry.chosen and several:
            marks.append("your choice")
        if several:
            marks.append("applies" if entry.correct else "does not apply")
        entries.append((entry, f" ({'; '.join(marks)})" if marks else ""))
    return templating.fragment(
        "feedback",
        result,
        entries,
        VERDICT_ICONS[result.verdict],
        points(result.score),
        points(result.max_score),
        references,
    )
