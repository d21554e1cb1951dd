"""GIFT: Moodle's plain-text question format, one file per source.

Questions are written in the ``[plain]`` text format (Moodle shows the text as typed, so ``<`` in a stem stays a
character), with GIFT's special characters ``~ = # { } :`` and the backslash escaped and line breaks written as ``\\n``.
Single best answer: ``=key`` and ``~distractor``; multiple select: ``~%w%option`` with the course's weights (+100/k
per key, -100/k per distractor, which Moodle sums and floors at 0); numeric: ``#=value:tolerance``; free text: an
essay. Per-answer feedback follows ``#``, general feedback ``####``. GIFT cannot set a question's mark, so an essay
imports with Moodle's default mark of 1 although the course does not score free text: that is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..content.models import Reference
from .common import (
    ExportWarning,
    Output,
    Source,
    behaviour_notes,
    feedback_text,
    numeric_prompt,
    numeric_tolerance,
    option_scores,
    percent,
    split_supported,
)
from .xmltree import number

FORMAT = "gift"
SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    """Text safe inside a GIFT question: specials backslash-escaped, line breaks as ``\\n``."""
    out = "".join("\\" + c if c in SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _feedback(feedback: Any, references: Mapping[str, Reference], working: str | None = None) -> str:
    text = feedback_text(feedback, references)
    parts = [text.rationale]
    if working:
        parts.append(f"Working:\n{working}")
    parts.append(text.evidence)
    parts.append("Sources: " + "; ".join(text.sources))
    return escape("\n".join(parts))


def _head(item: Any, stem: str) -> str:
    return f"::{escape(item.id)}::[plain]{escape(stem)} {{"


def _choice(item: Any, references: Mapping[str, Reference], single: bool) -> str:
    lines = [_head(item, item.stem)]
    scores = option_scores(item)
    for option in item.options:
        if single and not option.text.startswith("%"):
            mark = "=" if option.correct else "~"
        else:  # an explicit weight, also when the text itself starts with "%" and would read as one
            mark = ("=" if single and option.correct else "~") + f"%{percent(scores[option.id])}%"
        lines.append(f"\t{mark}{escape(option.text)}#{_feedback(option, references)}")
    keys = [o.text for o in item.options if o.correct]
    general = f"The best answer: {keys[0]}" if single else "The options that apply: " + "; ".join(keys)
    lines.append(f"\t####{escape(general)}")
    lines.append("}")
    return "\n".join(lines)


def _numeric(item: Any, references: Mapping[str, Reference]) -> str:
    answer = item.answer
    feedback = _feedback(item.feedback, references, item.working)
    general = escape(f"Expected answer: {answer.value:g} {answer.unit}")
    return "\n".join(
        [
            _head(item, f"{item.stem}\n{numeric_prompt(answer)}") + "#",
            f"\t={number(answer.value)}:{number(numeric_tolerance(answer))}#{feedback}",
            f"\t####{general}\\n{feedback}",
            "}",
        ]
    )


def _essay(item: Any, references: Mapping[str, Reference]) -> str:
    return "\n".join([_head(item, item.stem), f"\t####{_feedback(item.feedback, references)}", "}"])


BUILDERS = {
    "single_best_answer": lambda item, refs: _choice(item, refs, single=True),
    "multiple_select": lambda item, refs: _choice(item, refs, single=False),
    "numeric": _numeric,
    "free_text": _essay,
}


def export(source: Source, references: Mapping[str, Reference]) -> Output:
    """One file, ``<source id>.gift.txt``, its questions in the category hnscc-edu/<source id>."""
    chosen, warnings = split_supported(FORMAT, source, BUILDERS)
    if not chosen:
        return Output({}, tuple(warnings))
    blocks = [
        f"// hnscc-edu {source.kind} {source.id}: {source.title}".replace("\n", " "),
        f"$CATEGORY: $course$/top/hnscc-edu/{source.id}",
    ]
    for _, item, build in chosen:
        blocks.append(build(item, references))
        if item.type == "free_text":
            warnings.append(
                ExportWarning(
                    FORMAT,
                    source.id,
                    item.id,
                    item.type,
                    "GIFT cannot set a mark: Moodle gives this essay 1 mark by default, while "
                    "the course records free text without scoring it; set its mark to 0 "
                    "after the import",
                )
            )
    text = "\n\n".join(blocks) + "\n"
    return Output({f"{source.id}.gift.txt": text.encode("utf-8")}, tuple(warnings + behaviour_notes(FORMAT, source)))
