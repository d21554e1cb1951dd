"""The presenter's dashboard of a live session (Voila): pick a case, step through it stage by stage, open a poll on a
question, watch the response count, lock, reveal (histogram, correct answer, rationale and sources), reset, and
compare a before- and an after-discussion poll side by side.

Participants never touch this kernel: they vote on the course server's live-poll pages, which write to the same
store. The widgets display the store and call it with the session's presenter token; the rules are the pure
functions of ``hnscc_edu.rules.live``. Every callback runs inside the error boundary.

On a hub the kernel holds no store: the dashboard calls the live polls of the hub's course server
(``service.live_client.RemoteLiveStore``, the same methods), which lets a course director or hub admin start a
session; the join address and the projector view are then the course server's (``/services/hnscc/...``).
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import ipywidgets as widgets
import segno

from ..content.course import CourseContent
from ..content.models import Case, SingleBestAnswer
from ..rules import live as rules
from ..rules.live import LiveError, LiveSession, Poll, PollAction, PollResults, PollState
from ..service import external_service
from ..service.live_client import RemoteLiveStore
from ..store import StoreError
from ..templating import error_box
from . import render
from .errors import FAULT_MESSAGE, ErrorBoundary, log_fault
from .figures import Chart, show_in
from .poll_figures import letter, poll_comparison, poll_histogram
from .rehearsal import auto_answer_on

if TYPE_CHECKING:
    from ..store.live import LiveStore

REFRESH_MS = 1000  # the presenter's count follows the votes within a second
PHASE_WORDS = {"pre": "before discussion", "post": "after discussion", None: "poll"}
STYLE = """<style>
.hnscc-live-code{font-size:2.6em;font-weight:700;letter-spacing:0.12em;margin:0}
.hnscc-live-join{display:flex;gap:24px;align-items:center;flex-wrap:wrap}
.hnscc-live-join a{font-size:1.2em;word-break:break-all}
.hnscc-live-count{font-size:1.3em}
.hnscc-live-option-key{font-weight:700}
.hnscc-live-options{list-style:none;padding-left:8px}
.hnscc-live .widget-label,.hnscc-live .widget-label-basic{min-width:max-content}
</style>"""


class PresenterBoundary(ErrorBoundary):
    """The course's error boundary, which also shows a live-poll refusal's own message (a locked poll, a wrong
    token): those are written for the presenter, not faults of ours."""

    def wrap(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def live_messages(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except LiveError as exc:
                self.show(str(exc))
                return None

        return super().wrap(live_messages)


def qr_svg(url: str) -> str:
    """The join address as a QR code, drawn offline (segno), as inline SVG with a text equivalent."""
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")
    return f'<div role="img" aria-label="QR code of the join address {html.escape(url)}">{svg}</div>'


def _button(description: str, css: str, tooltip: str, **kwargs: Any) -> widgets.Button:
    button = widgets.Button(description=description, tooltip=tooltip, layout=widgets.Layout(width="auto"), **kwargs)
    button.add_class(css)
    return button


class PresenterDashboard:
    """``live``: the store's live polls, or on a hub the course server's (``RemoteLiveStore``); ``base_url``: the
    path of the server that serves the participants' and the projector's pages (default: this page's server)."""

    def __init__(
        self,
        content: CourseContent,
        live: LiveStore | RemoteLiveStore,
        environ: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> None:
        self.content = content
        self.live = live
        self.environ = os.environ if environ is None else environ
        self._base_url = base_url
        self.boundary = PresenterBoundary()
        wrap = self.boundary.wrap
        self.session: LiveSession | None = None
        self.token: str | None = None
        self.poll: Poll | None = None
        self.case: Case | None = None
        self.stage_index = 0

        # -- the session: code, join address, QR code, token ------------------------------------------------------
        self.session_html = widgets.HTML(
            "<p>No live session yet: start one, or resume one with its code and presenter token.</p>"
        )
        self.session_html.add_class("hnscc-live-session")
        # the room's screen: a link shown once a session is started or resumed (the token is in its fragment)
        self.projector_html = widgets.HTML()
        self.projector_html.add_class("hnscc-live-projector")
        self.start_button = _button(
            "Start a new live session",
            "hnscc-live-start",
            "Create a session code for the audience to join",
            button_style="primary",
        )
        self.start_button.on_click(wrap(self._on_start))
        self.resume_code = widgets.Text(description="Session code", placeholder="e.g. ACD347")
        self.resume_token = widgets.Password(description="Presenter token")
        self.resume_button = _button(
            "Resume the session", "hnscc-live-resume", "Continue a session started earlier (after a reload)"
        )
        self.resume_button.on_click(wrap(self._on_resume))
        self.end_button = _button(
            "End the session",
            "hnscc-live-end",
            "Close the session: its code stops working for phones and the projector",
            button_style="warning",
        )
        self.end_button.on_click(wrap(self._on_end))
        self.token_toggle = widgets.ToggleButton(
            description="Show the presenter token",
            value=False,
            tooltip="Keep it off the projector: it controls the polls",
            layout=widgets.Layout(width="auto"),
        )
        self.token_toggle.add_class("hnscc-live-token-toggle")
        self.token_toggle.observe(wrap(self._on_token_toggle), "value")
        self.token_html = widgets.HTML()
        self.token_html.add_class("hnscc-live-token")
        self.min_votes = widgets.BoundedIntText(
            value=rules.DEFAULT_MIN_VOTES,
            min=1,
            max=rules.MAX_MIN_VOTES,
            description="Minimum votes before a histogram shows",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="340px"),
        )
        self.min_votes.add_class("hnscc-live-min-votes")
        self.min_votes.observe(wrap(self._on_min_votes), "value")

        # -- the case, stage by stage ---------------------------------------------------------------------------
        cases = sorted(content.cases.values(), key=lambda c: (c.module, c.title))
        self.case_picker = widgets.Dropdown(
            options=[(c.title, c.id) for c in cases],
            value=None,
            description="Case",
            layout=widgets.Layout(width="100%"),
        )
        self.case_picker.add_class("hnscc-live-case")
        self.case_picker.observe(wrap(self._on_case), "value")
        self.previous_button = _button("◀ Previous stage", "hnscc-live-previous", "Show the previous stage")
        self.previous_button.on_click(wrap(lambda _b: self._move(-1)))
        self.next_button = _button("Next stage ▶", "hnscc-live-next", "Show the next stage")
        self.next_button.on_click(wrap(lambda _b: self._move(+1)))
        self.stage_html = widgets.HTML()
        self.stage_html.add_class("hnscc-live-stage")
        self.item_picker = widgets.Dropdown(
            options=[],
            description="Question to poll",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%"),
        )
        self.item_picker.add_class("hnscc-live-item")
        self.item_picker.observe(wrap(self._on_item), "value")
        self.question_html = widgets.HTML()
        self.question_html.add_class("hnscc-live-question")

        # -- the poll -------------------------------------------------------------------------------------------
        self.open_pre_button = _button(
            "Open poll: before discussion",
            "hnscc-live-open-pre",
            "Open a poll on this question; the audience can vote",
            button_style="primary",
        )
        self.open_pre_button.on_click(wrap(lambda _b: self._open("pre")))
        self.open_post_button = _button(
            "Open poll: after discussion",
            "hnscc-live-open-post",
            "Ask the same question again, to compare with the first poll",
        )
        self.open_post_button.on_click(wrap(lambda _b: self._open("post")))
        self.lock_button = _button("Lock", "hnscc-live-lock", "Stop accepting votes")
        self.lock_button.on_click(wrap(lambda _b: self._transition(PollAction.lock)))
        self.reveal_button = _button("Reveal", "hnscc-live-reveal", "Show the histogram and the answer")
        self.reveal_button.on_click(wrap(lambda _b: self._transition(PollAction.reveal)))
        self.reset_button = _button("Reset", "hnscc-live-reset", "Delete this poll's votes and open it again")
        self.reset_button.on_click(wrap(lambda _b: self._transition(PollAction.reset)))
        self.refresh_button = _button("Refresh count", "hnscc-live-refresh", "Read the response count now")
        self.refresh_button.on_click(wrap(lambda _b: self.refresh()))
        self.status_html = widgets.HTML()
        self.status_html.add_class("hnscc-live-status")
        self.result_html = widgets.HTML()
        self.result_html.add_class("hnscc-live-result")
        self.figure = widgets.Output()
        self.figure.add_class("hnscc-live-figure")
        self.figure_text = widgets.HTML()
        self.figure_text.add_class("hnscc-live-figure-text")
        self.compare_figure = widgets.Output()
        self.compare_figure.add_class("hnscc-live-compare-figure")
        self.compare_text = widgets.HTML()
        self.compare_text.add_class("hnscc-live-compare-text")
        # The count refreshes while a poll is open, on a timer that runs in the presenter's browser: it stops when
        # the tab closes, so an abandoned dashboard's kernel still goes idle and is culled.
        self.ticker = widgets.Play(
            interval=REFRESH_MS, min=0, max=1_000_000, step=1, repeat=True, layout=widgets.Layout(display="none")
        )
        self.ticker.observe(wrap(lambda _change: self.refresh()), "value")

        self.poll_buttons = (
            self.open_pre_button,
            self.open_post_button,
            self.lock_button,
            self.reveal_button,
            self.reset_button,
            self.refresh_button,
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(render.banner() + STYLE),
                widgets.HTML("<h2>Live session</h2>"),
                self.session_html,
                self.projector_html,
                widgets.HBox([self.start_button, self.token_toggle, self.end_button]),
                self.token_html,
                widgets.HTML("<h3>Resume a session</h3>"),
                widgets.HBox([self.resume_code, self.resume_token, self.resume_button]),
                self.min_votes,
                widgets.HTML("<h2>Case</h2>"),
                self.case_picker,
                widgets.HBox([self.previous_button, self.next_button]),
                self.stage_html,
                widgets.HTML("<h2>Poll</h2>"),
                self.item_picker,
                self.question_html,
                widgets.HBox(list(self.poll_buttons)),
                self.boundary.message,
                self.status_html,
                self.figure,
                self.figure_text,
                self.result_html,
                self.compare_figure,
                self.compare_text,
                self.ticker,
            ]
        )
        self.widget.add_class("hnscc-live")
        if cases:
            self.case_picker.value = cases[0].id
        self._update_buttons()

    @property
    def base_url(self) -> str:
        """The path of the server of the participants' and the projector's pages."""
        return self._base_url or rules.server_base(self.environ)

    # -- sessions ---------------------------------------------------------------------------------------------------
    def _on_start(self, _button=None) -> None:
        title = self.content.info.title if self.content.info else "hnscc-edu live session"
        self.session, self.token = self.live.create_session(title, self.min_votes.value)
        self._after_session_change(poll=None)

    def _on_resume(self, _button=None) -> None:
        token = self.resume_token.value.strip()
        session = self.live.authorize(self.resume_code.value, token)
        polls = self.live.polls(session.code, token)
        self.session, self.token = session, token
        self.resume_token.value = ""
        self.min_votes.value = session.min_votes
        self._after_session_change(poll=next((p for p in polls if p.id == session.current_poll), None))

    def _on_end(self, _button=None) -> None:
        self._require_session()
        code = self.session.code
        self.live.end_session(code, self.token)
        self.session, self.token, self.poll = None, None, None
        self.session_html.value = (
            f"<p>The session {html.escape(code)} has ended: its code no longer works. Start a "
            "new live session for the next group.</p>"
        )
        self.projector_html.value = self.token_html.value = ""
        self.token_toggle.value = False
        self._show_results(None, None)
        self._update_buttons()

    def _after_session_change(self, poll: Poll | None) -> None:
        self.poll = poll
        url = rules.join_url(self.session.code, self.environ, self.base_url)
        warning = rules.join_url_warning(url)
        self.session_html.value = (
            (error_box(headline=warning, extra_class="hnscc-live-address-warning") if warning else "")
            + f'<div class="hnscc-live-join"><div>{qr_svg(url)}</div><div><p>Join on your phone with the session '
            f'code</p><p class="hnscc-live-code">{html.escape(self.session.code)}</p>'
            f'<p><a href="{html.escape(url)}" target="_blank" rel="noopener">{html.escape(url)}</a></p>'
            "<p>No login; votes are anonymous.</p></div></div>"
        )
        self.projector_html.value = self._projector_html()
        self.token_toggle.value = False
        self._on_token_toggle()
        self.refresh()

    def _projector_html(self) -> str:
        """The link to the room's screen: the projector view, with the presenter token in the URL fragment (never
        sent to a server) and nowhere in the link's text; the controls stay on this dashboard."""
        link = rules.projector_link(self.session.code, self.token or "", self.base_url)
        return (
            f'<p><a class="hnscc-live-projector-link" href="{html.escape(link)}" target="_blank" rel="noopener '
            'noreferrer"><strong>Open the projector view</strong></a>: a clean full-screen page for the room '
            "(question, join code and QR code, live count and, after the reveal, the histogram). Move that tab "
            "to the projector and make it full screen (F11); keep this dashboard on your laptop.</p>"
        )

    def _on_token_toggle(self, _change=None) -> None:
        if self.token and self.token_toggle.value:
            self.token_html.value = (
                f"<p>Presenter token (keep it private; with the code it resumes this session "
                f"after a reload): <code>{html.escape(self.token)}</code></p>"
            )
        else:
            self.token_html.value = ""

    def _on_min_votes(self, change) -> None:
        if self.session is not None and change["new"] != self.session.min_votes:
            self.session = self.live.set_min_votes(self.session.code, self.token, change["new"])
            self.refresh()

    # -- the case -----------------------------------------------------------------------------------------------------
    def _on_case(self, change) -> None:
        self.case = self.content.case(change["new"]) if change["new"] else None
        self.stage_index = 0
        self._show_stage()

    def _move(self, step: int) -> None:
        if self.case is not None:
            self.stage_index = min(max(self.stage_index + step, 0), len(self.case.stages) - 1)
            self._show_stage()

    def _show_stage(self) -> None:
        if self.case is None:
            self.stage_html.value, self.item_picker.options = "", []
            return
        stage = self.case.stages[self.stage_index]
        self.previous_button.disabled = self.stage_index == 0
        self.next_button.disabled = self.stage_index == len(self.case.stages) - 1
        self.stage_html.value = (
            f'<div class="hnscc-stage" data-stage="{html.escape(stage.id)}"><p>Stage {self.stage_index + 1} of '
            f"{len(self.case.stages)}</p><h3>{html.escape(stage.title)}</h3>{render.reveal(stage.reveal)}</div>"
        )
        pollable = [item for item in stage.items if isinstance(item, SingleBestAnswer)]
        self.item_picker.options = [(f"Question {stage.items.index(i) + 1}: {i.stem[:90]}", i.id) for i in pollable]
        self.item_picker.value = pollable[0].id if pollable else None
        if not pollable:
            self.question_html.value = (
                "<p>This stage has no single-best-answer question to poll (one choice per participant).</p>"
            )
        self._update_buttons()

    def _on_item(self, change) -> None:
        item = self._item(change["new"]) if change["new"] else None
        if item is not None:
            options = "".join(
                f"<li><span class='hnscc-live-option-key'>{letter(i)}.</span> {html.escape(o.text)}</li>"
                for i, o in enumerate(item.options)
            )
            self.question_html.value = (
                f'<p class="hnscc-stem">{html.escape(item.stem)}</p>'
                f'<ul class="hnscc-live-options" aria-label="Options">{options}</ul>'
            )
        self._update_buttons()

    def _item(self, item_id: str | None) -> SingleBestAnswer | None:
        """The case item a poll asks (searched in every case, so a resumed session finds its polls' items)."""
        cases = ([self.case] if self.case else []) + list(self.content.cases.values())
        for case in cases:
            for item in case.items:
                if item.id == item_id and isinstance(item, SingleBestAnswer):
                    return item
        return None

    # -- the poll -----------------------------------------------------------------------------------------------------
    def _require_session(self) -> None:
        if self.session is None:
            raise rules.PollStateError("Start a live session first (or resume one).")

    def _open(self, phase: str) -> None:
        self._require_session()
        item = self._item(self.item_picker.value)
        if item is None:
            raise rules.LiveInputError("Choose a single-best-answer question to poll first.")
        self.poll = self.live.open_poll(
            self.session.code, self.token, item.stem, rules.item_choices(item), item_id=item.id, phase=phase
        )
        self.refresh()

    def _transition(self, action: PollAction) -> None:
        self._require_session()
        if self.poll is None:
            raise rules.PollStateError("Open a poll first.")
        self.poll = self.live.transition(self.session.code, self.token, self.poll.id, action)
        self.refresh()

    def refresh(self) -> None:
        """Read the poll on screen from the store and show it: the count while open, the results once revealed."""
        self._update_buttons()
        if self.session is None or self.poll is None:
            self.status_html.value = ""
            self._show_results(None, None)
            return
        results = self.live.results(self.session.code, self.token, self.poll.id)
        if results.state is not self.poll.state:  # changed elsewhere (another device with the token, or the API)
            self.poll = self.live.poll(self.session.code, self.poll.id)
            self._update_buttons()
        words = {PollState.open: "is open", PollState.locked: "is locked", PollState.revealed: "is revealed"}
        self.status_html.value = (
            f'<p class="hnscc-live-count" aria-live="polite">Poll {self.poll.id} ({PHASE_WORDS[self.poll.phase]}) '
            f"{words[results.state]}: <strong>{results.total}</strong> "
            f"{'response' if results.total == 1 else 'responses'}.</p>"
        )
        self._show_results(self.poll, results)

    def _show_results(self, poll: Poll | None, results: PollResults | None) -> None:
        minimum = self.session.min_votes if self.session else rules.DEFAULT_MIN_VOTES
        if poll is None or results is None or results.state is not PollState.revealed:
            self.result_html.value = ""
            self._show_chart(self.figure, self.figure_text, None)
            self._show_chart(self.compare_figure, self.compare_text, None)
            return
        item = self._item(poll.item_id)
        correct = {o.id for o in item.options if o.correct} if item else set()
        if not rules.histogram_visible(results.state, results.total, minimum):
            self.result_html.value = (
                f'<div class="hnscc-info" role="status">Only {results.total} '
                f"{'vote' if results.total == 1 else 'votes'}: the histogram shows from "
                f"{minimum} votes, so that no one's answer can be singled out.</div>"
                + (self._answer_html(item) if item else "")
            )
            self._show_chart(self.figure, self.figure_text, None)
        else:
            self.result_html.value = self._answer_html(item) if item else ""
            self._show_chart(
                self.figure, self.figure_text, poll_histogram(poll.question, poll.choices, results, correct)
            )
        self._show_chart(self.compare_figure, self.compare_text, self._comparison(poll, results, correct, minimum))

    def _comparison(self, poll: Poll, results: PollResults, correct: set[str], minimum: int) -> Chart | None:
        """Before vs after, once both polls on the question are revealed with enough votes."""
        if poll.item_id is None or poll.phase is None:
            return None
        other_phase = "post" if poll.phase == "pre" else "pre"
        partners = [
            p
            for p in self.live.polls(self.session.code, self.token)
            if p.item_id == poll.item_id and p.phase == other_phase
        ]
        if not partners:
            return None
        other = self.live.results(self.session.code, self.token, partners[-1].id)
        if not rules.histogram_visible(other.state, other.total, minimum) or not rules.histogram_visible(
            results.state, results.total, minimum
        ):
            return None
        before, after = (results, other) if poll.phase == "pre" else (other, results)
        return poll_comparison(
            poll.question, rules.compare(poll.choices, before, after), before.total, after.total, correct
        )

    def _answer_html(self, item: SingleBestAnswer) -> str:
        """The reveal: every option with its verdict in words, rationale, evidence label, status and sources."""
        parts = []
        for i, option in enumerate(item.options):
            verdict = "✔ correct answer" if option.correct else "✘ not the best answer"
            sources = "; ".join(render.citation(self.content.references.get(k), k) for k in option.references)
            parts.append(
                f"<li><strong>{letter(i)}. {html.escape(option.text)} ({verdict})</strong> "
                f"{html.escape(option.rationale)}<br><small>Evidence: {html.escape(option.evidence.label)};"
                f" status: {html.escape(option.status.value)}. Sources: {sources}</small></li>"
            )
        return f'<div class="hnscc-feedback"><p><strong>The answer</strong></p><ul>{"".join(parts)}</ul></div>'

    @staticmethod
    def _show_chart(output: widgets.Output, text: widgets.HTML, chart: Chart | None) -> None:
        show_in(output, text, chart)

    def _update_buttons(self) -> None:
        state = self.poll.state if self.poll else None
        no_session = self.session is None
        self.end_button.disabled = no_session
        can_open = not no_session and self.item_picker.value is not None
        self.open_pre_button.disabled = not can_open
        self.open_post_button.disabled = not can_open
        self.lock_button.disabled = state is not PollState.open
        self.reveal_button.disabled = state not in (PollState.open, PollState.locked)
        self.reset_button.disabled = state is None
        self.refresh_button.disabled = state is None
        # The timer runs only while votes can change the count.
        self.ticker.playing = state is PollState.open

    # -- headless use -------------------------------------------------------------------------------------------------
    def rehearse(self, voters: int = 5) -> str:
        """Run one poll through the real callbacks with synthetic votes cast through the store, as participants'
        phones do (CI, nbval and demos): start, open, vote, lock, reveal. Returns one deterministic line."""
        self.start_button.click()
        self._raise_if_refused("start")
        if self.item_picker.value is None:  # step, as a presenter would, to the first stage with a pollable question
            case_id, stage_index = self._first_pollable()
            self.case_picker.value = case_id
            for _ in range(stage_index):
                self.next_button.click()
        self.open_pre_button.click()
        self._raise_if_refused("open")
        for participant, choice in rehearsal_votes(self._item(self.poll.item_id), voters).items():
            self.live.vote(self.session.code, self.poll.id, participant, choice)
        self.refresh_button.click()
        counted = self.live.results(self.session.code, self.token, self.poll.id).total
        self.lock_button.click()
        self.reveal_button.click()
        self._raise_if_refused("reveal")
        shown = "shown" if self.figure.outputs else "not shown"
        return (
            f"Rehearsal: one poll {self.poll.state.value}; {counted} votes counted; histogram {shown} "
            f"(minimum {self.session.min_votes})."
        )

    def _first_pollable(self) -> tuple[str, int]:
        for case in self.content.cases.values():
            for index, stage in enumerate(case.stages):
                if any(isinstance(item, SingleBestAnswer) for item in stage.items):
                    return case.id, index
        raise RuntimeError("rehearsal needs a case with a single-best-answer question")

    def _raise_if_refused(self, step: str) -> None:
        if self.boundary.message.value:
            raise RuntimeError(f"rehearsal stopped at {step}: {self.boundary.message.value}")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def rehearsal_votes(item: SingleBestAnswer, voters: int = 5) -> dict[str, str]:
    """Deterministic synthetic votes for a rehearsal: most on the key, every third on another option in turn."""
    key = next(o.id for o in item.options if o.correct)
    others = [o.id for o in item.options if not o.correct]
    return {f"rehearsal-{n:03d}": (others[n % len(others)] if n % 3 == 2 and others else key) for n in range(voters)}


