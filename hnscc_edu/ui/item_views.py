"""One input widget per item type. They show the stem and the options only: no key and no rationale reaches the
browser before the learner has answered."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..content.models import FreeText, MultipleSelect, Numeric, SingleBestAnswer
from ..engine.grading import InvalidResponse

_FULL = widgets.Layout(width="100%")


class ItemView:
    """The input part of one item; ``response()`` reads what the learner entered, ``lock()`` shows it read-only."""

    def __init__(self, item, number: int) -> None:
        self.item = item
        self.stem = widgets.HTML(
            f'<div class="hnscc-stem" id="stem-{html.escape(item.id)}">Question {number}. '
            f"{html.escape(item.stem)}</div>")
        self.input = self._build()
        self.input.add_class(f"hnscc-input-{item.id}")

    def _build(self) -> widgets.Widget:
        item = self.item
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
        if isinstance(item, MultipleSelect):
            return sorted(o.id for o, box in zip(item.options, self.boxes, strict=True) if box.value)
        return self.input.value

    def fill(self, response: object) -> None:
        """Show a stored answer (after a reload) exactly as it was given."""
        item = self.item
        if isinstance(item, MultipleSelect):
            chosen = set(response) if isinstance(response, (list, tuple, set)) else set()
            for option, box in zip(item.options, self.boxes, strict=True):
                box.value = option.id in chosen
        elif isinstance(item, SingleBestAnswer):
            self.input.value = response if response in {o.id for o in item.options} else None
        else:
            self.input.value = str(response)

    def lock(self) -> None:
        if isinstance(self.item, MultipleSelect):
            for box in self.boxes:
                box.disabled = True
        else:
            self.input.disabled = True

    def key_response(self) -> object:
        """The answer key as a response (auto-answer mode for headless runs and CI)."""
        item = self.item
        if isinstance(item, SingleBestAnswer):
            return next(o.id for o in item.options if o.correct)
        if isinstance(item, MultipleSelect):
            return sorted(o.id for o in item.options if o.correct)
        if isinstance(item, Numeric):
            return f"{item.answer.value:g}"
        words = ["Auto-answer", "mode:", "a", "reflection", "recorded", "by", "the", "test", "run."]
        return " ".join(words + ["(filler)"] * max(0, item.min_words - len(words)))
