"""Script concordance items, aggregate scoring (the course's assessment design, MEDED.md section 2): an answer earns
the number of panel members who gave it over the number who gave the most common (modal) answer, so the modal answer
earns 1 point and an answer no panel member gave earns 0."""

from __future__ import annotations

from ...content.models import SCT_POINTS, ScriptConcordance
from .result import GradeResult, InvalidResponse, OptionFeedback


def panel_credit(counts: list[int]) -> list[float]:
    """Credit of each point of the scale: its panel count over the modal count."""
    modal = max(counts)
    if modal == 0:
        raise ValueError("The reference panel has no answers.")
    return [count / modal for count in counts]


def grade_script_concordance(item: ScriptConcordance, response: object) -> GradeResult:
    if isinstance(response, bool) or not isinstance(response, int) or response not in SCT_POINTS:
        raise InvalidResponse("Please choose one point of the scale, from -2 to +2, before submitting.")
    counts = item.panel.counts
    credits = panel_credit(counts)
    index = SCT_POINTS.index(response)
    score = credits[index]
    total = sum(counts)
    modal = [f"{point:+d} ({item.anchors[i]})" for i, point in enumerate(SCT_POINTS) if credits[i] == 1.0]
    summary = (
        f"You answered {response:+d}; {counts[index]} of the {total} panel members did. The panel's most "
        f"common answer: {' and '.join(modal)}. Credit {score:.2f}: the panel members who agreed with you, "
        "relative to those who gave the most common answer. A script concordance item has no single right "
        "answer."
    )
    table = "\n".join(
        ["| Answer | Meaning | Panel members | Credit |", "|---|---|---|---|"]
        + [f"| {p:+d} | {item.anchors[i]} | {counts[i]} | {credits[i]:.2f} |" for i, p in enumerate(SCT_POINTS)]
    )
    label = "Example panel (faculty replace it with their own)" if item.panel.example else "Reference panel"
    working = f"**{label}:** {item.panel.description}\n\n{table}"
    feedback = (OptionFeedback.of(f"{item.hypothesis} / {item.new_information}", True, score == 1.0, item.feedback),)
    return GradeResult(item.id, round(score, 6), 1.0, score == 1.0, summary, feedback, working)
