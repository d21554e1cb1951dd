"""The MDT pathway of a case, drawn from the case file: its stages in order, an arrow for each stage's ``next`` and
one for every option that branches (``next_stage``), each stage labelled with its title.

Generic: any case of any module. Where the stages sit is computed from the file alone (nothing is retyped):

- a stage's *step* (its row, top to bottom) is the longest chain of arrows from the start stage to it, so every arrow
  points downwards and stages keep the order in which a learner can meet them;
- the *main route* (left column) is the chain of ``next`` links from the start stage; stages reached only through a
  choice sit in the columns to its right, so the arrows of the main route never run through another stage.

Solid arrows are the default next stage, dashed arrows a choice that branches, and every branch arrow is labelled
with the choice, so colour is never the only signal. The text alternative lists every stage and where it leads.
Display only: the case flow itself lives in ``rules.case_flow``.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from ..content.models import Case
from .figures import Chart, course_layout

DEFAULT = "next"
BRANCH = "branch"

_BOX_HALF_WIDTH = 0.44
_BOX_HALF_HEIGHT = 0.28
_WRAP = 34  # characters per line of a stage title inside its box
_LABEL_WIDTH = 34  # characters of an option's text on its arrow (the full text is in the text alternative)
_MAIN_FILL, _SIDE_FILL = "#DCEAF7", "#FCE9CF"  # light fills: black text on them has a contrast far above 4.5:1
_LAYOUT = course_layout(13, 10, 10, 100, 110)


@dataclass(frozen=True)
class Choice:
    """An option that sends the learner to another stage: the item it belongs to and the option's own text."""

    item_id: str
    option_id: str
    text: str


@dataclass(frozen=True)
class Link:
    """One arrow: from a stage to another, as its default ``next``, through one or more choices, or both."""

    source: str
    target: str
    default: bool
    choices: tuple[Choice, ...]

    @property
    def kind(self) -> str:
        return DEFAULT if self.default else BRANCH


@dataclass(frozen=True)
class Place:
    """Where a stage is drawn: its step (row, from 0 at the top) and its column (0 is the main route)."""

    step: int
    column: int


def links(case: Case) -> tuple[Link, ...]:
    """Every arrow of the case, in the order of the stages in the file; a choice that leads where ``next`` leads
    shares that arrow. A target that names no stage is left out (the content lint reports it)."""
    known = {stage.id for stage in case.stages}
    result: list[Link] = []
    for stage in case.stages:
        targets: dict[str, tuple[bool, list[Choice]]] = {}
        if stage.next in known:
            targets[stage.next] = (True, [])
        for item in stage.items:
            for option in getattr(item, "options", ()):
                if option.next_stage in known:
                    _, choices = targets.setdefault(option.next_stage, (False, []))
                    choices.append(Choice(item.id, option.id, option.text))
        result += [Link(stage.id, target, default, tuple(choices)) for target, (default, choices) in targets.items()]
    return tuple(result)


def main_route(case: Case) -> tuple[str, ...]:
    """The chain of ``next`` links from the start stage (the route when no answer branches)."""
    known = {stage.id for stage in case.stages}
    route: list[str] = []
    current: str | None = case.start
    while current in known and current not in route:
        route.append(current)
        current = case.stage(current).next
    return tuple(route)


def _forward_links(case: Case, arrows: tuple[Link, ...]) -> list[Link]:
    """The arrows without those that close a loop (found by a depth-first walk from the start, then from any stage
    not reached), so that steps can be counted along them."""
    order = [case.start] + [s.id for s in case.stages if s.id != case.start]
    out: dict[str, list[Link]] = {stage.id: [] for stage in case.stages}
    for link in arrows:
        out[link.source].append(link)
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    backward: set[tuple[str, str]] = set()

    def walk(node: str) -> None:
        state[node] = 1
        for link in out.get(node, []):
            if state.get(link.target) == 1:
                backward.add((link.source, link.target))
            elif link.target not in state:
                walk(link.target)
        state[node] = 2

    for node in order:
        if node in out and node not in state:
            walk(node)
    return [link for link in arrows if (link.source, link.target) not in backward]


