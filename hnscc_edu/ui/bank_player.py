"""The module self-check player: a module's item bank, one Submit per question, feedback after each answer, a running
score and "Start again". It displays the session and calls it; no logic.

Each question's feedback widget stays empty until the question is answered: the key and the rationales stay in the
kernel until then (``ItemView`` shows stems and options only).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets

from ..content.models import Reference
from ..rules.grading.result import points
from ..sessions.bank_session import BankSession
from . import render
from .errors import ErrorBoundary
from .item_views import ItemView


class BankPlayer:
    def __init__(
        self, session: BankSession, references: Mapping[str, Reference], profession: str | None = None
    ) -> None:
        self.session = session
        self.references = references
        self.profession = profession
        self.boundary = ErrorBoundary()
        self.views: dict[str, ItemView] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.submit_buttons: dict[str, widgets.Button] = {}
        self.score_text = widgets.HTML()
        self.score_text.add_class("hnscc-bank-score")
        self.restart_button = widgets.Button(
            description="Start again",
            tooltip="Clear the questions and start again; your earlier answers stay on record",
        )
        self.restart_button.add_class("hnscc-bank-restart")
        self.restart_button.on_click(self.boundary.wrap(self._on_restart))
        self.body = widgets.VBox()
        self.widget = widgets.VBox(
            [
                widgets.HTML(render.banner()),
                widgets.HTML(self._header()),
                self.score_text,
                self.body,
                self.restart_button,
                self.boundary.message,
            ]
        )
        self.widget.add_class("hnscc-bank-player")
        self.widget.add_class(f"hnscc-bank-{session.bank.id}")
        self.render()

    def _header(self) -> str:
        bank = self.session.bank
        count = len(bank.items)
        return (
            f"<h2>Module self-check</h2><p><strong>{html.escape(bank.title)}</strong></p>"
            f"<p>{count} question{'s' if count != 1 else ''}, in any order. Each answer is saved when you submit "
            "it, and its feedback follows. The self-check does not count towards credit.</p>"
        )

    # -- rendering ---------------------------------------------------------------------------------------------
    def render(self) -> None:
        self.views, self.feedback, self.submit_buttons = {}, {}, {}
        parts: list[widgets.Widget] = []
        for number, item in enumerate(self.session.items, start=1):
            view = ItemView(item, number, self.profession, optional=self.session.is_optional(item))
            feedback = widgets.HTML()
            feedback.add_class(f"hnscc-feedback-{item.id}")
            button = widgets.Button(description="Submit", tooltip=f"Submit your answer to question {number}")
            button.add_class(f"hnscc-submit-{item.id}")
            button.on_click(self.boundary.wrap(lambda _b, item_id=item.id: self._on_submit(item_id)))
            self.views[item.id], self.feedback[item.id], self.submit_buttons[item.id] = view, feedback, button
            self._show_answer(item.id)
            box = widgets.VBox([view.stem, view.input, button, feedback])
            box.add_class("hnscc-bank-item")
            parts.append(box)
        self.body.children = tuple(parts)
        self._update_score()

    def _show_answer(self, item_id: str) -> None:
        """Show the stored answer of a question, locked, with its feedback (nothing when it is unanswered)."""
        result = self.session.result(item_id)
        if result is None:
            return
        view = self.views[item_id]
        view.fill(self.session.response(item_id))
        view.lock()
        self.submit_buttons[item_id].layout.display = "none"
        self.feedback[item_id].value = render.feedback(result, self.references)

    def _update_score(self) -> None:
        answered, total = self.session.progress()
        score, maximum = self.session.score()
        tailored = any(self.session.is_optional(item) for item in self.session.items)
        counted = "the questions for you" if tailored else "the scored questions"
        scored = f"; score {points(score)} of {points(maximum)} on {counted}" if answered else ""
        done = " All answered: start again to try once more." if answered == total else ""
        self.score_text.value = (
            f'<p role="status" aria-live="polite"><strong>Your self-check:</strong> '
            f"{answered} of {total} questions answered{scored}.{done}</p>"
        )
        self.restart_button.disabled = answered == 0

    # -- callbacks (each wrapped by the error boundary) --------------------------------------------------------
    def _on_submit(self, item_id: str) -> None:
        self.session.submit(item_id, self.views[item_id].response())
        self._show_answer(item_id)  # the stored answer: another tab's, when it answered first
        self._update_score()

    def _on_restart(self, _button=None) -> None:
        self.session.restart()
        self.render()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
