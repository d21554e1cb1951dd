"""The case player: stage by stage, Submit, feedback, Continue. It displays the session and calls it; no logic."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping

import ipywidgets as widgets
from IPython.display import Javascript, display

from ..content.models import Case, Reference, Stage
from ..rules.grading.result import points
from ..sessions.case_session import CaseSession
from . import render
from .calculators.embed import widgets_for as calculator_widgets
from .disclosure import disclosure
from .errors import ErrorBoundary
from .item_views import ItemView

# Called with the stage's focus token and the completion note's selector ("" while the case goes on): it retries
# for up to 5 s, as the new stage's heading appears only once the widgets have drawn it.
_FOCUS_STAGE_SCRIPT = (
    "(function(token,done){var tries=0;function go(){var el=done?document.querySelector("
    "'.hnscc-case-'+token.split(':')[0]+' '+done):document.querySelector('h3[data-focus=\"'+token+'\"]');"
    "if(!el){if(++tries<100){setTimeout(go,50);}return;}"
    "if(!el.hasAttribute('tabindex')){el.setAttribute('tabindex','-1');}"
    "el.scrollIntoView({block:'start'});el.focus({preventScroll:true});}go();})"
)


class CasePlayer:
    def __init__(
        self, session: CaseSession, references: Mapping[str, Reference], profession: str | None = None
    ) -> None:
        self.session = session
        self.references = references
        self.profession = profession
        self.boundary = ErrorBoundary()
        self.views: dict[str, ItemView] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.submit_buttons: dict[str, widgets.Button] = {}
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="Progress", style={"description_width": "initial"}
        )
        self.progress_text = widgets.HTML()
        self.progress_text.add_class("hnscc-progress")
        self._after_render: list[Callable[[], None]] = []
        self.restart_button = widgets.Button(
            description="Restart the case", tooltip="Start again; your earlier answers stay on record"
        )
        self.restart_button.add_class("hnscc-restart")
        self.restart_button.on_click(self.boundary.wrap(self._on_restart))
        # Questions written for other professions stay visible by default (they are open to everyone); a learner can
        # hide the unanswered ones. Shown only when this case has such questions for this learner.
        self.show_optional = widgets.Checkbox(
            value=True, indent=False, description="Show the optional questions written for other professions"
        )
        self.show_optional.add_class("hnscc-show-optional")
        self.show_optional.observe(self.boundary.wrap(lambda _change: self.render()), names="value")
        if not any(session.is_optional(item) for item in session.case.items):
            self.show_optional.layout.display = "none"
        self.focus_script = widgets.Output()  # moves focus to a newly reached stage (see _focus_stage)
        self.focus_script.layout.height = "0px"
        self.body = widgets.VBox()
        self.widget = widgets.VBox(
            [
                widgets.HTML(render.banner()),
                widgets.HTML(self._header(session.case)),
                widgets.HBox([self.progress, self.progress_text]),
                self.show_optional,
                self.body,
                self.focus_script,
                self.boundary.message,
            ]
        )
        self.widget.add_class("hnscc-case-player")
        self.widget.add_class(f"hnscc-case-{session.case.id}")
        self.render()

    @staticmethod
    def _header(case: Case) -> str:
        p = case.patient
        return (
            f"<h2>{html.escape(case.title)}</h2><p><strong>Synthetic patient:</strong> "
            f"{html.escape(p.pseudonym)}, {p.age}, {html.escape(p.sex)}. {html.escape(p.summary)}</p>"
        )

    # -- rendering ---------------------------------------------------------------------------------------------
    def render(self) -> None:
        session = self.session
        # Only the current stage's questions can be answered; earlier stages are shown read-only.
        self.views, self.feedback, self.submit_buttons = {}, {}, {}
        reached, expected = session.progress
        self.progress.max = max(expected, 1)
        self.progress.value = reached
        state = "complete" if session.state.completed else f"stage {reached} of about {expected}"
        self.progress_text.value = f'<span aria-live="polite">Case {state}: {html.escape(session.stage.title)}</span>'
        children: list[widgets.Widget] = []
        earlier = session.visited[:-1]
        children += [
            disclosure(f"Earlier: {stage.title}", self._stage_box(stage, current=False), "hnscc-earlier-toggle")
            for stage in earlier
        ]
        children.append(self._stage_box(session.stage, current=not session.state.completed))
        self.continue_button = self._continue_button()  # bound to this stage: a click meant for another is ignored
        if session.state.completed:
            done = widgets.HTML(
                f'<div class="hnscc-info" role="status"><strong>Case complete.</strong> {self._score_words()} Every '
                "answer is saved; restart to try another path.</div>"
            )
            done.add_class("hnscc-complete")
            children += [done, self.restart_button]
        else:
            self._update_continue()
            children.append(self.continue_button)
        self.body.children = tuple(children)
        for callback in self._after_render:
            callback()

    def on_render(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every redraw (a stage reached, the case finished or restarted)."""
        self._after_render.append(callback)

    def _position(self) -> tuple[int, int, bool]:
        state = self.session.state
        return self.session.run, len(state.path), state.completed

    def _continue_button(self) -> widgets.Button:
        """A Continue button for the stage on screen now. A double click sends two clicks; the second reaches the
        kernel after the first has moved on, and must not move again (it would skip a stage with no questions)."""
        button = widgets.Button(
            description="Continue", button_style="primary", tooltip="Go to the next stage of the case"
        )
        button.add_class("hnscc-continue")
        shown_at = self._position()
        button.on_click(self.boundary.wrap(lambda _b: self._on_continue(shown_at)))
        return button

    def _stage_box(self, stage: Stage, current: bool) -> widgets.VBox:
        focus = f' data-focus="{html.escape(self._focus_token())}"' if current else ""
        parts: list[widgets.Widget] = [
            widgets.HTML(
                f'<div class="hnscc-stage" data-stage="{html.escape(stage.id)}"><h3 tabindex="-1"{focus}>'
                f"{html.escape(stage.title)}</h3>"
                f"{render.reveal(stage.reveal)}</div>"
            )
        ]
        if stage.id == self.session.stage.id:  # live tools belong where the learner works, not in the history
            parts += calculator_widgets(stage.calculators, self.references)
        for number, item in enumerate(stage.items, start=1):
            optional = self.session.is_optional(item)
            result = self.session.result(item.id)
            if optional and result is None and not self.show_optional.value:
                continue  # hidden at the learner's request; still answerable when shown again
            view = ItemView(item, number, self.profession, optional=optional)
            feedback = widgets.HTML()
            feedback.add_class(f"hnscc-feedback-{item.id}")
            if result is not None:
                view.fill(self.session.response(item.id))
                view.lock()
                feedback.value = render.feedback(result, self.references)
                parts += [view.stem, view.input, feedback]
            elif current:
                button = widgets.Button(description="Submit", tooltip=f"Submit your answer to question {number}")
                button.add_class(f"hnscc-submit-{item.id}")
                button.on_click(self.boundary.wrap(lambda _b, item_id=item.id: self._on_submit(item_id)))
                self.submit_buttons[item.id] = button
                parts += [view.stem, view.input, button, feedback]
            else:  # unanswered in an earlier stage: only after the case file changed under a saved run
                view.lock()
                parts += [view.stem, view.input]
            if current:
                self.views[item.id] = view
                self.feedback[item.id] = feedback
        box = widgets.VBox(parts)
        box.add_class("hnscc-current-stage" if current else "hnscc-earlier-stage")
        return box

    def _update_continue(self) -> None:
        session = self.session
        self.continue_button.disabled = not session.can_advance
        finishing = session.can_advance and session.next_stage_id is None
        self.continue_button.description = "Finish the case" if finishing else "Continue"

    # -- callbacks (each wrapped by the error boundary) --------------------------------------------------------
    def _on_submit(self, item_id: str) -> None:
        view = self.views[item_id]
        result = self.session.submit(item_id, view.response())
        view.lock()
        self.submit_buttons[item_id].layout.display = "none"
        self.feedback[item_id].value = render.feedback(result, self.references)
        self._update_continue()

    def _on_continue(self, shown_at: tuple[int, int, bool] | None = None) -> None:
        if shown_at is not None and shown_at != self._position():
            return  # a click on a stage the learner has already left
        self.session.advance()
        self.render()
        self._focus_stage()

    def _focus_token(self) -> str:
        run, reached, completed = self._position()
        return f"{self.session.case.id}:{run}:{reached}:{int(completed)}"

    def _focus_stage(self) -> None:
        """Bring the stage just reached into view and give it keyboard focus (its heading, or the completion note).
        The kernel cannot move the page, so a small script in the player's output does, once the new stage is drawn:
        it waits for the heading marked with this position, so a slow page never focuses the stage it left."""
        token = json.dumps(self._focus_token())
        target = json.dumps(".hnscc-complete" if self.session.state.completed else "")
        script = f"{_FOCUS_STAGE_SCRIPT}({token},{target});"
        self.focus_script.clear_output()
        with self.focus_script:
            display(Javascript(script))

    def _score_words(self) -> str:
        score, maximum, optional = self.session.counted
        words = f"You scored {points(score)} of {points(maximum)} on the questions for you."
        if optional:
            words += (
                f" You also answered {optional} optional question{'s' if optional != 1 else ''} written for "
                "other professions; they are not counted."
            )
        return words

    def _on_restart(self, _button=None) -> None:
        self.session.restart()
        self.render()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
