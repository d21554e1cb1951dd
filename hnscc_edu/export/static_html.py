"""Static, self-contained HTML for offline reading: per case (or item bank) a question paper and a separate answer
sheet with the keys, each option's rationale, evidence label, status and sources.

Self-contained: styles are inline and nothing is loaded from elsewhere (markdown images are switched off). Safe: every
content text is escaped, and markdown goes through the course's one sanitising helper (``hnscc_edu.content.safe_html``:
markdown-it with raw HTML off, then nh3 with the course's allowlist), so markup typed into a case shows as text and
no script, event handler or ``javascript:`` link reaches the page. This module imports no widget library (neither
does ``safe_html``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from ..content.models import SCT_POINTS, Case, ItemBank, Reference, RevealBlock, TableBlock
from ..content.safe_html import markdown_html
from .common import (
    Output,
    Source,
    citation_text,
    feedback_text,
    numeric_tolerance,
    option_scores,
    percent,
    source_of,
    split_supported,
)
from .xmltree import number

FORMAT = "html"

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;max-width:48rem;
  margin:1.5rem auto;padding:0 1rem;color:#111;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #1f3b73;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem;margin-top:1.4rem}
.banner{border:2px solid #5a3e00;background:#fff4d6;color:#2b1d00;padding:.4rem .7rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #555;padding:.2rem .5rem;text-align:left;
  vertical-align:top}caption{text-align:left;font-weight:600}
.answer-line{display:inline-block;min-width:8rem;border-bottom:1px solid #111}
.answer-box{border:1px solid #555;min-height:6rem;margin:.3rem 0}
.key{font-weight:700}.meta{font-size:.9rem;color:#333}
a{color:#1f3b73}
@media print{h2{break-after:avoid}section.item{break-inside:avoid}a{color:#111}}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_e(title)}</title>\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _banner(disclaimer: str) -> str:
    """The course's disclaimer (course.yaml), its first sentence in bold as in the notebooks."""
    first, sep, rest = disclaimer.partition(". ")
    head, tail = (first + ".", " " + rest) if sep else (disclaimer, "")
    return f'<p class="banner" role="note"><strong>{_e(head)}</strong>{_e(tail)}</p>'


def _table(block: TableBlock) -> str:
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in block.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in block.rows)
    return f"<table><caption>{_e(block.caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _reveal(blocks: list[RevealBlock]) -> str:
    parts = []
    for block in blocks:
        if block.heading:
            parts.append(f"<h3>{_e(block.heading)}</h3>")
        if block.markdown:
            parts.append(markdown_html(block.markdown))
        if block.table:
            parts.append(_table(block.table))
    return "\n".join(parts)


# --- one item on the question paper, and on the answer sheet ---------------------------------------------------------


def _ask_choice(item: Any) -> str:
    hint = (
        "<p><em>Choose one answer.</em></p>"
        if item.type == "single_best_answer"
        else "<p><em>Select all that apply.</em></p>"
    )
    options = "".join(f"<li>{_e(o.text)}</li>" for o in item.options)
    return f'{hint}<ol type="A">{options}</ol>'


def _ask_numeric(item: Any) -> str:
    return f'<p>Answer: <span class="answer-line" aria-label="answer">&nbsp;</span> {_e(item.answer.unit)}</p>'


def _ask_free_text(item: Any) -> str:
    return '<p>Your answer:</p><div class="answer-box" aria-label="space for your answer"></div>'


def _sources(feedback: Any, references: Mapping[str, Reference]) -> str:
    text = feedback_text(feedback, references)
    return (
        f'<p class="meta">{_e(text.evidence)}</p><p class="meta">Sources:</p><ul class="meta">'
        + "".join(f"<li>{_e(s)}</li>" for s in text.sources)
        + "</ul>"
    )


def _explain_choice(item: Any, references: Mapping[str, Reference], stage_titles: Mapping[str, str]) -> str:
    scores = option_scores(item)
    keys = [o for o in item.options if o.correct]
    if item.type == "single_best_answer":
        head = f'<p class="key">Best answer: {_e(chr(65 + item.options.index(keys[0])))}. {_e(keys[0].text)}</p>'
    else:
        letters = ", ".join(chr(65 + item.options.index(k)) for k in keys)
        head = (
            f'<p class="key">Options that apply: {_e(letters)}.</p><p class="meta">Scoring: each option that '
            f"applies earns {percent(1 / len(keys))}% of the mark and each that does not takes "
            f"{percent(1 / len(keys))}% away; the score never falls below zero.</p>"
        )
    entries = []
    for index, option in enumerate(item.options):
        verdict = (
            ("the best answer" if item.type == "single_best_answer" else "applies")
            if option.correct
            else ("not the best answer" if item.type == "single_best_answer" else "does not apply")
        )
        branch = ""
        if getattr(option, "next_stage", None):
            target = stage_titles.get(option.next_stage, option.next_stage)
            branch = f'<p class="meta">In the course this choice leads to the stage: {_e(target)}</p>'
        entries.append(
            f"<li><p><strong>{chr(65 + index)}. {_e(option.text)}</strong> ({verdict}; score "
            f"{percent(scores[option.id])}%). {_e(option.rationale)}</p>{branch}"
            f"{_sources(option, references)}</li>"
        )
    return head + "<ul>" + "".join(entries) + "</ul>"


