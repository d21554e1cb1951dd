"""The course's plotly look, shared by the learners' figures (``ui.figures``) and the course director's report
(``export.report``), so the report needs nothing from the widget layer: the template and the axes of hazard ratios
and of counts."""

from __future__ import annotations

import math

_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "title": {"standoff": 15},
    "automargin": True,
}
# plotly's "plotly_white" look, written out. Naming a built-in template makes every dashboard kernel load plotly's
# template registry (about 10 MiB, measured by benchmarks/run.py) and sends the whole template with each figure.
COURSE_TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": "#2a3f5f"},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "title": {"x": 0.05},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
    }
}


# Ticks of a hazard-ratio axis: the values people read on forest plots (issue 20 §3), never a bare "2" or "5" of a
# log decade without its neighbours.
HR_TICKS = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0)


def hazard_ratio_axis(low: float, high: float) -> dict:
    """A log axis from ``low`` to ``high`` with readable ticks (0.5, 0.7, 1, 1.5 ...), always including 1."""
    ticks = [t for t in HR_TICKS if low / 1.25 <= t <= high * 1.25 or t == 1.0]
    return {
        "type": "log",
        "tickvals": ticks,
        "ticktext": [f"{t:g}" for t in ticks],
        "range": [math.log10(min(ticks + [low]) / 1.1), math.log10(max(ticks + [high]) * 1.1)],
    }


def count_axis(maximum: float, title: str) -> dict:
    """An axis of counts: whole numbers only (one tick per count while the counts are small)."""
    axis = {"title": title, "rangemode": "tozero", "tickformat": "d"}
    if maximum <= 10:
        axis["dtick"] = 1
    return axis
