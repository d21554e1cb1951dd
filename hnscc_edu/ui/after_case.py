"""Figures that belong to a case but would give its later stages away (its map, a patient's timeline, a spider plot
of every scan): shown under the case's player only once the learner has finished the case, hidden again on a
restart. Before that a note says they will appear, and nothing of them reaches the browser. A case still closed on the
page (``ui.opener``) has no player yet: the figures follow it once the learner opens it."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ..templating import error_box
from . import render
from .case_player import CasePlayer
from .errors import FAULT_MESSAGE, ErrorBoundary, log_fault
from .figures import Chart, show_in
from .opener import CaseOpener

WAITING = (
    "The figures of this case appear here when you finish it: they show what happens at every stage, so they "
    "would give the later stages away."
)
OPEN_TO_SEE = "You have finished this case: open it above to see its figures."


class CaseFigures:
    """A case's own figures under its player, drawn by ``make_charts(case)`` once the case is finished. ``view`` is
    the player, or the case's opener (the figures follow the player once the learner opens the case)."""

    def __init__(
        self, view: CasePlayer | CaseOpener, make_charts: Callable[..., list[Chart]], waiting: str = WAITING
    ) -> None:
        self.player: CasePlayer | None = None
        self.opener = view if isinstance(view, CaseOpener) else None
        self.case = view.case if isinstance(view, CaseOpener) else view.session.case
        self.make_charts = make_charts
        self.waiting = waiting
        self.boundary = ErrorBoundary()
        self.note = widgets.HTML()
        self.charts: list[Chart] | None = None
        self.outputs: list[tuple[widgets.Output, widgets.HTML]] = []
        self.box = widgets.VBox()
        self.heading = widgets.HTML(f"{render.STYLE}<h3>Figures of this case: {html.escape(self.case.title)}</h3>")
        # While the case is closed only the heading and the note are drawn; the rest follows the player.
        self.widget = widgets.VBox([self.heading, self.note])
        self.widget.add_class("hnscc-case-figures")
        self.widget.add_class(f"hnscc-case-figures-{self.case.id}")
        if isinstance(view, CaseOpener):
            view.on_open(self.boundary.wrap(self.follow))
            view.on_ready(self.boundary.wrap(self.refresh))  # a pre-heated page learns the progress a moment later
        else:
            self.follow(view)
        self.refresh()

    def follow(self, player: CasePlayer) -> None:
        """Draw the figures with ``player`` from now on: after each of its redraws."""
        self.widget.children = (self.heading, self.note, self.box, self.boundary.message)
        self.player = player
        player.on_render(self.boundary.wrap(self.refresh))
        self.refresh()

    def refresh(self) -> None:
        if self.player is None or not self.player.session.state.completed:
            self.box.children = ()
            self.outputs = []
            finished = self.player is None and self.opener is not None and self.opener.progress == "finished"
            note = OPEN_TO_SEE if finished else self.waiting
            self.note.value = f'<p class="hnscc-info" role="note">{html.escape(note)}</p>'
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


def show_after_case(
    case: CaseOpener | CasePlayer | None, make_charts: Callable[..., list[Chart]], waiting: str = WAITING
) -> None:
    """Show a case's own figures under it (``case``: what ``show_case`` returned) once the case is finished. Returns
    nothing, so a cell ending with this call shows them once. Never raises: a problem becomes a plain message and a
    log entry."""
    from IPython.display import HTML, display

    if case is None:
        return
    try:
        view = CaseFigures(case, make_charts, waiting)
    except Exception:  # noqa: BLE001 - a learner never sees a traceback
        case_id = case.case.id if isinstance(case, CaseOpener) else case.session.case.id
        log_fault(f"drawing the figures of case {case_id!r} failed")
        display(HTML(render.STYLE + error_box(FAULT_MESSAGE)))
        return
    display(view)