def _explain_numeric(item: Any, references: Mapping[str, Reference], _stages: Mapping[str, str]) -> str:
    answer = item.answer
    width = numeric_tolerance(answer)
    accepted = (
        f" (accepted: {number(answer.value - width)} to {number(answer.value + width)} {answer.unit})" if width else ""
    )
    working = f"<p>Working:</p><pre>{_e(item.working)}</pre>" if item.working else ""
    return (
        f'<p class="key">Expected answer: {_e(number(answer.value))} {_e(answer.unit)}{_e(accepted)}</p>'
        f"<p>{_e(item.feedback.rationale)}</p>{working}{_sources(item.feedback, references)}"
    )


def _explain_free_text(item: Any, references: Mapping[str, Reference], _stages: Mapping[str, str]) -> str:
    return (
        f'<p class="key">Not scored. Points a strong answer covers:</p><p>{_e(item.feedback.rationale)}</p>'
        f"{_sources(item.feedback, references)}"
    )


def _ask_key_feature(item: Any) -> str:
    options = "".join(f"<li>{_e(o.text)}</li>" for o in item.options)
    return f'<p><em>Choose up to {item.select}.</em></p><ol type="A">{options}</ol>'


def _ask_script_concordance(item: Any) -> str:
    scale = "".join(
        f"<li>{point:+d}: {_e(anchor)}</li>" for point, anchor in zip(SCT_POINTS, item.anchors, strict=True)
    )
    return (
        f"<p><em>If you were considering:</em> {_e(item.hypothesis)}</p><p><em>and you then learn:</em> "
        f"{_e(item.new_information)}</p><p><em>this option becomes (circle one):</em></p><ul>{scale}</ul>"
    )


def _ask_ordering(item: Any) -> str:
    steps = "".join(f"<li>{_e(step.text)}</li>" for step in item.shown_order())
    return (
        f'<p><em>Number the steps in order, first to last.</em></p><ol type="A">{steps}</ol>'
        '<p>Order: <span class="answer-line" aria-label="answer">&nbsp;</span></p>'
    )


def _explain_key_feature(item: Any, references: Mapping[str, Reference], _stages: Mapping[str, str]) -> str:
    entries = []
    for index, option in enumerate(item.options):
        verdict = (
            "a key action"
            if option.correct
            else ("HARMFUL: choosing it scores the item 0" if option.killer else "not a key action")
        )
        entries.append(
            f"<li><p><strong>{chr(65 + index)}. {_e(option.text)}</strong> ({verdict}). "
            f"{_e(option.rationale)}</p>{_sources(option, references)}</li>"
        )
    keys = ", ".join(chr(65 + item.options.index(o)) for o in item.options if o.correct)
    return (
        f'<p class="key">Key actions: {_e(keys)}.</p><p class="meta">Scoring: each key earns 1/{item.select} of '
        "the mark; any harmful option scores the item 0.</p><ul>" + "".join(entries) + "</ul>"
    )


def _explain_script_concordance(item: Any, references: Mapping[str, Reference], _stages: Mapping[str, str]) -> str:
    counts = item.panel.counts
    modal = max(counts)
    rows = "".join(
        f"<tr><td>{p:+d}</td><td>{_e(a)}</td><td>{c}</td><td>{number(c / modal)}</td></tr>"
        for p, a, c in zip(SCT_POINTS, item.anchors, counts, strict=True)
    )
    label = "Example panel (faculty replace it with their own)" if item.panel.example else "Reference panel"
    return (
        f'<p class="key">{_e(label)}: {_e(item.panel.description)}</p><table><caption>Panel answers and the '
        "credit each answer earns (votes / votes for the most common answer)</caption><thead><tr>"
        '<th scope="col">Answer</th><th scope="col">Meaning</th><th scope="col">Panel</th>'
        f'<th scope="col">Credit</th></tr></thead><tbody>{rows}</tbody></table>'
        f"<p>{_e(item.feedback.rationale)}</p>{_sources(item.feedback, references)}"
    )


