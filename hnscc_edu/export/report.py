"""The course director's outcomes report: CSV files and one HTML page with plotly figures (Moore's levels 1-5).

What each figure counts:

- **Participation** (level 1): learners who reached each requirement of the path, from their stored events.
- **Pre/post on paired items** (level 3): learners who completed the pre-test and finished a post-test attempt. Each
  post-test item with ``pairs_with`` is the twin of a pre-test item; for every pair drawn in the learner's *first*
  post-test attempt (what the modules taught, before any retake), the pre-test score and the post-test score of the
  pair count. Per learner and objective: mean % correct before and after; across learners a paired t-test
  (scipy ``ttest_rel``) with the mean change and its 95% confidence interval. Per profession likewise.
- **Item analysis**: difficulty (mean score, 0-1) and discrimination (point-biserial correlation of the item's score
  with the learner's % correct on the *other* items of the same test) over completed pre-tests and first post-test
  attempts; **distractors**: how often each option was chosen in those same answers.
- **Case decision concordance** (level 4): each learner's first answer to each scored case question, against the
  faculty key (% fully concordant, mean % of credit).
- **Evaluation** (level 2) per objective and on commercial bias; **the evaluation item by item**
  (``evaluation_items.csv``: every question of ``rules/evaluation.py`` and the intent to change per objective, with
  how many learners chose each answer, split by whether they passed; the first evaluation of each learner, who is
  asked pass or not); **comments** on commercial bias and on barriers (``evaluation_comments.csv``, without the
  learner's id); **the follow-up** of commitments 60-90 days after the evaluation (``follow_up.csv``: per objective,
  learners who committed, asked so far, answered, and what they report: Moore level 5, self-reported performance);
  **commitments to change** (an *intent* at the end of the activity, not a change made), without the
  learner's id.
- **Attested time** (``attestation_time.csv``): per learner who attested, the minutes attested and the time on the
  path that the course service recorded at the attestation (from the learner's first recorded step, the
  acknowledgement, to the attestation; for an attestation recorded before the service kept it, the same span from
  the stored events). An attestation is **flagged** when it is more than 1.5 times the time on the path and more
  than 15 minutes above it: the director follows it up (a learner may have studied the references offline).
- **Reliability** (``reliability.csv``, ``export/psychometrics.py``): for the pre-test, one fixed form, KR-20 (Kuder
  & Richardson 1937) over the learners who completed it, or Cronbach's alpha (1951) if its items carry partial credit,
  with Feldt's (1965) 95% confidence interval and the standard error of measurement SEM = SD x sqrt(1 - r) (SD and
  every variance with divisor N). The post-test draws each learner's items, so each first attempt is a different
  form of the bank and no single form has a KR-20. A form gets its own KR-20 only when 30 or more learners took
  exactly that form; the post-test row over every first attempt is **KR-21 on the number-correct totals, a lower
  bound, not the reliability of a form** (column ``lower_bound``): KR-21 is below KR-20 whenever items differ in
  difficulty, and with random forms it counts those differences, and so the differences between forms, as error
  (Lord's binomial error model); its SEM is correspondingly an upper bound.
- **Pass/fail decision consistency** (``decision_consistency.csv``): Subkoviak's (1976) single-administration
  agreement coefficient p0 for the pass mark of the first post-test attempts: each learner's true proportion correct
  is estimated by Kelley's regression with KR-21, the chance of passing a parallel form from the binomial
  distribution (scipy ``binom``), and p0 is the mean chance of the same decision on two parallel forms; kappa
  corrects p0 for chance agreement. The pre-test has no pass mark, so it has no such index.
- **Item flags** (``item_flags.csv``; the item and distractor tables above are unchanged): "too hard" (difficulty
  below 0.2), "too easy" (above 0.9), "low discrimination" (below 0.2), "distractor never chosen" (an option that is
  not a key and that no learner chose in those answers) and "distractor chosen more than the key" (with several
  keys: more than the least-chosen key), from the difficulty, discrimination and distractor counts above. Flags ask
  the faculty to look at an item; on few responses they are noisy (the ``responses`` column says how many). On the
  pre-test, taken before the teaching, a distractor that beats the key may mark a misconception the course sets out
  to correct rather than a faulty item.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from .. import __version__, templating
from ..content.course import CourseContent
from ..figure_style import COURSE_TEMPLATE, count_axis
from ..rules.credit import ATTESTED_MARGIN_MINUTES, ATTESTED_RATIO

# The numbers are computed in report_data.py (in the store where they can be); this module writes them.
from .report_data import (  # noqa: F401 - the report's public names, kept where callers import them from
    COMMENT_COLUMNS,
    CSV_FILES,
    EVALUATION_ITEM_COLUMNS,
    MILESTONES,
    ReportData,
    _label,
    build,
)

TIME_RULE = (
    f"more than {ATTESTED_RATIO:g} times the time on the path and more than {ATTESTED_MARGIN_MINUTES} minutes above it"
)


def time_line(data: ReportData) -> str:
    """The report's one line on attested time."""
    frame = data.attestation_time
    flagged = int(frame["flagged"].sum()) if not frame.empty else 0
    return (
        f"Attested time: {flagged} of {len(frame)} attestations flagged as far above the time on the path "
        f"({TIME_RULE}); see attestation_time.csv."
    )


