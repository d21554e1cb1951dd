"""Module 3 (systemic therapy) figures, each a ``Chart`` with its text alternative (title, one-line summary, table).

- ``keynote048_forest_plot``: the KEYNOTE-048 overall-survival hazard ratios by CPS group and arm, from
  ``hnscc_edu.clinical.keynote048.hazard_ratios`` (Tahara 2025; Burtness 2022 post hoc subgroups), drawn by
  ``figures.forest_plot``.
- ``five_year_survival_chart``: KEYNOTE-048 5-year overall survival by arm and population, from
  ``keynote048.five_year_survival`` (ESMO 2022 abstract 659MO; Tahara 2025 for the total population).
- ``therapy_swimlane``: one patient's sequence of therapies, one lane per line, with the reason each one stopped.

The figures draw data they are given; nothing here decides anything. Colour is never the only signal: every bar
carries its value or regimen as text, and arms differ by fill pattern as well as colour. Education, not clinical
advice.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from numbers import Real

import plotly.graph_objects as go

from ..clinical import keynote048
from ..clinical.keynote048 import FiveYearSurvival
from .figures import _LAYOUT, Chart, forest_plot

__all__ = ["TherapyLine", "five_year_survival_chart", "keynote048_forest_plot", "therapy_swimlane"]

# Okabe-Ito colours (colour-blind safe), each at least 3:1 against white; EXTREME is dark grey and hatched in every
# comparison. Swimlane bars are pale tints of the same palette so that the black regimen text on them stays legible.
_ARM_COLOURS = {keynote048.PEMBROLIZUMAB: "#0072B2", keynote048.PEMBROLIZUMAB_CHEMO: "#D55E00"}
_COMPARATOR_COLOUR = "#767676"
_LANE_COLOURS = ("#A6CEE8", "#F5CB80", "#8FD3BF", "#E8B8D3", "#C6E6F7", "#F2B08A", "#F7EFA0")


def keynote048_forest_plot() -> Chart:
    """The KEYNOTE-048 OS hazard ratios against EXTREME by CPS group and arm (``figures.forest_plot`` of
    ``keynote048.hazard_ratios()``), with a title on the population axis as well."""
    chart = forest_plot(keynote048.hazard_ratios())
    return replace(chart, drawing=lambda: chart.figure.update_yaxes(title_text="PD-L1 population: arm"))


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def five_year_survival_chart(rows: Sequence[FiveYearSurvival] | None = None) -> Chart:
    """5-year overall survival of each pembrolizumab arm beside EXTREME in the same comparison, by population.

    One panel per comparison, because KEYNOTE-048 reports each arm against its own EXTREME figure. Data: ``rows``,
    by default ``keynote048.five_year_survival()`` (ESMO 2022 abstract 659MO, key tahara2022-keynote048-esmo;
    total population also in Tahara 2025, key tahara2025-keynote048) [verified].
    """
    rows = tuple(keynote048.five_year_survival() if rows is None else rows)
    if not rows:
        raise ValueError("There are no 5-year survival rows to draw.")
    title = "KEYNOTE-048: overall survival at 5 years by arm and PD-L1 population"

    def draw() -> go.Figure:
        from plotly.subplots import make_subplots  # loads plotly's figure classes: only when drawn

        arms = list(dict.fromkeys(r.arm for r in rows))
        figure = make_subplots(
            rows=1,
            cols=len(arms),
            shared_yaxes=True,
            horizontal_spacing=0.06,
            subplot_titles=[f"{arm} vs EXTREME" for arm in arms],
        )
        for column, arm in enumerate(arms, start=1):
            mine = [r for r in rows if r.arm == arm]
            populations = [r.population for r in mine]
            colour = _ARM_COLOURS.get(arm, "#0072B2")
            figure.add_trace(
                go.Bar(
                    x=populations,
                    y=[r.arm_percent for r in mine],
                    name=arm,
                    marker={"color": colour, "line": {"color": "#000000", "width": 1}},
                    text=[_percent(r.arm_percent) for r in mine],
                    textposition="outside",
                    hovertemplate=f"{arm}<br>%{{x}}: %{{y:.1f}}% alive at 5 years<extra></extra>",
                ),
                row=1,
                col=column,
            )
            figure.add_trace(
                go.Bar(
                    x=populations,
                    y=[r.comparator_percent for r in mine],
                    name=f"EXTREME (in the {arm} comparison)",
                    marker={
                        "color": _COMPARATOR_COLOUR,
                        "pattern": {"shape": "/", "fgcolor": "#FFFFFF", "solidity": 0.3},
                        "line": {"color": "#000000", "width": 1},
                    },
                    text=[_percent(r.comparator_percent) for r in mine],
                    textposition="outside",
                    hovertemplate="EXTREME<br>%{x}: %{y:.1f}% alive at 5 years<extra></extra>",
                ),
                row=1,
                col=column,
            )
            figure.update_xaxes(title_text="KEYNOTE-048 population (PD-L1 CPS)", row=1, col=column)
        top = max(max(r.arm_percent, r.comparator_percent) for r in rows)
        figure.update_yaxes(
            title_text="Alive at 5 years (%)", range=[0, math.ceil(top / 5.0) * 5.0 + 5.0], row=1, col=1
        )
        figure.update_layout(
            title=title, barmode="group", height=480, legend={"orientation": "h", "y": -0.3}, **_LAYOUT
        )
        return figure

    # Derived from each row's kind: landmark rates are described, never summarised as a benefit (issue 15 §1).
    summary = keynote048.five_year_summary(rows)
    table = tuple(
        (
            r.population,
            r.arm,
            _percent(r.arm_percent),
            _percent(r.comparator_percent),
            r.analysis,
            r.evidence,
            ", ".join(r.references),
        )
        for r in rows
    )
    return Chart(
        draw,
        title,
        summary,
        (
            "Population",
            "Arm",
            "Arm: alive at 5 years",
            "EXTREME in the same comparison",
            "Analysis",
            "Evidence",
            "Sources",
        ),
        table,
    )


@dataclass(frozen=True)
class TherapyLine:
    """One regimen in a patient's sequence: its lane (line label), regimen, start and end week, and why it stopped
    (write "ongoing" for a regimen still given at the last follow-up)."""

    label: str
    regimen: str
    start_week: float
    end_week: float
    stop_reason: str

    @property
    def weeks(self) -> float:
        return self.end_week - self.start_week


def _week(value: object, what: str, position: int) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ValueError(f"Regimen {position}: the {what} must be a number of weeks, not {value!r}.")
    return float(value)


def _text(value: object, what: str, position: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Regimen {position}: give the {what} as words (it was {value!r}).")
    return value.strip()


def _checked_lines(lines: Sequence[Sequence[object]]) -> list[TherapyLine]:
    checked: list[TherapyLine] = []
    for position, line in enumerate(lines, start=1):
        if isinstance(line, TherapyLine):
            line = (line.label, line.regimen, line.start_week, line.end_week, line.stop_reason)
        if isinstance(line, str) or not isinstance(line, Sequence) or len(line) != 5:
            raise ValueError(
                f"Regimen {position}: give five things: line label, regimen, start week, end week and "
                "reason for stopping."
            )
        label, regimen = _text(line[0], "line label", position), _text(line[1], "regimen", position)
        start, end = _week(line[2], "start week", position), _week(line[3], "end week", position)
        reason = _text(line[4], "reason for stopping (or 'ongoing')", position)
        if end <= start:
            raise ValueError(
                f"Regimen {position} ({regimen}): it ends at week {end:g}, which is not after its start "
                f"at week {start:g}. Check the two weeks."
            )
        checked.append(TherapyLine(label, regimen, start, end, reason))
    if not checked:
        raise ValueError("Give at least one regimen to draw a sequence of therapies.")
    for i, a in enumerate(checked):
        for b in checked[i + 1 :]:
            if a.label == b.label and a.start_week < b.end_week and b.start_week < a.end_week:
                raise ValueError(
                    f"In the lane {a.label!r}, {a.regimen!r} and {b.regimen!r} overlap in time; put "
                    "treatments given together in separate lanes."
                )
    return checked


def therapy_swimlane(
    lines: Sequence[Sequence[object]],
    title: str = "A patient's sequence of therapies",
    time_axis: str = "Weeks from the start of the first treatment shown",
) -> Chart:
    """One lane per line of therapy and a bar from start to end week for each regimen, with the regimen written
    above the bar and its weeks and the reason it stopped written below it.

    ``lines``: a sequence of (line label, regimen, start week, end week, reason for stopping), or ``TherapyLine``s.
    Several regimens may share a lane (for example induction then maintenance) if they do not overlap in time.
    Raises ``ValueError`` for an end week not after its start, a week that is not a finite number, an empty label,
    regimen or reason, or two overlapping regimens in one lane.
    """
    checked = _checked_lines(lines)
    lanes = list(dict.fromkeys(line.label for line in checked))
    first, last = min(line.start_week for line in checked), max(line.end_week for line in checked)
    height = 200 + 110 * len(lanes)
    # Bars fill 30% of a lane; the regimen is written above a bar and the reason it stopped below it, each growing
    # into the emptier half of the time axis so that neither runs off the plot.
    lane_px = (height - _LAYOUT["margin"]["t"] - _LAYOUT["margin"]["b"]) / len(lanes)
    offset = 0.15 * lane_px + 10
    figure = go.Figure()
    for index, line in enumerate(checked):
        figure.add_trace(
            go.Bar(
                y=[line.label],
                x=[line.weeks],
                base=[line.start_week],
                orientation="h",
                name=line.regimen,
                width=0.3,
                marker={"color": _LANE_COLOURS[index % len(_LANE_COLOURS)], "line": {"color": "#000000", "width": 1}},
                showlegend=False,
                customdata=[[line.start_week, line.end_week, line.stop_reason]],
                hovertemplate=(
                    f"{line.label}<br>{line.regimen}<br>weeks %{{customdata[0]:g}}-%{{customdata[1]:g}}"
                    "<br>stopped: %{customdata[2]}<extra></extra>"
                ),
            )
        )
        early = line.end_week - first < (last - first) / 2
        anchor = {
            "x": line.start_week if early else line.end_week,
            "y": line.label,
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "xanchor": "left" if early else "right",
        }
        figure.add_annotation(
            text=f"<b>{html.escape(line.regimen)}</b>", yshift=offset, font={"size": 13, "color": "#000000"}, **anchor
        )
        figure.add_annotation(
            text=html.escape(f"weeks {line.start_week:g}-{line.end_week:g}; {line.stop_reason}"),
            yshift=-offset,
            font={"size": 12, "color": "#333333"},
            **anchor,
        )
    span = last - first
    figure.update_layout(
        title=title,
        barmode="overlay",
        height=height,
        xaxis={"title": time_axis, "range": [first - 0.02 * span, last + 0.02 * span], "zeroline": False},
        yaxis={
            "title": "Line of therapy",
            "autorange": "reversed",
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": lanes,
        },
        **_LAYOUT,
    )
    latest = max(checked, key=lambda line: line.end_week)
    summary = (
        f"{len(checked)} regimen{'s' if len(checked) != 1 else ''} in {len(lanes)} "
        f"lane{'s' if len(lanes) != 1 else ''} from week {first:g} to week {last:g}; the latest, "
        f"{latest.regimen} (weeks {latest.start_week:g}-{latest.end_week:g}): {latest.stop_reason}."
    )
    table = tuple(
        (line.label, line.regimen, f"{line.start_week:g}", f"{line.end_week:g}", f"{line.weeks:g}", line.stop_reason)
        for line in checked
    )
    return Chart(
        figure,
        title,
        summary,
        ("Line", "Regimen", "Start week", "End week", "Weeks given", "Reason for stopping"),
        table,
    )
