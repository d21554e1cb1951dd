"""The course's plotly look, shared by the learners' figures (``ui.figures``) and the course director's report
(``export.report``), so the report needs nothing from the widget layer."""

_AXIS = {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "zerolinewidth": 2, "ticks": "",
         "title": {"standoff": 15}, "automargin": True}
# plotly's "plotly_white" look, written out. Naming a built-in template makes every dashboard kernel load plotly's
# template registry (about 10 MiB, measured by benchmarks/run.py) and sends the whole template with each figure.
COURSE_TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white", "font": {"color": "#2a3f5f"}, "hovermode": "closest",
    "hoverlabel": {"align": "left"}, "title": {"x": 0.05}, "xaxis": _AXIS, "yaxis": _AXIS,
    "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF",
                 "#FECB52"]}}