def layout(case: Case) -> dict[str, Place]:
    """The step and column of every stage (see the module docstring)."""
    arrows = _forward_links(case, links(case))
    step = {stage.id: 0 for stage in case.stages}
    incoming = {stage.id: 0 for stage in case.stages}
    for link in arrows:
        incoming[link.target] += 1
    ready = [s.id for s in case.stages if incoming[s.id] == 0]
    while ready:  # Kahn's order: a stage's step is fixed once every arrow into it is counted
        node = ready.pop(0)
        for link in (a for a in arrows if a.source == node):
            step[link.target] = max(step[link.target], step[node] + 1)
            incoming[link.target] -= 1
            if incoming[link.target] == 0:
                ready.append(link.target)
    route = set(main_route(case))
    used: dict[int, int] = {}
    places: dict[str, Place] = {}
    for stage in case.stages:
        if stage.id in route:
            places[stage.id] = Place(step[stage.id], 0)
        else:
            used[step[stage.id]] = used.get(step[stage.id], 0) + 1
            places[stage.id] = Place(step[stage.id], used[step[stage.id]])
    return places


def _wrap(text: str, width: int) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _choice_words(choices: tuple[Choice, ...], width: int | None = None) -> str:
    texts = [c.text if width is None else _short(c.text, width) for c in choices]
    return "choice" + ("s" if len(texts) > 1 else "") + ": " + "; ".join(f"“{t}”" for t in texts)


def _ends(source: Place, target: Place) -> tuple[float, float, float, float]:
    """Start and end of an arrow: from the bottom of the source box to the top of the target box (or, for an arrow
    that goes back up, from side to side)."""
    x0, y0, x1, y1 = float(source.column), float(-source.step), float(target.column), float(-target.step)
    if target.step > source.step:
        return x0, y0 - _BOX_HALF_HEIGHT, x1, y1 + _BOX_HALF_HEIGHT
    return x0 + _BOX_HALF_WIDTH, y0, x1 + _BOX_HALF_WIDTH, y1


def _destinations(case: Case, stage_id: str, arrows: tuple[Link, ...], numbers: dict[str, int]) -> str:
    parts = []
    for link in (a for a in arrows if a.source == stage_id):
        name = f"stage {numbers[link.target]} ({case.stage(link.target).title})"
        how = []
        if link.default:
            how.append("by default")
        if link.choices:
            how.append(_choice_words(link.choices))
        parts.append(f"{name}, {' and '.join(how)}")
    stage = case.stage(stage_id)
    if not parts:
        return "the case ends here"
    if not any(a.default for a in arrows if a.source == stage_id) and stage.next is None:
        parts.append("otherwise the case ends")
    return "; ".join(parts)


