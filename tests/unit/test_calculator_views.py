"""The calculator views display what the pure calculators compute, refuse nonsense with a message, and never leave
a stale result; stages of a case can embed them, preloaded from the case file."""

import datetime as dt
import re

import plotly.graph_objects as go
import pytest

from hnscc_edu.clinical import dose
from hnscc_edu.clinical.oar_limits import ORGANS
from hnscc_edu.clinical.recist import series as recist_series
from hnscc_edu.content.models import CumulativeDoseCalculator, OrganAtRisk, Stage
from hnscc_edu.ui.calculators import Course, CpsView, CumulativeDoseView, MiriView, RecistView, SequencingView
from hnscc_edu.ui.calculators.common import optional_number
from hnscc_edu.ui.calculators.embed import build
from hnscc_edu.ui.errors import InputError
from hnscc_edu.ui.figures import cumulative_dose_chart, spider_plot

PLOTLY = "application/vnd.plotly.v1+json"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_dose_view_shows_the_cumulative_eqd2_and_every_sources_verdict():
    view = CumulativeDoseView([Course(46, 23), Course(30, 10)], recovery=0.25)
    expected = dose.cumulative_eqd2([(46, 23), (30, 10)], 2, recovery=0.25)
    assert f"{expected:.2f} Gy at α/β 2 Gy" in text(view.result.value)
    assert view.result.value.count("hnscc-verdict") == len(dose.organ_limits("spinal_cord"))
    assert "Figure: Cumulative dose to the spinal cord" in view.figure_text.value
    assert view.figure.outputs == ()  # drawn on request: the text alternative stands for it until then
    view.figure_button.click()
    assert PLOTLY in view.figure.outputs[0]["data"] and view.figure_button.description == "Hide the figure"
    first = view.figure.outputs[0]["data"][PLOTLY]
    view.rows[1].dose.value = 36
    view.calculate_button.click()  # once shown, the figure follows each result
    assert view.figure.outputs[0]["data"][PLOTLY] != first
    view.figure_button.click()
    assert view.figure.outputs == () and "Figure: Cumulative dose" in view.figure_text.value


def test_dose_view_takes_recovery_from_dates_and_refuses_missing_or_disordered_dates():
    view = CumulativeDoseView([Course(50, 25, dt.date(2023, 1, 10)), Course(20, 10, dt.date(2023, 9, 1))])
    assert "Recovery 25% from the default rule" in text(view.result.value)  # 7.7 months
    undated = CumulativeDoseView()
    undated.calculate_button.click()  # the defaults compute (issue 20): no error until dates are given
    assert undated.boundary.message.value == "" and "0.00 Gy" in text(undated.result.value)
    undated.rows[0].dose.value, undated.rows[0].fractions.value = 50, 25
    undated.calculate_button.click()
    assert undated.boundary.message.value == ""
    assert "No recovery applied yet (0%, the most cautious): give the dates of the last two courses" in text(
        undated.result.value
    )
    disordered = CumulativeDoseView(
        [Course(50, 25, dt.date(2024, 1, 1)), Course(20, 10, dt.date(2023, 1, 1))], recovery=0.0
    )
    assert "out of order" in disordered.boundary.message.value


def test_a_refused_input_clears_the_previous_result():
    view = CumulativeDoseView([Course(50, 25), Course(20, 10)], recovery=0.0)
    assert "Cumulative EQD2" in view.result.value
    view.rows[1].fractions.value = 0
    view.calculate_button.click()
    assert "at least 1" in view.boundary.message.value
    assert view.result.value == "" and view.figure.outputs == ()
    view.alpha_beta.value = "two"
    view.rows[1].fractions.value = 10
    view.calculate_button.click()
    assert "must be a number in Gy" in view.boundary.message.value


def test_custom_alpha_beta_and_custom_recovery_percentage():
    view = CumulativeDoseView([Course(50, 25), Course(20, 10)], alpha_beta=3.0, recovery=0.1)
    assert view.recovery.value == "custom" and view.custom_recovery.value == pytest.approx(10)
    expected = dose.cumulative_eqd2([(50, 25), (20, 10)], 3.0, recovery=0.1)
    assert f"{expected:.2f} Gy at α/β 3 Gy" in text(view.result.value)
    view.custom_recovery.value = 140
    view.calculate_button.click()
    assert "between 0 and 100" in view.boundary.message.value


