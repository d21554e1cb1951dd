"""Sequencing explorer: a patient's line of therapy and PD-L1 CPS -> systemic options with their evidence, and the
KEYNOTE-048 forest plot that underlies the first-line choice."""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets

from ...clinical import keynote048, sequencing
from ...content.models import Reference
from .. import render
from ..figures import forest_plot
from .common import LABEL_STYLE, CalculatorView, clinical, optional_number


class SequencingView(CalculatorView):
    name = "sequencing"
    title = "Systemic options by line of therapy and PD-L1 CPS"
    intro = (
        "Describe the patient's previous systemic therapy, PD-L1 CPS and whether platinum or immunotherapy can be "
        "given. Each option names its sources (KEYNOTE-048, ASCO 2023, CheckMate 141, KEYNOTE-040, later-line "
        "trials); investigational agents appear only as trial options."
    )

    def __init__(
        self,
        cps: float | None = None,
        prior_platinum: bool = False,
        prior_anti_pd1: bool = False,
        platinum_eligible: bool = True,
        platinum_refractory: bool = False,
        references: Mapping[str, Reference] | None = None,
        calculate_now: bool = False,
        immunotherapy_contraindicated: bool = False,
    ) -> None:
        super().__init__()
        self.references = references or {}
        self.cps = widgets.Text(
            value="" if cps is None else f"{cps:g}", style=LABEL_STYLE, description="PD-L1 CPS (blank if not known)"
        )
        self.cps.add_class("hnscc-seq-cps")
        self.platinum = widgets.Checkbox(value=prior_platinum, indent=False, description="Platinum already given")
        self.refractory = widgets.Checkbox(
            value=platinum_refractory,
            indent=False,
            description=("Platinum-refractory: progression on platinum, or within 6 months of curative platinum"),
        )
        self.anti_pd1 = widgets.Checkbox(value=prior_anti_pd1, indent=False, description="Anti-PD-1 already given")
        self.eligible = widgets.Checkbox(value=platinum_eligible, indent=False, description="Fit for platinum")
        # Relative contraindications and trial exclusions, not label contraindications: the KEYTRUDA US label lists
        # none, only warnings (fact-check fc-m3 P7). The argument keeps its name so callers do not break.
        self.no_io = widgets.Checkbox(
            value=immunotherapy_contraindicated,
            indent=False,
            description=("Immunotherapy not advisable (autoimmune disease, transplant, high-dose steroids)"),
        )
        self.widget = self.frame([self.cps, self.platinum, self.refractory, self.anti_pd1, self.eligible, self.no_io])
        if calculate_now or cps is not None:
            self.recalculate_safely()

    def _cite(self, keys: tuple[str, ...]) -> str:
        return "; ".join(render.citation(self.references.get(key), key) for key in keys)

    def calculate(self) -> None:
        cps = optional_number(self.cps.value, "The CPS", "")
        setting = clinical(sequencing.line_of_therapy, self.platinum.value, self.anti_pd1.value, self.refractory.value)
        options = clinical(
            sequencing.systemic_options,
            cps,
            self.platinum.value,
            self.anti_pd1.value,
            platinum_eligible=self.eligible.value,
            platinum_refractory=self.refractory.value,
            immunotherapy_contraindicated=self.no_io.value,
        )
        items = []
        for option in options:
            badge = f'<span class="hnscc-badge hnscc-badge-{option.status}">{option.status.upper()}</span>'
            preferred = "<strong>Preferred</strong>" if option.preferred else "An option"
            trials = "".join(f"<li>{html.escape(t)}</li>" for t in option.trials)
            # Where the US and EU licences differ they are shown side by side (issue 15 §1).
            licences = (
                render.data_table(("Licence", "What it covers"), option.licences, f"Licences: {option.regimen}")
                if option.licences
                else ""
            )
            items.append(
                f'<li class="hnscc-option"><strong>{html.escape(option.regimen)}</strong>: {preferred} {badge}<br>'
                f"{html.escape(option.rationale)}<br><small>Evidence: {html.escape(option.evidence)}. Sources: "
                f"{self._cite(option.references)}</small>{f'<ul>{trials}</ul>' if trials else ''}{licences}</li>"
            )
        avoid = "".join(
            f"<li><strong>{html.escape(name)}</strong>: {html.escape(why)}</li>"
            for name, why in sequencing.NOT_SUGGESTED.items()
        )
        self.result.value = (
            f'<p class="hnscc-headline" role="status">Setting: <strong>{html.escape(setting)}</strong>'
            f"{'' if cps is None else f'; CPS {cps:g}'}. {len(options)} options, best supported first.</p>"
            f"<ol>{''.join(items)}</ol><p><strong>Not suggested</strong> (negative or harmful results):</p>"
            f'<ul>{avoid}</ul><p class="hnscc-assumptions">Education, not clinical advice; options are listed from '
            "the sources named with each option (the ones not suggested name their trials), not from a guideline's "
            "full text.</p>"
        )
        self.show_chart(forest_plot(keynote048.hazard_ratios()))
