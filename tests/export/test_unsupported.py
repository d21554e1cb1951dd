"""An item type the exporters do not know (here a future "hotspot" item) is reported, never dropped in silence and
never a crash; the other items of its bank are exported as usual."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel

from hnscc_edu import cli
from hnscc_edu.content.course import CourseContent
from hnscc_edu.content.models import ItemBank
from hnscc_edu.export import gift, moodle, qti12, qti21, static_html, xapi
from hnscc_edu.export.common import source_of
from hnscc_edu.export.writer import build


class Hotspot(BaseModel):
    """Stands for an item type added to the schema after the exporters were written."""

    id: str
    type: Literal["hotspot"] = "hotspot"
    stem: str
    objective: str = "lo1-reirradiation"
    steps: list[str]


FUTURE = Hotspot(id="order-1", stem="Put the steps in order.", steps=["restage", "discuss", "treat"])


def _bank(fixture, items) -> ItemBank:
    base = fixture.banks["fixture-bank"]
    return ItemBank.model_construct(**{**dict(base), "id": "future-bank", "items": items})


@pytest.mark.parametrize(
    "module, name",
    [
        (qti21, "future-bank-qti21.zip"),
        (qti12, "future-bank-qti12.zip"),
        (moodle, "future-bank.moodle.xml"),
        (gift, "future-bank.gift.txt"),
    ],
)
def test_item_formats_report_the_unknown_type(fixture, module, name):
    known = list(fixture.banks["fixture-bank"].items)
    output = module.export(source_of(_bank(fixture, [*known, FUTURE])), fixture.references)
    assert list(output.files) == [name]  # the known items are still exported
    assert b"fxb-1" in output.files[name] or name.endswith(".zip")
    left_out = [(w.item_id, w.item_type) for w in output.warnings if w.left_out]
    assert left_out == [("order-1", "hotspot")]
    assert "cannot express" in str(output.warnings[0]) and "order-1" in str(output.warnings[0])


@pytest.mark.parametrize("module", [qti21, qti12, moodle, gift])
def test_a_bank_of_only_unknown_items_gives_no_file_but_a_warning(fixture, module):
    output = module.export(source_of(_bank(fixture, [FUTURE])), fixture.references)
    assert output.files == {}
    assert [w.item_id for w in output.warnings if w.left_out] == ["order-1"]


def test_html_reports_the_unknown_type(fixture):
    bank = _bank(fixture, [*fixture.banks["fixture-bank"].items, FUTURE])
    output = static_html.render(bank, fixture.references, "Synthetic.")
    assert b"Bank question." in output.files["future-bank.html"]
    assert b"Put the steps in order." not in output.files["future-bank.html"]
    assert [(w.item_id, w.left_out) for w in output.warnings] == [("order-1", True)]


def test_xapi_describes_an_answer_to_an_unknown_type(fixture):
    row = {
        "id": 1,
        "learner_id": "ana",
        "context": "bank",
        "context_id": "future-bank",
        "run": 1,
        "stage_id": None,
        "item_id": "order-1",
        "response": '["restage", "discuss", "treat"]',
        "score": 1.0,
        "max_score": 1.0,
        "correct": True,
        "submitted_at": "2026-01-01T10:00:00",
    }
    statement = xapi.answered(row, FUTURE, xapi.XapiSettings())
    assert statement["object"]["definition"]["interactionType"] == "other"
    assert statement["result"]["response"] == "restage[,]discuss[,]treat"


def test_command_line_prints_what_was_left_out(fixture, tmp_path, monkeypatch, capsys):
    bank = _bank(fixture, [*fixture.banks["fixture-bank"].items, FUTURE])
    content = CourseContent(root=fixture.root, info=fixture.info, banks={bank.id: bank}, references=fixture.references)
    monkeypatch.setattr("hnscc_edu.export.command.load_course", lambda root: content)
    assert cli.main(["export", "gift", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert (tmp_path / "future-bank.gift.txt").is_file() and str(tmp_path / "future-bank.gift.txt") in out
    assert (
        "warning: gift: future-bank/order-1 (hotspot, left out): gift cannot express items of type 'hotspot'"
    ) in err
    assert "1 item(s) left out" in err
    assert build("qti21", content).warnings[0].item_id == "order-1"


@pytest.mark.parametrize("module", [qti21, qti12, moodle, gift])
def test_the_courses_key_feature_script_concordance_and_ordering_items_are_named_in_warnings(course, module):
    from tests.export.expected import EXPORTED_TYPES

    for source in (source_of(model) for model in [*course.cases.values(), *course.banks.values()]):
        left_out = {item.id for item in source.items if item.type not in EXPORTED_TYPES}
        output = module.export(source, course.references)
        warned = {w.item_id for w in output.warnings if w.left_out}
        assert left_out <= warned, (source.id, left_out - warned)
