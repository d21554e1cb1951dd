"""Plotly figures of live polls, each with its text alternative (a ``Chart`` of ``ui.figures``: title, one-line
summary, data table). They draw tallies the store counted; nothing here decides anything.

The correct answer is marked in words ("✔ correct") and with a hatch pattern, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import plotly.graph_objects as go

from ..figure_style import count_axis
from ..rules.live import Choice, ComparisonRow, PollResults
from .figures import Chart, course_layout

_LAYOUT = course_layout(16, 10, 30, 70, 60)
_COLOURS = {"correct": "#0072B2", "other": "#999999", "before": "#E69F00", "after": "#0072B2"}  # Okabe-Ito


def letter(index: int) -> str:
    return chr(ord("A") + index)


def choice_label(index: int, choice: Choice, correct: bool, width: int = 38) -> str:
    return f"{letter(index)}. {_short(choice.text, width)}" + (" ✔ correct" if correct else "")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def poll_histogram(question: str, choices: Sequence[Choice], results: PollResults, correct: Collection[str]) -> Chart:
    """Votes per choice of one poll, with the correct answer marked."""
    labels = [choice_label(i, c, c.id in correct) for i, c in enumerate(choices)]
    counts = [results.counts.get(c.id, 0) for c in choices]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=counts,
            orientation="h",
            marker={
                "color": [_COLOURS["correct" if c.id in correct else "other"] for c in choices],
                "pattern": {"shape": ["/" if c.id in correct else "" for c in choices]},
            },
            text=[f"{n} ({_percent(results.share(c.id))})" for n, c in zip(counts, choices, strict=True)],
            textposition="auto",
            hovertemplate="%{y}<br>%{x} votes<extra></extra>",
        )
    )
    title = f"Audience answers ({results.total} votes)"
    figure.update_layout(
        title=title,
        xaxis=count_axis(max(counts, default=0), "Votes"),
        yaxis={"autorange": "reversed", "automargin": True},
        height=140 + 55 * len(choices),
        **_LAYOUT,
    )
    top = max(range(len(choices)), key=lambda i: counts[i]) if choices else 0
    right = [letter(i) for i, c in enumerate(choices) if c.id in correct]
    right_share = sum(results.share(c) for c in correct)
    summary = (
        (
            f"{results.total} votes on “{_short(question, 120)}”; most chose {letter(top)} ({counts[top]} votes, "
            f"{_percent(results.share(choices[top].id))}); the correct answer {', '.join(right) or 'is not set'} "
            f"got {_percent(right_share)}."
        )
        if results.total
        else "No votes."
    )
    rows = tuple(
        (letter(i), c.text, str(counts[i]), _percent(results.share(c.id)), "correct" if c.id in correct else "")
        for i, c in enumerate(choices)
    )
    return Chart(figure, title, summary, ("Option", "Answer", "Votes", "Share", "Key"), rows)


def poll_comparison(
    question: str, rows: Sequence[ComparisonRow], before_total: int, after_total: int, correct: Collection[str]
) -> Chart:
    """The same question before and after discussion, side by side (shares, so different turnouts compare)."""
    labels = [choice_label(i, r.choice, r.choice.id in correct) for i, r in enumerate(rows)]
    figure = go.Figure()
    for name, key, shares, counts, pattern in (
        (
            f"Before discussion ({before_total} votes)",
            "before",
            [r.before_share for r in rows],
            [r.before for r in rows],
            "",
        ),
        (
            f"After discussion ({after_total} votes)",
            "after",
            [r.after_share for r in rows],
            [r.after for r in rows],
            "x",
        ),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[s * 100 for s in shares],
                orientation="h",
                name=name,
                marker={"color": _COLOURS[key], "pattern": {"shape": pattern}},
                text=[f"{_percent(s)} ({n})" for s, n in zip(shares, counts, strict=True)],
                textposition="auto",
                hovertemplate="%{y}<br>%{x:.0f}%<extra>" + name + "</extra>",
            )
        )
    title = "Before and after discussion"
    figure.update_layout(
        title=title,
        barmode="group",
        xaxis={"title": "Share of votes (%)", "range": [0, 100]},
        yaxis={"autorange": "reversed", "automargin": True},
        height=180 + 80 * len(rows),
        legend={"orientation": "h", "y": -0.2},
        **_LAYOUT,
    )
    right = [r for r in rows if r.choice.id in correct]
    change = sum(r.change_points for r in right)
    summary = (
        f"On “{_short(question, 120)}”, the correct answer went from "
        f"{_percent(sum(r.before_share for r in right))} before discussion to "
        f"{_percent(sum(r.after_share for r in right))} after ({change:+.0f} points)."
    )
    table = tuple(
        (
            letter(i),
            r.choice.text,
            f"{r.before} ({_percent(r.before_share)})",
            f"{r.after} ({_percent(r.after_share)})",
            f"{r.change_points:+.0f} points",
            "correct" if r.choice.id in correct else "",
        )
        for i, r in enumerate(rows)
    )
    return Chart(figure, title, summary, ("Option", "Answer", "Before", "After", "Change", "Key"), table)
