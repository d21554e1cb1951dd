"""One input widget per item type. They show the stem and the options only: no key and no rationale reaches the
browser before the learner has answered.

A view takes a content item (cases and module self-checks, public content) or a ``service.wire.PublicItem`` (the pre-
and post-test as the course service sends them before submission: stem and options, nothing else); it reads only
the fields both have, and dispatches on ``item.type``."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content.models import SCT_POINTS
from ..rules.grading import InvalidResponse
from ..rules.grading.keys import key_response

_FULL = widgets.Layout(width="100%")


class ItemView:
    """The input part of one item; ``response()`` reads what the learner entered, ``lock()`` shows it read-only."""

    def __init__(self, item, number: int, profession: str | None = None, optional: bool = False) -> None:
        self.item = item
        self.optional = optional
        # Words, not only a colour: a learner's own profession is named next to the questions written for it, and a
        # question written for other professions says that it is optional and not counted.
        written_for = [getattr(p, "value", p) for p in item.professions]
        mine = profession is not None and profession in written_for
        badge = (
            f' <span class="hnscc-badge hnscc-for-you">For you: {html.escape(profession.replace("_", " "))}</span>'
            if mine
            else ""
        )
        if optional:
            others = ", ".join(p.replace("_", " ") for p in written_for)
            badge = (
                f' <span class="hnscc-badge hnscc-optional">Optional for you: written for {html.escape(others)};'
                " not counted in your score</span>"
            )
        css = " hnscc-stem-for-you" if mine else " hnscc-stem-optional" if optional else ""
        self.stem = widgets.HTML(
            f'<div class="hnscc-stem{css}" id="stem-{html.escape(item.id)}">'
            f"Question {number}. {html.escape(item.stem)}{badge}</div>{self._context()}"
        )
        self.input = self._build()
        self.input.add_class(f"hnscc-input-{item.id}")

    def _context(self) -> str:
        """The parts of a stem that some item types add: the script-concordance scenario, the number to choose."""
        item = self.item
        if item.type == "script_concordance":
            return (
                f"<p><em>If you were considering:</em> {html.escape(item.hypothesis)}</p>"
                f"<p><em>and you then learn:</em> {html.escape(item.new_information)}</p>"
                "<p><em>this option becomes:</em></p>"
            )
        if item.type == "key_feature":
            return f"<p><em>Choose up to {item.select}.</em></p>"
        if item.type == "ordering":
            return "<p><em>Choose the step that comes at each position, first to last.</em></p>"
        return ""

    def _build(self) -> widgets.Widget:
        item = self.item
        kind = item.type
        if kind == "script_concordance":
            return widgets.RadioButtons(
                options=[(f"{p:+d}: {a}", p) for p, a in zip(SCT_POINTS, item.anchors, strict=True)],
                value=None,
                description="Your answer",
                layout=_FULL,
                style={"description_width": "initial"},
            )
        if kind == "key_feature":
            self.boxes = [
                widgets.Checkbox(value=False, description=o.text, indent=False, layout=_FULL) for o in item.options
            ]
            for box, option in zip(self.boxes, item.options, strict=True):
                box.add_class(f"hnscc-option-{option.id}")
            return widgets.VBox(self.boxes)
        if kind == "ordering":
            shown = item.shown_order() if hasattr(item, "shown_order") else list(item.steps)
            choices = [("(choose a step)", None)] + [(step.text, step.id) for step in shown]
            self.positions = [
                widgets.Dropdown(
                    options=choices,
                    value=None,
                    description=f"Step {n}",
                    layout=_FULL,
                    style={"description_width": "initial"},
                )
                for n in range(1, len(item.steps) + 1)
            ]
            for n, box in enumerate(self.positions, start=1):
                box.add_class(f"hnscc-position-{n}")
            return widgets.VBox(self.positions)
        if kind == "single_best_answer":
            return widgets.RadioButtons(
                options=[(o.text, o.id) for o in item.options],
                value=None,
                description="Your answer",
                layout=_FULL,
                style={"description_width": "initial"},
            )
        if kind == "multiple_select":
            self.boxes = [
                widgets.Checkbox(value=False, description=o.text, indent=False, layout=_FULL) for o in item.options
            ]
            for box, option in zip(self.boxes, item.options, strict=True):
                box.add_class(f"hnscc-option-{option.id}")
            return widgets.VBox([widgets.HTML("<em>Tick every option that applies.</em>"), *self.boxes])
        if kind == "numeric":
            unit = item.unit if hasattr(item, "unit") else item.answer.unit
            return widgets.Text(
                value="",
                placeholder=f"a number in {unit}",
                description=f"Your answer ({unit})",
                style={"description_width": "initial"},
            )
        if kind == "free_text":
            return widgets.Textarea(
                value="",
                placeholder="Write your answer here",
                description="Your answer",
                layout=widgets.Layout(width="100%", height="6em"),
                style={"description_width": "initial"},
            )
        raise TypeError(f"no view for item type {type(item).__name__}")

    def response(self) -> object:
        item, kind = self.item, self.item.type
        if kind == "single_best_answer":
            if self.input.value is None:
                raise InvalidResponse("Please choose one answer before submitting.")
            return self.input.value
        if kind in ("multiple_select", "key_feature"):
            return sorted(o.id for o, box in zip(item.options, self.boxes, strict=True) if box.value)
        if kind == "script_concordance":
            if self.input.value is None:
                raise InvalidResponse("Please choose one point of the scale before submitting.")
            return self.input.value
        if kind == "ordering":
            order = [box.value for box in self.positions]
            if None in order:
                raise InvalidResponse("Please choose a step for every position before submitting.")
            return order
        return self.input.value

    def fill(self, response: object) -> None:
        """Show a stored answer (after a reload) exactly as it was given."""
        item, kind = self.item, self.item.type
        if kind in ("multiple_select", "key_feature"):
            chosen = set(response) if isinstance(response, (list, tuple, set)) else set()
            for option, box in zip(item.options, self.boxes, strict=True):
                box.value = option.id in chosen
        elif kind == "ordering":
            known = {step.id for step in item.steps}
            order = list(response) if isinstance(response, (list, tuple)) else []
            for n, box in enumerate(self.positions):
                box.value = order[n] if n < len(order) and order[n] in known else None
        elif kind == "script_concordance":
            self.input.value = response if response in SCT_POINTS else None
        elif kind == "single_best_answer":
            self.input.value = response if response in {o.id for o in item.options} else None
        else:
            self.input.value = str(response)

    def lock(self) -> None:
        if self.item.type in ("multiple_select", "key_feature"):
            for box in self.boxes:
                box.disabled = True
        elif self.item.type == "ordering":
            for box in self.positions:
                box.disabled = True
        else:
            self.input.disabled = True

    def key_response(self) -> object:
        """The answer key as a response (auto-answer mode for headless runs of public content). A view of a
        ``PublicItem`` (the pre- and post-test, as the course service sends them) has no key: TypeError."""
        return key_response(self.item)
