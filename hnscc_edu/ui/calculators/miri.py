"""MIRI recursive-partitioning class for a re-irradiation candidate, with the status of the rule that placed them."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ...clinical import reirradiation
from .. import render
from .common import LABEL_STYLE, CalculatorView, clinical

ROMAN = {1: "I", 2: "II", 3: "III"}


class MiriView(CalculatorView):
    name = "miri"
    title = "MIRI RPA class (re-irradiation candidates)"
    intro = (
        "The Multi-Institution Reirradiation (MIRI) classes group candidates by salvage surgery, the interval "
        "since the previous radiotherapy and organ dysfunction. They describe prognosis in cohorts; they do not "
        "select a patient on their own."
    )

    def __init__(
        self, months_since_prior_rt: float | None = None, resected: bool = False, organ_dysfunction: bool = False
    ) -> None:
        super().__init__()
        self.months = widgets.FloatText(
            value=months_since_prior_rt or 0.0, style=LABEL_STYLE, description="Months since the previous radiotherapy"
        )
        self.months.add_class("hnscc-miri-months")
        self.resected = widgets.Checkbox(
            value=resected, indent=False, description="Salvage surgery before re-irradiation (resected)"
        )
        self.dysfunction = widgets.Checkbox(
            value=organ_dysfunction,
            indent=False,
            description="Organ dysfunction: feeding-tube or tracheostomy dependence",
        )
        self.widget = self.frame([self.months, self.resected, self.dysfunction])
        if months_since_prior_rt is not None:
            self.recalculate_safely()

    def calculate(self) -> None:
        result = clinical(reirradiation.miri_rpa, self.months.value, self.resected.value, self.dysfunction.value)
        status = (
            "The rule that placed this patient is confirmed in the source text (Vargo 2018)."
            if result.definition_confirmed
            else "Caution: the rule that placed this patient is widely quoted but not confirmed in source text; "
            "treat the class as provisional."
        )
        classes = render.data_table(
            ["Class", "Median overall survival (months)", "Source"],
            [
                [ROMAN[n], f"{months:g}", "Ward 2019 (505 patients, 9 institutions)"]
                for n, months in reirradiation.MIRI_MEDIAN_OS_MONTHS.items()
            ],
            "Median overall survival by MIRI class",
            ["hnscc-miri-current" if n == result.rpa_class else "" for n in reirradiation.MIRI_MEDIAN_OS_MONTHS],
        )
        self.result.value = (
            f'<p class="hnscc-headline" role="status">MIRI class <strong>{ROMAN[result.rpa_class]}</strong>: '
            f"median overall survival {result.median_os_months:g} months in the source cohort.</p>"
            f"<p>Rule applied: {html.escape(result.rule)}. {html.escape(status)}</p>{classes}"
            '<div class="hnscc-assumptions"><ul><li>Interval: months between the two courses; exactly 24 months '
            "counts as 2 years or less.</li><li>Evidence: retrospective multi-institution cohorts "
            "(ward2018-miri, vargo2018, ward2019-nomogram).</li><li>Education, not clinical advice.</li></ul></div>"
        )