def psychometrics_line(data: ReportData) -> str:
    """The report's lines on reliability, decision consistency and item flags (a lower bound is called one)."""
    parts = []
    rows = data.reliability
    forms = rows[rows["form"].astype(str).str.startswith("one form")] if not rows.empty else rows
    for r in rows.itertuples():
        if r.Index in forms.index:
            continue
        where = f"{r.bank}" + ("" if r.form == "fixed form" else f" ({r.form})")
        if pd.isna(r.value):
            parts.append(f"{where}: {r.statistic} {r.note}")
        elif r.lower_bound:
            parts.append(
                f"{where}: {r.statistic} = {r.value:.2f}, a lower bound, not the reliability of a form "
                f"({r.learners} learners)"
            )
        else:
            interval = "" if pd.isna(r.ci95_low) else f", 95% CI {r.ci95_low:.2f} to {r.ci95_high:.2f}"
            sem = "" if pd.isna(r.sem_percent) else f", SEM {r.sem_percent:.1f} percentage points"
            parts.append(
                f"{where}: {r.statistic} = {r.value:.2f} ({r.learners} learners, {r.items} items{interval}{sem})"
            )
    if len(forms):
        parts.append(f"{len(forms)} post-test forms taken by enough learners have their own coefficient")
    line = "Reliability: " + ("; ".join(parts) if parts else "no pre- or post-test") + "."
    for r in data.decision_consistency.itertuples():
        if pd.isna(r.agreement_p0):
            line += f" Pass/fail decision consistency ({r.bank}): {r.note}."
        else:
            kappa = "not computable" if pd.isna(r.kappa) else f"{r.kappa:.2f}"
            line += (
                f" Pass/fail decision consistency at {r.pass_mark:g}% ({r.bank}, first attempts, Subkoviak): "
                f"agreement {r.agreement_p0:.2f}, kappa {kappa} ({r.learners} learners)."
            )
    flagged = data.summary.get("items_flagged", 0)
    return (
        line + f" Item flags: {flagged} of {len(data.item_flags)} items flagged. See reliability.csv, "
        "decision_consistency.csv and item_flags.csv."
    )


def _values(column: pd.Series) -> list:
    """A column as a plain list for a plotly figure: given a pandas column, plotly first looks for dataframe libraries
    through the installed packages' entry points (narwhals' plugin discovery, about 0.01 s once per process)."""
    return column.tolist()