def _explain_ordering(item: Any, references: Mapping[str, Reference], _stages: Mapping[str, str]) -> str:
    shown = item.shown_order()
    letters = ", ".join(chr(65 + shown.index(step)) for step in item.steps)
    entries = "".join(
        f"<li><p><strong>{_e(step.text)}</strong>. {_e(step.rationale)}</p>{_sources(step, references)}</li>"
        for step in item.steps
    )
    return (
        f'<p class="key">Right order: {_e(letters)}.</p><p class="meta">Scoring: credit for each pair of steps in '
        f"the right relative order.</p><ol>{entries}</ol>"
    )


ASK = {
    "single_best_answer": _ask_choice,
    "multiple_select": _ask_choice,
    "numeric": _ask_numeric,
    "free_text": _ask_free_text,
    "key_feature": _ask_key_feature,
    "script_concordance": _ask_script_concordance,
    "ordering": _ask_ordering,
}
EXPLAIN = {
    "single_best_answer": _explain_choice,
    "multiple_select": _explain_choice,
    "numeric": _explain_numeric,
    "free_text": _explain_free_text,
    "key_feature": _explain_key_feature,
    "script_concordance": _explain_script_concordance,
    "ordering": _explain_ordering,
}


def render(model: Case | ItemBank, references: Mapping[str, Reference], disclaimer: str) -> Output:
    """``<id>.html`` (the case or bank to read and answer) and ``<id>-answers.html`` (keys and rationale)."""
    source: Source = source_of(model)
    chosen, warnings = split_supported(FORMAT, source, ASK)
    numbers = {item.id: n for n, (_, item, _) in enumerate(chosen, start=1)}
    answers_file = f"{model.id}-answers.html"
    stage_titles = {stage.id: stage.title for stage in model.stages} if isinstance(model, Case) else {}

    paper = [f"<h1>{_e(model.title)}</h1>", _banner(disclaimer)]
    if isinstance(model, Case):
        patient = model.patient
        paper.append(f"<p>{_e(model.summary)}</p>")
        paper.append(
            f"<p><strong>Patient (synthetic):</strong> {_e(patient.pseudonym)}, {patient.age}, "
            f"{_e(patient.sex)}. {_e(patient.summary)}</p>"
        )
    paper.append(
        f'<p>The answers and their rationale are on a separate <a href="{_e(answers_file)}">answer sheet</a>.</p>'
    )
    sheet = [
        f"<h1>Answer sheet: {_e(model.title)}</h1>",
        _banner(disclaimer),
        f'<p>The questions are in <a href="{_e(model.id)}.html">{_e(model.title)}</a>.</p>',
    ]
    stages = model.stages if isinstance(model, Case) else [None]
    for position, stage in enumerate(stages, start=1):
        section_id = stage.id if stage is not None else model.id
        stage_items = [(item, ask) for section, item, ask in chosen if section.id == section_id]
        if stage is not None:
            paper.append(f"<section><h2>Stage {position}: {_e(stage.title)}</h2>")
            paper.append(_reveal(stage.reveal))
        else:
            paper.append("<section><h2>Questions</h2>")
        for item, ask in stage_items:
            paper.append(
                f'<section class="item"><h3>Question {numbers[item.id]}</h3><p>{_e(item.stem)}</p>{ask(item)}</section>'
            )
        paper.append("</section>")
        if stage_items:
            heading = f"Stage {position}: {_e(stage.title)}" if stage is not None else "Questions"
            sheet.append(f"<section><h2>{heading}</h2>")
            for item, _ in stage_items:
                explain = EXPLAIN[item.type](item, references, stage_titles)
                sheet.append(
                    f'<section class="item"><h3>Question {numbers[item.id]}</h3><p>{_e(item.stem)}</p>'
                    f"{explain}</section>"
                )
            sheet.append("</section>")
    cited = sorted({key for _, item, _ in chosen for block in _feedback_blocks(item) for key in block.references})
    sheet.append(
        "<section><h2>References</h2><ol>"
        + "".join(f"<li>{_e(citation_text(references.get(k), k))}</li>" for k in cited)
        + "</ol></section>"
    )
    return Output(
        {
            f"{model.id}.html": _page(model.title, "\n".join(paper)).encode("utf-8"),
            answers_file: _page(f"Answer sheet: {model.title}", "\n".join(sheet)).encode("utf-8"),
        },
        tuple(warnings),
    )


def _feedback_blocks(item: Any) -> list[Any]:
    blocks = getattr(item, "options", None) or getattr(item, "steps", None)
    return list(blocks) if blocks else [item.feedback]
