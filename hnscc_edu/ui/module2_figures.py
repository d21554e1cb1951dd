"""Figures of module 2 (resectability and salvage surgery), each a ``Chart`` with its text alternative.

- ``case_spider_plot(case)``: a case's target-lesion sums over time, read from the ``recist`` calculator block of its
  case file (RECIST 1.1 calls by ``clinical.recist``, iRECIST calls when the block says the patient is on
  immunotherapy; eisenhauer2009-recist, seymour2017-irecist);
- ``salvage_outcomes_chart()``: 5-year overall survival and positive-margin rates after salvage surgery for recurrent
  head and neck cancer, by study, from ``clinical.salvage_outcomes`` (bulbul2022-salvage: recurrent disease in
  general; elbers2019-salvage: after (chemo)radiation, mainly larynx and hypopharynx; both [verified]);
- the MDT pathway of a case is ``ui.pathway.case_pathway`` (generic, any case).

A case's own figures show every stage and the numbers its questions ask for, so in a notebook they are shown by
``show_case_figures(player)`` only once the learner has finished that case (later stages are never sent to the
browser early). Display only: the numbers come from the case file and the data module. Education, not clinical
advice.
"""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go

from ..clinical import recist
from ..clinical.salvage_outcomes import FIVE_YEAR_OS, POSITIVE_MARGINS, SURVIVAL_AND_MARGINS, SalvageOutcome, outcomes
from ..content.models import Case, RecistCalculator
from .after_case import show_after_case
from .case_player import CasePlayer
from .figures import Chart, course_layout, spider_plot
from .opener import CaseOpener
from .pathway import case_pathway

_LAYOUT = course_layout(14, 10, 30, 80, 60)
_RANGE_COLOUR, _POINT_COLOUR = "#000000", "#0072B2"  # Okabe-Ito blue; shapes and words carry the meaning too


# -- spider plot from a case file -------------------------------------------------------------------------------------
def recist_blocks(case: Case) -> list[tuple[str, RecistCalculator]]:
    """The RECIST calculator blocks of a case, with the id of the stage that shows each, in stage order."""
    return [
        (stage.id, block) for stage in case.stages for block in stage.calculators if isinstance(block, RecistCalculator)
    ]


def case_spider_plot(case: Case, stage_id: str | None = None) -> Chart:
    """The spider plot of a case's target lesions, from the ``recist`` block of its case file: that of ``stage_id``,
    or else the last one (the longest series). On immunotherapy the iRECIST call is written beside each RECIST 1.1
    call and added to the data table. Raises ``ValueError`` when the case (or stage) has no such block."""
    blocks = [(sid, block) for sid, block in recist_blocks(case) if stage_id in (None, sid)]
    if not blocks:
        where = f"stage {stage_id!r} of case {case.id}" if stage_id else f"case {case.id}"
        raise ValueError(f"The {where} has no RECIST calculator block to draw a spider plot from.")
    _, block = blocks[-1]
    names = [lesion.name for lesion in block.lesions]
    table = [list(lesion.diameters_mm) for lesion in block.lesions]
    results = recist.series(block.assessments, table, block.new_lesions)
    chart = spider_plot(names, table, results)
    calls: list[str | None] = []
    if block.immunotherapy and block.weeks:
        calls = recist.irecist_series(results, block.weeks)
    title = f"{case.patient.pseudonym}: change from baseline in the target lesions (spider plot)"

    def draw() -> go.Figure:
        figure = chart.figure
        if calls:
            labels = [a.response or "baseline" for a in results]
            figure.data[-1].text = [
                label if call is None else f"{label} · {call}" for label, call in zip(labels, calls, strict=True)
            ]
        return figure.update_layout(title=title)

    rows = chart.rows
    columns = chart.columns
    summary = chart.summary
    if calls:
        columns = columns + ("iRECIST",)
        rows = tuple(row + (call or "baseline",) for row, call in zip(rows, calls, strict=True))
        summary = f"{summary} iRECIST at the last assessment: {calls[-1]}."
    source = "Measurements from the case file; RECIST 1.1 (eisenhauer2009-recist)" + (
        " and iRECIST (seymour2017-irecist)." if calls else "."
    )
    return dataclasses.replace(
        chart, drawing=draw, title=title, summary=f"{summary} {source}", columns=columns, rows=rows
    )


# -- salvage surgery outcomes by study ------------------------------------------------------------------------------
def _label(row: SalvageOutcome) -> str:
    return f"{row.measure}, {row.group.lower()}<br>{row.study}"


