"""Module 2 figures: the data they draw equal the data module and the case files, the MDT pathway covers every stage
and every branch of a case, each figure has a text alternative, and a case's own figures wait for its end."""

from __future__ import annotations

import pytest

from hnscc_edu.clinical import recist, salvage_outcomes
from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import EvidenceLabel, RecistCalculator
from hnscc_edu.sessions.case_session import CaseSession
from hnscc_edu.store import Store
from hnscc_edu.ui import pathway
from hnscc_edu.ui.after_case import CaseFigures
from hnscc_edu.ui.autoanswer import answer_case
from hnscc_edu.ui.case_player import CasePlayer
from hnscc_edu.ui.figures import text_alternative
from hnscc_edu.ui.module2_figures import (
    case_figures,
    case_spider_plot,
    print_salvage_outcomes,
    recist_blocks,
    salvage_outcomes_chart,
    show_case_figures,
)
from tests.helpers import ROOT, fixture_course

COURSE = load_course(ROOT)
FIXTURE = fixture_course()
MODULE2 = (
    "salvage-unresectable-06",
    "salvage-conversion-07",
    "salvage-pseudoprogression-08",
    "salvage-perioperative-09",
)
CASES = [COURSE.case(case_id) for case_id in MODULE2] + [FIXTURE.case("fixture-case")]


# -- the data module --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("row", salvage_outcomes.outcomes(), ids=lambda r: f"{r.measure}-{r.group}-{r.reference}")
def test_every_outcome_row_has_a_resolving_reference_an_evidence_label_and_a_verified_tag(row):
    assert row.reference in COURSE.references, row.reference
    assert row.evidence in {label.value for label in EvidenceLabel}
    assert row.tag == "verified"  # the sheet's [recalled] numbers (Goodwin 2000) are left out
    assert row.study and row.spread
    assert row.value_percent is not None or (row.low_percent is not None and row.high_percent is not None)
    for value in (row.value_percent, row.low_percent, row.high_percent):
        assert value is None or 0 <= value <= 100
    if row.low_percent is not None:
        assert row.low_percent <= row.high_percent
        assert row.value_percent is None or row.low_percent <= row.value_percent <= row.high_percent


def test_the_numbers_are_those_verified_in_the_evidence_sheet():
    survival = {
        (r.reference, r.group): (r.value_percent, r.low_percent, r.high_percent)
        for r in salvage_outcomes.outcomes(salvage_outcomes.FIVE_YEAR_OS)
    }
    assert survival == {
        ("bulbul2022-salvage", salvage_outcomes.AFTER_SURGERY): (None, 26.0, 67.0),
        ("bulbul2022-salvage", salvage_outcomes.WITHOUT_SURGERY): (None, 0.0, 32.0),
        ("elbers2019-salvage", salvage_outcomes.AFTER_SURGERY): (37.0, 30.0, 45.0),
    }
    (margins,) = salvage_outcomes.outcomes(salvage_outcomes.POSITIVE_MARGINS)
    assert (margins.value_percent, margins.reference) == (32.0, "elbers2019-salvage")
    ratio = salvage_outcomes.SURGERY_HAZARD_RATIO
    assert (ratio.hazard_ratio, ratio.ci_low, ratio.ci_high, ratio.reference) == (
        0.25,
        0.16,
        0.38,
        "bulbul2022-salvage",
    )
    assert ratio.reference in COURSE.references
    assert set(salvage_outcomes.REFERENCES) <= set(COURSE.references)


def test_an_unknown_measure_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="5-year overall survival"):
        salvage_outcomes.outcomes("3-year survival")


# -- salvage outcomes chart -------------------------------------------------------------------------------------------
def test_the_outcomes_chart_draws_exactly_the_data_module():
    rows = salvage_outcomes.SURVIVAL_AND_MARGINS
    chart = salvage_outcomes_chart()
    assert chart.rows == tuple(
        (r.measure, r.group, r.text, r.spread, r.study, r.reference, f"{r.evidence} [{r.tag}]") for r in rows
    )
    *ranges, pooled, labels = chart.figure.data
    drawn = sorted((x0, x1) for trace in ranges for x0, x1 in zip(trace.x[0::3], trace.x[1::3], strict=True))
    assert drawn == sorted((r.low_percent, r.high_percent) for r in rows if r.low_percent is not None)
    assert list(pooled.x) == [r.value_percent for r in rows if r.value_percent is not None]
    assert list(labels.text) == [r.text for r in rows]
    assert {trace.name for trace in ranges} == {
        "Range across the included studies",
        "Interval reported with the pooled estimate",
    }
    assert len({trace.line.width for trace in ranges}) == len(ranges)  # told apart by width and legend, not colour
    layout = chart.figure.layout
    assert layout.title.text and layout.xaxis.title.text == "Patients (%)" and layout.yaxis.title.text
    assert "26-67%" in chart.summary and "32%" in chart.summary and "selection" in chart.summary


