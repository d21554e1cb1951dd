"""What the calculators notebook calls: each calculator as a widget, and plain-text versions of their results that
print the same in JupyterLab, Voila and a headless nbval run."""

from __future__ import annotations

from collections.abc import Sequence

from IPython.display import HTML, display

from .clinical import dose, keynote048, recist
from .clinical.sources import REFERENCE_KEYS
from .notebook import course
from .templating import error_box
from .ui import render
from .ui.calculators import CpsView, CumulativeDoseView, MiriView, RecistView, SequencingView
from .ui.calculators.common import CalculatorView
from .ui.calculators.cumulative_dose import ORGAN_NAMES, Course
from .ui.errors import FAULT_MESSAGE, log_fault
from .ui.figures import STATUS_WORDS

VIEWS = {
    "cumulative_dose": CumulativeDoseView,
    "miri": MiriView,
    "recist": RecistView,
    "cps": CpsView,
    "sequencing": SequencingView,
}


def show_calculator(kind: str, **preload: object) -> CalculatorView | None:
    """Show one calculator, optionally preloaded (the same keywords as its view). Problems show as a message."""
    try:
        if kind not in VIEWS:
            raise ValueError(f"Unknown calculator {kind!r}; choose one of {', '.join(VIEWS)}.")
        if kind == "sequencing":
            preload.setdefault("references", course().references)
        if kind == "cumulative_dose" and "courses" in preload:
            preload["courses"] = [c if isinstance(c, Course) else Course(*c) for c in preload["courses"]]
        view = VIEWS[kind](**preload)
    except ValueError as exc:
        display(HTML(render.STYLE + error_box(str(exc))))
        return None
    except Exception:  # noqa: BLE001 - a dashboard never shows a traceback
        log_fault(f"showing calculator {kind!r} failed")
        display(HTML(render.STYLE + error_box(FAULT_MESSAGE)))
        return None
    display(view.widget)
    return view


def print_cumulative_check(
    organ: str, courses: Sequence[tuple[float, int]], recovery: float = 0.0, alpha_beta: float | None = None
) -> None:
    """The cumulative-dose verdicts as text: one line per source."""
    verdicts = dose.check_cumulative(organ, courses, alpha_beta=alpha_beta, recovery=recovery)
    plan = " + ".join(f"{total:g} Gy/{count} fx" for total, count in courses)
    print(f"{ORGAN_NAMES.get(organ, organ).capitalize()}: {plan}, recovery {recovery:.0%} of earlier courses.")
    for v in verdicts:
        value = "not comparable" if v.compared_gy is None else f"{v.compared_gy:.2f} Gy"
        print(
            f"  {v.source_label} [{v.metric}] limit {v.limit}: {value} -> {STATUS_WORDS[v.status]}"
            + ("" if v.confirmed else " (unconfirmed threshold)")
        )


def print_recist_series(
    labels: Sequence[str],
    lesion_diameters_mm: Sequence[Sequence[float]],
    new_lesions: Sequence[bool] | None = None,
    weeks: Sequence[float] | None = None,
) -> None:
    """Sums, changes and calls at each assessment; with ``weeks``, the iRECIST calls too."""
    series = recist.series(labels, lesion_diameters_mm, new_lesions)
    calls = recist.irecist_series(series, weeks) if weeks is not None else [None] * len(series)
    for a, call in zip(series, calls, strict=True):
        nadir = "" if a.change_from_nadir_percent is None else f", {a.change_from_nadir_percent:+.1f}% from nadir"
        extra = f", iRECIST {call}" if call else ""
        print(
            f"{a.label}: sum {a.sum_mm:g} mm ({a.change_from_baseline_percent:+.1f}% from baseline{nadir})"
            f" -> {a.response or 'baseline'}{extra}"
        )


def print_keynote048_hazard_ratios() -> None:
    """The data of the KEYNOTE-048 forest plot, as text: one sentence per row derived from what the row is
    (keynote048.row_statement), then the figure's summary (issue 15 §1)."""
    rows = keynote048.hazard_ratios()
    for r in rows:
        print(keynote048.row_statement(r))
    print(keynote048.forest_summary(rows))


def show_calculator_sources() -> None:
    """Every source the calculators cite, from the course bibliography."""
    references = course().references
    rows = "".join(f"<li>{render.citation(references.get(k), k)}</li>" for k in sorted(REFERENCE_KEYS))
    display(HTML(f"<h3>Sources of the calculators</h3><ol>{rows}</ol>"))
