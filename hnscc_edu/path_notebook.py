"""What the credit notebooks call: the activity gate on the start page, the post-test and certificate page, and the
course director's report. One line per thing shown; the same calls render in JupyterLab and in Voila.

The learner's path is the course service's (``hnscc_edu.service``): the panel talks to it over HTTP and the kernel
holds neither the store's address nor a post-test key.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML, display

from .content.course import course_root
from .notebook import course, show_course_info
from .rules.learner_path import PathError
from .service import external_service
from .service.client import ServiceClient
from .store import StoreError
from .templating import error_box
from .ui import render
from .ui.errors import FAULT_MESSAGE, log_fault
from .ui.path_panel import PathPanel
from .ui.rehearsal import TEST_RUN, auto_answer_on


def _problem(message: str) -> None:
    display(HTML(render.banner() + error_box(message, "This page cannot show your path to credit.")))


def module_links() -> str:
    """Links to the module notebooks (``notebooks/0N*_*.ipynb``: 01_, 01b_, 02_ ...; not the start page), by title."""
    links = []
    for path in sorted((course_root() / "notebooks").glob("0[1-9]*_*.ipynb")):
        try:
            title = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("title") or path.stem
        except (OSError, ValueError):
            title = path.stem
        links.append(f'<a href="{html.escape(path.name)}">{html.escape(title)}</a>')
    return "Modules: " + ", ".join(links) + "." if links else ""


def _panel(scope: str, auto_answer: bool | None, with_info: bool) -> PathPanel | None:
    try:
        from .service.client import RemotePath, ServiceClient

        content = course()
        if content.info is None:
            raise PathError(
                "The course file (course.yaml) is missing or has problems; please tell your course director."
            )
        path = RemotePath(ServiceClient(), content.info)
        info = None
        if with_info and path.step.value == "activity_info":
            info = widgets.Output()
            with info:
                show_course_info()  # the same activity information as the start page
        panel = PathPanel(path, content.references, scope=scope, activity_info=info, module_links=module_links())
    except (PathError, StoreError) as exc:
        _problem(str(exc))
        return None
    except Exception:  # noqa: BLE001 - a learner or a dashboard never sees a traceback
        log_fault("showing the path to credit failed")
        _problem(FAULT_MESSAGE)
        return None
    if auto_answer if auto_answer is not None else auto_answer_on():
        from .ui.autoanswer import walk_credit_path

        walk_credit_path(panel)
    display(panel)
    return panel


def show_activity_gate(auto_answer: bool | None = None) -> PathPanel | None:
    """The start page: acknowledge the activity information (shown above by ``show_course_info``), then the
    optional pre-test. ``auto_answer`` (or HNSCC_EDU_AUTO_ANSWER=1) walks it for headless runs (the pre-test with
    placeholder answers: the kernel has no key)."""
    return _panel("start", auto_answer, with_info=False)


def show_credit_path(auto_answer: bool | None = None) -> PathPanel | None:
    """The post-test and certificate page: whatever step the learner is at, from the activity gate (with the
    activity information) to the certificate. ``auto_answer`` walks only what needs no key: it never passes the
    post-test (the learner's kernel holds no post-test key)."""
    return _panel("all", auto_answer, with_info=True)


def path_self_check(panel: PathPanel | None) -> None:
    """In auto-answer runs (CI, nbval) print where the path ended; for learners it prints nothing."""
    if not auto_answer_on():
        return
    from .ui.autoanswer import path_summary

    print(TEST_RUN + (path_summary(panel) if panel is not None else "The path to credit could not be shown."))


# -- the course director's report ---------------------------------------------------------------------------------
def show_report_data(data) -> None:
    """The report's figures, each with a text alternative and its data table, and the commitments to change."""
    from .export import report

    content = course()
    for fig_id, heading, figure, frame in report.figures(data, content):
        display(HTML(f"<h3>{html.escape(heading)}</h3>"))
        display(figure)
        display(
            HTML(
                f'<div class="hnscc-figure-text"><p><strong>Figure: {html.escape(heading)}.</strong> '
                f"{html.escape(report.text_alternative(fig_id, data))}</p><details><summary>Data shown in the "
                f"figure (table)</summary>{report.table_html(frame, heading)}</details></div>"
            )
        )
    display(HTML(f"<h3>Commitments to change</h3>{report.table_html(data.commitments, 'Commitments to change')}"))


def show_report(store_url: str | None = None):
    """The outcomes report of the course's store (or of ``store_url``); returns its data, or None on a problem. On a
    hub the kernel holds no store: the hub's course server builds the report for course directors only."""
    from .content.cache import load_course_with_credit
    from .export import report
    from .store import Store

    try:
        if store_url is None and external_service():
            data = report.ReportData.from_json(ServiceClient().request("GET", "director/report"))
        else:
            # the director's report needs the test banks, which learners' kernels lack
            data = report.build(load_course_with_credit(), Store(store_url))
    except (StoreError, PathError, ValueError) as exc:
        display(HTML(render.banner() + error_box(str(exc), "The outcomes report cannot be shown.")))
        return None
    s = data.summary
    print(
        f"Learners in the store: {s['learners']}; registered: {s['registered']}; certificates: "
        f"{s['certificates']}; with paired pre/post answers: {s['paired_learners']}."
    )
    print(report.time_line(data))
    show_report_data(data)
    return data


def demo_report(learners: int = 40, seed: int = 2026):
    """Simulate a cohort in a throw-away store and print its headline figures (deterministic for a given seed)."""
    from .content.cache import load_course_with_credit
    from .export import report
    from .rules.signing import Signer
    from .sessions.simulation import simulate_cohort
    from .store import Store

    content = load_course_with_credit()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        # a throw-away key for a throw-away store: the demo's certificates are never shown
        simulate_cohort(content, store, learners, seed=seed, prefix="demo", signer=Signer.generate())
        data = report.build(content, store)
        store.engine.dispose()
    rows = data.participation.set_index("milestone")["learners"]
    print(
        f"Demo cohort of {learners} synthetic learners (seed {seed}): {rows['acknowledged']} registered, "
        f"{rows['pretest_completed']} took the pre-test, {rows['passed']} passed the post-test, "
        f"{rows['certified']} received a certificate."
    )
    for r in data.prepost_by_objective.itertuples():
        print(
            f"  {r.objective}: {r.pre_percent:.1f}% correct before, {r.post_percent:.1f}% after on paired items "
            f"(n = {r.learners}, mean change {r.mean_change:+.1f} points, paired t-test p = {r.p_value:.2g})."
        )
    return data
