"""A case or a module self-check as it first stands on the page: a few lines saying what it is and where the learner
stands, and one button that opens it. The player itself (every stage, question, option and button: 50 to 270 widgets
each) is built on that first click, from the record the course keeps, so a module page draws a handful of small boxes
on arrival instead of several hundred widget views (issue 19 §1), and a case opened after a reload shows every saved
answer as it did before.

Display only: what a player shows and records is the player's and its session's; this box only defers building it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import ipywidgets as widgets

from ..content.models import Case, ItemBank
from ..rules.case_flow import FlowError
from ..rules.learner_path import PathError
from ..store import StoreError
from . import render
from .bank_player import BankPlayer
from .case_player import CasePlayer
from .errors import FAULT_MESSAGE, ErrorBoundary, log_fault


class Player(Protocol):
    widget: widgets.Widget


P = TypeVar("P", bound=Player)

# Problems whose message is written for the learner (a missing case, the course server unreachable, a refusal).
_EXPLAINED = (LookupError, StoreError, FlowError, PathError)

# The progress the course server reports for a case (``me``: cases), in words for the closed box.
CASE_PROGRESS = {
    None: "Not started yet.",
    "started": "Started: your answers are saved. Open the case to continue where you left off.",
    "finished": "Finished: open the case to see your answers, their feedback and the case's figures.",
}


class Opener(Generic[P]):
    """``summary_html`` and a button named ``label``; the first click calls ``build`` and puts the player it returns
    in the box's place. ``css_id`` names the box (``hnscc-opener-<css_id>``)."""

    def __init__(self, summary_html: str, label: str, tooltip: str, build: Callable[[], P], css_id: str) -> None:
        self._build = build
        self.player: P | None = None
        self._on_open: list[Callable[[P], None]] = []
        self.boundary = ErrorBoundary()
        self.label = label
        self.button = widgets.Button(
            description=label, tooltip=tooltip, button_style="primary", layout=widgets.Layout(width="auto")
        )
        self.button.add_class("hnscc-open")
        self.button.on_click(lambda _button: self.open())
        self.summary = widgets.HTML(summary_html)
        self.widget = widgets.VBox([self.summary, self.button])  # the message box joins only when there is one
        self.css_class = f"hnscc-opener-{css_id}"
        self.widget.add_class("hnscc-opener")
        self.widget.add_class(self.css_class)

    def on_open(self, callback: Callable[[P], None]) -> None:
        """Call ``callback(player)`` once the player is built (at once when it already is)."""
        if self.player is not None:
            callback(self.player)
        else:
            self._on_open.append(callback)

    def open(self) -> P | None:
        """Build the player (once), show it in the box's place and move the keyboard focus to its heading. A problem
        leaves the box closed with a plain message (never a traceback) and the button ready for another try."""
        if self.player is not None:
            return self.player
        self.boundary.clear()
        self.button.disabled, self.button.description = True, "Opening…"
        try:
            player = self._build()
        except _EXPLAINED as exc:
            self._problem(str(exc))
        except Exception:  # noqa: BLE001 - a learner never sees a traceback
            log_fault(f"opening {self.css_class} failed")
            self._problem(FAULT_MESSAGE)
        else:
            self.player = player
            focus = widgets.Output(layout=widgets.Layout(height="0px"))
            self.widget.children = (player.widget, focus)
            focus.outputs = ({"output_type": "display_data", "data": _focus_heading(self.css_class), "metadata": {}},)
            for callback in self._on_open:
                callback(player)
            self._on_open.clear()
            return player
        self.button.disabled, self.button.description = False, self.label
        return None

    def _problem(self, message: str) -> None:
        self.boundary.show(message)
        self.widget.children = (self.summary, self.button, self.boundary.message)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _focus_heading(css_class: str) -> dict[str, str]:
    """A script that gives keyboard focus to the first heading of the player just opened (the button that had it is
    gone), without scrolling: the player starts where the button was. It waits for the heading to be drawn."""
    selector = json.dumps(f".{css_class} h2")
    script = (
        "(function(){var tries=0;function go(){var el=document.querySelector(" + selector + ");"
        "if(!el){if(++tries<100){setTimeout(go,50);}return;}"
        "if(!el.hasAttribute('tabindex')){el.setAttribute('tabindex','-1');}el.focus({preventScroll:true});}go();})();"
    )
    return {"application/javascript": script}


