"""The figures of module 1 (re-irradiation), each a plotly ``go.Figure`` with its text alternative (title, summary,
data table). They draw numbers from the clinical data modules and decide nothing:

- median overall survival by MIRI RPA class: :mod:`hnscc_edu.clinical.reirradiation_outcomes` (Ward et al., Oral
  Oncol 2019, key ward2019-nomogram);
- carotid blowout rate by schedule: the same module (McDonald et al., IJROBP 2012, key mcdonald2012-cbs; Yamazaki et
  al., Radiother Oncol 2013, key yamazaki2013-cbs);
- cumulative dose against every source's limit for a case's prior plan: the case's own ``cumulative_dose``
  calculator block, checked with :func:`hnscc_edu.clinical.dose.check_cumulative` and drawn with
  :func:`hnscc_edu.ui.figures.cumulative_dose_chart` (limits from :mod:`hnscc_edu.clinical.oar_limits`).

Colour is never the only signal: every bar carries its value as text and a distinct fill pattern.
"""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go

from ..clinical import dose
from ..clinical.reirradiation_outcomes import (
    CAROTID_BLOWOUT_POOLED,
    MIRI_EXTERNAL_TESTS,
    carotid_blowout_by_schedule,
    miri_survival,
)
from ..content.models import Case, CumulativeDoseCalculator
from .calculators.cumulative_dose import ORGAN_NAMES, Course, recovery_from_choice
from .figures import Chart, course_layout, cumulative_dose_chart

# Okabe-Ito colours (colour-blind safe), each paired with a different fill pattern.
_COLOURS = ("#0072B2", "#E69F00", "#D55E00")
_PATTERNS = ("", "/", "x")
_LAYOUT = course_layout(14, 10, 30, 60, 50)


def miri_median_os_chart() -> Chart:
    """Median OS by MIRI RPA class (Ward 2019 [verified]), with the external tests of the RPA in the summary."""
    rows = miri_survival()
    labels = [f"{r.label}" for r in rows]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=[r.median_os_months for r in rows],
            name="Median overall survival",
            marker={"color": list(_COLOURS), "pattern": {"shape": list(_PATTERNS)}},
            text=[f"{r.median_os_months:g} months" for r in rows],
            textposition="outside",
            customdata=[[r.definition] for r in rows],
            hovertemplate="%{x}: %{y:g} months<br>%{customdata[0]}<extra></extra>",
        )
    )
    title = "Median overall survival after re-irradiation by MIRI RPA class"
    figure.update_layout(
        title=title,
        xaxis_title="MIRI RPA class",
        yaxis_title="Median overall survival (months)",
        yaxis={"range": [0, max(r.median_os_months for r in rows) * 1.2]},
        height=420,
        showlegend=False,
        **_LAYOUT,
    )
    tests = "; ".join(f"{t.cohort.split(' (')[0]} ({t.patients} patients): {t.finding}" for t in MIRI_EXTERNAL_TESTS)
    summary = (
        f"Median survival fell from {rows[0].median_os_months:g} months in class I to "
        f"{rows[1].median_os_months:g} in class II and {rows[2].median_os_months:g} in class III "
        f"({rows[0].source_label}; evidence {rows[0].evidence}). External tests: {tests}."
    )
    table = tuple(
        (r.label, r.definition, f"{r.median_os_months:g} months", f"{r.source} {r.tag}", r.evidence) for r in rows
    )
    return Chart(figure, title, summary, ("Class", "Definition", "Median OS", "Source", "Evidence"), table)


def carotid_blowout_chart() -> Chart:
    """Carotid blowout rate by schedule: McDonald 2012 (continuous 1.3%, split course 4.5%) and the CyberKnife
    series of Yamazaki 2013 (8.4%), all [verified]; the SBRT bar is a separate cohort and says so."""
    rows = carotid_blowout_by_schedule()
    labels = [f"{r.schedule} ({r.source_label})" for r in rows]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=[r.percent for r in rows],
            orientation="h",
            name="Carotid blowout",
            marker={"color": list(_COLOURS[: len(rows)]), "pattern": {"shape": list(_PATTERNS[: len(rows)])}},
            text=[f"{r.percent:g}%" for r in rows],
            textposition="outside",
            customdata=[[r.detail, r.cohort] for r in rows],
            hovertemplate="%{y}: %{x:g}%<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    )
    title = "Carotid blowout after re-irradiation by schedule"
    figure.update_layout(
        title=title,
        xaxis_title="Patients with carotid blowout (%)",
        xaxis={"range": [0, max(r.percent for r in rows) * 1.25]},
        yaxis={"title": "Schedule (source)", "autorange": "reversed", "automargin": True},
        height=380,
        showlegend=False,
        **_LAYOUT,
    )
    pooled = CAROTID_BLOWOUT_POOLED
    summary = (
        "; ".join(f"{r.schedule} {r.percent:g}% ({r.source_label}, {r.evidence})" for r in rows)
        + f". Pooled over conventional schedules {pooled.percent:g}% ({pooled.events} of {pooled.patients:,}); "
        f"{pooled.note}. The SBRT figure comes from a separate series, not a head-to-head comparison."
    )
    table = tuple(
        (r.schedule, r.detail, f"{r.percent:g}%", r.cohort, f"{r.source} {r.tag}", r.evidence, r.note) for r in rows
    )
    return Chart(
        figure, title, summary, ("Schedule", "Detail", "Blowout", "Cohort", "Source", "Evidence", "Note"), table
    )


def _dose_block(case: Case, organ: str) -> CumulativeDoseCalculator:
    for stage in case.stages:
        for block in stage.calculators:
            if isinstance(block, CumulativeDoseCalculator) and block.organ == organ:
                return block
    raise LookupError(f"Case {case.id} has no cumulative-dose calculator for {organ!r}.")


def case_dose_chart(case: Case, organ: str) -> Chart:
    """Cumulative dose to ``organ`` over a case's prior plan and draft plan, against every source's limit.

    The courses, α/β and recovery are the case's own ``cumulative_dose`` calculator block (the first for that
    organ), so the figure shows what the case's calculator shows; the summary states those assumptions.
    """
    block = _dose_block(case, organ)
    entered = [Course(c.dose_gy, c.fractions, c.date) for c in block.courses]
    recovery, recovery_text = recovery_from_choice(block.recovery, 0.0, entered)  # as the case's calculator does
    courses = [(c.dose_gy, c.fractions) for c in entered]
    verdicts = dose.check_cumulative(organ, courses, alpha_beta=block.alpha_beta, recovery=recovery)
    chart = cumulative_dose_chart(ORGAN_NAMES.get(organ, organ), verdicts)
    plan = " + ".join(f"{c.dose_gy:g} Gy/{c.fractions} fx" for c in block.courses)
    ab = f"α/β {block.alpha_beta:g} Gy" if block.alpha_beta is not None else "each source's own α/β"
    return dataclasses.replace(
        chart,
        # the shared chart leaves its category axis untitled; drawn when the figure is first shown
        drawing=lambda: chart.figure.update_layout(yaxis_title="Source (metric)"),
        summary=f"Case {case.id}: {plan}; {ab}. {recovery_text} {chart.summary}",
    )