def test_miri_cps_recist_and_sequencing_views():
    assert "MIRI class II" in text(MiriView(30, False, False).result.value)
    miri = MiriView(30, True, False)
    assert "not confirmed" in text(miri.result.value)  # resected, > 2 years: class I is unconfirmed
    cps = CpsView(30, 20, 200)
    assert "CPS 25.0" in text(cps.result.value) and "TPS 15.0%" in text(cps.result.value)
    capped = CpsView(150, 150, 200)
    assert "CPS 100.0" in text(capped.result.value) and "150.0" in text(capped.result.value)
    nothing = CpsView(0, 0, 0)
    assert "not evaluable" in nothing.boundary.message.value
    recist = RecistView(
        [("Node", [30, 20, 28, 36]), ("Tongue", [40, 30, 30, 33])],
        ["B", "W9", "W18", "W24"],
        [0, 9, 18, 24],
        immunotherapy=True,
    )
    assert "Latest: iUPD" in text(recist.result.value)
    recist.figure_button.click()
    assert PLOTLY in recist.figure.outputs[0]["data"]
    sequencing = SequencingView(cps=0, calculate_now=True)
    shown = text(sequencing.result.value)
    assert "first line" in shown and "Pembrolizumab monotherapy" not in shown.split("Not suggested")[0]
    sequencing.figure_button.click()
    assert PLOTLY in sequencing.figure.outputs[0]["data"]
    needs_cps = SequencingView(calculate_now=True)
    assert "depends on the PD-L1 CPS" in needs_cps.boundary.message.value
    # The KEYTRUDA label lists warnings, not contraindications: the tick box says "not advisable" (fact-check fc-m3 P7).
    assert needs_cps.no_io.description.startswith("Immunotherapy not advisable")
    assert "contraindicated" not in needs_cps.no_io.description


def test_optional_number_reads_blank_units_and_decimal_commas():
    assert optional_number(" ", "The α/β ratio", "Gy") is None
    assert optional_number("2,5 Gy", "The α/β ratio", "Gy") == 2.5
    assert optional_number("12", "The CPS", "") == 12.0
    with pytest.raises(InputError, match="or left blank"):
        optional_number("ten", "The CPS", "")


def test_case_file_organs_are_the_calculators_organs():
    assert set(OrganAtRisk.__args__) == set(ORGANS)


def test_a_stage_embeds_a_preloaded_calculator():
    stage = Stage.model_validate(
        {
            "id": "plan",
            "title": "Plan",
            "reveal": [{"markdown": "The prior plan."}],
            "calculators": [
                {
                    "kind": "cumulative_dose",
                    "organ": "spinal_cord",
                    "recovery": 0.5,
                    "courses": [
                        {"dose_gy": 45, "fractions": 25, "date": dt.date(2022, 3, 1)},
                        {"dose_gy": 20, "fractions": 10},
                    ],
                }
            ],
        }
    )
    block = stage.calculators[0]
    assert isinstance(block, CumulativeDoseCalculator)
    view = build(block)
    expected = dose.cumulative_eqd2([(45, 25), (20, 10)], 2, recovery=0.5)
    assert f"{expected:.2f} Gy" in text(view.result.value)
    for bad in (
        {"kind": "cumulative_dose", "organ": "spleen", "courses": [{"dose_gy": 1, "fractions": 1}]},
        {"kind": "recist", "assessments": ["B", "F"], "lesions": [{"name": "x", "diameters_mm": [1, 2, 3]}]},
        {"kind": "cps", "pdl1_tumor_cells": 1, "viable_tumor_cells": 0},
    ):
        with pytest.raises(ValueError):
            Stage.model_validate({"id": "s", "title": "S", "reveal": [{"markdown": "x"}], "calculators": [bad]})


def test_cps_view_refuses_more_stained_tumour_cells_than_viable_ones():
    view = CpsView(250, 0, 200)
    assert "cannot outnumber" in view.boundary.message.value and view.result.value == ""


def test_dose_view_shows_the_room_left_for_the_last_course():
    view = CumulativeDoseView([Course(50, 25), Course(20, 5)], recovery=0.5)
    shown = text(view.result.value)
    assert "Room left for the last course" in shown
    delphi = next(
        b
        for b in dose.next_course_budget("spinal_cord", [(50, 25)], 5, recovery=0.5)
        if b.source_label.startswith("Thoracic")
    )
    assert f"{delphi.max_physical_gy:.2f}" in shown


