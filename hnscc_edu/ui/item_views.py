"""One input widget per item type. They show the stem and the options only: no key and no rationale reaches the
browser before the learner has answered."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content.models import (SCT_POINTS, FreeText, KeyFeature, MultipleSelect, Numeric, Ordering, ScriptConcordance,
                              SingleBestAnswer)
from ..engine.grading import InvalidResponse

_FULL = widgets.Layout(width="100%")


class ItemView:
    """The input part of one item; ``response()`` reads what the learner entered, ``lock()`` shows it read-only."""

    def __init__(self, item, number: int, profession: str | None = None) -> None:
        self.item = item
        # Words, not only a colour: a learner's own profession is named next to the questions written for it.
        mine = profession is not None and profession in {p.value for p in item.professions}
        badge = (f' <span class="hnscc-badge hnscc-for-you">For you: '
                 f'{html.escape(profession.replace("_", " "))}</span>' if mine else "")
        self.stem = widgets.HTML(
            f'<div class="hnscc-stem{" hnscc-stem-for-you" if mine else ""}" id="stem-{html.escape(item.id)}">'
            f"Question {number}. {html.escape(item.stem)}{badge}</div>{self._context()}")
        self.input = self._build()
        self.input.add_class(f"hnscc-input-{item.id}")

    def _context(self) -> str:
        """The parts of a stem that some item types add: the script-concordance scenario, the number to choose."""
        item = self.item
        if isinstance(item, ScriptConcordance):
            return (f"<p><em>If you were considering:</em> {html.escape(item.hypothesis)}</p>"
                    f"<p><em>and you then learn:</em> {html.escape(item.new_information)}</p>"
                    "<p><em>this option becomes:</em></p>")
        if isinstance(item, KeyFeature):
            return f"<p><em>Choose up to {item.select}.</em></p>"
        if isinstance(item, Ordering):
            return "<p><em>Choose the step that comes at each position, first to last.</em></p>"
        return ""

    def _build(self) -> widgets.Widget:
        item = self.item
        if isinstance(item, ScriptConcordance):
            return widgets.RadioButtons(options=[(f"{p:+d}: {a}", p) for p, a in zip(SCT_POINTS, item.anchors,
                                                                                       strict=True)],
                                        value=None, description="Your answer", layout=_FULL,
                                        style={"description_width": "initial"})
        if isinstance(item, KeyFeature):
            self.boxes = [widgets.Checkbox(value=False, description=o.text, indent=False, layout=_FULL)
                          for o in item.options]
            for box, option in zip(self.boxes, item.options, strict=True):
                box.add_class(f"hnscc-option-{option.id}")
            return widgets.VBox(self.boxes)
        if isinstance(item, Ordering):
            choices = [("(choose a step)", None)] + [(step.text, step.id) for step in item.shown_order()]
            self.positions = [widgets.Dropdown(options=choices, value=None, description=f"Step {n}",
                                               layout=_FULL, style={"description_width": "initial"})
                              for n in range(1, len(item.steps) + 1)]
            for n, box in enumerate(self.positions, start=1):
                box.add_class(f"hnscc-position-{n}")
            return widgets.VBox(self.positions)
        if isinstance(item, SingleBestAnswer):
            return widgets.RadioButtons(options=[(o.text, o.id) for o in item.options], value=None,
                                        description="Your answer", layout=_FULL,
                                        style={"description_width": "initial"})
        if isinstance(item, MultipleSelect):
            self.boxes = [widgets.Checkbox(value=False, description=o.text, indent=False, layout=_FULL)
                          for o in item.options]
            for box, option in zip(self.boxes, item.options, strict=True):
                box.add_class(f"hnscc-option-{option.id}")
            return widgets.VBox([widgets.HTML("<em>Tick every option that applies.</em>"), *self.boxes])
        if isinstance(item, Numeric):
            return widgets.Text(value="", placeholder=f"a number in {item.answer.unit}",
                                description=f"Your answer ({item.answer.unit})",
                                style={"description_width": "initial"})
        if isinstance(item, FreeText):
            return widgets.Textarea(value="", placeholder="Write your answer here",
                                    description="Your answer", layout=widgets.Layout(width="100%", height="6em"),
                                    style={"description_width": "initial"})
        raise TypeError(f"no view for item type {type(item).__name__}")

    def response(self) -> object:
        item = self.item
        if isinstance(item, SingleBestAnswer):
            if self.input.value is None:
                raise InvalidResponse("Please choose one answer before submitting.")
            return self.input.value
        if isinstance(item, (MultipleSelect, KeyFeature)):
            return sorted(o.id for o, box in zip(item.options, self.boxes, strict=True) if box.value)
        if isinstance(item, ScriptConcordance):
            if self.input.value is None:
                raise InvalidResponse("Please choose one point of the scale before submitting.")
            return self.input.value
        if isinstance(item, Ordering):
            order = [box.value for box in self.positions]
            if None in order:
                raise InvalidResponse("Please choose a step for every position before submitting.")
            return order
        return self.input.value

    def fill(self, response: object) -> None:
        """Show a stored answer (after a reload) exactly as it was given."""
        item = self.item
        if isinstance(item, (MultipleSelect, KeyFeature)):
            chosen = set(response) if isinstance(response, (list, tuple, set)) else set()
            for option, box in zip(item.options, self.boxes, strict=True):
                box.value = option.id in chosen
        elif isinstance(item, Ordering):
            known = {step.id for step in item.steps}
            order = list(response) if isinstance(response, (list, tuple)) else []
            for n, box in enumerate(self.positions):
                box.value = order[n] if n < len(order) and order[n] in known else None
        elif isinstance(item, ScriptConcordance):
            self.input.value = response if response in SCT_POINTS else None
        elif isinstance(item, SingleBestAnswer):
            self.input.value = response if response in {o.id for o in item.options} else None
        else:
            self.input.value = str(response)

    def lock(self) -> None:
        if isinstance(self.item, (MultipleSelect, KeyFeature)):
            for box in self.boxes:
                box.disabled = True
        elif isinstance(self.item, Ordering):
            for box in self.positions:
                box.disabled = True
        else:
            self.input.disabled = True

    def key_response(self) -> object:
        """The answer key as a response (auto-answer mode for headless runs and CI)."""
        item = self.item
        if isinstance(item, SingleBestAnswer):
            return next(o.id for o in item.options if o.correct)
        if isinstance(item, (MultipleSelect, KeyFeature)):
            return sorted(o.id for o in item.options if o.correct)
        if isinstance(item, ScriptConcordance):
            counts = item.panel.counts
            return SCT_POINTS[counts.index(max(counts))]
        if isinstance(item, Ordering):
            return [step.id for step in item.steps]
        if isinstance(item, Numeric):
            return f"{item.answer.value:g}"
        words = ["Auto-answer", "mode:", "a", "reflection", "recorded", "by", "the", "test", "run."]
        return " ".join(words + ["(filler)"] * max(0, item.min_words - len(words)))
