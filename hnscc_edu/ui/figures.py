"""Plotly figures of the calculators, each with its text alternative: a title, a one-line summary and the data as a
table. The figures only draw results the pure calculators computed; nothing here decides anything."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import ipywidgets as widgets
import plotly.graph_objects as go

from ..clinical.dose import LimitVerdict
from ..clinical.keynote048 import COMPARATOR, HazardRatio, forest_summary
from ..clinical.recist import Assessment
from ..figure_style import COURSE_TEMPLATE, hazard_ratio_axis
from . import render

# Colour-blind-safe pair (Okabe-Ito); every status is also written as text, so colour is never the only signal.
STATUS_COLOURS = {"within": "#0072B2", "near": "#E69F00", "over": "#D55E00", "not comparable": "#999999"}
STATUS_WORDS = {"within": "within", "near": "near", "over": "OVER", "not comparable": "not comparable"}


def course_layout(font_size: int, left: int, right: int, top: int, bottom: int) -> dict:
    """The layout every course figure starts from: the course template, a font size and the margins."""
    return {
        "template": COURSE_TEMPLATE,
        "font": {"size": font_size},
        "margin": {"l": left, "r": right, "t": top, "b": bottom},
    }


_LAYOUT = course_layout(14, 10, 30, 60, 50)


@dataclass(frozen=True)
class Chart:
    """A figure and what a screen reader (or a printout) gets instead of it.

    ``drawing`` is the figure, or what draws it when it is first asked for (``figure``): a page's figures are shown
    on request (``figure_on_request``), and their text alternative does not wait for plotly to build a figure nobody
    may open (about 0.03-0.05 s each in a dashboard's kernel, more for the first)."""

    drawing: go.Figure | Callable[[], go.Figure]
    title: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @cached_property
    def figure(self) -> go.Figure:
        # a frozen dataclass still lets cached_property keep the drawn figure in the instance's __dict__
        return self.drawing() if callable(self.drawing) else self.drawing


def mime_bundle(chart: Chart) -> dict:
    """The figure as an explicit plotly mime bundle with a plain-text fallback. Set as an output (never as a
    FigureWidget), it shows in JupyterLab and Voila through plotly's renderer extension, carries no copy of plotly.js,
    and does not depend on plotly's renderer settings or on a running kernel."""
    return {
        "application/vnd.plotly.v1+json": json.loads(chart.figure.to_json()),
        "text/plain": f"Figure: {chart.title}. {chart.summary}",
    }


def show_in(output, text, chart: Chart | None) -> None:
    """Put a chart into an ipywidgets ``Output`` and its text alternative into an ``HTML`` widget (or clear both)."""
    if chart is None:
        output.outputs, text.value = (), ""
        return
    output.outputs = (figure_output(chart),)
    text.value = text_alternative(chart)


def figure_output(chart: Chart) -> dict:
    """The chart as one output of an ipywidgets ``Output`` (a display_data of its mime bundle)."""
    return {"output_type": "display_data", "data": mime_bundle(chart), "metadata": {}}


SHOW_FIGURE, HIDE_FIGURE = "Show the figure", "Hide the figure"


def figure_button(tooltip: str, shown_at_start: bool = True) -> widgets.Button:
    """The button that draws a figure on request (``SHOW_FIGURE``) and then hides and shows it (``HIDE_FIGURE``);
    ``shown_at_start`` False: hidden until there is a figure to draw. The button stays where it is, so a keyboard
    user's focus is not lost, and says what it will do next."""
    button = widgets.Button(
        description=SHOW_FIGURE,
        tooltip=tooltip,
        layout=widgets.Layout(width="auto", display=None if shown_at_start else "none"),
    )
    button.add_class("hnscc-show-figure")
    return button


def flip(button: widgets.Button) -> bool:
    """Turn ``figure_button``'s label over; True when the figure is now to be shown."""
    shown = button.description == SHOW_FIGURE
    button.description = HIDE_FIGURE if shown else SHOW_FIGURE
    return shown


def figure_on_request(chart: Chart) -> widgets.VBox:
    """A page's figure, drawn when the viewer asks for it: a "Show the figure" button, the place the figure is drawn,
    and the figure's text alternative, shown from the start (what the figure says is never behind a click).

    Plotly's first figure costs a browser 0.6-1 s, however small: a page that draws none on arrival is ready that
    much sooner (issue 19), as its cases are built only once opened."""
    button = figure_button(f"Draw the figure: {chart.title}")
    place = widgets.Output()
    text = widgets.HTML(value=f"{render.STYLE}{text_alternative(chart)}")

    def show_or_hide(_button: widgets.Button) -> None:
        if not place.outputs:
            place.outputs = (figure_output(chart),)
        place.layout.display = None if flip(button) else "none"

    button.on_click(show_or_hide)
    return widgets.VBox([button, place, text])


def text_alternative(chart: Chart) -> str:
    """The title, the one-line summary and the data table of a chart, as accessible HTML."""
    return (
        f'<div class="hnscc-figure-text"><p><strong>Figure: {html.escape(chart.title)}.</strong> '
        f"{html.escape(chart.summary)}</p><details><summary>Data shown in the figure (table)</summary>"
        f"{render.data_table(chart.columns, chart.rows, chart.title)}</details></div>"
    )


def _gy(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} Gy"


def cumulative_dose_chart(organ_name: str, verdicts: Sequence[LimitVerdict]) -> Chart:
    """Cumulative dose against each source's limit for one organ: one bar per source, the limit as a marker."""
    verdicts = tuple(verdicts)  # the figure is drawn later, from these values as they are now
    labels = [f"{v.source_label} ({v.metric})" for v in verdicts]
    compared = [v.compared_gy if v.compared_gy is not None else 0.0 for v in verdicts]
    title = f"Cumulative dose to the {organ_name} against each source's limit"

    def draw() -> go.Figure:
        figure = go.Figure()
        figure.add_trace(
            go.Bar(
                y=labels,
                x=compared,
                orientation="h",
                name="This patient",
                marker={
                    "color": [STATUS_COLOURS[v.status] for v in verdicts],
                    "pattern": {"shape": ["" if v.status == "within" else "/" for v in verdicts]},
                },
                text=[f"{_gy(v.compared_gy)}: {STATUS_WORDS[v.status]}" for v in verdicts],
                textposition="auto",
                hovertemplate="%{y}<br>%{x:.1f} Gy<extra></extra>",
            )
        )
        figure.add_trace(
            go.Scatter(
                y=labels,
                x=[v.limit_high_gy for v in verdicts],
                mode="markers",
                name="Source's limit",
                marker={
                    "symbol": "line-ns-open",
                    "size": 26,
                    "color": "#000000",
                    "line": {"width": 4, "color": "#000000"},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [0.0] * len(verdicts),
                    "arrayminus": [v.limit_high_gy - v.limit_low_gy for v in verdicts],
                    "color": "#000000",
                    "width": 0,
                },
                hovertemplate="%{y}<br>limit %{x:.1f} Gy<extra></extra>",
            )
        )
        figure.update_layout(
            title=title,
            xaxis_title="Gy (EQD2, or physical dose where the source says so)",
            yaxis={"autorange": "reversed", "automargin": True},
            barmode="overlay",
            height=160 + 60 * len(verdicts),
            legend={"orientation": "h", "y": -0.25},
            **_LAYOUT,
        )
        return figure

    over = [v.source_label for v in verdicts if v.status == "over"]
    summary = (
        f"{len(verdicts)} sources compared; over the limit of: {', '.join(over)}."
        if over
        else f"{len(verdicts)} sources compared; none exceeded."
    )
    rows = tuple((v.source_label, v.metric, v.limit, _gy(v.compared_gy), STATUS_WORDS[v.status]) for v in verdicts)
    return Chart(draw, title, summary, ("Source", "Metric", "Limit", "This patient", "Verdict"), rows)


def spider_plot(
    lesion_names: Sequence[str], diameters_mm: Sequence[Sequence[float]], assessments: Sequence[Assessment]
) -> Chart:
    """Per-lesion and summed change from baseline over time, with the 30% fall that defines a partial response."""
    # the figure is drawn later (``Chart.figure``), from these values as they are now
    lesion_names, assessments = tuple(lesion_names), tuple(assessments)
    diameters_mm = tuple(tuple(row) for row in diameters_mm)
    labels = [a.label for a in assessments]
    title = "Change from baseline in target lesions (spider plot)"

    def draw() -> go.Figure:
        figure = go.Figure()
        for name, row in zip(lesion_names, diameters_mm, strict=True):
            base = row[0]
            if base:
                figure.add_trace(
                    go.Scatter(
                        x=labels,
                        y=[(value - base) / base * 100.0 for value in row],
                        mode="lines+markers",
                        name=name,
                        line={"width": 1.5, "dash": "dot"},
                        marker={"symbol": "circle-open"},
                    )
                )
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[a.change_from_baseline_percent for a in assessments],
                mode="lines+markers+text",
                name="Sum of diameters",
                line={"width": 4, "color": "#000000"},
                marker={"size": 10, "symbol": "diamond"},
                text=[a.response or "baseline" for a in assessments],
                textposition="top center",
            )
        )
        figure.add_hline(
            y=-30,
            line_dash="dash",
            annotation_text="-30%: partial response threshold (from baseline)",
            annotation_position="bottom left",
        )
        figure.add_hline(y=0, line_color="#555555", line_width=1)
        figure.update_layout(
            title=title,
            yaxis_title="% change from baseline",
            xaxis_title="Assessment",
            height=440,
            legend={"orientation": "h", "y": -0.25},
            **_LAYOUT,
        )
        return figure

    last = assessments[-1]
    summary = (
        f"The sum of diameters went from {assessments[0].sum_mm:g} mm to {last.sum_mm:g} mm "
        f"({last.change_from_baseline_percent:+.1f}% from baseline); latest call {last.response}."
    )
    rows = tuple(
        (
            a.label,
            f"{a.sum_mm:g} mm",
            f"{a.change_from_baseline_percent:+.1f}%",
            "-" if a.change_from_nadir_percent is None else f"{a.change_from_nadir_percent:+.1f}%",
            "yes" if a.new_lesions else "no",
            a.response or "baseline",
        )
        for a in assessments
    )
    return Chart(
        draw,
        title,
        summary,
        ("Assessment", "Sum", "Change from baseline", "Change from nadir", "New lesions", "RECIST 1.1"),
        rows,
    )


