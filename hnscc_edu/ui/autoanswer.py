"""The automatic test run: drivers that play the widgets through their own buttons and callbacks (as a learner's
clicks would, and as the browser tests do in Chromium), and the plain lines the notebooks' test-run cells print.

Used only when ``HNSCC_EDU_AUTO_ANSWER`` is set (``ui.rehearsal``): nbval, ``scripts/refresh_notebook_outputs.py``
and the tests. The widgets themselves know nothing of it. A case and a self-check are public content, so the drivers
answer them with their keys; the path to credit is walked only where no key is needed (the learner's kernel never
holds the pre- or post-test keys).
"""

from __future__ import annotations

from ..rules.grading.result import points
from ..rules.learner_path import Step
from .bank_player import BankPlayer
from .case_player import CasePlayer
from .errors import ErrorBoundary
from .opener import Opener
from .path_panel import PathPanel


def _raise_if_refused(boundary: ErrorBoundary, step: str) -> None:
    if boundary.message.value:
        raise RuntimeError(f"auto-answer stopped at {step}: {boundary.message.value}")


def opened(view: Opener | CasePlayer | BankPlayer):
    """The player of ``view``, opened through its button when it is still closed (a player is returned as is)."""
    if not isinstance(view, Opener):
        return view
    if view.player is None:
        view.button.click()
        _raise_if_refused(view.boundary, "opening")
    return view.player


# -- a case ---------------------------------------------------------------------------------------------------------
def answer_case(view: Opener | CasePlayer, max_steps: int = 200) -> CasePlayer:
    """Open the case if needed, answer every item with its key and walk to the end through the real callbacks."""
    player: CasePlayer = opened(view)
    for _ in range(max_steps):
        if player.session.state.completed:
            return player
        for item_id, item_view in list(player.views.items()):
            if player.session.result(item_id) is None:
                item_view.fill(item_view.key_response())
                player.submit_buttons[item_id].click()
                _raise_if_refused(player.boundary, item_id)
        player.continue_button.click()
        _raise_if_refused(player.boundary, "continue")
    raise RuntimeError("auto-answer did not reach the end of the case")


def case_summary(player: CasePlayer) -> str:
    """A plain, deterministic line about where the learner is in a case (checked by nbval in auto-answer mode)."""
    s = player.session
    score, maximum, answered_optional = s.counted
    where = "complete" if s.state.completed else f"at stage {s.state.current!r}"
    optional = f" ({answered_optional} optional, not counted)" if answered_optional else ""
    return (
        f"Case {s.case.id}: {where}; {len(s.state.answers)} of {len(s.case.items)} questions answered "
        f"on a path of {len(s.state.path)} stages; score {points(score)} of {points(maximum)}{optional}."
    )


# -- a module self-check --------------------------------------------------------------------------------------------
def answer_self_check(view: Opener | BankPlayer) -> BankPlayer:
    """Open the self-check if needed and answer every open question with its key through the real callbacks."""
    player: BankPlayer = opened(view)
    for item_id, item_view in list(player.views.items()):
        if player.session.result(item_id) is None:
            item_view.fill(item_view.key_response())
            player.submit_buttons[item_id].click()
            _raise_if_refused(player.boundary, item_id)
    return player


def self_check_summary(player: BankPlayer) -> str:
    """A plain, deterministic line about a self-check (checked by nbval in auto-answer mode)."""
    answered, total = player.session.progress()
    score, maximum = player.session.score()
    return (
        f"Self-check {player.session.bank.id}: {answered} of {total} questions answered; "
        f"score {points(score)} of {points(maximum)}."
    )


# -- the path to credit ---------------------------------------------------------------------------------------------
def walk_credit_path(
    panel: PathPanel, profession: str = "radiation_oncologist", degree: str = "MD", max_steps: int = 20
) -> None:
    """Walk the steps a learner's kernel can walk without knowing any key, through the real callbacks: acknowledge,
    and take the pre-test with placeholder answers (each question's first option: the pre-test is not graded). It
    stops at the modules (the core-path cases are finished in the case notebooks) and at the post-test: the kernel
    never holds the post-test keys, so passing it is the learner's work (a test harness on the service's side answers
    it in CI)."""
    for _ in range(max_steps):
        step = panel.path.step
        if panel.scope == "start" and step not in (Step.activity_info, Step.pre_test):
            return
        if step is Step.activity_info:
            panel.form["profession"].value, panel.form["degree"].value = profession, degree
            panel.form["read"].value = True
            _click(panel, "acknowledge")
        elif step is Step.pre_test:
            _answer_test(panel, "start-pretest")
        else:
            return
    raise RuntimeError("auto-answer did not stop")


def _answer_test(panel: PathPanel, start_key: str) -> None:
    """The pre-test with a placeholder answer per question (its first option; the kernel has no key)."""
    if not panel.views:
        _click(panel, start_key)
    for item_id, view in list(panel.views.items()):
        if item_id in panel.submit_buttons:
            view.fill(placeholder(view.item))
            panel.submit_buttons[item_id].click()
            _raise_if_refused(panel.boundary, item_id)
    _click(panel, "finish-test")


def _click(panel: PathPanel, key: str) -> None:
    panel.buttons[key].click()
    _raise_if_refused(panel.boundary, key)


def placeholder(item) -> object:
    """A placeholder answer to a pre-test item, chosen without a key: the first option (or the scale's middle, the
    first step order, a word)."""
    if item.type == "single_best_answer":
        return item.options[0].id
    if item.type in ("multiple_select", "key_feature"):
        return [item.options[0].id]
    if item.type == "script_concordance":
        return 0
    if item.type == "ordering":
        return [step.id for step in item.steps]
    if item.type == "numeric":
        return "1"
    return " ".join(["placeholder"] * max(1, item.min_words))


def path_summary(panel: PathPanel) -> str:
    """A plain, deterministic line about where the learner is on the path (checked by nbval in auto-answer mode)."""
    path = panel.path
    state, step = path.state, path.step
    parts = [f"Path: {step.label.lower()}", f"pre-test {state.pretest.replace('_', ' ')}"]
    if step in (Step.modules, Step.post_test) and not state.attempts:
        cases = path.core_path
        parts.append(f"core path: {sum(1 for c in cases if c['finished'])} of {len(cases)} cases finished")
    if state.attempts:
        last = state.attempts[-1]
        result = f"{last.percent:.0f}%" if last.finished else "in progress"
        parts.append(
            f"post-test attempt {last.number} of {panel.info.post_test.max_attempts}: {result}"
            f"{' (passed)' if state.passed else ''}"
        )
    if state.evaluated:
        parts.append("evaluation submitted")
    if state.attested_minutes is not None and path.practice:
        parts.append(f"{state.attested_minutes} minutes attested (a practice record: not for credit)")
    elif state.attested_minutes is not None:
        kind = path.credit_type
        parts.append(
            f"{state.attested_minutes} minutes attested: {state.credit} "
            f"{kind.amount_label if kind else ''} ({kind.certificate_title if kind else ''})"
        )
    if state.certificate_id is not None:
        parts.append("practice record issued" if path.practice else "certificate issued")
    return "; ".join(parts) + "."