def show_presenter(content: CourseContent) -> PresenterDashboard | None:
    """Show the presenter's dashboard on the course store (``HNSCC_EDU_DB_URL``), or on a hub on the course server
    (``HNSCC_EDU_SERVICE_URL``); a problem shows as a message."""
    from IPython.display import HTML, display

    try:
        if external_service():  # a hub: the course server holds the store
            remote = RemoteLiveStore()
            dashboard = PresenterDashboard(content, remote, base_url=urlsplit(remote.url).path or "/")
        else:
            from ..store.live import LiveStore  # one machine: this kernel holds the store (a hub's kernel does not)

            dashboard = PresenterDashboard(content, LiveStore())
    except StoreError as exc:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a dashboard never shows a traceback
        log_fault("showing the presenter dashboard failed")
        message = FAULT_MESSAGE
    else:
        display(dashboard)
        return dashboard
    display(HTML(render.banner() + error_box(message, "The live dashboard cannot start.")))
    return None


def rehearse_if_auto(dashboard: PresenterDashboard | None) -> None:
    """In auto-answer runs (CI, nbval) rehearse one poll and print the outcome; for presenters it does nothing."""

    if not auto_answer_on():
        return
    print(dashboard.rehearse() if dashboard is not None else "The dashboard could not be shown.")
