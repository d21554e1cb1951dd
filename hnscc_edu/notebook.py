"""What notebooks call: one line per thing shown. The same calls render in JupyterLab and in Voila.

A case is played through the course service (``hnscc_edu.service``): its answers count as participation, so the
record is the service's, and it opens only once the learner has acknowledged the activity information. The kernel's
copy of the course (``course()``) leaves out the pre- and post-test banks: their keys stay with the service.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import ipywidgets as widgets
from IPython.display import HTML, display
from markupsafe import Markup

from . import templating
from .content import statements
from .content.cache import load_course_cached
from .content.course import CourseContent, learner_view
from .content.models import Case, ItemBank, feedback_entries
from .rules.case_flow import FlowError
from .service import external_service
from .sessions.bank_session import BankSession
from .store import StoreError, learner_id
from .store.identity import viewer_pending
from .templating import error_box
from .ui import render
from .ui.bank_player import BankPlayer
from .ui.case_player import CasePlayer
from .ui.errors import FAULT_MESSAGE, log_fault
from .ui.figures import Chart, figure_on_request
from .ui.opener import CaseOpener, SelfCheckOpener
from .ui.rehearsal import TEST_RUN, auto_answer_on
from .ui.viewer import when_viewer_known

Box = TypeVar("Box", CaseOpener, SelfCheckOpener)


START_PAGE = "00_start_here.ipynb"


@functools.lru_cache(maxsize=1)
def course() -> CourseContent:
    """The course as this kernel holds it: cases, module self-checks, references and the activity information; never
    the pre- or post-test (``content.course.learner_view``)."""
    return learner_view(load_course_cached())


def _problem_html(message: str, what: str = "the case") -> str:
    return render.banner() + error_box(message, f"This page cannot show {what}.")


def _problem_box(message: str, what: str = "the case") -> widgets.HTML:
    box = widgets.HTML(_problem_html(message, what))
    display(box)
    return box


def _show_opener(
    make: Callable[[], Box], what: str, fault: str, auto_answer: bool | None, answer: Callable[[Box], object]
) -> Box | None:
    """Show a case or a self-check closed, as a few lines and an Open button (``ui.opener``: its widgets are built when
    the learner opens it), and return it. A problem shows as a plain message box naming ``what`` could not be shown,
    never a traceback. ``auto_answer`` (or HNSCC_EDU_AUTO_ANSWER=1) opens it and answers every question of this public
    content with its key (``answer``, a driver of ``ui.autoanswer``), for headless runs."""
    try:
        opener = make()
    except (LookupError, StoreError, FlowError) as exc:
        _problem_box(str(exc), what)
        return None
    except Exception:  # noqa: BLE001 - a learner or a dashboard never sees a traceback
        log_fault(fault)
        _problem_box(FAULT_MESSAGE, what)
        return None
    if auto_answer_on() if auto_answer is None else auto_answer:
        answer(opener)
    display(opener)
    return opener


def _answer_case(opener: CaseOpener) -> object:
    from .ui.autoanswer import answer_case

    return answer_case(opener)


def _answer_self_check(opener: SelfCheckOpener) -> object:
    from .ui.autoanswer import answer_self_check

    return answer_self_check(opener)


NOT_ACKNOWLEDGED = (
    "The course records your work only after you have read the activity information, including the disclosures."
)


def _not_yet_html(message: str) -> str:
    """The case is not open yet: why, and the way to the start page."""
    return (
        f'{render.banner()}<div class="hnscc-info hnscc-case-locked" role="status"><strong>This case '
        f"opens after the activity information.</strong> {html.escape(message)} "
        f'<a href="{START_PAGE}">Go to the start page</a> to read it and acknowledge it; then come '
        "back here.</div>"
    )


@dataclass(frozen=True)
class _CaseVerdict:
    """What the course server says about a case for this page's viewer: how to build its player, their progress and a
    notice to show above it; or, in ``instead``, the HTML to show in its place (why it cannot open here)."""

    build: Callable[[], CasePlayer] | None = None
    progress: str | None = None
    notice: str = ""
    instead: str = ""


def _unsaved(case: Case, why: str) -> _CaseVerdict:
    """A page served to everyone without a sign-in (a presenter's ``make present``): the case plays, for showing and
    discussing, but its answers live only in this page's memory (a private in-memory store under a one-off viewer id),
    never in the course record, and the page says so."""
    import uuid

    from .sessions.case_session import CaseSession
    from .store import Store

    def build() -> CasePlayer:
        session = CaseSession(case, Store("sqlite://"), f"viewer-{uuid.uuid4().hex[:12]}")
        return CasePlayer(session, course().references, None)

    notice = (
        '<div class="hnscc-info hnscc-unsaved" role="status"><strong>Answers on this page are not saved.</strong> '
        f"{html.escape(why)}</div>"
    )
    return _CaseVerdict(build, notice=notice)


def _case_verdict(case: Case) -> _CaseVerdict:
    """Ask the course server about this viewer (one request): a problem, the activity information not yet
    acknowledged, a shared screen (answers not saved), or the case resumed from the record."""
    from .service.client import RemoteCaseSession, ServiceClient, ServiceRefused

    try:
        client = ServiceClient()
        status = client.status()
    except ServiceRefused as exc:
        if exc.code == "LearnerIdRefused":  # standalone Voila: a presenter's or a shared screen
            return _unsaved(case, str(exc))
        return _CaseVerdict(instead=_problem_html(str(exc), "the case"))
    except (LookupError, StoreError, FlowError) as exc:
        return _CaseVerdict(instead=_problem_html(str(exc), "the case"))
    except Exception:  # noqa: BLE001 - a learner or a dashboard never sees a traceback
        log_fault(f"showing case {case.id!r} failed")
        return _CaseVerdict(instead=_problem_html(FAULT_MESSAGE, "the case"))
    if not status.get("acknowledged"):
        return _CaseVerdict(instead=_not_yet_html(NOT_ACKNOWLEDGED))

    def build() -> CasePlayer:
        return CasePlayer(RemoteCaseSession(case, client), course().references, status.get("profession"))

    cases = status.get("cases")
    return _CaseVerdict(build, cases.get(case.id) if isinstance(cases, dict) else None)


def show_case(case_id: str, auto_answer: bool | None = None) -> CaseOpener | None:
    """Show a case for the current learner: its title, the learner's progress and an "Open this case" button. The
    case's widgets are built when the learner opens it, resumed from the course service's record, so every saved
    answer shows as before. It opens only after the activity information is acknowledged (else a message links to the
    start page). ``auto_answer`` (or HNSCC_EDU_AUTO_ANSWER=1) opens it and answers every item with its key (case
    content is public), for headless runs. Returns the ``CaseOpener`` (its ``player`` once opened), or None.

    In a Voila pre-heated kernel, before anyone has opened the page, the box shows the case's title only and learns
    the rest once the page is requested (``ui.viewer``)."""
    try:
        case = course().case(case_id)
    except LookupError as exc:
        _problem_box(str(exc), "the case")
        return None
    if viewer_pending():
        opener = CaseOpener(case, pending=True)
        display(opener)

        def settle() -> None:
            verdict = _case_verdict(case)
            if verdict.instead:
                opener.show_instead(verdict.instead)
            else:
                opener.ready(verdict.build, verdict.progress, verdict.notice)

        when_viewer_known(settle)
        return opener
    verdict = _case_verdict(case)
    if verdict.instead:
        display(widgets.HTML(verdict.instead))
        return None
    return _show_opener(
        lambda: CaseOpener(case, verdict.build, verdict.progress, verdict.notice),
        "the case",
        f"showing case {case_id!r} failed",
        auto_answer,
        _answer_case,
    )


def _module_bank(bank_id: str) -> ItemBank:
    """The module item bank ``bank_id``; LookupError with a plain message when it is missing, broken, or a pre- or
    post-test (those belong to the credit path and are never played as a self-check)."""
    content = course()
    bank = content.banks.get(bank_id)
    credit_test = next(
        (
            f.data.get("purpose")
            for f in content.files
            if f.model is None
            and isinstance(f.data, dict)
            and f.data.get("id") == bank_id
            and f.data.get("purpose") in ("pre", "post")
        ),
        None,
    )
    if bank is None and credit_test is not None:
        raise LookupError(f"The item bank {bank_id!r} is the course's {credit_test}-test, not a module self-check.")
    if bank is None:
        broken = [f.display for f in content.files if f.problems and f.path.stem == bank_id]
        if broken:
            raise LookupError(
                f"The item bank {bank_id!r} has problems in {broken[0]}; please tell your course director."
            )
        available = ", ".join(sorted(b.id for b in content.banks.values() if b.purpose == "module")) or "none"
        raise LookupError(f"There is no module item bank {bank_id!r}. Available: {available}.")
    if bank.purpose != "module":
        raise LookupError(f"The item bank {bank_id!r} is the course's {bank.purpose}-test, not a module self-check.")
    return bank


def show_module_check(bank_id: str, auto_answer: bool | None = None) -> SelfCheckOpener | None:
    """Show a module's item bank as a self-check for the current learner: its title and an "Open the self-check"
    button; its questions are built when the learner opens it, resumed from the store. ``auto_answer`` (or
    HNSCC_EDU_AUTO_ANSWER=1) opens it and answers every question with its key, for headless runs.

    The self-check is shown here and returned: assign it, as with ``show_case``
    (``module_check = show_module_check(...)``), or a cell ending in the call shows it twice."""

    def make() -> SelfCheckOpener:
        bank = _module_bank(bank_id)

        def build() -> BankPlayer:
            if external_service():  # a hub: the kernel has no store; the course server keeps the self-check
                from .service.client import RemoteBankSession, ServiceClient

                session = RemoteBankSession(bank, ServiceClient())
                return BankPlayer(session, course().references, session.profession)
            from .store import Store  # only on one machine: its learner's self-checks are kept in its store

            learner = learner_id()
            profession = _profession()
            return BankPlayer(BankSession(bank, Store(), learner, profession), course().references, profession)

        return SelfCheckOpener(bank, build)

    return _show_opener(
        make, "the module self-check", f"showing the self-check {bank_id!r} failed", auto_answer, _answer_self_check
    )


def _profession() -> str | None:
    """The profession the learner gave at the activity gate (from the course service), for the "For you" badges of
    a self-check; None when the service cannot say."""
    from .service.client import ServiceClient

    try:
        return ServiceClient().status().get("profession")
    except (StoreError, ValueError):
        return None


def case_outline(case_id: str) -> None:
    """Print the plan of a case without revealing it: stage count, question count and types, objectives."""
    case = course().case(case_id)
    kinds: dict[str, int] = {}
    for item in case.items:
        kinds[item.type] = kinds.get(item.type, 0) + 1
    types = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(kinds.items()))
    show_lines(
        [
            case.title,
            f"Module {case.module}; {len(case.stages)} stages; {len(case.items)} questions ({types}).",
            f"For: {', '.join(p.label for p in case.professions)}.",
            f"Last reviewed {case.governance.last_reviewed}; next review due {case.governance.next_review_due}.",
        ],
        "hnscc-case-outline",
    )


def show_lines(lines: list[str], css_class: str) -> None:
    """A few lines for learners as page text (HTML, not the monospace of a print), with the same lines as plain text
    for nbval and for screen readers of a plain export."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    display({"text/plain": "\n".join(lines), "text/html": f'<div class="{css_class}">{body}</div>'}, raw=True)


def show_course_info() -> None:
    """The activity information a learner reads before any learning, from the course file."""
    info = course().info
    if info is None:
        _problem_box("The course file (course.yaml) is missing or has problems; please tell your course director.")
        return
    page = templating.render(
        "course_info.html.j2",
        # Safe to insert as HTML: the course's own constant stylesheet (ui/render.py), not text from anyone.
        style=Markup(render.STYLE),
        info=info,
        audience=", ".join(p.label for p in info.audience),
        disclosure_text=statements.disclosure_text,
        mitigation=statements.mitigation_statement(info),
        commercial_support=statements.commercial_support_statement(info),
        accreditation=statements.accreditation_statement(info),
        designation=statements.designation_statement(info),
    )
    display(HTML(page))


def show_bibliography(case_id: str | None = None) -> None:
    """Every source cited (by one case, or by the whole course), listed once."""
    content = course()
    if case_id is None:
        keys = sorted(content.references)
    else:
        keys = sorted(
            {k for item in content.case(case_id).items for _, fb in feedback_entries(item) for k in fb.references}
        )
    rows = "".join(f"<li>{render.citation(content.references.get(k), k)}</li>" for k in keys)
    display(HTML(f"<h3>References</h3><ol>{rows}</ol>"))


def show_course_map(module: int | None = None) -> None:
    """The cases of the course (or of one module): core or deepening, the minutes each takes, and where it is. The
    learner's progress column joins once the viewer is known (at once, except in a Voila pre-heated kernel that nobody
    has opened yet: see ``ui.viewer``)."""
    from pathlib import Path

    from .ui.course_map import case_notebooks, course_map_html, course_map_rows

    content = course()
    rows = course_map_rows(content, case_notebooks(Path(content.root) / "notebooks"))
    if not viewer_pending():
        display(HTML(f"{render.STYLE}{course_map_html(rows, module, _case_progress())}"))
        return
    table = widgets.HTML(f"{render.STYLE}{course_map_html(rows, module, None)}")
    table.add_class("hnscc-course-map")
    display(table)
    when_viewer_known(
        lambda: setattr(table, "value", f"{render.STYLE}{course_map_html(rows, module, _case_progress())}")
    )


def _case_progress() -> dict[str, str] | None:
    """The learner's progress per case from the course service; None (no column) when it cannot say, e.g. on a
    shared presenter screen or with no course server."""
    from .service.client import ServiceClient

    try:
        cases = ServiceClient().status().get("cases")
    except (StoreError, ValueError):
        return None
    return dict(cases) if isinstance(cases, dict) else None


def print_activity_summary() -> None:
    """The dates and pass mark in one plain line (checked by nbval; it changes only when the course file does)."""
    info = course().info
    if info is None:
        print("The course file is missing or has problems; please tell your course director.")
        return
    show_lines(
        [
            (
                f"Released {info.release_date}; last reviewed {info.last_review_date}; expires "
                f"{info.termination_date}. About {info.estimated_minutes} minutes. Pass mark "
                f"{info.passing_score_percent}%."
            )
        ],
        "hnscc-activity-summary",
    )


def self_check(case: CaseOpener | None) -> None:
    """In auto-answer runs (CI, nbval) print where the case ended; for learners it prints nothing."""
    if not auto_answer_on():
        return
    from .ui.autoanswer import case_summary

    if case is None or case.player is None:
        print(TEST_RUN + ("The case could not be shown." if case is None else "The case was not opened."))
        return
    print(TEST_RUN + case_summary(case.player))


def show_chart(chart: Chart) -> None:
    """A figure with its text alternative under it (title, one-line summary, the data as a table). The text shows at
    once; the figure is drawn when the viewer presses "Show the figure" (``ui.figures.figure_on_request``)."""
    display(figure_on_request(chart))
