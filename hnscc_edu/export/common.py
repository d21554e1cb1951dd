"""What every export format shares: the sources it exports, the warnings for what a format cannot express, and the
plain facts of an item (option scores, numeric tolerance, feedback text) computed once from the item bank.

A *source* is what an LMS imports as one quiz: an item bank, or the items of a case grouped by stage. Formats never
drop an item silently: an item type a format has no builder for (a type added to the content schema later, such as
ordering or script concordance) becomes a warning with ``left_out=True``, and an item exported with some behaviour
the format cannot carry (a branch to another stage, answers the course refuses as impossible) gets a warning with
``left_out=False``.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ..content.citations import citation_text
from ..content.course import CourseContent
from ..content.models import Case, Feedback, ItemBank, NumericAnswer, Reference

Builder = TypeVar("Builder")


class ExportError(ValueError):
    """The export cannot be made as asked (unknown bank, unreachable LRS); the message says what to do."""


@dataclass(frozen=True)
class Section:
    """A group of items shown together: a stage of a case, or the whole of an item bank."""

    id: str
    title: str
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Source:
    """One item bank or one case, seen as a quiz: the unit an LMS imports."""

    kind: Literal["bank", "case"]
    id: str
    title: str
    sections: tuple[Section, ...]

    @property
    def items(self) -> list[Any]:
        return [item for section in self.sections for item in section.items]


def source_of(model: ItemBank | Case) -> Source:
    if isinstance(model, Case):
        sections = tuple(Section(stage.id, stage.title, tuple(stage.items)) for stage in model.stages if stage.items)
        return Source("case", model.id, model.title, sections)
    return Source("bank", model.id, model.title, (Section(model.id, model.title, tuple(model.items)),))


def select_sources(
    content: CourseContent, ids: Sequence[str] | None = None, kinds: Iterable[str] = ("bank", "case")
) -> list[Source]:
    """The item banks and cases named by ``ids`` (an id may name either), or all of them, banks first."""
    kinds = set(kinds)
    models: dict[str, ItemBank | Case] = {}
    if "bank" in kinds:
        models.update(content.banks)
    if "case" in kinds:
        models.update({k: v for k, v in content.cases.items() if k not in models})
    if ids is None:
        return [source_of(models[k]) for k in [*sorted(content.banks), *sorted(content.cases)] if k in models]
    unknown = [i for i in ids if i not in models]
    if unknown:
        kind_words = " or ".join({"bank": "item bank", "case": "case"}[k] for k in sorted(kinds))
        raise ExportError(
            f"no {kind_words} named {', '.join(map(repr, unknown))}; available: "
            f"{', '.join(sorted(models)) or 'none'} (run 'hnscc-edu validate' if one is missing)"
        )
    return [source_of(models[i]) for i in dict.fromkeys(ids)]


@dataclass(frozen=True, order=True)
class ExportWarning:
    """Something of the item bank a format could not carry, named so a course director can act on it."""

    fmt: str
    source_id: str
    item_id: str
    item_type: str
    message: str
    left_out: bool = False

    def __str__(self) -> str:
        verdict = "left out" if self.left_out else "exported"
        return f"{self.fmt}: {self.source_id}/{self.item_id} ({self.item_type}, {verdict}): {self.message}"


@dataclass(frozen=True)
class Output:
    """What one format made of one or more sources: file names (relative, with '/' folders) to bytes, and warnings."""

    files: dict[str, bytes] = field(default_factory=dict)
    warnings: tuple[ExportWarning, ...] = ()


def item_type(item: Any) -> str:
    """The content type name of an item (its ``type`` field), or its class name for anything without one."""
    return str(getattr(item, "type", None) or type(item).__name__)


def split_supported(
    fmt: str, source: Source, builders: Mapping[str, Builder]
) -> tuple[list[tuple[Section, Any, Builder]], list[ExportWarning]]:
    """Pair each item with the format's builder for its type (a function, or the name of a template macro); items of
    any other type become warnings.

    Dispatch is on the ``type`` name rather than the class, so an item type added to the schema later reaches this
    point as an unknown name and is reported, never a crash.
    """
    chosen: list[tuple[Section, Any, Builder]] = []
    warnings: list[ExportWarning] = []
    for section in source.sections:
        for item in section.items:
            kind = item_type(item)
            builder = builders.get(kind)
            if builder is None:
                warnings.append(
                    ExportWarning(
                        fmt,
                        source.id,
                        str(getattr(item, "id", "?")),
                        kind,
                        f"{fmt} cannot express items of type {kind!r}",
                        True,
                    )
                )
            else:
                chosen.append((section, item, builder))
    return chosen, warnings


def behaviour_notes(fmt: str, source: Source) -> list[ExportWarning]:
    """Course behaviour an LMS quiz does not carry, for the items that are exported all the same."""
    notes: list[ExportWarning] = []
    for item in source.items:
        kind = item_type(item)
        branches = [
            f"{option.id} -> {option.next_stage}"
            for option in getattr(item, "options", None) or []
            if getattr(option, "next_stage", None)
        ]
        if branches:
            notes.append(
                ExportWarning(
                    fmt,
                    source.id,
                    item.id,
                    kind,
                    f"its options branch the case ({', '.join(branches)}); the export lists the "
                    "stages in file order without branching",
                )
            )
        answer = getattr(item, "answer", None)
        if isinstance(answer, NumericAnswer) and (answer.minimum is not None or answer.maximum is not None):
            limits = ", ".join(
                f"{word} {value:g} {answer.unit}"
                for word, value in (("minimum", answer.minimum), ("maximum", answer.maximum))
                if value is not None
            )
            notes.append(
                ExportWarning(
                    fmt,
                    source.id,
                    item.id,
                    kind,
                    f"the course refuses answers outside its limits ({limits}) as impossible; "
                    "the export scores them as wrong",
                )
            )
    return notes


# --- the facts of an item, in the item bank's own terms -----------------------------------------------------------


def option_scores(item: Any) -> dict[str, float]:
    """Score of each option as a fraction of the item's mark.

    Single best answer: 1 for the key, 0 otherwise. Multiple select (rules/grading/multiple.py): +1/k for each of
    the k keys and -1/k for each distractor, summed over the choices and floored at 0; QTI mapResponse with a lower
    bound of 0, Moodle's multichoice and Canvas's multiple answers all apply exactly that rule to these weights.
    """
    options = item.options
    if item_type(item) == "single_best_answer":
        return {o.id: 1.0 if o.correct else 0.0 for o in options}
    keys = sum(1 for o in options if o.correct)
    return {o.id: (1.0 if o.correct else -1.0) / keys for o in options}


def numeric_tolerance(answer: NumericAnswer) -> float:
    """The half-width of the accepted range, as rules/grading/numeric.py computes it: max(absolute, relative x |v|)."""
    return max(answer.absolute_tolerance or 0.0, (answer.relative_tolerance or 0.0) * abs(answer.value))


def max_score(item: Any) -> float:
    """The mark of an item: 1 when it is scored, 0 for free text (recorded, never scored)."""
    return 0.0 if item_type(item) == "free_text" else 1.0


def percent(fraction: float) -> str:
    """A fraction as the percentage text Moodle and GIFT use (five decimals at most, as Moodle writes 33.33333)."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class FeedbackText:
    """The parts of one feedback block, as text: the rationale, its evidence line and its sources."""

    rationale: str
    evidence: str
    sources: tuple[str, ...]

    @property
    def plain(self) -> str:
        """One paragraph of plain text (GIFT, xAPI)."""
        return f"{self.rationale} {self.evidence} Sources: {'; '.join(self.sources)}"


