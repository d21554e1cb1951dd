"""Cumulative dose to an organ at risk over several courses, checked against every tabulated source's limit.

The view collects the courses and the assumptions, calls :mod:`hnscc_edu.clinical.dose`, and shows a table, a chart
and the assumptions. It decides nothing itself.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from ...clinical import dose
from ...clinical.oar_limits import ORGANS
from .. import render
from ..errors import InputError
from ..figures import STATUS_WORDS, cumulative_dose_chart
from .common import LABEL_STYLE, CalculatorView, clinical, optional_number

ORGAN_NAMES = {
    "spinal_cord": "spinal cord",
    "brachial_plexus": "brachial plexus",
    "great_vessels": "thoracic aorta and great vessels (not the carotid)",
    "carotid_artery": "carotid artery",
    "mandible": "mandible (bone)",
}
RULE = "rule"
RECOVERY_CHOICES: tuple[tuple[str, object], ...] = (
    ("From the interval between the last two courses (0% <6 mo, 25% 6-<12 mo, 50% >=12 mo)", RULE),
    ("None: 0% (most cautious)", 0.0),
    ("25%", 0.25),
    ("50%", 0.5),
    ("Custom percentage", "custom"),
)


@dataclass(frozen=True)
class Course:
    """One course as entered: the dose the organ received, in how many fractions, and when."""

    dose_gy: float
    fractions: int
    date: dt.date | None = None


def recovery_from_choice(choice: object, custom_percent: float, courses: Sequence[Course]) -> tuple[float, str]:
    """The recovery fraction to apply and the sentence that explains where it came from."""
    if choice == RULE:
        if len(courses) < 2:
            return 0.0, "Only one course: no recovery applies."
        earlier, later = courses[-2].date, courses[-1].date
        if earlier is None or later is None:
            # the defaults compute: 0% is the most cautious reading until the interval is known
            return 0.0, (
                "No recovery applied yet (0%, the most cautious): give the dates of the last two courses "
                "to take it from the interval, or choose a percentage."
            )
        months = clinical(dose.months_between, earlier, later)
        fraction = dose.recovery_fraction(months)
        return fraction, (
            f"Recovery {fraction:.0%} from the default rule for an interval of {months:.1f} months "
            "between the last two courses (Doi 2021, spinal cord rule of thumb)."
        )
    if choice == "custom":
        if not 0.0 <= custom_percent <= 100.0:
            raise InputError(f"The recovery percentage must lie between 0 and 100: got {custom_percent:g}%.")
        fraction = custom_percent / 100.0
        return fraction, f"Recovery {custom_percent:g}%, as you set it."
    fraction = float(choice)  # type: ignore[arg-type]
    return fraction, f"Recovery {fraction:.0%}, as you chose it."


class CourseRow:
    """The inputs of one course."""

    def __init__(self, number: int, course: Course | None) -> None:
        self.dose = widgets.FloatText(
            value=course.dose_gy if course else 0.0,
            description=f"Course {number}: dose to the organ (Gy)",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="330px"),
        )
        self.fractions = widgets.IntText(
            value=course.fractions if course else 1,
            description="fractions",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="150px"),
        )
        self.date = widgets.DatePicker(value=course.date if course else None, description="date", style=LABEL_STYLE)
        for part, widget in (("dose", self.dose), ("fractions", self.fractions), ("date", self.date)):
            widget.add_class(f"hnscc-course-{number}-{part}")
        self.box = widgets.HBox([self.dose, self.fractions, self.date])

    def read(self) -> Course:
        return Course(self.dose.value, self.fractions.value, self.date.value)


class CumulativeDoseView(CalculatorView):
    name = "cumulative-dose"
    title = "Cumulative dose to an organ at risk"
    intro = (
        "Enter, oldest first, the dose the organ received in each course at the metric the source uses (for "
        "example the cord Dmax), with the number of fractions. Date: the last day of an earlier course; for the "
        "course being planned, its first day. Each course is converted to EQD2 with its own dose per fraction "
        "before adding."
    )

    def __init__(
        self,
        courses: Sequence[Course] = (),
        organ: str = "spinal_cord",
        alpha_beta: float | None = None,
        recovery: object = RULE,
    ) -> None:
        super().__init__()
        if organ not in ORGANS:
            raise ValueError(f"No limits are tabulated for {organ!r}; choose one of {', '.join(ORGANS)}.")
        self.organ = widgets.Dropdown(
            options=[(ORGAN_NAMES.get(o, o), o) for o in ORGANS],
            value=organ,
            description="Organ at risk",
            style=LABEL_STYLE,
        )
        self.alpha_beta = widgets.Text(
            value="" if alpha_beta is None else f"{alpha_beta:g}",
            description="α/β (Gy); blank = each source's own",
            placeholder="each source's own",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="420px"),
        )
        self.alpha_beta.add_class("hnscc-alpha-beta")
        choices = [value for _label, value in RECOVERY_CHOICES]
        custom = 0.0
        if recovery not in choices:
            custom, recovery = float(recovery) * 100.0, "custom"  # type: ignore[arg-type]
        self.recovery = widgets.Dropdown(
            options=list(RECOVERY_CHOICES),
            value=recovery,
            description="Recovery of earlier courses",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.recovery.add_class("hnscc-recovery")
        self.custom_recovery = widgets.FloatText(
            value=custom, description="custom recovery (%)", style=LABEL_STYLE, layout=widgets.Layout(width="220px")
        )
        self.rows: list[CourseRow] = []
        self.rows_box = widgets.VBox()
        add = widgets.Button(
            description="Add a course",
            tooltip="Add another course of radiotherapy",
            layout=widgets.Layout(width="auto"),
        )
        add.add_class("hnscc-add-course")
        add.on_click(self.boundary.wrap(lambda _b: self._add_row(None)))
        remove = widgets.Button(
            description="Remove the last course", tooltip="Remove the last course", layout=widgets.Layout(width="auto")
        )
        remove.on_click(self.boundary.wrap(lambda _b: self._remove_row()))
        for course in courses or (None, None):
            self._add_row(course)
        # "did you mean 46 Gy?": a dose per fraction no schedule uses, with the reading in cGy offered as a button
        self.question = widgets.VBox()
        self.question.add_class("hnscc-dose-question")
        self.widget = self.frame(
            [
                self.organ,
                self.rows_box,
                widgets.HBox([add, remove]),
                self.alpha_beta,
                widgets.HBox([self.recovery, self.custom_recovery]),
                self.question,
            ]
        )
        if courses:
            self.recalculate_safely()

    def _add_row(self, course: Course | None) -> None:
        self.rows.append(CourseRow(len(self.rows) + 1, course))
        self.rows_box.children = [row.box for row in self.rows]

    def _remove_row(self) -> None:
        if len(self.rows) <= 1:
            raise InputError("Keep at least one course.")
        self.rows.pop()
        self.rows_box.children = [row.box for row in self.rows]

    def clear(self) -> None:
        super().clear()
        if hasattr(self, "question"):
            self.question.children = ()

    def _ask_about(self, number: int, slip: dose.DosePerFractionError) -> None:
        """Ask instead of computing: the message, and a button that puts the cGy reading in the course's dose."""
        self.boundary.show(f"Course {number}: {slip}")
        parts: list[widgets.Widget] = []
        if slip.suggested_gy is not None:
            use = widgets.Button(
                description=f"Use {slip.suggested_gy:g} Gy for course {number}",
                button_style="warning",
                layout=widgets.Layout(width="auto"),
            )
            use.add_class("hnscc-use-suggested-dose")

            def accept(_button, row=self.rows[number - 1], value=slip.suggested_gy) -> None:
                row.dose.value = value
                self.recalculate()

            use.on_click(self.boundary.wrap(accept))
            parts.append(use)
        self.question.children = parts

    def _check_entries(self, courses: Sequence[Course]) -> bool:
        """The slips a calculation must not hide. False (after asking) when a dose per fraction is implausible;
        an ``InputError`` when a course has more fractions than its dates leave days for (two a day at most)."""
        for number, course in enumerate(courses, start=1):
            if isinstance(course.fractions, int) and course.fractions >= 1 and course.dose_gy >= 0:
                try:
                    dose.plausible_per_fraction(course.dose_gy, course.fractions)
                except dose.DosePerFractionError as slip:
                    self._ask_about(number, slip)
                    return False
        for number in range(2, len(courses)):  # earlier courses: the date is the last day; the last is planned
            before, this = courses[number - 2], courses[number - 1]
            if before.date is not None and this.date is not None:
                days = (this.date - before.date).days
                if this.fractions > 2 * max(days, 1):
                    raise InputError(
                        f"Course {number}: {this.fractions} fractions between {before.date:%Y-%m-%d} "
                        f"and {this.date:%Y-%m-%d} ({days} days) is more than two a day; check the dates "
                        "or the number of fractions."
                    )
        return True

    def calculate(self) -> None:
        courses = [row.read() for row in self.rows]
        if not self._check_entries(courses):
            return
        pairs = [(c.dose_gy, c.fractions) for c in courses]
        alpha_beta = optional_number(self.alpha_beta.value, "The α/β ratio", "Gy")
        dated = [c.date for c in courses if c.date is not None]
        if dated != sorted(dated):
            raise InputError("The course dates are out of order: list the courses oldest first.")
        recovery, recovery_note = recovery_from_choice(self.recovery.value, self.custom_recovery.value, courses)
        organ = self.organ.value
        verdicts = clinical(dose.check_cumulative, organ, pairs, alpha_beta=alpha_beta, recovery=recovery)
        self.result.value = self._result_html(organ, courses, verdicts, recovery, recovery_note, alpha_beta)
        self.show_chart(cumulative_dose_chart(ORGAN_NAMES.get(organ, organ), verdicts))

    @staticmethod
    def _result_html(
        organ: str,
        courses: Sequence[Course],
        verdicts: Sequence[dose.LimitVerdict],
        recovery: float,
        recovery_note: str,
        alpha_beta: float | None,
    ) -> str:
        pairs = [(c.dose_gy, c.fractions) for c in courses]
        ratios = sorted({v.alpha_beta for v in verdicts if v.alpha_beta is not None})
        headline = "; ".join(
            f"<strong>{dose.cumulative_eqd2(pairs, ab, recovery=recovery):.2f} Gy</strong> at α/β {ab:g} Gy"
            for ab in ratios
        )
        per_course = render.data_table(
            ["Course", "Dose (Gy)", "Fractions", "Gy per fraction", "Date"]
            + [f"EQD2 at α/β {ab:g} (Gy)" for ab in ratios],
            [
                [
                    str(i),
                    f"{c.dose_gy:g}",
                    str(c.fractions),
                    f"{c.dose_gy / c.fractions:.2f}",
                    c.date.isoformat() if c.date else "-",
                ]
                + [f"{dose.eqd2(c.dose_gy, c.fractions, ab):.2f}" for ab in ratios]
                for i, c in enumerate(courses, start=1)
            ],
            "Each course converted to EQD2 with its own dose per fraction",
        )
        verdict_table = render.data_table(
            ["Source", "Metric", "Limit", "Compared (Gy)", "Verdict", "Evidence", "Notes"],
            [
                [
                    v.source_label + ("" if v.confirmed else " (unconfirmed)"),
                    v.metric,
                    v.limit,
                    "-" if v.compared_gy is None else f"{v.compared_gy:.2f}",
                    STATUS_WORDS[v.status],
                    v.tag,
                    v.assumptions or "-",
                ]
                for v in verdicts
            ],
            f"Verdict against each source's limit for the {ORGAN_NAMES.get(organ, organ)}",
            [f"hnscc-verdict hnscc-status-{v.status.replace(' ', '-')}" for v in verdicts],
        )
        budget_table = ""
        if len(courses) > 1:
            last = courses[-1]
            budgets = dose.next_course_budget(
                organ, pairs[:-1], last.fractions, alpha_beta=alpha_beta, recovery=recovery
            )
            budget_table = render.data_table(
                [
                    "Source",
                    "Limit",
                    "Most EQD2 the last course may add (Gy)",
                    f"As a physical dose in {last.fractions} fractions (Gy)",
                    "Notes",
                ],
                [
                    [
                        b.source_label,
                        b.limit,
                        "-" if b.max_eqd2_gy is None else f"{b.max_eqd2_gy:.2f}",
                        "-" if b.max_physical_gy is None else f"{b.max_physical_gy:.2f}",
                        b.note or "-",
                    ]
                    for b in budgets
                ],
                f"Room left for the last course under each source, given the earlier courses "
                f"(you entered {last.dose_gy:g} Gy in {last.fractions})",
            )
        lq_notes = []
        for number, c in enumerate(courses, start=1):
            course_summary = dose.summary(c.dose_gy, c.fractions, ratios[0] if ratios else 2.0)
            if course_summary.dose_per_fraction_gy > dose.SBRT_CAVEAT_GY_PER_FRACTION:
                lq_notes.append(f"Course {number}: {course_summary.assumptions[-1]}")
        assumptions = [
            recovery_note + " The same recovery is applied to every earlier course; the last course is not discounted.",
            "α/β: "
            + (
                f"{alpha_beta:g} Gy, as you set it, for every source."
                if alpha_beta is not None
                else "each source's own (or the α/β of the table quoting it, as noted)."
            ),
            (
                "Linear-quadratic model without an overall-treatment-time term (formulas: the RBApp equations page; ICRPaedia, "
                "'Equieffective dose'); the doses are the organ's doses at each source's metric, as entered."
            ),
            "Sources disagree and none is a head-and-neck consensus; every source's row is shown on purpose.",
            *lq_notes,
            (
                "Education, not clinical advice: check every number in your planning system and against your "
                "institution's constraints."
            ),
        ]
        items = "".join(f"<li>{html.escape(a)}</li>" for a in assumptions)
        return (
            f'<p class="hnscc-headline" role="status">Cumulative EQD2: {headline or "not computed"}.</p>'
            f"{per_course}{verdict_table}{budget_table}"
            f'<div class="hnscc-assumptions"><strong>Assumptions</strong><ul>{items}</ul></div>'
        )
