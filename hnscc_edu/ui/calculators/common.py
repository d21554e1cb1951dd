"""What every calculator view shares: a frame with a Calculate button, a result area, a figure with its text
alternative, and one error boundary that turns a calculator's ``ValueError`` into a message for the user."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TypeVar

import ipywidgets as widgets

from .. import render
from ..errors import ErrorBoundary, InputError
from ..figures import Chart, show_in

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
        self.calculate_button = widgets.Button(
            description="Calculate", button_style="primary", tooltip=f"Compute: {self.title}"
        )
        self.calculate_button.add_class(f"hnscc-calculate-{self.name}")
        self.calculate_button.on_click(self.boundary.wrap(lambda _button: self.recalculate()))

    def frame(self, inputs: Sequence[widgets.Widget]) -> widgets.VBox:
        heading = widgets.HTML(f"{render.STYLE}{CALCULATOR_STYLE}<h3>{html.escape(self.title)}</h3><p>{self.intro}</p>")
        box = widgets.VBox(
            [heading, *inputs, self.calculate_button, self.boundary.message, self.result, self.figure, self.figure_text]
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
        # Set the trait rather than call clear_output(): that goes through IOPub and, run while a cell executes
        # (a preloaded view), can reach the browser after the new figure and wipe it.
        self.figure.outputs = ()

    def show_chart(self, chart: Chart) -> None:
        show_in(self.figure, self.figure_text, chart)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[attr-defined]