def test_a_chart_travels_as_a_plotly_bundle_with_a_text_fallback():
    from hnscc_edu.clinical import keynote048
    from hnscc_edu.ui.figures import forest_plot, mime_bundle

    chart = forest_plot(keynote048.hazard_ratios())
    bundle = mime_bundle(chart)
    assert bundle["text/plain"].startswith(f"Figure: {chart.title}")
    traces = bundle[PLOTLY]["data"]
    assert sum(len(trace["x"]) for trace in traces) == len(keynote048.hazard_ratios())


def test_a_dose_in_cgy_typed_as_gy_is_questioned_not_computed():
    """Issue 20: 4,600 "Gy" in 23 fractions used to give a cumulative EQD2 of thousands of Gy without comment."""
    view = CumulativeDoseView([Course(50, 25), Course(4600, 23)], recovery=0.0)
    assert view.result.value == "" and view.figure_text.value == ""  # nothing computed
    assert "Did you mean 46 Gy (4600 cGy)?" in view.boundary.message.value
    [use] = view.question.children
    assert use.description == "Use 46 Gy for course 2"
    use.click()
    assert view.rows[1].dose.value == 46 and view.boundary.message.value == "" and view.question.children == ()
    assert "96.00 Gy" in text(view.result.value)  # 50 + 46 Gy at 2 Gy per fraction


def test_a_dose_per_fraction_no_schedule_uses_is_refused_without_a_guess():
    view = CumulativeDoseView([Course(40, 1)], recovery=0.0)
    assert "Check the dose and the number of fractions" in view.boundary.message.value
    assert view.question.children == () and view.result.value == ""


def test_more_fractions_than_the_dates_leave_days_for_is_refused():
    view = CumulativeDoseView(
        [Course(50, 25, dt.date(2024, 1, 1)), Course(60, 30, dt.date(2024, 1, 5)), Course(20, 10, dt.date(2025, 1, 1))],
        recovery=0.0,
    )
    assert (
        "Course 2: 30 fractions between 2024-01-01 and 2024-01-05 (4 days) is more than two a day"
        in view.boundary.message.value
    )
    twice_a_day = CumulativeDoseView(
        [
            Course(50, 25, dt.date(2024, 1, 1)),
            Course(14.8, 4, dt.date(2024, 1, 3)),
            Course(20, 10, dt.date(2025, 1, 1)),
        ],
        recovery=0.0,
    )
    assert twice_a_day.boundary.message.value == ""  # QUAD SHOT: 4 fractions in 2 days is a real schedule


def test_a_calculator_builds_its_figure_only_when_asked_from_the_values_of_its_result():
    """A calculated result shows its text alternative at once; plotly builds the figure only when "Show the figure"
    is pressed (a preloaded calculator on the calculators page costs its kernel no figure), and from the values the
    result was computed from, even if the lists passed in change afterwards."""
    lesions = [("Node", [30, 20, 28, 36]), ("Tongue", [40, 30, 30, 33])]
    recist = RecistView(lesions, ["B", "W9", "W18", "W24"], [0, 9, 18, 24], immunotherapy=True)
    assert recist.chart is not None and recist.figure_text.value
    assert not isinstance(recist.chart.drawing, go.Figure) and "figure" not in vars(recist.chart)  # nothing built
    recist.figure_button.click()
    assert "figure" in vars(recist.chart) and PLOTLY in recist.figure.outputs[0]["data"]

    diameters = [[30.0, 15.0], [40.0, 20.0]]
    assessments = recist_series(["B", "W9"], diameters)
    chart = spider_plot(["Node", "Tongue"], diameters, assessments)
    diameters[0][1] = 60.0  # changed after the result: the figure still shows the result's numbers
    assert list(chart.figure.data[0].y) == pytest.approx([0.0, -50.0])

    verdicts = dose.check_cumulative("spinal_cord", [(50, 25), (20, 20)], recovery=0.25)
    chart = cumulative_dose_chart("spinal cord", list(verdicts))
    assert not isinstance(chart.drawing, go.Figure)
    assert list(chart.figure.data[0].x) == pytest.approx([v.compared_gy or 0.0 for v in verdicts])