def salvage_outcomes_chart(rows: tuple[SalvageOutcome, ...] = SURVIVAL_AND_MARGINS) -> Chart:
    """5-year overall survival ranges and positive-margin rates after salvage surgery, one line per study and group:
    a line for a reported range (thick: across studies; thinner: an interval around a pooled estimate), a diamond for
    a pooled estimate, and the number written beside it."""
    title = "Salvage surgery for recurrent head and neck cancer: 5-year overall survival and positive margins, by study"

    def draw() -> go.Figure:
        labels = [_label(row) for row in rows]
        figure = go.Figure()
        spreads = list(dict.fromkeys(row.spread for row in rows if row.low_percent is not None))
        for spread, width in zip(spreads, (9, 4, 2), strict=False):  # each kind of interval its own line width
            xs: list[float | None] = []
            ys: list[str | None] = []
            for row, label in zip(rows, labels, strict=True):
                if row.spread == spread and row.low_percent is not None and row.high_percent is not None:
                    xs += [row.low_percent, row.high_percent, None]
                    ys += [label, label, None]
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    name=spread[0].upper() + spread[1:],
                    line={"color": _RANGE_COLOUR, "width": width},
                    marker={
                        "symbol": "line-ns-open",
                        "size": 18,
                        "color": _RANGE_COLOUR,
                        "line": {"width": 3, "color": _RANGE_COLOUR},
                    },
                    hoverinfo="skip",
                )
            )
        pooled = [(row, label) for row, label in zip(rows, labels, strict=True) if row.value_percent is not None]
        figure.add_trace(
            go.Scatter(
                x=[row.value_percent for row, _ in pooled],
                y=[label for _, label in pooled],
                mode="markers",
                name="Pooled estimate",
                marker={
                    "symbol": "diamond",
                    "size": 16,
                    "color": _POINT_COLOUR,
                    "line": {"width": 2, "color": "#000000"},
                },
                hovertemplate="%{y}<br>pooled %{x:g}%<extra></extra>",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=[max(v for v in (row.value_percent, row.high_percent) if v is not None) + 3 for row in rows],
                y=labels,
                mode="text",
                text=[row.text for row in rows],
                textposition="middle right",
                showlegend=False,
                hoverinfo="skip",
            )
        )
        # Bulbul pooled recurrent disease in general, Elbers recurrences after (chemo)radiation that were mostly
        # laryngeal and hypopharyngeal; the title and subtitle must not narrow or widen either (clinical-module2 E7, E8).
        figure.update_layout(
            title={
                "text": title,
                "subtitle": {
                    "text": "Pooled retrospective series (GRADE low); survival with and "
                    "without surgery is confounded by who was selected for surgery. "
                    "Elbers: after (chemo)radiation, mainly larynx and hypopharynx."
                },
            },
            xaxis={"title": "Patients (%)", "range": [0, 112], "tickvals": list(range(0, 101, 10))},
            yaxis={"title": "Outcome, group and study", "autorange": "reversed", "automargin": True},
            height=230 + 90 * len(rows),
            legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
            **_LAYOUT,
        )
        return figure

    survival = [row for row in rows if row.measure == FIVE_YEAR_OS]
    margins = [row for row in rows if row.measure == POSITIVE_MARGINS]
    parts = [f"5-year overall survival {row.group.lower()}: {row.text}, {row.spread} ({row.study})" for row in survival]
    parts += [f"positive margins: {row.text} ({row.study})" for row in margins]
    summary = "; ".join(parts) + (
        ". All from pooled retrospective series, confounded by selection. Bulbul covers "
        "recurrent head and neck cancer in general; Elbers covers recurrences after "
        "radiotherapy or chemoradiation, mainly laryngeal and hypopharyngeal, so its figures "
        "fit other sites less well."
    )
    table = tuple(
        (row.measure, row.group, row.text, row.spread, row.study, row.reference, f"{row.evidence} [{row.tag}]")
        for row in rows
    )
    return Chart(
        draw,
        title,
        summary,
        ("Outcome", "Group", "Value", "What the interval is", "Study", "Reference", "Evidence"),
        table,
    )


def print_salvage_outcomes() -> None:
    """The salvage-surgery outcome table as plain text (deterministic, for nbval)."""
    for row in outcomes():
        print(
            f"{row.measure}, {row.group.lower()}: {row.text} [{row.spread}] {row.study}; {row.reference}; "
            f"{row.evidence} [{row.tag}]"
        )


# -- a case's own figures, once the case is finished -----------------------------------------------------------------
def case_figures(case: Case) -> list[Chart]:
    """The figures drawn from a case file: its MDT pathway, and a spider plot when a stage carries RECIST data."""
    charts = [case_pathway(case)]
    if recist_blocks(case):
        charts.append(case_spider_plot(case))
    return charts


MAP_WAITING = (
    "The map of this case (its stages and where each choice leads) and its figures appear here when you "
    "finish the case: they show every stage, so they would give the later stages away."
)


def show_case_figures(case: CaseOpener | CasePlayer | None) -> None:
    """The case's MDT pathway and spider plot under it (``case``: what ``show_case`` returned), once the case is
    finished (see ``after_case``)."""
    show_after_case(case, case_figures, MAP_WAITING)