def case_pathway(case: Case) -> Chart:
    """The MDT pathway of ``case`` as a plotly figure with its text alternative (one row per stage, in file order:
    its number, title, place on the drawing, and every stage it leads to, by default or by which choice)."""
    arrows = links(case)
    places = layout(case)
    numbers = {stage.id: number for number, stage in enumerate(case.stages, start=1)}
    route = main_route(case)
    figure = go.Figure()
    shafts = {DEFAULT: ([], []), BRANCH: ([], [])}
    annotations: list[dict] = []
    for link in arrows:
        x0, y0, x1, y1 = _ends(places[link.source], places[link.target])
        xs, ys = shafts[link.kind]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        annotations.append(
            {
                "x": x1,
                "y": y1,
                "ax": x1 - (x1 - x0) * 0.12,
                "ay": y1 - (y1 - y0) * 0.12,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.4,
                "arrowwidth": 2,
                "arrowcolor": "#000000",
                "text": "",
            }
        )
        if link.choices and not link.default:
            # near the target end, so that labels of arrows leaving one stage stand apart
            annotations.append(
                {
                    "x": x0 + (x1 - x0) * 0.62,
                    "y": y0 + (y1 - y0) * 0.62,
                    "xref": "x",
                    "yref": "y",
                    "showarrow": False,
                    "text": _wrap(_choice_words(link.choices, _LABEL_WIDTH), 30),
                    "font": {"size": 11, "color": "#000000"},
                    "bgcolor": "#FFFFFF",
                    "bordercolor": "#555555",
                    "borderwidth": 1,
                }
            )
    figure.add_trace(
        go.Scatter(
            x=shafts[DEFAULT][0],
            y=shafts[DEFAULT][1],
            mode="lines",
            hoverinfo="skip",
            name="Default next stage (solid arrow)",
            line={"color": "#000000", "width": 2},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=shafts[BRANCH][0],
            y=shafts[BRANCH][1],
            mode="lines",
            hoverinfo="skip",
            name="A choice that branches (dashed arrow, labelled)",
            line={"color": "#000000", "width": 2, "dash": "dash"},
        )
    )
    shapes = []
    for stage in case.stages:
        place = places[stage.id]
        side = stage.id not in route
        x, y = float(place.column), float(-place.step)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": x - _BOX_HALF_WIDTH,
                "x1": x + _BOX_HALF_WIDTH,
                "y0": y - _BOX_HALF_HEIGHT,
                "y1": y + _BOX_HALF_HEIGHT,
                "fillcolor": _SIDE_FILL if side else _MAIN_FILL,
                "line": {"color": "#000000", "width": 2, "dash": "dash" if side else "solid"},
                "layer": "below",
            }
        )
        marks = [
            m
            for m, on in (
                ("start", stage.id == case.start),
                ("end", not any(a.source == stage.id for a in arrows)),
                ("reached by a choice", side),
            )
            if on
        ]
        label = f"<b>{numbers[stage.id]}. {_wrap(stage.title, _WRAP)}</b>"
        if marks:
            label += f"<br><i>({', '.join(marks)})</i>"
        annotations.append(
            {
                "x": x,
                "y": y,
                "xref": "x",
                "yref": "y",
                "showarrow": False,
                "text": label,
                "font": {"size": 12, "color": "#000000"},
            }
        )
    figure.add_trace(
        go.Scatter(
            x=[float(places[s.id].column) for s in case.stages],
            y=[float(-places[s.id].step) for s in case.stages],
            mode="markers",
            marker={"size": 1, "color": "rgba(0,0,0,0)"},
            showlegend=False,
            name="Stages",
            hovertext=[
                f"{numbers[s.id]}. {s.title}<br>Leads to: {_destinations(case, s.id, arrows, numbers)}"
                for s in case.stages
            ],
            hoverinfo="text",
        )
    )
    steps = max(p.step for p in places.values()) + 1
    columns = max(p.column for p in places.values()) + 1
    title = f"The MDT pathway of the case: {case.title}"
    figure.update_layout(
        title={
            "text": _wrap(title, 110),
            "subtitle": {
                "text": "Solid arrows: the default next stage. Dashed arrows: where a choice leads. Dashed boxes: stages "
                "reached only through a choice."
            },
        },
        shapes=shapes,
        annotations=annotations,
        height=230 + 125 * steps,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -60 / (125 * steps), "yanchor": "top"},
        hovermode="closest",
        xaxis={
            "title": "Main route (left column), then stages reached by a choice",
            "range": [-0.55, columns - 0.45],
            "tickvals": list(range(columns)),
            "ticktext": ["main route"] + [f"branch column {n}" for n in range(1, columns)],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "title": "Step, from the start (top) down",
            "range": [-(steps - 1) - 0.5, 0.5],
            "tickvals": [-n for n in range(steps)],
            "ticktext": [f"step {n + 1}" for n in range(steps)],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        **_LAYOUT,
    )
    branching = sum(len(a.choices) for a in arrows if not a.default)
    side_count = len(case.stages) - len(route)
    summary = (
        f"{len(case.stages)} stages; the default route runs through stages "
        f"{' → '.join(str(numbers[s]) for s in route)}; {branching} choice(s) lead off it, to "
        f"{side_count} stage(s) reached only through a choice."
    )
    rows = tuple(
        (
            str(numbers[s.id]) + (" (start)" if s.id == case.start else ""),
            s.title,
            f"step {places[s.id].step + 1}, "
            + ("main route" if s.id in route else f"branch column {places[s.id].column}"),
            _destinations(case, s.id, arrows, numbers),
        )
        for s in case.stages
    )
    return Chart(figure, title, summary, ("Stage", "Title", "Where it is drawn", "Leads to"), rows)