# -- writing -------------------------------------------------------------------------------------------------------
def figures(data: ReportData, content: CourseContent) -> list[tuple[str, str, object, pd.DataFrame]]:
    """(id, title, plotly figure, the data table it shows) per figure; each gets a text alternative in the page."""
    import plotly.graph_objects as go

    objective_text = {o.id: f"Objective {o.module}" for o in (content.info.objectives if content.info else [])}
    out = []
    p = data.participation
    out.append(
        (
            "participation",
            "Participation: learners reaching each requirement",
            go.Figure(
                go.Bar(
                    x=_values(p["learners"]),
                    y=_values(p["description"]),
                    orientation="h",
                    text=_values(p["learners"]),
                    textposition="auto",
                ),
                layout={
                    "yaxis": {"autorange": "reversed"},
                    "xaxis": count_axis(max(p["learners"], default=0), "Learners"),
                },
            ),
            p,
        )
    )
    po = data.prepost_by_objective
    labels = [objective_text.get(o, o) for o in po["objective"]]
    fig = go.Figure(
        [
            go.Bar(name="Pre-test", x=labels, y=_values(po["pre_percent"])),
            go.Bar(name="Post-test (first attempt)", x=labels, y=_values(po["post_percent"])),
        ]
    )
    fig.update_layout(barmode="group", yaxis_title="% correct on paired items", yaxis_range=[0, 100])
    out.append(("prepost", "Pre/post % correct per objective on paired items", fig, po))
    pp = data.prepost_by_profession
    if not pp.empty:
        pivot = pp.pivot(index="profession", columns="objective", values="mean_change")
        fig = go.Figure(
            go.Heatmap(
                z=pivot.values.tolist(),
                x=[objective_text.get(c, c) for c in pivot.columns],
                y=[_label(i) for i in pivot.index],
                colorscale="Blues",
                colorbar={"title": "change, points"},
            )
        )
    else:
        fig = go.Figure()
    out.append(("prepost-profession", "Mean change (post minus pre, % points) per profession and objective", fig, pp))
    items = data.item_analysis
    fig = go.Figure(
        go.Scatter(
            x=_values(items["difficulty"]),
            y=_values(items["discrimination"]),
            mode="markers",
            text=_values(items["item_id"]),
            marker={"symbol": ["circle" if b == "pre-test" else "square" for b in items["bank"]]},
        )
    )
    fig.update_layout(xaxis_title="difficulty (share of credit earned)", yaxis_title="discrimination (point-biserial)")
    out.append(("items", "Item difficulty and discrimination", fig, items))
    d = data.distractors
    fig = go.Figure(
        [
            go.Bar(
                name="chosen: the key" if key else "chosen: a distractor",
                x=_values(d[d["correct"] == key]["item_id"] + " " + d[d["correct"] == key]["option_id"]),
                y=_values(d[d["correct"] == key]["percent_of_responses"]),
            )
            for key in (True, False)
        ]
    )
    fig.update_layout(yaxis_title="% of responses")
    out.append(("distractors", "Distractor choices (share of responses per option)", fig, d))
    c = data.case_concordance
    fig = go.Figure(go.Bar(x=_values(c["item_id"]), y=_values(c["percent_concordant"])))
    fig.update_layout(yaxis_title="% concordant with the faculty key", yaxis_range=[0, 100])
    out.append(("concordance", "Case decisions: concordance with the faculty key", fig, c))
    e = data.evaluation_summary
    names = [objective_text.get(o, q) for o, q in zip(e["objective"], e["question"], strict=True)]
    fig = go.Figure(
        [go.Bar(name=answer, x=names, y=_values(e[f"percent_{answer}"])) for answer in ("yes", "partly", "no")]
    )
    fig.update_layout(barmode="stack", yaxis_title="% of responses")
    out.append(("evaluation", "Evaluation: objectives met and freedom from commercial bias", fig, e))
    for _, _, figure, _ in out:
        # set, not merged: ``update_layout(template=...)`` merges the course template into plotly's default one
        # (about 0.2 s for these seven figures, and the default's settings in each), where the course's own figures
        # carry the course template alone
        figure.layout.template = COURSE_TEMPLATE
        figure.layout.margin = {"l": 60, "r": 20, "t": 30, "b": 60}
    return out


def text_alternative(fig_id: str, data: ReportData) -> str:
    s = data.summary
    if fig_id == "participation":
        rows = data.participation.set_index("milestone")["learners"]
        return (
            f"{s['learners']} learners in the store; {rows['acknowledged']} registered, {rows['passed']} passed "
            f"the post-test and {rows['certified']} received a certificate."
        )
    if fig_id == "prepost":
        parts = [
            f"{r.objective}: {r.pre_percent:.1f}% before, {r.post_percent:.1f}% after (n = {r.learners}, "
            f"p = {r.p_value:.3g})"
            for r in data.prepost_by_objective.itertuples()
        ]
        return "; ".join(parts) or "No learner has both a completed pre-test and a finished post-test yet."
    return "The table below holds every value shown in the figure."