def test_the_printed_table_lists_every_row_with_its_key_and_label(capsys):
    print_salvage_outcomes()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(salvage_outcomes.outcomes())
    for line, row in zip(lines, salvage_outcomes.outcomes(), strict=True):
        assert row.text in line and row.reference in line and row.evidence in line


# -- spider plot from the case file -----------------------------------------------------------------------------------
@pytest.mark.parametrize("case_id", ["salvage-conversion-07", "salvage-pseudoprogression-08"])
def test_the_spider_plot_draws_the_case_files_measurements(case_id):
    case = COURSE.case(case_id)
    block = recist_blocks(case)[-1][1]
    chart = case_spider_plot(case)
    lesions, total = chart.figure.data[:-1], chart.figure.data[-1]
    assert [t.name for t in lesions] == [lesion.name for lesion in block.lesions]
    for trace, lesion in zip(lesions, block.lesions, strict=True):
        base = lesion.diameters_mm[0]
        assert list(trace.y) == pytest.approx([(d - base) / base * 100 for d in lesion.diameters_mm])
        assert list(trace.x) == block.assessments
    sums = [sum(column) for column in zip(*(lesion.diameters_mm for lesion in block.lesions), strict=True)]
    assert [row[0] for row in chart.rows] == block.assessments
    assert [row[1] for row in chart.rows] == [f"{s:g} mm" for s in sums]
    assert list(total.y) == pytest.approx([(s - sums[0]) / sums[0] * 100 for s in sums])
    calls = recist.irecist_series(
        recist.series(block.assessments, [lesion.diameters_mm for lesion in block.lesions]), block.weeks
    )
    assert chart.columns[-1] == "iRECIST" and [row[-1] for row in chart.rows][1:] == calls[1:]
    assert case.patient.pseudonym in chart.title and chart.figure.layout.title.text == chart.title
    assert chart.figure.layout.xaxis.title.text and chart.figure.layout.yaxis.title.text


def test_pseudoprogression_shows_iupd_then_icpd_and_a_stage_can_be_chosen():
    case = COURSE.case("salvage-pseudoprogression-08")
    calls = [row[-1] for row in case_spider_plot(case).rows]
    assert calls[1] == "iUPD" and calls[-1] == "iCPD"
    early = case_spider_plot(case, stage_id="response")
    assert len(early.rows) == len(case.stage("response").calculators[0].assessments) == 5
    assert any("PD · iUPD" == text for text in early.figure.data[-1].text)


def test_a_case_without_recist_data_has_no_spider_plot_but_still_a_map():
    case = COURSE.case("salvage-perioperative-09")
    assert not any(isinstance(b, RecistCalculator) for s in case.stages for b in s.calculators)
    with pytest.raises(ValueError, match="no RECIST calculator block"):
        case_spider_plot(case)
    assert [c.title for c in case_figures(case)] == [pathway.case_pathway(case).title]


# -- the MDT pathway ---------------------------------------------------------------------------------------------------
def _expected_links(case) -> set[tuple[str, str]]:
    expected = {(s.id, s.next) for s in case.stages if s.next}
    expected |= {
        (s.id, o.next_stage) for s in case.stages for i in s.items for o in getattr(i, "options", ()) if o.next_stage
    }
    return expected


def _choices(case) -> set[tuple[str, str, str]]:
    return {(s.id, i.id, o.id) for s in case.stages for i in s.items for o in getattr(i, "options", ()) if o.next_stage}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_pathway_covers_every_stage_and_every_branch(case):
    chart = pathway.case_pathway(case)
    links = pathway.links(case)
    assert {(a.source, a.target) for a in links} == _expected_links(case)
    assert {(a.source, c.item_id, c.option_id) for a in links for c in a.choices} == _choices(case)
    assert all(a.default == (case.stage(a.source).next == a.target) for a in links)
    # one arrow head per link, one box and one label per stage
    annotations = chart.figure.layout.annotations
    assert sum(1 for a in annotations if a.showarrow) == len(links)
    assert len(chart.figure.layout.shapes) == len(case.stages)
    labels = " ".join(a.text.replace("<br>", " ") for a in annotations if not a.showarrow)
    for number, stage in enumerate(case.stages, start=1):
        assert f"{number}. {stage.title}" in labels
    # dashed shafts for the branch-only links, solid for the default ones
    solid, dashed = chart.figure.data[0], chart.figure.data[1]
    assert dashed.line.dash == "dash" and solid.line.dash is None
    assert len(solid.x) == 3 * sum(a.default for a in links)
    assert len(dashed.x) == 3 * sum(not a.default for a in links)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_pathway_text_alternative_lists_each_stage_and_where_it_leads(case):
    chart = pathway.case_pathway(case)
    numbers = {s.id: n for n, s in enumerate(case.stages, start=1)}
    assert [row[1] for row in chart.rows] == [s.title for s in case.stages]
    assert chart.rows[numbers[case.start] - 1][0].endswith("(start)")
    by_stage = {s.id: row for s, row in zip(case.stages, chart.rows, strict=True)}
    for source, target in _expected_links(case):
        assert f"stage {numbers[target]} ({case.stage(target).title})" in by_stage[source][3]
    for stage in case.stages:
        for item in stage.items:
            for option in getattr(item, "options", ()):
                if option.next_stage:
                    assert f"“{option.text}”" in by_stage[stage.id][3]
        if not any(source == stage.id for source, _ in _expected_links(case)):
            assert by_stage[stage.id][3] == "the case ends here"
    alternative = text_alternative(chart)
    assert chart.title.replace("'", "&#x27;") in alternative and "<table" in alternative
    assert chart.figure.layout.title.text and chart.figure.layout.xaxis.title.text
    assert chart.figure.layout.yaxis.title.text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_layout_keeps_stages_apart_and_arrows_pointing_down(case):
    places = pathway.layout(case)
    assert set(places) == {s.id for s in case.stages}
    assert len(set(places.values())) == len(places)  # no two stages drawn in one place
    route = pathway.main_route(case)
    assert route[0] == case.start and all(places[s].column == 0 for s in route)
    assert all(p.column > 0 for s, p in places.items() if s not in route)
    for link in pathway.links(case):
        assert places[link.target].step > places[link.source].step


