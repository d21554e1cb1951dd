"""`hnscc-edu validate` on broken copies of a case file: one line per problem, with file, line and field."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FIXTURE_COURSE, ROOT

CLI = str(ROOT / ".venv" / "bin" / "hnscc-edu")
CASE_FILE = Path("cases/fixture-case.yaml")


@pytest.fixture
def course(tmp_path):
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def validate(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "HNSCC_EDU_COURSE_ROOT"}  # found from the working folder
    return subprocess.run([CLI, "validate", *args], check=False, cwd=course, capture_output=True, text=True, env=env)


def edit(course: Path, old: str, new: str, count: int = 1) -> int:
    """Replace text in the case file and return the 1-based line where the edit landed."""
    path = course / CASE_FILE
    text = path.read_text()
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count))
    return line


def problems(result: subprocess.CompletedProcess) -> list[tuple[str, int, str, str]]:
    out = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(.+?):(\d+): (.+?): (.+)$", line)
        assert match, f"not file:line: field: message -> {line!r}"
        out.append((match[1], int(match[2]), match[3], match[4]))
    return out


def test_the_intact_fixture_passes(course):
    result = validate(course)
    assert result.returncode == 0 and result.stdout == ""


def test_malformed_yaml(course):
    line = edit(course, 'title: "History"', "title: [History")
    result = validate(course)
    assert result.returncode == 1
    [(file, at, _, message)] = problems(result)
    assert file == str(CASE_FILE) and "not valid YAML" in message and at >= line


def test_unknown_reference_key(course):
    line = edit(
        course,
        'rationale: "B is wrong.", references: [fixture-source]',
        'rationale: "B is wrong.", references: [nowhere-2020]',
    )
    [(file, at, field, message)] = problems(validate(course))
    assert (file, at) == (str(CASE_FILE), line)
    assert field == "stages[0].items[0].options[1].references[0]" and "nowhere-2020" in message


def test_duplicate_item_id(course):
    line = edit(course, "id: fx-last", "id: fx-single")
    [(_, at, field, message)] = problems(validate(course))
    assert at == line and field.endswith(".id") and "duplicate item id 'fx-single'" in message


def test_number_typed_as_text(course):
    line = edit(course, "absolute_tolerance: 0.5", 'absolute_tolerance: "0.5"')
    [(_, at, field, message)] = problems(validate(course))
    assert at == line and field == "stages[1].items[0].answer.absolute_tolerance" and "number" in message


def test_empty_file(course):
    (course / CASE_FILE).write_text("")
    [(file, at, _, message)] = problems(validate(course))
    assert (file, at) == (str(CASE_FILE), 1) and "empty" in message


def test_missing_rationale(course):
    line = edit(course, 'rationale: "A is right.", ', "")
    [(_, at, field, message)] = problems(validate(course))
    assert at == line and field.endswith("options[0].rationale") and "required" in message


def test_unreachable_stage(course):
    edit(course, "next_stage: detour, ", "")
    [(_, _, field, message)] = problems(validate(course))
    assert field == "stages[2].id" and "cannot be reached" in message


def test_lapsed_review_date(course):
    line = edit(course, "next_review_due: 2099-01-01", "next_review_due: 2026-06-01")
    [(_, at, field, message)] = problems(validate(course))
    assert (at, field) == (line, "governance.next_review_due") and "lapsed" in message


def test_a_misspelt_field_and_an_unknown_item_type_are_both_reported(course):
    edit(course, "    next: plan", "    nxt: plan")
    edit(course, "type: free_text", "type: essay")
    fields = {p[2] for p in problems(validate(course))}
    assert {"stages[0].nxt", "stages[2].items[0]"} <= fields


def test_yes_and_no_stay_text(course):
    # YAML 1.1 would read the option text "No" as false; schema v1 files are read as YAML 1.2.
    assert 'text: "No"' in (course / CASE_FILE).read_text()
    edit(course, 'text: "No"', "text: No")
    assert validate(course).returncode == 0


def test_validate_named_paths_only(course):
    edit(course, "next_review_due: 2099-01-01", "next_review_due: 2026-06-01")
    assert validate(course, "quizzes").returncode == 0
    assert validate(course, str(CASE_FILE)).returncode == 1


def test_json_schema_for_editors_requires_schema_version():
    import json

    out = subprocess.run([CLI, "schema", "case"], capture_output=True, text=True, check=True).stdout
    schema = json.loads(out)
    assert "schema_version" in schema["required"] and schema["additionalProperties"] is False


def test_several_problems_in_one_file_are_all_reported(course):
    ref_line = edit(
        course,
        'rationale: "B is wrong.", references: [fixture-source]',
        'rationale: "B is wrong.", references: [nowhere-2020]',
    )
    number_line = edit(course, "absolute_tolerance: 0.5", 'absolute_tolerance: "0.5"')
    review_line = edit(course, "next_review_due: 2099-01-01", "next_review_due: 2026-06-01")
    found = {(at, field) for _, at, field, _ in problems(validate(course))}
    assert found == {
        (ref_line, "stages[0].items[0].options[1].references[0]"),
        (number_line, "stages[1].items[0].answer.absolute_tolerance"),
        (review_line, "governance.next_review_due"),
    }


def test_duplicate_objective_id_in_the_course_file(course):
    path = course / "course.yaml"
    text = path.read_text()
    line = text[: text.index("  - id: lo2-salvage")].count("\n") + 1
    path.write_text(text.replace("  - id: lo2-salvage", "  - id: lo1-reirradiation", 1))
    found = [p for p in problems(validate(course)) if p[0] == "course.yaml"]
    assert (line, "objectives[1].id") in {(at, field) for _, at, field, _ in found}
    assert any("duplicate objective id 'lo1-reirradiation'" in message for *_, message in found)
