"""RECIST 1.1 (and, on immunotherapy, iRECIST) over time from a table of target-lesion diameters, with a spider
plot."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ...clinical import recist
from .. import render
from ..errors import InputError
from ..figures import spider_plot
from .common import LABEL_STYLE, CalculatorView, clinical

_NARROW = widgets.Layout(width="190px")


class _Assessment:
    def __init__(self, number: int, label: str, week: float, new_lesions: bool) -> None:
        self.label = widgets.Text(
            value=label, description=f"Assessment {number}", style=LABEL_STYLE, layout=widgets.Layout(width="260px")
        )
        self.week = widgets.FloatText(value=week, description="week", style=LABEL_STYLE, layout=_NARROW)
        self.new = widgets.Checkbox(value=new_lesions, indent=False, description="new lesions")
        self.box = widgets.HBox([self.label, self.week, self.new])


class _Lesion:
    def __init__(self, number: int, name: str, diameters: Sequence[float], assessments: int) -> None:
        self.name = widgets.Text(
            value=name, description=f"Target lesion {number}", style=LABEL_STYLE, layout=widgets.Layout(width="300px")
        )
        values = list(diameters) + [0.0] * (assessments - len(diameters))
        self.sizes = [
            widgets.FloatText(value=v, description=f"#{i} (mm)", style=LABEL_STYLE, layout=_NARROW)
            for i, v in enumerate(values, start=1)
        ]
        self.box = widgets.HBox([self.name, *self.sizes])


class RecistView(CalculatorView):
    name = "recist"
    title = "Tumour response over time (RECIST 1.1, iRECIST)"
    intro = (
        "One row per target lesion (longest diameter; short axis for lymph nodes), one column per "
        "assessment, the first being the baseline. Tick new lesions where they appeared. On immunotherapy, "
        "iRECIST asks for a confirming scan 4-8 weeks after a first progression."
    )

    def __init__(
        self,
        lesions: Sequence[tuple[str, Sequence[float]]] = (),
        assessments: Sequence[str] = (),
        weeks: Sequence[float] = (),
        new_lesions: Sequence[bool] = (),
        immunotherapy: bool = False,
    ) -> None:
        super().__init__()
        labels = list(assessments) or ["Baseline", "Follow-up 1"]
        times = list(weeks) or [8.0 * i for i in range(len(labels))]
        flags = list(new_lesions) or [False] * len(labels)
        if not len(labels) == len(times) == len(flags):
            raise ValueError("Give one label, week and new-lesion flag per assessment.")
        self.assessments = [
            _Assessment(i, label, time, flag)
            for i, (label, time, flag) in enumerate(zip(labels, times, flags, strict=True), start=1)
        ]
        self.lesions = [
            _Lesion(i, name, sizes, len(labels))
            for i, (name, sizes) in enumerate(lesions or [("Lesion 1", [])], start=1)
        ]
        self.immunotherapy = widgets.Checkbox(
            value=immunotherapy, indent=False, description="On immunotherapy: add iRECIST calls"
        )
        self.assessment_box = widgets.VBox()
        self.lesion_box = widgets.VBox()
        add_lesion = widgets.Button(description="Add a target lesion")
        add_lesion.on_click(self.boundary.wrap(lambda _b: self._add_lesion()))
        add_assessment = widgets.Button(description="Add an assessment")
        add_assessment.on_click(self.boundary.wrap(lambda _b: self._add_assessment()))
        self._refresh()
        self.widget = self.frame(
            [
                widgets.HTML("<strong>Assessments</strong>"),
                self.assessment_box,
                widgets.HTML("<strong>Target lesions (mm), by assessment number</strong>"),
                self.lesion_box,
                widgets.HBox([add_lesion, add_assessment]),
                self.immunotherapy,
            ]
        )
        if lesions:
            self.recalculate_safely()

    def _refresh(self) -> None:
        self.assessment_box.children = [a.box for a in self.assessments]
        self.lesion_box.children = [lesion.box for lesion in self.lesions]

    def _add_lesion(self) -> None:
        if len(self.lesions) >= 5:
            raise InputError("RECIST 1.1 takes at most 5 target lesions (2 per organ).")
        self.lesions.append(
            _Lesion(len(self.lesions) + 1, f"Lesion {len(self.lesions) + 1}", [], len(self.assessments))
        )
        self._refresh()

    def _add_assessment(self) -> None:
        last = self.assessments[-1].week.value
        self.assessments.append(
            _Assessment(len(self.assessments) + 1, f"Follow-up {len(self.assessments)}", last + 8.0, False)
        )
        for lesion in self.lesions:
            box = widgets.FloatText(
                value=0.0, description=f"#{len(self.assessments)} (mm)", style=LABEL_STYLE, layout=_NARROW
            )
            lesion.sizes.append(box)
            lesion.box.children = [lesion.name, *lesion.sizes]
        self._refresh()

    def calculate(self) -> None:
        labels = [a.label.value.strip() or f"Assessment {i}" for i, a in enumerate(self.assessments, start=1)]
        names = [lesion.name.value.strip() or f"Lesion {i}" for i, lesion in enumerate(self.lesions, start=1)]
        table = [[box.value for box in lesion.sizes] for lesion in self.lesions]
        flags = [a.new.value for a in self.assessments]
        results = clinical(recist.series, labels, table, flags)
        columns = ["Assessment", "Sum (mm)", "Change from baseline", "Change from nadir", "New lesions", "RECIST 1.1"]
        calls: list[str | None] = []
        if self.immunotherapy.value:
            calls = clinical(recist.irecist_series, results, [a.week.value for a in self.assessments])
            columns.append("iRECIST")
        rows = []
        for index, a in enumerate(results):
            row = [
                a.label,
                f"{a.sum_mm:g}",
                f"{a.change_from_baseline_percent:+.1f}%",
                "-" if a.change_from_nadir_percent is None else f"{a.change_from_nadir_percent:+.1f}%",
                "yes" if a.new_lesions else "no",
                a.response or "baseline",
            ]
            if calls:
                row.append(calls[index] or "baseline")
            rows.append(row)
        best = recist.best_overall_response([a.response for a in results[1:]])
        latest = calls[-1] if calls else results[-1].response
        self.result.value = (
            f'<p class="hnscc-headline" role="status">Latest: <strong>{latest}</strong>; best overall response '
            f"(RECIST 1.1, unconfirmed): <strong>{best}</strong>.</p>"
            + render.data_table(columns, rows, "Sums of target-lesion diameters and the response at each assessment")
            + '<div class="hnscc-assumptions"><ul><li>PR: a fall of at least 30% from baseline; PD: a rise of at '
            "least 20% and at least 5 mm over the smallest earlier sum (nadir), or new lesions "
            "(eisenhauer2009-recist).</li><li>Non-target disease is not an input: judge it separately.</li>"
            + (
                "<li>iRECIST (seymour2017-irecist): a first progression is unconfirmed (iUPD) until the next scan "
                "4-8 weeks later shows a further rise of at least 5 mm or further new lesions (iCPD). Simplified: "
                "non-target growth and symptoms are not inputs.</li>"
                if calls
                else ""
            )
            + "<li>Education, not clinical advice.</li></ul></div>"
        )
        self.show_chart(spider_plot(names, table, results))
