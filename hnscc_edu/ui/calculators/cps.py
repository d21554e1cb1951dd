"""PD-L1 combined positive score from cell counts, its treatment group, and the tumour proportion score."""

from __future__ import annotations

import ipywidgets as widgets

from ...clinical import biomarkers
from .common import LABEL_STYLE, CalculatorView, clinical

GROUP_MEANING = {
    "<1": (
        "CPS <1: in a post hoc subgroup, survival with pembrolizumab alone trended worse than with EXTREME "
        "(HR 1.51, 0.96-2.37, not significant), so it is not suggested; see the sequencing explorer "
        "(burtness2022-keynote048-cps)."
    ),
    "1-19": (
        "CPS 1-19: a post hoc subgroup favoured pembrolizumab with chemotherapy over EXTREME (HR 0.71); "
        "pembrolizumab alone gave HR 0.86 with a CI crossing 1 (burtness2022-keynote048-cps)."
    ),
    ">=20": (
        "CPS >=20: pre-specified superiority over EXTREME was shown for pembrolizumab alone (HR 0.61) and "
        "with chemotherapy (HR 0.60) in the 2019 report's interim and final analyses (burtness2019-keynote048)."
    ),
}


class CpsView(CalculatorView):
    name = "cps"
    title = "PD-L1 combined positive score (CPS)"
    intro = (
        "Count, in the same area, the PD-L1-stained tumour cells, the PD-L1-stained lymphocytes and "
        "macrophages, and all viable tumour cells (22C3 assay)."
    )

    def __init__(
        self,
        pdl1_tumor_cells: float | None = None,
        pdl1_immune_cells: float = 0.0,
        viable_tumor_cells: float | None = None,
    ) -> None:
        super().__init__()
        self.tumour = widgets.FloatText(
            value=pdl1_tumor_cells or 0.0, style=LABEL_STYLE, description="PD-L1-positive tumour cells"
        )
        self.immune = widgets.FloatText(
            value=pdl1_immune_cells, style=LABEL_STYLE, description="PD-L1-positive lymphocytes and macrophages"
        )
        self.viable = widgets.FloatText(
            value=viable_tumor_cells or 0.0, style=LABEL_STYLE, description="Viable tumour cells (all, stained or not)"
        )
        for part, widget in (("tumour", self.tumour), ("immune", self.immune), ("viable", self.viable)):
            widget.add_class(f"hnscc-cps-{part}")
        self.widget = self.frame([self.tumour, self.immune, self.viable])
        if pdl1_tumor_cells is not None and viable_tumor_cells is not None:
            self.recalculate_safely()

    def calculate(self) -> None:
        tumour, immune, viable = self.tumour.value, self.immune.value, self.viable.value
        score = clinical(biomarkers.combined_positive_score, tumour, immune, viable)
        tps = clinical(biomarkers.tumor_proportion_score, tumour, viable)
        group = biomarkers.cps_group(score)
        raw = (tumour + immune) / viable * 100.0
        capped = (
            f" The ratio itself is {raw:.1f}; the score is capped at 100, the maximum the 22C3 interpretation "
            "material defines (agilent-22c3-hnscc-cps, read in a reproduction)."
            if raw > biomarkers.CPS_CAP
            else ""
        )
        self.result.value = (
            f'<p class="hnscc-headline" role="status">CPS <strong>{score:.1f}</strong> (group '
            f"<strong>{group}</strong>); TPS {tps:.1f}%.{capped}</p><p>{GROUP_MEANING[group]}</p>"
            '<div class="hnscc-assumptions"><ul><li>CPS = (PD-L1+ tumour cells + PD-L1+ lymphocytes and macrophages) '
            "/ viable tumour cells x 100 (agilent-22c3-hnscc-cps); cut-offs 1 and 20 from KEYNOTE-048 and the ASCO 2023 "
            "guideline (burtness2019-keynote048, yilmaz2023-asco).</li><li>TPS counts stained tumour cells only.</li>"
            "<li>Report CPS as a whole number in practice; the decimal is shown to make the arithmetic visible.</li>"
            "<li>Education, not clinical advice.</li></ul></div>"
        )
