"""Layer 2: the course's real content validates, and the rules a course director relies on hold."""

import datetime as dt
import json

import pytest

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import Case, feedback_entries
from tests.helpers import ROOT, run_cli

CONTENT = load_course(ROOT)


def test_the_course_has_no_problems():
    assert [str(p) for p in CONTENT.problems] == []


def test_the_course_file_and_the_first_case_are_present():
    assert CONTENT.info is not None
    assert CONTENT.info.release_date == dt.date(2026, 11, 27)
    assert CONTENT.info.termination_date == dt.date(2028, 3, 1)
    assert "reirr-candidacy-01" in CONTENT.cases


def _all_items():
    for case in CONTENT.cases.values():
        yield from case.items
    for bank in CONTENT.banks.values():
        yield from bank.items


@pytest.mark.parametrize("item", list(_all_items()), ids=lambda i: i.id)
def test_every_option_carries_rationale_reference_and_evidence(item):
    for _, feedback in feedback_entries(item):
        assert feedback.rationale.strip()
        assert feedback.references and all(k in CONTENT.references for k in feedback.references)
        assert feedback.evidence is not None and feedback.status is not None


@pytest.mark.parametrize("case", list(CONTENT.cases.values()), ids=lambda c: c.id)
def test_cases_meet_the_minimum_shape(case: Case):
    assert case.patient.synthetic is True
    assert len(case.stages) >= 3 and len(case.items) >= 5


def test_the_first_case_serves_a_non_physician_role():
    physicians = {"radiation_oncologist", "medical_oncologist", "surgeon", "radiologist", "pathologist", "trainee"}
    case = CONTENT.cases["reirr-candidacy-01"]
    roles = {p.value for item in case.items for p in item.professions}
    assert roles - physicians


def test_inventory_json_describes_the_course():
    result = run_cli("inventory", "--json")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    data = json.loads(out)
    case = next(c for c in data["cases"] if c["id"] == "reirr-candidacy-01")
    assert set(case) >= {"id", "module", "title", "stages", "items", "item_types", "professions"}
    assert case["items"] == sum(case["item_types"].values()) == len(CONTENT.cases["reirr-candidacy-01"].items)
    assert {b["purpose"] for b in data["item_banks"]} <= {"pre", "post", "module"}
    assert data["references"] == len(CONTENT.references) and data["problems"] == 0