def forest_plot(hazard_ratios: Sequence[HazardRatio]) -> Chart:
    """OS hazard ratios with 95% CIs on a log axis; one marker shape per arm so colour is not the only cue. The figure
    is drawn when first shown."""
    title = f"KEYNOTE-048: overall survival hazard ratio against {COMPARATOR}"

    def draw() -> go.Figure:
        figure = go.Figure()
        arms = list(dict.fromkeys(r.arm for r in hazard_ratios))
        styles = [("circle", "#0072B2"), ("square", "#D55E00")]
        for arm, (symbol, colour) in zip(arms, styles, strict=False):
            rows = [r for r in hazard_ratios if r.arm == arm]
            figure.add_trace(
                go.Scatter(
                    x=[r.hazard_ratio for r in rows],
                    y=[r.label for r in rows],
                    mode="markers",
                    name=arm,
                    marker={"symbol": symbol, "size": 12, "color": colour},
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [r.ci_high - r.hazard_ratio for r in rows],
                        "arrayminus": [r.hazard_ratio - r.ci_low for r in rows],
                        "color": colour,
                        "thickness": 2,
                    },
                    customdata=[[r.ci_low, r.ci_high, r.analysis, r.kind.value] for r in rows],
                    hovertemplate="%{y}<br>HR %{x:.2f} (%{customdata[0]:.2f}-%{customdata[1]:.2f})<br>"
                    "%{customdata[2]}<br>%{customdata[3]}<extra></extra>",
                )
            )
        figure.add_vline(x=1.0, line_dash="dash", annotation_text="HR 1: no difference", annotation_position="top")
        axis = hazard_ratio_axis(
            min((r.ci_low for r in hazard_ratios), default=0.5), max((r.ci_high for r in hazard_ratios), default=1.5)
        )
        figure.update_layout(
            title=title,
            xaxis=dict(title="Hazard ratio (log scale; <1 favours the pembrolizumab arm)", **axis),
            yaxis={"autorange": "reversed", "automargin": True},
            height=200 + 30 * len(hazard_ratios),
            legend={"orientation": "h", "y": -0.2},
            **_LAYOUT,
        )
        return figure

    # The summary is derived from each row's kind (keynote048.forest_summary), never from whether the CI excludes 1:
    # a non-inferiority, 5-year follow-up or post hoc row is not a shown benefit (issue 15 §1; clinical-module3 E1;
    # fact-check fc-m3 P1).
    summary = forest_summary(hazard_ratios)
    rows = tuple(
        (r.population, r.arm, f"{r.hazard_ratio:.2f}", f"{r.ci_low:.2f}-{r.ci_high:.2f}", r.analysis, r.kind.value)
        for r in hazard_ratios
    )
    return Chart(draw, title, summary, ("Population", "Arm", "HR", "95% CI", "Analysis", "What the row is"), rows)
