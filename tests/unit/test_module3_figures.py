"""Module 3 figures: they draw exactly the data of hnscc_edu.clinical.keynote048 (and the regimens they are given),
carry a text alternative, and the swimlane refuses nonsense with a message a clinician can act on."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from hnscc_edu.clinical import keynote048
from hnscc_edu.content.course import load_course
from hnscc_edu.ui.figures import mime_bundle, text_alternative
from hnscc_edu.ui.module2_figures import salvage_outcomes_chart
from hnscc_edu.ui.module3_figures import TherapyLine, five_year_survival_chart, keynote048_forest_plot, therapy_swimlane
from tests.helpers import ROOT

LINES = [
    ("Curative intent", "Chemoradiation: 70 Gy in 35 fractions with cisplatin", 0, 7, "completed as planned"),
    ("Line 1", "Nivolumab 3 mg/kg every 2 weeks", 24, 45, "confirmed progression (iCPD)"),
    ("Line 2", "Cetuximab", 46, 58.5, "ongoing"),
]


def _bars(chart) -> list[dict]:
    return [trace for trace in mime_bundle(chart)["application/vnd.plotly.v1+json"]["data"] if trace["type"] == "bar"]


# -- the verified data ------------------------------------------------------------------------------------------------
def test_five_year_rows_are_the_verified_figures():
    """confirmations.md item 10 (ESMO 2022 abstract 659MO) and systemic-surgery.md §1 (Tahara 2025)."""
    table = {(r.arm, r.population): (r.arm_percent, r.comparator_percent) for r in keynote048.five_year_survival()}
    p, pc = keynote048.PEMBROLIZUMAB, keynote048.PEMBROLIZUMAB_CHEMO
    assert table == {
        (p, "CPS >=20"): (19.9, 7.4),
        (pc, "CPS >=20"): (23.9, 6.4),
        (p, "CPS >=1"): (15.4, 5.5),
        (pc, "CPS >=1"): (18.2, 4.3),
        (p, "Total population"): (14.4, 6.5),
        (pc, "Total population"): (16.0, 5.2),
    }


def test_five_year_rows_cite_resolving_sources_and_carry_an_evidence_label():
    references = load_course(ROOT).references
    for row in keynote048.five_year_survival():
        assert row.references and row.evidence.strip() and row.analysis.strip()
        assert all(references.get(key) is not None for key in row.references), row.references
        assert "tahara2022-keynote048-esmo" in row.references
    total = keynote048.five_year_survival("Total population")
    assert all("tahara2025-keynote048" in row.references for row in total)
    assert set(keynote048.FIVE_YEAR_REFERENCES) == {k for r in keynote048.FIVE_YEAR_OS for k in r.references}


def test_five_year_accessor_filters_and_refuses_an_untabulated_population():
    assert len(keynote048.five_year_survival("CPS >=20")) == 2
    with pytest.raises(ValueError, match="No KEYNOTE-048 5-year survival is tabulated for 'CPS 1-19'"):
        keynote048.five_year_survival("CPS 1-19")


def test_the_hazard_ratio_api_is_unchanged():
    # 16 rows since issue 15: the pre-specified 2019 analyses were added beside the 5-year and post hoc subgroup ones.
    assert len(keynote048.hazard_ratios()) == 16
    assert keynote048.REFERENCES == ("tahara2025-keynote048", "burtness2022-keynote048-cps", "burtness2019-keynote048")


# -- the figures draw the data module ---------------------------------------------------------------------------------
def test_forest_plot_draws_every_hazard_ratio():
    chart = keynote048_forest_plot()
    traces = mime_bundle(chart)["application/vnd.plotly.v1+json"]["data"]
    drawn = sorted(x for trace in traces for x in trace["x"])
    assert drawn == sorted(r.hazard_ratio for r in keynote048.hazard_ratios())
    assert len(chart.rows) == len(keynote048.hazard_ratios())


def test_five_year_chart_draws_exactly_the_data_module():
    chart = five_year_survival_chart()
    bars = _bars(chart)
    drawn = {(trace["name"], x): y for trace in bars for x, y in zip(trace["x"], trace["y"], strict=True)}
    expected = {}
    for r in keynote048.five_year_survival():
        expected[(r.arm, r.population)] = r.arm_percent
        expected[(f"EXTREME (in the {r.arm} comparison)", r.population)] = r.comparator_percent
    assert drawn == expected
    assert [row[:4] for row in chart.rows] == [
        (r.population, r.arm, f"{r.arm_percent:.1f}%", f"{r.comparator_percent:.1f}%")
        for r in keynote048.five_year_survival()
    ]


def test_five_year_chart_never_relies_on_colour_alone():
    bars = _bars(five_year_survival_chart())
    assert all(len(trace["text"]) == len(trace["y"]) for trace in bars)  # every bar carries its value as text
    extreme = [trace for trace in bars if trace["name"].startswith("EXTREME")]
    arms = [trace for trace in bars if not trace["name"].startswith("EXTREME")]
    assert extreme and all(trace["marker"]["pattern"]["shape"] == "/" for trace in extreme)
    assert all(not trace["marker"].get("pattern") for trace in arms)


def test_swimlane_draws_each_regimen_from_start_to_end():
    chart = therapy_swimlane(LINES)
    bars = _bars(chart)
    assert [(t["y"][0], t["base"][0], t["base"][0] + t["x"][0]) for t in bars] == [
        (label, start, end) for label, _, start, end, _ in LINES
    ]
    notes = [a["text"] for a in mime_bundle(chart)["application/vnd.plotly.v1+json"]["layout"]["annotations"]]
    for _, regimen, _, _, reason in LINES:
        assert any(regimen in note for note in notes) and any(reason in note for note in notes)
    assert chart.rows[1] == (
        "Line 1",
        "Nivolumab 3 mg/kg every 2 weeks",
        "24",
        "45",
        "21",
        "confirmed progression (iCPD)",
    )
    assert chart.rows[2][2:5] == ("46", "58.5", "12.5")


def test_swimlane_lets_regimens_share_a_lane_in_turn():
    chart = therapy_swimlane(
        [
            ("Line 1", "Pembrolizumab + platinum/5-FU", 0, 18, "six cycles given"),
            TherapyLine("Line 1", "Pembrolizumab maintenance", 18, 40, "progression"),
        ]
    )
    assert [t["y"][0] for t in _bars(chart)] == ["Line 1", "Line 1"]
    assert "2 regimens in 1 lane" in chart.summary


# -- text alternatives ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [keynote048_forest_plot, five_year_survival_chart, lambda: therapy_swimlane(LINES)],
    ids=["forest", "five-year", "swimlane"],
)
def test_every_figure_has_a_text_alternative(make):
    chart = make()
    layout = mime_bundle(chart)["application/vnd.plotly.v1+json"]["layout"]
    assert chart.title and chart.summary and chart.rows
    assert all(len(row) == len(chart.columns) for row in chart.rows)
    text = text_alternative(chart)
    assert f"Figure: {chart.title}" in text.replace("&#x27;", "'")
    assert "<table" in text and "<caption>" in text and text.count("<tr>") == len(chart.rows) + 1
    assert layout["title"]["text"] == chart.title
    axes = [key for key in layout if key.startswith(("xaxis", "yaxis"))]
    assert any(layout[key].get("title", {}).get("text") for key in axes if key.startswith("xaxis"))
    assert any(layout[key].get("title", {}).get("text") for key in axes if key.startswith("yaxis"))


def test_five_year_summary_and_table_name_every_comparison_and_source():
    chart = five_year_survival_chart()
    assert "19.9% vs EXTREME 7.4%" in chart.summary and "16.0% vs EXTREME 5.2%" in chart.summary
    assert all("tahara2022-keynote048-esmo" in row[-1] for row in chart.rows)


def test_swimlane_summary_says_where_the_sequence_ends():
    summary = therapy_swimlane(LINES).summary
    assert summary == (
        "3 regimens in 3 lanes from week 0 to week 58.5; the latest, Cetuximab (weeks 46-58.5): ongoing."
    )


# -- the swimlane refuses nonsense ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("Line 1", "Nivolumab", 20, 10, "progression")], "ends at week 10, which is not after its start at week 20"),
        ([("Line 1", "Nivolumab", 12, 12, "progression")], "ends at week 12, which is not after its start at week 12"),
        ([("Line 1", "Nivolumab", "week 3", 10, "progression")], "the start week must be a number of weeks"),
        ([("Line 1", "Nivolumab", 0, math.nan, "progression")], "the end week must be a number of weeks"),
        ([("Line 1", "Nivolumab", 0, math.inf, "progression")], "the end week must be a number of weeks"),
        ([("Line 1", "Nivolumab", True, 10, "progression")], "the start week must be a number of weeks"),
        ([("Line 1", "", 0, 10, "progression")], "give the regimen as words"),
        ([("  ", "Nivolumab", 0, 10, "progression")], "give the line label as words"),
        ([("Line 1", "Nivolumab", 0, 10, "")], "reason for stopping"),
        ([("Line 1", "Nivolumab", 0, 10)], "give five things"),
        (["Line 1, nivolumab, 0, 10, progression"], "give five things"),
        ([], "at least one regimen"),
        (
            [("Line 1", "Nivolumab", 0, 10, "progression"), ("Line 1", "Cetuximab", 8, 20, "progression")],
            "overlap in time",
        ),
    ],
    ids=[
        "end-before-start",
        "zero-length",
        "text-week",
        "nan",
        "infinite",
        "boolean",
        "no-regimen",
        "no-label",
        "no-reason",
        "four-fields",
        "one-string",
        "empty",
        "overlap-in-lane",
    ],
)
def test_swimlane_refuses_nonsense_with_a_message(lines, message):
    with pytest.raises(ValueError, match=message):
        therapy_swimlane(lines)


def test_the_swimlane_message_names_the_regimen_and_its_position():
    with pytest.raises(ValueError) as raised:
        therapy_swimlane([LINES[0], ("Line 1", "Nivolumab", 45, 24, "progression")])
    assert str(raised.value).startswith("Regimen 2 (Nivolumab): it ends at week 24")


# -- on a page: the figure on request, its text from the start ---------------------------------------------------------
def test_a_page_figure_shows_its_text_at_once_and_draws_the_figure_when_asked():
    from hnscc_edu.ui.figures import figure_on_request

    chart = keynote048_forest_plot()
    panel = figure_on_request(chart)
    button, place, text = panel.children
    assert f"Figure: {chart.title}" in text.value and place.outputs == ()  # nothing for the browser to draw yet
    assert "figure" not in vars(chart)  # nor for plotly to build in the kernel
    button.click()
    assert place.outputs[0]["data"] == mime_bundle(chart) and place.layout.display is None
    assert button.description == "Hide the figure"
    button.click()
    assert place.layout.display == "none" and button.description == "Show the figure"
    button.click()
    assert place.layout.display is None and len(place.outputs) == 1  # shown again, drawn once


@pytest.mark.parametrize("make", [keynote048_forest_plot, five_year_survival_chart, salvage_outcomes_chart])
def test_a_module_figure_is_built_once_when_first_asked_for(make):
    """The charts a module page shows on arrival keep their figure unbuilt until it is asked for; then it is built
    once, with everything the chart says (the forest plot's population axis title included)."""
    chart = make()
    assert "figure" not in vars(chart) and chart.title and chart.rows
    figure = chart.figure
    assert isinstance(figure, go.Figure) and chart.figure is figure
    assert chart.title in str(figure.layout.title.text)
    if make is keynote048_forest_plot:
        assert figure.layout.yaxis.title.text == "PD-L1 population: arm"
