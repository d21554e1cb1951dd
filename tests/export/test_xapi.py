"""xAPI statements from a real SQLite store: one ``answered`` per attempt, ``completed`` and ``passed``/``failed``
per finished run, valid against an independent xAPI model (ralph's), stable ids, JSON lines."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from hnscc_edu.export import xapi
from hnscc_edu.export.writer import build, build_statements, read_records
from hnscc_edu.rules.grading import grade
from tests.export.records import CASE_ANSWERS, fill_store

VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def records(tmp_path, fixture):
    return read_records(fill_store(tmp_path / "store.sqlite3", fixture))


def _by_verb(statements, verb):
    return [s for s in statements if s["verb"]["id"] == VERB + verb]


def test_one_answered_statement_per_attempt(records, fixture):
    statements = build_statements(fixture, None, records)
    answered = _by_verb(statements, "answered")
    assert len(answered) == len(records.attempts) == len(CASE_ANSWERS) + 2
    items = {i.id: i for m in [*fixture.cases.values(), *fixture.banks.values()] for i in m.items}
    for row, statement in zip(records.attempts, answered, strict=True):
        assert statement["actor"]["account"]["name"] == row["learner_id"]
        assert statement["object"]["id"].endswith(f"/activities/item/{row['item_id']}")
        result = statement["result"]
        assert result["score"]["raw"] == row["score"] and result["score"]["max"] == row["max_score"]
        assert result["success"] is row["correct"]
        assert statement["context"]["contextActivities"]["parent"][0]["id"].endswith(
            f"/activities/{row['context']}/{row['context_id']}"
        )
        # The response, in xAPI's syntax, grades to the stored score again.
        item = items[row["item_id"]]
        response = result["response"]
        if item.type == "multiple_select":
            response = response.split("[,]")
        assert grade(item, response).score == row["score"]
        pattern = statement["object"]["definition"]["correctResponsesPattern"][0]
        if item.type in ("single_best_answer", "multiple_select"):
            assert pattern.split("[,]") == [o.id for o in item.options if o.correct]
        stamp = dt.datetime.fromisoformat(statement["timestamp"])
        assert stamp.tzinfo is not None


def _activity(statement) -> tuple[str, str]:
    kind, ident = statement["object"]["id"].rsplit("/", 2)[-2:]
    return kind, ident


def test_finished_runs_are_completed_and_passed_or_failed(records, fixture):
    statements = build_statements(fixture, None, records)
    completed = _by_verb(statements, "completed")
    # Ana finished the case once; Ben answered the one-item bank in two runs, each a finished run.
    assert sorted(_activity(s) for s in completed) == [("bank", "fixture-bank")] * 2 + [("case", "fixture-case")]

    case_rows = [r for r in records.attempts if r["context"] == "case"]
    case_score = sum(r["score"] for r in case_rows) / sum(r["max_score"] for r in case_rows)
    (case_done,) = [s for s in completed if _activity(s) == ("case", "fixture-case")]
    assert case_done["result"]["score"]["scaled"] == pytest.approx(case_score)
    verdict = "passed" if case_score * 100 >= fixture.info.passing_score_percent else "failed"
    case_verdicts = [
        s["verb"]["display"]["en-US"]
        for s in statements
        if _activity(s) == ("case", "fixture-case") and s["verb"]["id"] in (VERB + "passed", VERB + "failed")
    ]
    assert case_verdicts == [verdict]
    move = next(m for m in records.moves if m["event"] == "complete")
    assert abs(dt.datetime.fromisoformat(case_done["timestamp"]).replace(tzinfo=None) - move["at"]) < dt.timedelta(
        milliseconds=1
    )

    # Ben's first run (answered "b", wrong) failed and his second ("a", the key) passed, each its own registration.
    bank_verdicts = [
        (s["verb"]["display"]["en-US"], s["context"]["registration"])
        for s in statements
        if _activity(s) == ("bank", "fixture-bank") and s["verb"]["id"] != VERB + "completed"
    ]
    assert [v for v, _ in bank_verdicts] == ["failed", "passed"]
    assert len({r for _, r in bank_verdicts}) == 2


def test_statements_are_valid_xapi_and_stable(records, fixture):
    first = build_statements(fixture, None, records)
    for statement in first:
        BaseXapiStatement.model_validate(statement)  # ralph's xAPI 1.0.3 model: an independent check
    assert len({s["id"] for s in first}) == len(first)
    assert build_statements(fixture, None, records) == first  # the same records give the same ids
    stamps = [s["timestamp"] for s in first]
    assert stamps == sorted(stamps)


def test_json_lines_and_filters(records, fixture):
    output = build("xapi", fixture, None, records)
    lines = output.files["statements.jsonl"].decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == build_statements(fixture, None, records)
    only_bank = build_statements(fixture, ["fixture-bank"], records)
    assert only_bank and all(
        "fixture-bank" in json.dumps(s["context"]) or s["object"]["id"].endswith("/bank/fixture-bank")
        for s in only_bank
    )
    with pytest.raises(ValueError, match="no item bank or case named 'nope'"):
        build_statements(fixture, ["nope"], records)


def test_settings_name_learners_and_activities(records, fixture):
    settings = xapi.XapiSettings(base="https://lms.example.edu/hnscc/", pass_percent=100)
    statements = build_statements(fixture, None, records, settings)
    assert {s["actor"]["account"]["homePage"] for s in statements} == {"https://lms.example.edu/hnscc/"}
    assert all(s["object"]["id"].startswith("https://lms.example.edu/hnscc/activities/") for s in statements)
    assert _by_verb(statements, "passed") == [] or all(
        s["result"]["score"]["scaled"] == 1 for s in _by_verb(statements, "passed")
    )
