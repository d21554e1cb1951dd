"""Issue 20 §3: figures people can trust at a glance. Every course figure with a log axis shows readable hazard-ratio
ticks (0.5, 0.7, 1, 1.5 ...), and every axis of counts shows whole numbers only. The checker reads each figure's
axes as plotly will draw them (tick values and texts, tick format and step), and fails on seeded bad axes."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.figure_style import HR_TICKS, count_axis, hazard_ratio_axis
from hnscc_edu.rules.live import Choice, PollResults, PollState
from hnscc_edu.ui.module1_figures import carotid_blowout_chart, miri_median_os_chart
from hnscc_edu.ui.module2_figures import salvage_outcomes_chart
from hnscc_edu.ui.module3_figures import five_year_survival_chart, keynote048_forest_plot
from hnscc_edu.ui.poll_figures import poll_histogram
from tests.helpers import ROOT

COUNT_TITLE = re.compile(r"\b(votes|learners|patients \(n\)|number of)\b", re.IGNORECASE)
READABLE = re.compile(r"^\d+(\.\d)?$")  # "0.5", "1", "1.5": never "2e-1" or "0.30000000000000004"


def axis_problems(figure: go.Figure) -> list[str]:
    problems = []
    layout = figure.to_plotly_json()["layout"]
    counts = [
        max(
            (
                v
                for v in (trace.get("x") if trace.get("orientation") == "h" else trace.get("y")) or ()
                if isinstance(v, (int, float))
            ),
            default=0,
        )
        for trace in figure.to_plotly_json()["data"]
    ]
    for name, axis in layout.items():
        if not re.fullmatch(r"[xy]axis\d*", name):
            continue
        title = axis.get("title", {})
        title = title.get("text", "") if isinstance(title, dict) else str(title or "")
        if axis.get("type") == "log":
            ticks, texts = axis.get("tickvals"), axis.get("ticktext")
            if not ticks or not texts:
                problems.append(f"{name}: a log axis without readable ticks (plotly would label only the decades)")
                continue
            if 1 not in [float(t) for t in ticks]:
                problems.append(f"{name}: a hazard-ratio axis without the tick at 1")
            problems += [f"{name}: tick label {t!r} is not readable" for t in texts if not READABLE.match(str(t))]
        if COUNT_TITLE.search(title):
            if axis.get("tickformat") != "d":
                problems.append(f"{name} ({title}): counts without a whole-number tick format")
            step = axis.get("dtick")
            if max(counts, default=0) <= 10 and (step is None or float(step) != int(float(step))):
                problems.append(f"{name} ({title}): small counts without a whole-number tick step")
    return problems


def poll(counts: dict[str, int]) -> go.Figure:
    choices = [Choice(k, f"Option {k}") for k in counts]
    results = PollResults(PollState.revealed, counts, sum(counts.values()))
    return poll_histogram("Which schedule?", choices, results, {"a"}).figure


COURSE = load_course(ROOT)


@pytest.mark.parametrize(
    "build",
    [
        keynote048_forest_plot,
        five_year_survival_chart,
        miri_median_os_chart,
        carotid_blowout_chart,
        salvage_outcomes_chart,
        lambda: poll({"a": 3, "b": 1, "c": 0}),
        lambda: poll({"a": 150, "b": 42}),
    ],
    ids=[
        "keynote048-forest",
        "five-year-survival",
        "miri",
        "carotid-blowout",
        "salvage-outcomes",
        "poll-small",
        "poll-large",
    ],
)
def test_every_course_figure_has_readable_ticks(build):
    built = build()
    figure = built.figure if hasattr(built, "figure") else built
    assert axis_problems(figure) == []


def test_the_forest_plot_reads_0_5_0_7_1_1_5():
    axis = keynote048_forest_plot().figure.to_plotly_json()["layout"]["xaxis"]
    assert axis["type"] == "log" and {"0.5", "0.7", "1", "1.5"} <= set(axis["ticktext"])


def test_the_checker_catches_an_unlabelled_decade_and_a_fractional_count():
    bare_log = go.Figure(go.Scatter(x=[0.6, 0.9], y=["a", "b"]), layout={"xaxis": {"type": "log"}})
    assert "a log axis without readable ticks" in axis_problems(bare_log)[0]
    small = go.Figure(
        go.Bar(x=[3, 1], y=["a", "b"], orientation="h"),
        layout={"xaxis": {"title": {"text": "Votes"}, "tickformat": "d"}},
    )
    assert "small counts without a whole-number tick step" in axis_problems(small)[0]
    unformatted = go.Figure(
        go.Bar(x=[300, 100], y=["a", "b"], orientation="h"), layout={"xaxis": {"title": {"text": "Learners"}}}
    )
    assert "without a whole-number tick format" in axis_problems(unformatted)[0]


def test_the_axis_helpers():
    axis = hazard_ratio_axis(0.62, 1.3)
    assert axis["tickvals"] == [0.5, 0.7, 1.0, 1.5] and axis["ticktext"] == ["0.5", "0.7", "1", "1.5"]
    assert set(hazard_ratio_axis(0.2, 4.0)["tickvals"]) <= set(HR_TICKS)
    assert count_axis(4, "Votes")["dtick"] == 1 and "dtick" not in count_axis(400, "Votes")
