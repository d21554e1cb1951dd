"""xAPI 1.0.3 statements built from the store: one ``answered`` per stored attempt, and ``completed`` with ``passed``
or ``failed`` for each finished run of a case (its ``complete`` move) or of an item bank (every item answered).

Pure functions: they take the store's rows (``Store.attempt_rows()`` and the ``case_moves`` rows) and the course
content, and return statements as dicts. Statement ids are UUID 5 of what the statement records, so exporting or
posting the same attempts twice gives the same ids (an LRS keeps one copy). Learners are accounts on the course's
home page, named by their store id; activities are IRIs under the same base, which a course director sets to the
course's own address.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.course import CourseContent
from ..rules.grading import parse_quantity
from .common import item_type, numeric_tolerance
from .xmltree import number

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://hnscc-edu.invalid/"
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
INTERACTION_TYPES = {
    "single_best_answer": "choice",
    "multiple_select": "choice",
    "numeric": "numeric",
    "free_text": "long-fill-in",
}


@dataclass(frozen=True)
class XapiSettings:
    """Where learners and activities live, and the pass mark (percent) that decides passed or failed."""

    base: str = DEFAULT_BASE
    pass_percent: float = 70.0

    def activity(self, kind: str, ident: str) -> str:
        return f"{self.base.rstrip('/')}/activities/{kind}/{ident}"


def _utc(value: dt.datetime | str) -> str:
    """ISO 8601 in UTC. SQLite gives back naive datetimes for the UTC moments the store wrote."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def _statement_id(settings: XapiSettings, *parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, settings.base + "|" + "|".join(map(str, parts))))