def table_cells(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The frame's values as the report's tables show them: numbers with a decimal part to three significant digits,
    a missing value as an empty cell, everything else as its text (escaped where the table is written)."""
    columns = []
    for name in frame.columns:
        values, missing = frame[name].tolist(), frame[name].isna().tolist()
        if pd.api.types.is_float_dtype(frame[name].dtype):
            columns.append(["" if gap else f"{v:.3g}" for v, gap in zip(values, missing, strict=True)])
        else:
            columns.append(["" if gap else str(v) for v, gap in zip(values, missing, strict=True)])
    return list(zip(*columns, strict=True))


def table_html(frame: pd.DataFrame, caption: str) -> str:
    """A data table of the report with its caption (the course's shared table; every header and cell escaped)."""
    if frame.empty:
        return f"<p>No data yet for: {html.escape(caption)}.</p>"
    return templating.fragment("table", [str(c) for c in frame.columns], table_cells(frame), caption, "data")


def _methods() -> str:
    """What each figure counts: the list in this module's docstring, as HTML."""
    from markdown_it import MarkdownIt

    text = (__doc__ or "").split("\n\n", 1)[-1]
    return MarkdownIt("commonmark", {"html": False}).render(text)


def _data_table(frame: pd.DataFrame, caption: str) -> Markup:
    # Safe to insert as HTML: the shared table macro escapes the caption, every header and every cell.
    return Markup(table_html(frame, caption))


# The tables of the page after the figures: id, heading, the data's field and what the table shows.
PAGE_TABLES = (
    (
        "reliability",
        "Reliability of the pre- and post-test",
        "reliability",
        (
            "KR-20 (or Cronbach's alpha) per fixed form with its 95% confidence interval and standard error of "
            "measurement; for the post-test's randomly drawn forms, KR-21 on first-attempt totals, a lower bound "
            "(lower_bound = True), not the reliability of a form. See Methods."
        ),
    ),
    (
        "decision-consistency",
        "Pass/fail decision consistency at the pass mark (first post-test attempts)",
        "decision_consistency",
        (
            "Subkoviak's agreement coefficient p0 (the expected share of learners given the same pass/fail "
            "decision on a parallel form) and kappa (p0 corrected for chance agreement)."
        ),
    ),
    (
        "item-flags",
        "Item flags",
        "item_flags",
        (
            "Items to review: too hard (difficulty below 0.2), too easy (above 0.9), low discrimination (below "
            "0.2), a distractor nobody chose, a distractor chosen more than the key."
        ),
    ),
)


def page_html(data: ReportData, content: CourseContent) -> str:
    """report.html: the page of ``templates/report.html.j2`` (every text escaped; the figures are plotly's markup)."""
    sections = [
        {
            "id": fig_id,
            "heading": heading,
            # Safe to insert as HTML: plotly's own markup for the figure (a div, and a script that draws it from the
            # figure's JSON, in which plotly writes "<" as \u003c, so no data can close the script).
            "plot": Markup(
                figure.to_html(
                    full_html=False,
                    include_plotlyjs=False,
                    div_id=f"fig-{fig_id}",
                    config={"displaylogo": False, "responsive": True},
                )
            ),
            "text": text_alternative(fig_id, data),
            "frame": frame,
        }
        for fig_id, heading, figure, frame in figures(data, content)
    ]
    tables = [
        {"id": table_id, "heading": heading, "frame": getattr(data, field_name), "text": text}
        for table_id, heading, field_name, text in PAGE_TABLES
    ]
    return templating.render(
        "report.html.j2",
        title=content.info.title if content.info else "hnscc-edu",
        version=__version__,
        learners=data.summary["learners"],
        paired_learners=data.summary["paired_learners"],
        time_line=time_line(data),
        psychometrics_line=psychometrics_line(data),
        figures=sections,
        tables=tables,
        evaluation_items=data.evaluation_items,
        evaluation_comments=data.evaluation_comments,
        commitments=data.commitments,
        follow_up=data.follow_up,
        # Safe to insert as HTML: this module's own docstring, rendered by markdown-it with raw HTML off.
        methods=Markup(_methods()),
        data_table=_data_table,
    )


def write(data: ReportData, content: CourseContent, out_dir: Path) -> list[Path]:
    """Write the CSV files, report.html and plotly.min.js (so the page works offline) into ``out_dir``."""
    from plotly.offline import get_plotlyjs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in data.frames().items():
        frame.to_csv(out_dir / name, index=False)
        written.append(out_dir / name)
    (out_dir / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    (out_dir / "report.html").write_text(page_html(data, content), encoding="utf-8")
    return written + [out_dir / "plotly.min.js", out_dir / "report.html"]
