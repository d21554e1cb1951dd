"""Build the calculator view a case stage asks for, preloaded with the patient's data from the case file."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from ...content.models import (
    Calculator,
    CpsCalculator,
    CumulativeDoseCalculator,
    MiriCalculator,
    RecistCalculator,
    Reference,
    SequencingCalculator,
)
from .common import CalculatorView
from .cps import CpsView
from .cumulative_dose import Course, CumulativeDoseView
from .miri import MiriView
from .recist import RecistView
from .sequencing import SequencingView


def build(block: Calculator, references: Mapping[str, Reference] | None = None) -> CalculatorView:
    """The view for one calculator block of a stage."""
    if isinstance(block, CumulativeDoseCalculator):
        return CumulativeDoseView(
            [Course(c.dose_gy, c.fractions, c.date) for c in block.courses],
            block.organ,
            block.alpha_beta,
            block.recovery,
        )
    if isinstance(block, MiriCalculator):
        return MiriView(block.months_since_prior_rt, block.resected, block.organ_dysfunction)
    if isinstance(block, RecistCalculator):
        return RecistView(
            [(lesion.name, lesion.diameters_mm) for lesion in block.lesions],
            block.assessments,
            block.weeks or (),
            block.new_lesions or (),
            block.immunotherapy,
        )
    if isinstance(block, CpsCalculator):
        return CpsView(block.pdl1_tumor_cells, block.pdl1_immune_cells, block.viable_tumor_cells)
    if isinstance(block, SequencingCalculator):
        return SequencingView(
            block.cps,
            block.prior_platinum,
            block.prior_anti_pd1,
            block.platinum_eligible,
            block.platinum_refractory,
            references=references,
            calculate_now=True,
        )
    raise TypeError(f"no view for calculator {block!r}")


def widgets_for(blocks: list[Calculator], references: Mapping[str, Reference] | None = None) -> list[widgets.Widget]:
    return [build(block, references).widget for block in blocks]
