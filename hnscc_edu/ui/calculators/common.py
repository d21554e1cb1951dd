"""What every calculator view shares: a frame with a Calculate button, a result area, a figure with its text
alternative, and one error boundary that turns a calculator's ``ValueError`` into a message for the user.

The figure is drawn once the user asks for it ("Show the figure"; it then follows every calculation until hidden),
as the module figures are (``ui.figures.figure_on_request``): its text alternative is written with every result,
and a page of calculators that draws no plotly figure on arrival is ready about a second sooner."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TypeVar

import ipywidgets as widgets

from .. import render
from ..errors import ErrorBoundary, InputError
from ..figures import Chart, figure_button, figure_output, flip, text_alternative

T = TypeVar("T")

CALCULATOR_STYLE = """<style>
.hnscc-calculator{border:1px solid #8a8a8a;border-radius:4px;padding:8px 12px;margin:8px 0;max-width:1100px}
.hnscc-calculator h3{margin:4px 0 6px}
.hnscc-calc-result .hnscc-headline{font-size:1.1em;margin:6px 0}
.hnscc-assumptions{font-size:0.92em;color:#222;line-height:1.45}
.hnscc-status-over{font-weight:bold}
.hnscc-calculator .widget-label{min-width:max-content}
</style>"""

LABEL_STYLE = {"description_width": "initial"}


def clinical(call: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run a pure calculator; its ``ValueError`` (written for clinicians) becomes an input error shown to the user."""
    try:
        return call(*args, **kwargs)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def optional_number(text: str, what: str, unit: str) -> float | None:
    """A number typed in a text box, or None when left blank; decimal commas are accepted."""
    cleaned = text.strip().replace(",", ".")
    if unit and cleaned.lower().endswith(unit.lower()):
        cleaned = cleaned[: -len(unit)].strip()
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise InputError(f"{what} must be a number in {unit}, or left blank: got {text.strip()!r}.") from None


class CalculatorView:
    """The frame of one calculator. Subclasses build inputs and implement ``calculate``."""

    name = "calculator"
    title = "Calculator"
    intro = ""

    def __init__(self) -> None:
        self.boundary = ErrorBoundary()
        self.result = widgets.HTML()
        self.result.add_class("hnscc-calc-result")
        self.figure = widgets.Output()
        self.figure.add_class("hnscc-calc-figure")
        self.figure_text = widgets.HTML()
        self.figure_text.add_class("hnscc-calc-figure-text")
        self.chart: Chart | None = None  # the latest result's figure, drawn while ``figure_shown``
        self.figure_shown = False
        self.figure_button = figure_button(f"Draw the figure of the result: {self.title}", shown_at_start=False)
        self.figure_button.on_click(self.boundary.wrap(lambda _button: self.show_or_hide_figure()))
        self.calculate_button = widgets.Button(
            description="Calculate", button_style="primary", tooltip=f"Compute: {self.title}"
        )
        self.calculate_button.add_class(f"hnscc-calculate-{self.name}")
        self.calculate_button.on_click(self.boundary.wrap(lambda _button: self.recalculate()))

    def frame(self, inputs: Sequence[widgets.Widget]) -> widgets.VBox:
        heading = widgets.HTML(f"{render.STYLE}{CALCULATOR_STYLE}<h3>{html.escape(self.title)}</h3><p>{self.intro}</p>")
        box = widgets.VBox(
            [
                heading,
                *inputs,
                self.calculate_button,
                self.boundary.message,
                self.result,
                self.figure_button,
                self.figure,
                self.figure_text,
            ]
        )
        box.add_class("hnscc-calculator")
        box.add_class(f"hnscc-calculator-{self.name}")
        return box

    def calculate(self) -> None:
        raise NotImplementedError

    def recalculate(self) -> None:
        """Clear the old result first, so a refused input never leaves a stale answer on screen."""
        self.clear()
        self.calculate()

    def recalculate_safely(self) -> None:
        """As the Calculate button does: through the error boundary (used when a preloaded view first shows)."""
        self.boundary.wrap(self.recalculate)()

    def clear(self) -> None:
        self.result.value = ""
        self.figure_text.value = ""
        self.chart = None
        self.figure_button.layout.display = "none"
        # Set the trait rather than call clear_output(): that goes through IOPub and, run while a cell executes
        # (a preloaded view), can reach the browser after the new figure and wipe it.
        self.figure.outputs = ()

    def show_chart(self, chart: Chart) -> None:
        """The result's figure: its text alternative at once, the figure itself if the user has asked for it."""
        self.chart = chart
        self.figure_text.value = text_alternative(chart)
        self.figure_button.layout.display = None
        self._draw()

    def show_or_hide_figure(self) -> None:
        """The "Show the figure" button: draw the figure (and every later result's), or hide it again."""
        self.figure_shown = flip(self.figure_button)
        self._draw()

    def _draw(self) -> None:
        self.figure.outputs = (figure_output(self.chart),) if self.figure_shown and self.chart is not None else ()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[attr-defined]