def _actor(settings: XapiSettings, learner_id: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": settings.base, "name": learner_id}}


def _verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _registration(learner_id: str, context: str, context_id: str, run: int) -> str:
    """One registration per learner's run through a case or bank, so an LRS can group its statements."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hnscc-edu|{learner_id}|{context}|{context_id}|{run}"))


def item_definition(item: Any) -> dict:
    """The cmi.interaction definition of an item: its stem, choices and correct response pattern."""
    kind = item_type(item)
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": {"en-US": item.id},
        "interactionType": INTERACTION_TYPES.get(kind, "other"),
    }
    if getattr(item, "stem", None):
        definition["description"] = {"en-US": item.stem}
    if kind in ("single_best_answer", "multiple_select"):
        definition["choices"] = [{"id": o.id, "description": {"en-US": o.text}} for o in item.options]
        definition["correctResponsesPattern"] = ["[,]".join(o.id for o in item.options if o.correct)]
    elif kind == "numeric":
        width = numeric_tolerance(item.answer)
        low, high = item.answer.value - width, item.answer.value + width
        definition["correctResponsesPattern"] = [f"{number(low)}[:]{number(high)}"]
    return definition


def response_text(item: Any | None, response: object) -> str:
    """A stored response in xAPI's response syntax: choice ids joined by ``[,]``, a numeric answer in the item's
    unit, free text as written."""
    if isinstance(response, (list, tuple)):
        return "[,]".join(str(r) for r in response)
    if item is not None and item_type(item) == "numeric":
        try:
            return number(parse_quantity(response, item.answer.unit))
        except ValueError:
            return str(response)
    return response if isinstance(response, str) else json.dumps(response)


def _result(
    score: float, maximum: float, success: bool | None, response: str | None = None, completion: bool = True
) -> dict:
    result: dict[str, Any] = {"completion": completion}
    if maximum > 0:
        result["score"] = {"raw": score, "min": 0.0, "max": maximum, "scaled": round(score / maximum, 6)}
    if success is not None:
        result["success"] = success
    if response is not None:
        result["response"] = response
    return result


def answered(row: Mapping[str, Any], item: Any | None, settings: XapiSettings) -> dict:
    """The ``answered`` statement of one stored attempt (``item`` is None when the content no longer has it)."""
    response = json.loads(row["response"])
    parent = {"objectType": "Activity", "id": settings.activity(row["context"], row["context_id"])}
    activity: dict[str, Any] = {"objectType": "Activity", "id": settings.activity("item", row["item_id"])}
    if item is not None:
        activity["definition"] = item_definition(item)
    context: dict[str, Any] = {
        "registration": _registration(row["learner_id"], row["context"], row["context_id"], row["run"]),
        "contextActivities": {"parent": [parent]},
        "platform": "hnscc-edu",
    }
    if row.get("stage_id"):
        context["contextActivities"]["grouping"] = [
            {"objectType": "Activity", "id": settings.activity("stage", f"{row['context_id']}/{row['stage_id']}")}
        ]
    return {
        "id": _statement_id(settings, "answered", row["learner_id"], row["id"], _utc(row["submitted_at"])),
        "actor": _actor(settings, row["learner_id"]),
        "verb": _verb("answered"),
        "object": activity,
        "result": _result(float(row["score"]), float(row["max_score"]), row["correct"], response_text(item, response)),
        "context": context,
        "timestamp": _utc(row["submitted_at"]),
    }


def _finished(
    learner_id: str,
    context: str,
    context_id: str,
    run: int,
    title: str,
    rows: Sequence[Mapping],
    at: dt.datetime | str,
    settings: XapiSettings,
) -> list[dict]:
    """``completed``, then ``passed`` or ``failed`` when anything in the run was scored."""
    last: dict[str, Mapping] = {}
    for row in rows:  # a re-answered item counts once, with its latest answer
        last[row["item_id"]] = row
    score = sum(float(r["score"]) for r in last.values())
    maximum = sum(float(r["max_score"]) for r in last.values())
    activity = {
        "objectType": "Activity",
        "id": settings.activity(context, context_id),
        "definition": {"type": ASSESSMENT, "name": {"en-US": title}},
    }
    context_block = {"registration": _registration(learner_id, context, context_id, run), "platform": "hnscc-edu"}
    verbs = ["completed"]
    success = None
    if maximum > 0:
        success = score / maximum * 100 >= settings.pass_percent
        verbs.append("passed" if success else "failed")
    return [
        {
            "id": _statement_id(settings, verb, learner_id, context, context_id, run),
            "actor": _actor(settings, learner_id),
            "verb": _verb(verb),
            "object": activity,
            "result": _result(score, maximum, success),
            "context": context_block,
            "timestamp": _utc(at),
        }
        for verb in verbs
    ]


def statements(
    attempts: Iterable[Mapping[str, Any]],
    moves: Iterable[Mapping[str, Any]],
    content: CourseContent,
    settings: XapiSettings | None = None,
    contexts: Iterable[str] | None = None,
) -> list[dict]:
    """Every statement the rows support, in the order things happened (``contexts`` limits them to those case or
    bank ids)."""
    settings = settings or XapiSettings()
    wanted = set(contexts) if contexts is not None else None
    items = {item.id: item for model in [*content.banks.values(), *content.cases.values()] for item in model.items}
    attempts = [r for r in attempts if wanted is None or r["context_id"] in wanted]
    out: list[tuple[str, int, dict]] = []
    runs: dict[tuple[str, str, str, int], list[Mapping]] = {}
    for row in attempts:
        out.append((_utc(row["submitted_at"]), 0, answered(row, items.get(row["item_id"]), settings)))
        runs.setdefault((row["learner_id"], row["context"], row["context_id"], row["run"]), []).append(row)
    for move in moves:
        if move["event"] != "complete" or (wanted is not None and move["case_id"] not in wanted):
            continue
        key = (move["learner_id"], "case", move["case_id"], move["run"])
        case = content.cases.get(move["case_id"])
        title = case.title if case else move["case_id"]
        for statement in _finished(*key, title, runs.get(key, []), move["at"], settings):
            out.append((_utc(move["at"]), 1, statement))
    for (learner_id, context, context_id, run), rows in runs.items():
        bank = content.banks.get(context_id) if context == "bank" else None
        if bank is None or not {item.id for item in bank.items} <= {r["item_id"] for r in rows}:
            continue
        at = max(_utc(r["submitted_at"]) for r in rows)
        for statement in _finished(learner_id, context, context_id, run, bank.title, rows, at, settings):
            out.append((at, 1, statement))
    return [statement for _, _, statement in sorted(out, key=lambda entry: (entry[0], entry[1]))]


def json_lines(statements_: Iterable[Mapping]) -> str:
    """One statement per line, keys sorted, UTF-8 text as is."""
    return "".join(json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n" for s in statements_)
