"""What travels between the course service and a learner's kernel or browser, as JSON, and back into values.

Before an answer is submitted, an item travels as a ``PublicItem``: its id, type, stem, options (id and text) and
the few fields an answer form needs (how many to choose, the unit, the scale's anchors, the steps in their shown
order). Never ``correct``, ``killer``, a rationale, evidence, references, a numeric answer or its working, nor a
script-concordance panel. After submission the grade travels as a ``GradeResult`` (``grade_json`` /
``grade_from_json``): then the feedback, with every option's rationale, belongs on the learner's screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..content.models import EvidenceLabel, Status
from ..rules.grading import GradeResult, OptionFeedback

PUBLIC_FIELDS = frozenset(
    {
        "id",
        "type",
        "stem",
        "objective",
        "professions",
        "options",
        "select",
        "hypothesis",
        "new_information",
        "anchors",
        "steps",
        "unit",
        "min_words",
    }
)


@dataclass(frozen=True)
class PublicOption:
    """An option (or an ordering step) as a learner sees it before answering: its id and its text."""

    id: str
    text: str


@dataclass(frozen=True)
class PublicItem:
    """An item as a learner sees it before answering. ``ui.item_views.ItemView`` draws it like a content item."""

    id: str
    type: str
    stem: str
    objective: str
    professions: tuple[str, ...] = ()
    options: tuple[PublicOption, ...] = ()
    select: int | None = None
    hypothesis: str | None = None
    new_information: str | None = None
    anchors: tuple[str, ...] = ()
    steps: tuple[PublicOption, ...] = ()  # an ordering's steps in the order shown, never the key's order
    unit: str | None = None
    min_words: int = 0


def public_item_json(item) -> dict[str, Any]:
    """The learner's view of a content item, before any answer (see the module docstring for what is left out)."""
    body: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "stem": item.stem,
        "objective": item.objective,
        "professions": [getattr(p, "value", p) for p in item.professions],
    }
    if item.type in ("single_best_answer", "multiple_select", "key_feature"):
        body["options"] = [{"id": o.id, "text": o.text} for o in item.options]
    if item.type == "key_feature":
        body["select"] = item.select
    if item.type == "script_concordance":
        body.update(hypothesis=item.hypothesis, new_information=item.new_information, anchors=list(item.anchors))
    if item.type == "ordering":
        body["steps"] = [{"id": s.id, "text": s.text} for s in item.shown_order()]
    if item.type == "numeric":
        body["unit"] = item.answer.unit
    if item.type == "free_text":
        body["min_words"] = item.min_words
    assert set(body) <= PUBLIC_FIELDS, set(body) - PUBLIC_FIELDS
    return body


def public_item(data: dict[str, Any]) -> PublicItem:
    """A ``PublicItem`` from its JSON (unknown fields are ignored, so nothing else can ride along into memory)."""

    def options(key: str) -> tuple[PublicOption, ...]:
        return tuple(PublicOption(str(o["id"]), str(o["text"])) for o in data.get(key) or ())

    return PublicItem(
        id=str(data["id"]),
        type=str(data["type"]),
        stem=str(data["stem"]),
        objective=str(data.get("objective", "")),
        professions=tuple(str(p) for p in data.get("professions") or ()),
        options=options("options"),
        select=data.get("select"),
        hypothesis=data.get("hypothesis"),
        new_information=data.get("new_information"),
        anchors=tuple(str(a) for a in data.get("anchors") or ()),
        steps=options("steps"),
        unit=data.get("unit"),
        min_words=int(data.get("min_words") or 0),
    )


def grade_json(result: GradeResult) -> dict[str, Any]:
    """A graded answer with its feedback (sent only after the answer, or the attempt, is submitted)."""
    return {
        "item_id": result.item_id,
        "score": result.score,
        "max_score": result.max_score,
        "correct": result.correct,
        "summary": result.summary,
        "working": result.working,
        "feedback": [
            {
                "text": f.text,
                "chosen": f.chosen,
                "correct": f.correct,
                "rationale": f.rationale,
                "references": list(f.references),
                "evidence": f.evidence.value,
                "status": f.status.value,
            }
            for f in result.feedback
        ],
    }


def grade_from_json(data: dict[str, Any]) -> GradeResult:
    return GradeResult(
        item_id=str(data["item_id"]),
        score=float(data["score"]),
        max_score=float(data["max_score"]),
        correct=data.get("correct"),
        summary=str(data.get("summary", "")),
        working=data.get("working"),
        feedback=tuple(
            OptionFeedback(
                str(f["text"]),
                bool(f["chosen"]),
                bool(f["correct"]),
                str(f["rationale"]),
                tuple(f.get("references") or ()),
                EvidenceLabel(f["evidence"]),
                Status(f["status"]),
            )
            for f in data.get("feedback") or ()
        ),
    )
