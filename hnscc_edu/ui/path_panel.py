"""The learner's path to credit on screen: one panel that shows the step the learner is at and calls the course
service.

No logic here: the course service (``hnscc_edu.service``, through ``service.client.RemotePath``) decides, grades,
stores and refuses; the panel only displays what it sent. Before an attempt is finished the panel holds the items as
the service sent them (stems and options: no key, no rationale); the feedback comes with the finished attempt.
Items are shown with ``ItemView`` and feedback with ``render.feedback``, exactly as in a case. Every callback goes
through one ``ErrorBoundary``; a refusal (say, a certificate after the termination date) is a message on the page,
never a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as widgets

from ..content import statements
from ..content.models import Profession, Reference
from ..rules.assessment import AttemptResult
from ..rules.credit import ATTESTED_MARGIN_MINUTES, ATTESTED_RATIO
from ..rules.evaluation import INTENT_CHOICES, MET_CHOICES, QUESTIONS
from ..rules.follow_up import OUTCOMES as FOLLOW_UP_OUTCOMES
from ..rules.grading.result import points
from ..rules.learner_path import ORDER, PathError, Step
from ..service.client import RemotePath
from . import render
from .disclosure import details_html
from .errors import ErrorBoundary
from .item_views import ItemView

_WIDE = widgets.Layout(width="100%")
# The steps read as one line; "done" and the current step are words and weight, never colour alone.
_STYLE = (
    "<style>.hnscc-download-button{display:inline-block;padding:8px 16px;border-radius:4px;background:#1565c0;"
    "color:#fff !important;font-weight:bold;text-decoration:none}.hnscc-download-button:focus{outline:3px solid "
    "#ffbf47;outline-offset:2px}.hnscc-path-steps{list-style:none;padding-left:0;margin:2px 0}"
    ".hnscc-path-steps li{display:inline-block;margin:0 1.2em 2px 0}</style>"
)
_LABEL = {"description_width": "initial"}


def _box(text: str, kind: str = "info") -> str:
    return f'<div class="hnscc-{kind}" role="status">{text}</div>'


class PathPanel:
    """``scope="start"`` (the start page) shows the activity gate and the pre-test, then points to the modules;
    ``scope="all"`` (the post-test page) shows every step."""

    def __init__(
        self,
        path: RemotePath,
        references: Mapping[str, Reference],
        scope: str = "all",
        activity_info: widgets.Widget | None = None,
        module_links: str = "",
    ) -> None:
        self.path = path
        self.references = references
        self.scope = scope
        self.activity_info = activity_info
        self.module_links = module_links
        self.boundary = ErrorBoundary()
        self.buttons: dict[str, widgets.Button] = {}
        self.views: dict[str, ItemView] = {}
        self.submit_buttons: dict[str, widgets.Button] = {}
        self.form: dict[str, widgets.Widget] = {}
        self.download = widgets.HTML()
        self.download.add_class("hnscc-certificate-link")
        self.steps = widgets.HTML()
        self.body = widgets.VBox()
        self.widget = widgets.VBox(
            [widgets.HTML(render.banner() + _STYLE), self.steps, self.body, self.boundary.message]
        )
        self.widget.add_class("hnscc-credit-path")
        self.widget.add_class("hnscc-case-player")  # the case player's CSS for readable radio buttons
        self.render()

    # -- helpers -----------------------------------------------------------------------------------------------
    def _button(self, key: str, description: str, callback, primary: bool = True) -> widgets.Button:
        button = widgets.Button(
            description=description, button_style="primary" if primary else "", layout=widgets.Layout(width="auto")
        )
        button.add_class(f"hnscc-{key}")
        button.on_click(self.boundary.wrap(lambda _b: callback()))
        self.buttons[key] = button
        return button

    def _after(self, action) -> None:
        action()
        self.render()

    @property
    def info(self):
        return self.path.info

    # -- rendering ---------------------------------------------------------------------------------------------
    def render(self) -> None:
        self.buttons, self.views, self.submit_buttons, self.form = {}, {}, {}, {}
        step = self.path.step
        self.steps.value = self._progress(step)
        # a follow-up that is due comes first, on whichever page the learner opens (their "next visit")
        follow = tuple(self._follow_up()) if self.path.follow_up.open else ()
        if self.scope == "start" and step not in (Step.activity_info, Step.pre_test):
            self.body.children = (*follow, self._next_steps())
            return
        builders = {
            Step.activity_info: self._gate,
            Step.pre_test: self._pre_test,
            Step.modules: self._modules,
            Step.post_test: self._post_test,
            Step.evaluation: self._evaluation,
            Step.attestation: self._attestation,
            Step.certificate: self._certificate,
            Step.closed: self._closed,
        }
        self.body.children = (*follow, *builders[step]())

    def _follow_up(self) -> list[widgets.Widget]:
        """The follow-up of the changes the learner committed to (``rules.follow_up``): made or not, and why."""
        state = self.path.follow_up
        objectives = {o.id: o for o in self.info.objectives}
        late = " (a little later than planned: it is still welcome)" if state.status == "late" else ""
        parts: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3>Follow-up: the changes you planned</h3><p>When you finished this activity you said you would change "
                f"your practice. Two months on{late}, did you? Your answers are reported without your name and show the "
                "course director what the course changed, and what got in the way.</p>"
            )
        ]
        for objective_id in state.objectives:
            objective = objectives.get(objective_id)
            outcome = widgets.RadioButtons(
                options=[(c.capitalize(), c) for c in FOLLOW_UP_OUTCOMES],
                value=None,
                description="Did you make the change?",
                style=_LABEL,
                layout=_WIDE,
            )
            outcome.add_class(f"hnscc-follow-up-{objective_id}")
            self.form[f"follow:{objective_id}"] = outcome
            text = html.escape(objective.text) if objective else html.escape(objective_id)
            parts += [
                widgets.HTML(f"<p><strong>Objective {objective.module if objective else ''}.</strong> {text}</p>"),
                outcome,
            ]
        barriers = widgets.Textarea(
            placeholder="Optional: what helped, or what got in the way",
            description="What got in the way?",
            style=_LABEL,
            layout=widgets.Layout(width="100%", height="3em"),
        )
        barriers.add_class("hnscc-follow-up-barriers")
        self.form["follow:barriers"] = barriers
        parts += [barriers, self._button("submit-follow-up", "Send the follow-up", self._on_follow_up)]
        box = widgets.VBox(parts)
        box.add_class("hnscc-follow-up")
        return [box]

    def _on_follow_up(self) -> None:
        outcomes = {o: self.form[f"follow:{o}"].value for o in self.path.follow_up.objectives}
        self._after(lambda: self.path.submit_follow_up(outcomes, self.form["follow:barriers"].value))

    def _progress(self, step: Step) -> str:
        here = ORDER.index(step) if step in ORDER else ORDER.index(Step.post_test)
        items = []
        for i, s in enumerate(ORDER):
            if i == here:
                items.append(f'<li aria-current="step"><strong>{i + 1}. {html.escape(s.label)}</strong></li>')
            else:
                items.append(f"<li>{i + 1}. {html.escape(s.label)}{' (done)' if i < here else ''}</li>")
        return (
            f'<nav aria-label="Your path to credit"><p aria-live="polite">Step {here + 1} of {len(ORDER)}: '
            f"<strong>{html.escape(step.label)}</strong></p><ol class='hnscc-path-steps'>{''.join(items)}</ol>"
            "</nav>"
        )

    def credit_html(self) -> str:
        """How credit is earned: the requirements, the pass mark, the retake cap and who gets which certificate."""
        info, post = self.info, self.info.post_test
        pool, pre = self.path.post_pool, self.path.pre_pool
        types = "".join(
            f"<li><strong>{html.escape(t.certificate_title)}</strong> "
            f"({statements.html_with_ama_italics(t.amount_label)}): "
            f"{html.escape(self._who(t))}.</li>"
            for t in info.credit.types
        )
        designation = statements.designation_statement(info)
        designations = f"<p>{statements.html_with_ama_italics(designation)}</p>" if designation else ""
        expired = ""
        if self.path.expired:
            expired = _box(
                f"<strong>This activity ended on {info.termination_date}.</strong> You can still learn "
                "from it, but no certificate can be issued after that date.",
                "error",
            )
        return (
            f"<h3>How to earn credit</h3>{expired}<ol>"
            "<li>Read the activity information and acknowledge it (below).</li>"
            f"<li>Take the pre-test ({pre} questions, optional and not graded): it shows what you knew "
            "before.</li><li>Work through the modules: the post-test opens once you have finished every case of "
            "the core path.</li>"
            f"<li>Pass the post-test: each attempt draws {post.items_per_attempt} questions from a pool of "
            f"{pool}; the minimum passing score is <strong>{info.passing_score_percent}%</strong>; you have "
            f"<strong>{post.max_attempts} attempts</strong>.</li>"
            "<li>Complete the evaluation.</li><li>Attest the time you spent: credit is rounded to the nearest "
            f"{info.credit.increment:.2f} and capped at {info.credit.designated_amount:.2f}.</li>"
            f"<li>Download your certificate (until {info.termination_date}).</li></ol>"
            f"<p>Which certificate you receive depends on your profession and degree:</p><ul>{types}</ul>"
            f"{designations}<p><strong>Provider:</strong> {html.escape(info.provider)}</p>"
            f"<p>{html.escape(statements.accreditation_statement(info))}</p>"
            f"<p>{html.escape(statements.commercial_support_statement(info))}</p>{self._practice_note()}"
        )

    def _practice_note(self) -> str:
        if not self.path.practice:
            return ""
        return _box(
            "<strong>Practice record, not for credit.</strong> This course server runs on the same machine "
            "as your work, so it cannot vouch for it: what it issues at the end is a practice record, never "
            "a certificate of credit. Credit is issued by the course hub of an accredited provider.",
            "info",
        )

    @staticmethod
    def _who(credit_type) -> str:
        parts = []
        if credit_type.degrees:
            parts.append("degrees " + ", ".join(credit_type.degrees))
        if credit_type.professions:
            parts.append("professions " + ", ".join(p.label for p in credit_type.professions))
        return "for " + " and ".join(parts) if parts else "for every other learner"

    def _gate(self) -> list[widgets.Widget]:
        profession = widgets.Dropdown(
            options=[("Choose…", None)] + [(p.label.capitalize(), p.value) for p in Profession],
            value=None,
            description="Your profession",
            style=_LABEL,
        )
        degree = widgets.Dropdown(
            options=[("Choose…", None)] + [(d, d) for d in self.info.credit.degrees],
            value=None,
            description="Your degree",
            style=_LABEL,
        )
        read = widgets.Checkbox(
            value=False,
            description="I have read the activity information, including the "
            "disclosures, the passing score and the privacy note",
            indent=False,
            layout=_WIDE,
        )
        for key, w in (("profession", profession), ("degree", degree), ("read", read)):
            w.add_class(f"hnscc-gate-{key}")
            self.form[key] = w
        parts: list[widgets.Widget] = []
        if self.activity_info is not None:
            parts.append(self.activity_info)
        parts += [
            widgets.HTML(self.credit_html()),
            widgets.HTML(
                "<h3>Acknowledge</h3><p>Your profession and degree decide which certificate you "
                "receive and group the anonymous outcome figures the course director sees.</p>"
            ),
            profession,
            degree,
            read,
            self._button("acknowledge", "Acknowledge and continue", self._on_ack),
        ]
        return parts

    def _on_ack(self) -> None:
        if not self.form["read"].value:
            raise PathError("Please tick the box to confirm that you have read the activity information.")
        self._after(lambda: self.path.acknowledge(self.form["profession"].value, self.form["degree"].value))

    # -- tests -------------------------------------------------------------------------------------------------
    def _items(self, items, answers) -> list[widgets.Widget]:
        parts: list[widgets.Widget] = []
        for number, item in enumerate(items, start=1):
            view = ItemView(item, number)
            self.views[item.id] = view
            parts += [view.stem, view.input]
            if item.id in answers:
                view.fill(answers[item.id][0])
                view.lock()
                parts.append(widgets.HTML(_box("Answer saved.")))
            else:
                button = widgets.Button(description="Save answer", tooltip=f"Save your answer to question {number}")
                button.add_class(f"hnscc-submit-{item.id}")
                button.on_click(self.boundary.wrap(lambda _b, item_id=item.id: self._on_answer(item_id)))
                self.submit_buttons[item.id] = button
                parts.append(button)
        return parts

    def _on_answer(self, item_id: str) -> None:
        view = self.views[item_id]
        self.path.answer(item_id, view.response())
        view.lock()
        self.submit_buttons[item_id].layout.display = "none"
        self.submit_buttons[item_id].description = "Saved"
        self._update_finish()

    def _update_finish(self) -> None:
        button = self.buttons.get("finish-test")
        if button is not None:
            open_items = [i for i in self.views if i not in self.path.answers()]
            button.disabled = bool(open_items)
            button.tooltip = f"{len(open_items)} questions still open" if open_items else "Score the test"

    def _test_in_progress(self, intro: str, finish_label: str) -> list[widgets.Widget]:
        items = self.path.test_items()
        parts = [widgets.HTML(intro), *self._items(items, self.path.answers())]
        parts.append(self._button("finish-test", finish_label, lambda: self._after(self.path.finish_test)))
        self._update_finish()
        return parts

    def _pre_test(self) -> list[widgets.Widget]:
        if self.path.state.pretest == "in_progress":
            return self._test_in_progress(
                "<h3>Pre-test</h3><p>Answer from what you know now; nothing here counts towards credit. Each "
                "answer is saved when you press <em>Save answer</em>.</p>",
                "Finish the pre-test",
            )
        count = self.path.pre_pool
        parts: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3>Pre-test (optional)</h3><p>{count} questions on the three objectives, not graded. Your answers are "
                "compared with the post-test to show what the course taught (anonymously, for the course "
                "director).</p>"
            )
        ]
        if self.path.pre_pool:
            parts.append(
                self._button("start-pretest", "Take the pre-test", lambda: self._after(self.path.start_pretest))
            )
        parts.append(
            self._button(
                "skip-pretest", "Skip the pre-test", lambda: self._after(self.path.skip_pretest), primary=False
            )
        )
        return parts

    def _next_steps(self) -> widgets.HTML:
        done = ""
        if self.path.state.pretest == "completed":
            done = "Your pre-test is saved. "
        return widgets.HTML(
            _box(
                f"<strong>{done}Next: the modules.</strong> {self.module_links} When you have "
                "finished every case of the core path, go to the post-test and certificate page."
            )
        )

    def _modules(self) -> list[widgets.Widget]:
        cases = self.path.core_path
        done = sum(1 for c in cases if c["finished"])
        rows = "".join(
            f"<li>Module {c['module']}: {html.escape(c['title'])} "
            f"({'finished' if c['finished'] else 'not finished yet'})</li>"
            for c in cases
        )
        box = widgets.HTML(
            f"<h3>Modules</h3><p>The post-test opens once you have finished every case of the core "
            f"path; the course records each case as you finish it. {self.module_links}</p>"
            f"<p class='hnscc-core-progress'>Core path: {done} of {len(cases)} cases finished:</p>"
            f"<ul>{rows}</ul>"
        )
        return [box, self._button("refresh", "Check again", lambda: self._after(self.path.refresh), primary=False)]

    def _results(self, result: AttemptResult | None, open_: bool = False) -> list[widgets.Widget]:
        if result is None:
            return []
        verdict = "passed" if result.passed else "did not reach the passing score"
        summary = widgets.HTML(
            _box(
                f"<strong>Attempt {result.attempt}: {result.percent:.0f}%</strong> "
                f"({points(result.score)} of {points(result.max_score)}); the passing score is "
                f"{result.pass_mark}%. You {verdict}.",
                "info",
            )
        )
        summary.add_class("hnscc-test-result")
        details = widgets.HTML(
            details_html(
                f"Feedback on every question of attempt {result.attempt}",
                "".join(render.feedback(r, self.references) for r in result.results),
                open_,
            )
        )
        return [summary, details]

    def _last_result(self) -> AttemptResult | None:
        return self.path.last_result

    def _post_test(self) -> list[widgets.Widget]:
        attempt = self.path.state.current_attempt
        if attempt is not None:
            return self._test_in_progress(
                f"<h3>Post-test: attempt {attempt.number} of {self.info.post_test.max_attempts}</h3><p>The passing "
                f"score is <strong>{attempt.pass_mark}%</strong>. Each answer is saved when you press <em>Save "
                "answer</em>; the feedback on every question comes when you finish the attempt.</p>",
                "Finish the attempt and see my score",
            )
        number = len(self.path.state.attempts) + 1
        maximum = self.info.post_test.max_attempts
        announcement = widgets.HTML(
            f"<h3>Post-test</h3><p class='hnscc-pass-mark'>The minimum passing score is "
            f"<strong>{self.info.passing_score_percent}%</strong>. Each attempt has "
            f"{self.info.post_test.items_per_attempt} questions drawn from a pool, in an order of its own. This will "
            f"be <strong>attempt {number} of {maximum}</strong>.</p>"
        )
        return [
            *self._results(self._last_result()),
            announcement,
            self._button(
                "start-posttest", f"Start attempt {number} of {maximum}", lambda: self._after(self.path.start_posttest)
            ),
        ]

    def _closed(self) -> list[widgets.Widget]:
        return [
            *self._results(self._last_result()),
            widgets.HTML(
                _box(
                    f"<strong>All {self.info.post_test.max_attempts} attempts are used without reaching "
                    f"{self.info.passing_score_percent}%.</strong> No certificate can be issued. Your answers are kept; "
                    f"for questions, contact: {html.escape(self.info.contact)}",
                    "error",
                )
            ),
        ]

    # -- evaluation, attestation, certificate ------------------------------------------------------------------
    def _evaluation(self) -> list[widgets.Widget]:
        passed = self.path.state.passed
        parts = self._results(self.path.passed_result if passed else self._last_result())
        intro = (
            "Your answers help the course director; commitments and comments are reported without your name."
            if passed
            else f"<strong>All {self.info.post_test.max_attempts} attempts are used without reaching "
            f"{self.info.passing_score_percent}%</strong>, so no certificate can be issued. Your evaluation "
            "still counts: the course director hears from every learner, not only from those who passed."
        )
        parts.append(widgets.HTML(f"<h3>Evaluation</h3><p>{intro}</p>"))
        for objective in self.info.objectives:
            met = widgets.RadioButtons(
                options=[(c.capitalize(), c) for c in MET_CHOICES],
                value=None,
                description=f"Objective {objective.module} met?",
                style=_LABEL,
                layout=_WIDE,
            )
            intent = widgets.RadioButtons(
                options=[(c.capitalize(), c) for c in INTENT_CHOICES],
                value=None,
                description="Will you change your practice?",
                style=_LABEL,
                layout=_WIDE,
            )
            change = widgets.Textarea(
                placeholder="Optional: one thing you will do differently",
                description=f"Your commitment to change (objective {objective.module})",
                style=_LABEL,
                layout=widgets.Layout(width="100%", height="4em"),
            )
            met.add_class(f"hnscc-eval-met-{objective.id}")
            intent.add_class(f"hnscc-eval-intent-{objective.id}")
            change.add_class(f"hnscc-eval-change-{objective.id}")
            self.form[f"met:{objective.id}"], self.form[f"change:{objective.id}"] = met, change
            self.form[f"intent:{objective.id}"] = intent
            parts += [
                widgets.HTML(f"<p><strong>Objective {objective.module}.</strong> {html.escape(objective.text)}</p>"),
                met,
                intent,
                change,
            ]
        for question in QUESTIONS:
            options = [(c.capitalize(), c) for c in question.choices]
            if question.many:
                answer = widgets.SelectMultiple(
                    options=options, value=(), rows=len(options), style=_LABEL, description="Barriers", layout=_WIDE
                )
            else:
                answer = widgets.RadioButtons(options=options, value=None, style=_LABEL, layout=_WIDE)
            answer.add_class(f"hnscc-eval-{question.id}")
            self.form[f"q:{question.id}"] = answer
            parts += [widgets.HTML(f"<p>{html.escape(question.text)}</p>"), answer]
        barrier_comment = widgets.Textarea(
            placeholder="Optional: anything else that could get in the way",
            description="Other barriers",
            style=_LABEL,
            layout=widgets.Layout(width="100%", height="3em"),
        )
        bias = widgets.RadioButtons(
            options=[("Yes", True), ("No", False)],
            value=None,
            description="Was the content free of commercial bias?",
            style=_LABEL,
            layout=_WIDE,
        )
        comment = widgets.Textarea(
            placeholder="If not, what seemed biased?",
            description="Comment (optional)",
            style=_LABEL,
            layout=widgets.Layout(width="100%", height="3em"),
        )
        bias.add_class("hnscc-eval-bias")
        barrier_comment.add_class("hnscc-eval-barrier-comment")
        self.form["bias"], self.form["bias_comment"] = bias, comment
        self.form["barrier_comment"] = barrier_comment
        parts += [
            barrier_comment,
            bias,
            comment,
            self._button("submit-evaluation", "Submit the evaluation", self._on_evaluation),
        ]
        return parts

    def _on_evaluation(self) -> None:
        objectives = [o.id for o in self.info.objectives]
        met = {o: self.form[f"met:{o}"].value for o in objectives}
        intents = {o: self.form[f"intent:{o}"].value for o in objectives}
        changes = {o: self.form[f"change:{o}"].value for o in objectives}
        answers = {
            q.id: (list(self.form[f"q:{q.id}"].value) if q.many else self.form[f"q:{q.id}"].value) for q in QUESTIONS
        }
        self._after(
            lambda: self.path.submit_evaluation(
                met,
                changes,
                self.form["bias"].value,
                self.form["bias_comment"].value,
                intents=intents,
                answers=answers,
                barrier_comment=self.form["barrier_comment"].value,
            )
        )

    def _attestation(self) -> list[widgets.Widget]:
        name = widgets.Text(
            placeholder="e.g. Dr Alex Example",
            description="Your name as it should appear on the certificate",
            style=_LABEL,
            layout=_WIDE,
        )
        minutes = widgets.BoundedIntText(
            value=0, min=0, max=24 * 60, description="Minutes you spent on the activity", style=_LABEL
        )
        confirm = widgets.Checkbox(
            value=False,
            indent=False,
            layout=_WIDE,
            description="I attest that this is the time I spent on this activity",
        )
        preview = widgets.HTML()
        preview.add_class("hnscc-credit-preview")

        def show_preview(_change=None) -> None:
            preview.value = (
                f"<p aria-live='polite'>{minutes.value} minutes give "
                f"<strong>{self.path.credit_preview(minutes.value)}</strong> credit (rounded to the "
                f"nearest {self.info.credit.increment:.2f}, at most "
                f"{self.info.credit.designated_amount:.2f}).</p>"
                if minutes.value > 0
                else "<p>Enter the minutes you spent.</p>"
            )

        minutes.observe(self.boundary.wrap(show_preview), names="value")
        show_preview()
        for key, w in (("name", name), ("minutes", minutes), ("confirm", confirm)):
            w.add_class(f"hnscc-attest-{key}")
            self.form[key] = w
        estimated = self.info.estimated_minutes
        on_path = self.path.minutes_on_path
        recorded = (
            f" The course has recorded <strong>{on_path:.0f} minutes</strong> from your first step to now; "
            "both figures are kept, and a time far above the recorded one is pointed out to the course "
            "director."
            if on_path is not None
            else ""
        )
        return [
            widgets.HTML(
                f"<h3>Time attestation</h3><p>Give the time you actually spent, in minutes (the "
                f"activity is planned for about {estimated} minutes).{recorded}</p>"
            ),
            name,
            minutes,
            preview,
            confirm,
            self._button("attest", "Attest my time", self._on_attest),
        ]

    def _on_attest(self) -> None:
        # ReportLab (about 0.08 s) loads at the attestation, not with every page that shows the path panel
        from ..export import certificates

        name = self.form["name"].value
        bad = certificates.unprintable_characters(name)
        if bad:
            raise PathError(
                f"The certificate cannot print these characters of your name: {bad}. Please write it "
                "with letters the certificate can show (Latin, Greek or Cyrillic script)."
            )
        self._after(lambda: self.path.attest(name, self.form["minutes"].value, self.form["confirm"].value))

    def _time_note(self) -> list[widgets.Widget]:
        state = self.path.state
        if not self.path.time_flagged or state.path_minutes is None:
            return []
        note = widgets.HTML(
            _box(
                f"<strong>Your attested time is far above the time the course recorded.</strong> You attested "
                f"{state.attested_minutes} minutes; the course recorded {state.path_minutes:.0f} minutes from your first "
                f"step to your attestation. Both are kept, and the course director's report points out attestations "
                f"more than {ATTESTED_RATIO:g} times the recorded time and more than {ATTESTED_MARGIN_MINUTES} minutes "
                "above it. If you studied offline (the references, say), nothing needs to change.",
                "info",
            )
        )
        note.add_class("hnscc-time-flag")
        return [note]

    def _certificate(self) -> list[widgets.Widget]:
        state, credit_type = self.path.state, self.path.credit_type
        title = credit_type.certificate_title if credit_type else "Certificate"
        label = credit_type.amount_label if credit_type else ""
        issued = state.certificate_id is not None
        if self.path.practice:
            text = (
                f"<h3>Your practice record</h3><p>You have met every requirement: you passed the post-test, "
                f"completed the evaluation and attested {state.attested_minutes} minutes. This course server "
                "shares its machine with you, so it issues a <strong>practice record, not for credit</strong> "
                f"(in a credit run on the course hub you would receive a {html.escape(title)} for "
                f"{state.credit} {html.escape(label)}).</p>"
            )
        else:
            text = (
                f"<h3>Your certificate</h3><p>You have met every requirement: you passed the post-test, "
                f"completed the evaluation and attested {state.attested_minutes} minutes. You receive a "
                f"<strong>{html.escape(title)}</strong> for <strong>{state.credit} {html.escape(label)}</strong>."
                "</p>"
            )
        what = "practice record" if self.path.practice else "certificate"
        if issued:  # one obvious download, nothing to click first
            self._show_download(self.path.certificate())
            return [*self._time_note(), widgets.HTML(text), self.download]
        self.download.value = ""
        return [
            *self._time_note(),
            widgets.HTML(text),
            self._button("certificate", f"Create my {what} (PDF)", self._on_certificate),
        ]

    def _on_certificate(self) -> None:
        record = self.path.certificate()
        self.buttons["certificate"].layout.display = "none"  # the download below replaces it
        self._show_download(record)
        self.body.children = (*self.body.children, self.download)
        self.steps.value = self._progress(self.path.step)

    def _show_download(self, record) -> None:
        """The certificate as one button-like download, with what it is and where anyone can check it."""
        what = "practice record" if record.practice else "certificate"
        kind = (
            " It is a practice record: not for credit."
            if record.practice
            else " It is a draft: not for credit."
            if record.draft
            else ""
        )
        url = html.escape(record.payload["verification_url"])
        self.download.value = (
            f'<p><a class="hnscc-download-button" download="{what.replace(" ", "-")}-{record.certificate_id}.pdf" '
            f'href="data:application/pdf;base64,{record.pdf_base64}">Download your {what} (PDF)</a></p>'
            f"<p>Certificate {html.escape(record.certificate_id)}, signed by the provider.{kind} Anyone can check it "
            f'at <a href="{url}" target="_blank" rel="noopener">{url}</a>.</p>'
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