def test_the_fixture_case_detour_is_a_side_stage_reached_by_its_choice():
    case = FIXTURE.case("fixture-case")
    assert pathway.main_route(case) == ("history", "plan", "end")
    (detour,) = [a for a in pathway.links(case) if a.target == "detour"]
    assert (detour.default, [c.text for c in detour.choices]) == (False, ["Detour"])
    assert "2 choice(s)" not in pathway.case_pathway(case).summary  # "Main road" shares the default arrow
    assert "1 choice(s) lead off it, to 1 stage(s)" in pathway.case_pathway(case).summary


def test_a_loop_back_to_an_earlier_stage_is_still_drawn():
    original = FIXTURE.case("fixture-case")
    looped = original.stages[-1].model_copy(update={"next": "plan"})  # a made-up loop: end -> plan
    case = original.model_copy(update={"stages": [*original.stages[:-1], looped]})
    chart = pathway.case_pathway(case)
    assert ("end", "plan") in {(a.source, a.target) for a in pathway.links(case)}
    assert sum(1 for a in chart.figure.layout.annotations if a.showarrow) == len(pathway.links(case))


# -- the case's own figures wait for the end of the case -------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'module2.sqlite3'}")


def _player(store, case_id="fixture-case", content=FIXTURE):
    return CasePlayer(CaseSession(content.case(case_id), store, "figures-learner"), content.references)


def _texts(view: CaseFigures) -> str:
    return view.note.value + " ".join(text.value for _, text in view.outputs)


def test_the_case_figures_appear_only_when_the_case_is_finished_and_hide_on_restart(store):
    player = _player(store)
    view = CaseFigures(player, case_figures)
    assert view.box.children == () and "appear here when you finish" in view.note.value
    assert "Detour" not in _texts(view) and "End" not in _texts(view)
    answer_case(player)  # the real Continue callbacks, the figures' own handler included
    assert player.session.state.completed and view.note.value == ""
    assert len(view.outputs) == 1 and "Detour" in _texts(view)
    ((output, _),) = view.outputs
    assert output.outputs[0]["data"]["application/vnd.plotly.v1+json"]["layout"]["title"]["text"]
    player.restart_button.click()
    assert view.box.children == () and "Detour" not in _texts(view)


def test_a_finished_case_shows_its_map_and_spider_plot_at_once(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'done.sqlite3'}")
    player = _player(store, "salvage-conversion-07", COURSE)
    answer_case(player)
    view = CaseFigures(player, case_figures)
    assert [c.title for c in view.charts] == [c.title for c in case_figures(COURSE.case("salvage-conversion-07"))]
    assert len(view.box.children) == 4  # two figures, each with its text alternative
    assert not view.boundary.message.value


def test_show_case_figures_displays_once_and_returns_nothing(store, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects, **_: shown.extend(objects))
    assert show_case_figures(None) is None and shown == []
    assert show_case_figures(_player(store)) is None  # a cell ending with the call must not show it twice
    assert len(shown) == 1 and isinstance(shown[0], CaseFigures)


def test_the_outcomes_chart_does_not_narrow_bulbul_or_widen_elbers():
    # clinical-module2 E7/E8: Bulbul pooled recurrent head and neck cancer in general (not only after (chemo)radiation);
    # Elbers' series were mainly laryngeal and hypopharyngeal, and every Elbers row and the summary say so.
    chart = salvage_outcomes_chart()
    assert "after (chemo)radiation" not in chart.title and "recurrent" in chart.title
    assert "mainly laryngeal and hypopharyngeal" in chart.summary
    elbers = [row for row in salvage_outcomes.outcomes() if row.reference == "elbers2019-salvage"]
    assert elbers and all("laryngeal and hypopharyngeal" in row.note for row in elbers)
    assert "heavily" not in salvage_outcomes.__doc__ and "subsite and treatment intent" in salvage_outcomes.__doc__