class CaseOpener(Opener[CasePlayer]):
    """A case before the learner opens it: its title, the synthetic patient in a line, its size and the learner's
    progress (``progress``: "started", "finished" or None, as the course server reports it), and ``notice`` (safe
    HTML, e.g. that answers here are not saved) above them.

    ``pending``: the viewer is not known yet (``ui.viewer``): only the title shows, with the button disabled, until
    ``ready`` (their progress and how to build the player) or ``show_instead`` (why the case cannot open for them)."""

    def __init__(
        self,
        case: Case,
        build: Callable[[], CasePlayer] | None = None,
        progress: str | None = None,
        notice: str = "",
        *,
        pending: bool = False,
    ) -> None:
        self.case = case
        self.progress = progress
        self._on_ready: list[Callable[[], None]] = []
        summary = self._summary_pending() if pending else self._summary(progress, notice)
        super().__init__(summary, "Open this case", f"Open the case: {case.title}", build or _not_yet_known, case.id)
        self.button.disabled = pending
        self.widget.add_class("hnscc-case-opener")

    def _summary(self, progress: str | None, notice: str) -> str:
        case, p = self.case, self.case.patient
        return (
            f"{render.banner()}{notice}<h2>{html.escape(case.title)}</h2><p><strong>Synthetic patient:</strong> "
            f"{html.escape(p.pseudonym)}, {p.age}, {html.escape(p.sex)}.</p>"
            f'<p class="hnscc-opener-progress">{len(case.stages)} stages, {len(case.items)} questions. '
            f"{html.escape(CASE_PROGRESS.get(progress, CASE_PROGRESS[None]))}</p>"
        )

    def _summary_pending(self) -> str:
        return (
            f"{render.banner()}<h2>{html.escape(self.case.title)}</h2>"
            f'<p class="hnscc-opener-progress" role="status">{CHECKING}</p>'
        )

    def ready(self, build: Callable[[], CasePlayer], progress: str | None, notice: str = "") -> None:
        """The viewer is known and may open the case: show their progress and enable the button."""
        self._build, self.progress = build, progress
        self.summary.value = self._summary(progress, notice)
        self.button.disabled = False
        for callback in self._on_ready:
            callback()

    def on_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when a pending box learns its viewer's progress (``ready``)."""
        self._on_ready.append(callback)

    def show_instead(self, html_value: str) -> None:
        """Show ``html_value`` (safe HTML: why the case cannot open here) in the box's place."""
        self.widget.children = (widgets.HTML(html_value),)


CHECKING = "Checking your place in the course…"


def _not_yet_known() -> CasePlayer:
    raise LookupError("This page is still finding out who you are; please try again in a moment.")


class SelfCheckOpener(Opener[BankPlayer]):
    """A module self-check before the learner opens it: its title and size."""

    def __init__(self, bank: ItemBank, build: Callable[[], BankPlayer]) -> None:
        self.bank = bank
        count = len(bank.items)
        summary = (
            f"{render.banner()}<h2>Module self-check</h2><p><strong>{html.escape(bank.title)}</strong></p>"
            f"<p>{count} question{'s' if count != 1 else ''}, in any order; every answer is saved when you submit it. "
            "The self-check does not count towards credit.</p>"
        )
        super().__init__(summary, "Open the self-check", f"Open the self-check: {bank.title}", build, bank.id)
        self.widget.add_class("hnscc-self-check-opener")
