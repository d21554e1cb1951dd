"""Static, self-contained HTML for offline reading: per case (or item bank) a question paper and a separate answer
sheet with the keys, each option's rationale, evidence label, status and sources.

Self-contained: styles are inline and nothing is loaded from elsewhere (markdown images are switched off). Safe: every
content text is escaped, and markdown goes through the course's one sanitising helper (``hnscc_edu.content.safe_html``:
markdown-it with raw HTML off, then nh3 with the course's allowlist), so markup typed into a case shows as text and
no script, event handler or ``javascript:`` link reaches the page. This module imports no widget library (neither
does ``safe_html``).

The pages are templates (``templates/static/``: the page skeleton, the question paper, the answer sheet, and one
macro per item type in ``items.html.j2``), rendered with autoescaping by ``hnscc_edu.templating``; this module
chooses what goes on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .. import templating
from ..content.models import SCT_POINTS, Case, ItemBank, Reference
from .common import (
    Output,
    Source,
    feedback_text,
    numeric_tolerance,
    option_scores,
    percent,
    source_of,
    split_supported,
)
from .xmltree import number

FORMAT = "html"


def _disclaimer_parts(disclaimer: str) -> tuple[str, str | None]:
    """The course's disclaimer (course.yaml) as the banner shows it: its first sentence in bold, as in the notebooks,
    then the rest (None when it is a single sentence)."""
    first, sep, rest = disclaimer.partition(". ")
    return (first + ".", rest) if sep else (disclaimer, None)


def letter(index: int) -> str:
    """The letter an option or step carries on the paper: A, B, C ..."""
    return chr(65 + index)


def letters(shown: Sequence[Any], chosen: Iterable[Any]) -> str:
    """The letters (as ``shown`` on the paper) of the ``chosen`` options or steps, in their order: "A, C"."""
    return ", ".join(letter(shown.index(x)) for x in chosen)


def panel_rows(item: Any) -> list[tuple[str, str, int, str]]:
    """A script concordance item's panel: per answer, its points, meaning, votes and the credit it earns (votes /
    votes for the most common answer)."""
    counts = item.panel.counts
    modal = max(counts)
    return [(f"{p:+d}", a, c, number(c / modal)) for p, a, c in zip(SCT_POINTS, item.anchors, counts, strict=True)]


# The macro of templates/static/items.html.j2 that writes an item of each type on the paper, and on the answer sheet.
# A type missing here is reported by ``split_supported`` as left out, never a crash.
ASK = {
    "single_best_answer": "ask_choice",
    "multiple_select": "ask_choice",
    "numeric": "ask_numeric",
    "free_text": "ask_free_text",
    "key_feature": "ask_key_feature",
    "script_concordance": "ask_script_concordance",
    "ordering": "ask_ordering",
}
EXPLAIN = {
    "single_best_answer": "explain_choice",
    "multiple_select": "explain_choice",
    "numeric": "explain_numeric",
    "free_text": "explain_free_text",
    "key_feature": "explain_key_feature",
    "script_concordance": "explain_script_concordance",
    "ordering": "explain_ordering",
}
# What the item macros compute with: the item facts every export format shares (export/common.py).
ITEM_HELPERS = {
    "option_scores": option_scores,
    "percent": percent,
    "numeric_tolerance": numeric_tolerance,
    "feedback_text": feedback_text,
    "number": number,
    "letter": letter,
    "letters": letters,
    "panel_rows": panel_rows,
    "sct_points": SCT_POINTS,
    "ASK": ASK,
    "EXPLAIN": EXPLAIN,
}


def render(model: Case | ItemBank, references: Mapping[str, Reference], disclaimer: str) -> Output:
    """``<id>.html`` (the case or bank to read and answer) and ``<id>-answers.html`` (keys and rationale)."""
    source: Source = source_of(model)
    chosen, warnings = split_supported(FORMAT, source, ASK)
    numbers = {item.id: n for n, (_, item, _) in enumerate(chosen, start=1)}
    answers_file = f"{model.id}-answers.html"
    stage_titles = {stage.id: stage.title for stage in model.stages} if isinstance(model, Case) else {}
    stages = model.stages if isinstance(model, Case) else [None]
    sections = [
        {
            "stage": stage,
            "position": position,
            "questions": [
                item for section, item, _ in chosen if section.id == (model.id if stage is None else stage.id)
            ],
        }
        for position, stage in enumerate(stages, start=1)
    ]
    cited = sorted({key for _, item, _ in chosen for block in _feedback_blocks(item) for key in block.references})
    context = {
        **ITEM_HELPERS,
        "model": model,
        "patient": model.patient if isinstance(model, Case) else None,
        "disclaimer": _disclaimer_parts(disclaimer),
        "sections": sections,
        "numbers": numbers,
        "references": references,
        "stage_titles": stage_titles,
    }
    paper = templating.render("static/paper.html.j2", title=model.title, answers_file=answers_file, **context)
    sheet = templating.render("static/answers.html.j2", title=f"Answer sheet: {model.title}", cited=cited, **context)
    return Output(
        {f"{model.id}.html": paper.encode("utf-8"), answers_file: sheet.encode("utf-8")},
        tuple(warnings),
    )


def _feedback_blocks(item: Any) -> list[Any]:
    blocks = getattr(item, "options", None) or getattr(item, "steps", None)
    return list(blocks) if blocks else [item.feedback]
