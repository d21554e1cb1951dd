"""Figures that belong to a case but would give its later stages away (its map, a patient's timeline, a spider plot
of every scan): shown under the case's player only once the learner has finished the case, hidden again on a
restart. Before that a note says they will appear, and nothing of them reaches the browser."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ..templating import error_box
from . import render
from .case_player import CasePlayer
from .errors import FAULT_MESSAGE, ErrorBoundary, log_fault
from .figures import Chart, show_in

WAITING = (
    "The figures of this case appear here when you finish it: they show what happens at every stage, so they "
    "would give the later stages away."
)


class CaseFigures:
    """A case's own figures under its player, drawn by ``make_charts(case)`` once the case is finished."""

    def __init__(self, player: CasePlayer, make_charts: Callable[..., list[Chart]], waiting: str = WAITING) -> None:
        self.player = player
        self.case = player.session.case
        self.make_charts = make_charts
        self.waiting = waiting
        self.boundary = ErrorBoundary()
        self.note = widgets.HTML()
        self.charts: list[Chart] | None = None
        self.outputs: list[tuple[widgets.Output, widgets.HTML]] = []
        self.box = widgets.VBox()
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"{render.STYLE}<h3>Figures of this case: {html.escape(self.case.title)}</h3>"),
                self.note,
                self.box,
                self.boundary.message,
            ]
        )
        self.widget.add_class("hnscc-case-figures")
        self.widget.add_class(f"hnscc-case-figures-{self.case.id}")
        player.on_render(self.boundary.wrap(self.refresh))  # after every redraw of the player
        self.refresh()

    def refresh(self) -> None:
        if not self.player.session.state.completed:
            self.box.children = ()
            self.outputs = []
            self.note.value = f'<p class="hnscc-info" role="note">{html.escape(self.waiting)}</p>'
            return
        if self.charts is None:
            self.charts = self.make_charts(self.case)
        self.note.value = ""
        self.outputs = [(widgets.Output(), widgets.HTML()) for _ in self.charts]
        for (output, text), chart in zip(self.outputs, self.charts, strict=True):
            show_in(output, text, chart)
        self.box.children = tuple(w for pair in self.outputs for w in pair)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def show_after_case(player: CasePlayer | None, make_charts: Callable[..., list[Chart]], waiting: str = WAITING) -> None:
    """Show a case's own figures under its player once the case is finished. Returns nothing, so a cell ending with
    this call shows them once. Never raises: a problem becomes a plain message and a log entry."""
    from IPython.display import HTML, display

    if player is None:
        return
    try:
        view = CaseFigures(player, make_charts, waiting)
    except Exception:  # noqa: BLE001 - a learner never sees a traceback
        log_fault(f"drawing the figures of case {player.session.case.id!r} failed")
        display(HTML(render.STYLE + error_box(FAULT_MESSAGE)))
        return
    display(view)