def feedback_text(feedback: Feedback, references: Mapping[str, Reference]) -> FeedbackText:
    evidence = f"Evidence: {feedback.evidence.label}; status: {feedback.status.value}."
    return FeedbackText(
        feedback.rationale, evidence, tuple(citation_text(references.get(k), k) for k in feedback.references)
    )


def html_paragraphs(*texts: str) -> str:
    """Plain texts as escaped HTML paragraphs (the markup LMS formats carry inside their XML)."""
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts)


def feedback_html(feedback: Feedback, references: Mapping[str, Reference], working: str | None = None) -> str:
    """Rationale, the worked calculation, evidence line and sources, as escaped HTML."""
    text = feedback_text(feedback, references)
    parts = [html_paragraphs(text.rationale)]
    if working:
        parts.append(html_paragraphs("Working:") + "<pre>" + html.escape(working) + "</pre>")
    parts.append(html_paragraphs(text.evidence, "Sources:"))
    parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in text.sources) + "</ul>")
    return "".join(parts)


def numeric_prompt(answer: NumericAnswer) -> str:
    """The line added under a numeric stem: an LMS takes a bare number, so the unit must be said."""
    return f"Answer with a number in {answer.unit}."


def zipped(package: Output, name: str) -> Output:
    """A package's files as one zip named ``name``, with its warnings; an empty package stays empty."""
    if not package.files:
        return package
    return Output({name: zip_bytes(package.files)}, package.warnings)


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip archive of ``files`` with a fixed timestamp, so the same content always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # A name ending in "/" is a folder entry (some importers expect one even when it is empty).
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
