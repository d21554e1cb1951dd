"""What the course notebooks import, from one place: one call per thing a page shows (issue 19 §2).

Every notebook's first code cell is ``from hnscc_edu.course_page import ...``; nothing else in a notebook imports from
the package. The calls themselves live with their kind of page: the case and self-check pages (``notebook``), the
credit pages (``path_notebook``), the calculators (``toolbox``), the figures of each module (``ui.module*_figures``),
a case's own figures (``ui.after_case``), the checklist download (``ui.checklist_link``) and the live-poll dashboard
(``ui.presenter``).

A name is imported from its module when a notebook first asks for it (PEP 562), so a page pays only for the modules
it shows: a case page does not load the calculators, the certificate PDF or the live polls. In a pre-heated Voila
kernel the import cell runs before the page is requested, so that cost is paid while the kernel waits in its pool.

Importing it in a kernel also puts one small page script in the import cell's output (``ui.widget_recovery``): in
Voila it draws again any widget output that ipywidgets gave up on while the page loaded.

The test-run cells (tag ``test-run``) call ``self_check`` and ``path_self_check``: they print only in automatic runs
(``HNSCC_EDU_AUTO_ANSWER``, see ``ui.autoanswer``) and show nothing to learners.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .ui.widget_recovery import show_recovery_script

# name -> the module (under hnscc_edu) that defines it
_WHERE = {
    # course information and the course map
    "course": "notebook",
    "show_course_info": "notebook",
    "print_activity_summary": "notebook",
    "show_course_map": "notebook",
    # cases and module self-checks
    "case_outline": "notebook",
    "show_case": "notebook",
    "show_module_check": "notebook",
    "show_bibliography": "notebook",
    "show_chart": "notebook",
    "show_after_case": "ui.after_case",
    "show_case_figures": "ui.module2_figures",
    "checklist_download": "ui.checklist_link",
    # the figures of each module
    "miri_median_os_chart": "ui.module1_figures",
    "carotid_blowout_chart": "ui.module1_figures",
    "case_dose_chart": "ui.module1_figures",
    "salvage_outcomes_chart": "ui.module2_figures",
    "print_salvage_outcomes": "ui.module2_figures",
    "keynote048_forest_plot": "ui.module3_figures",
    "five_year_survival_chart": "ui.module3_figures",
    "therapy_swimlane": "ui.module3_figures",
    # the path to credit and the course director's report
    "show_activity_gate": "path_notebook",
    "show_credit_path": "path_notebook",
    "show_report": "path_notebook",
    "show_report_data": "path_notebook",
    "demo_report": "path_notebook",
    # the calculators
    "show_calculator": "toolbox",
    "show_calculator_sources": "toolbox",
    "print_cumulative_check": "toolbox",
    "print_recist_series": "toolbox",
    "print_keynote048_hazard_ratios": "toolbox",
    # the live-poll dashboard
    "show_presenter": "ui.presenter",
    "rehearse_if_auto": "ui.presenter",
    # the test-run cells (print only in automatic runs)
    "self_check": "notebook",
    "path_self_check": "path_notebook",
}

__all__ = [
    "carotid_blowout_chart",
    "case_dose_chart",
    "case_outline",
    "checklist_download",
    "course",
    "demo_report",
    "five_year_survival_chart",
    "keynote048_forest_plot",
    "miri_median_os_chart",
    "path_self_check",
    "print_activity_summary",
    "print_cumulative_check",
    "print_keynote048_hazard_ratios",
    "print_recist_series",
    "print_salvage_outcomes",
    "rehearse_if_auto",
    "salvage_outcomes_chart",
    "self_check",
    "show_activity_gate",
    "show_after_case",
    "show_bibliography",
    "show_calculator",
    "show_calculator_sources",
    "show_case",
    "show_case_figures",
    "show_chart",
    "show_course_info",
    "show_course_map",
    "show_credit_path",
    "show_module_check",
    "show_presenter",
    "show_report",
    "show_report_data",
    "therapy_swimlane",
]


show_recovery_script()


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use, and keep it here for the next."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"hnscc_edu.course_page has no {name!r}; the notebooks' calls are: {', '.join(__all__)}")
    value = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # the same names for type checkers, editors and the layers contract (import-linter)
    from .notebook import (
        case_outline,
        course,
        print_activity_summary,
        self_check,
        show_bibliography,
        show_case,
        show_chart,
        show_course_info,
        show_course_map,
        show_module_check,
    )
    from .path_notebook import (
        demo_report,
        path_self_check,
        show_activity_gate,
        show_credit_path,
        show_report,
        show_report_data,
    )
    from .toolbox import (
        print_cumulative_check,
        print_keynote048_hazard_ratios,
        print_recist_series,
        show_calculator,
        show_calculator_sources,
    )
    from .ui.after_case import show_after_case
    from .ui.checklist_link import checklist_download
    from .ui.module1_figures import carotid_blowout_chart, case_dose_chart, miri_median_os_chart
    from .ui.module2_figures import print_salvage_outcomes, salvage_outcomes_chart, show_case_figures
    from .ui.module3_figures import five_year_survival_chart, keynote048_forest_plot, therapy_swimlane
    from .ui.presenter import rehearse_if_auto, show_presenter
