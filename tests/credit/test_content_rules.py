"""The course lint for the pre/post tests and the credit configuration: a problem names file, line and field."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hnscc_edu.content.course import load_course
from tests.helpers import ROOT


@pytest.fixture
def course(tmp_path):
    """A copy of the course's files that a test may break."""
    for name in ("course.yaml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("references", "quizzes", "cases"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1))


def problems(root) -> list[str]:
    return [str(p) for p in load_course(root).problems]


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_the_real_course_has_no_problems():
    assert problems(ROOT) == []


def test_a_dangling_pair_is_reported_with_file_line_and_field(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo1-recovery", "pairs_with: pre-lo1-no-such-item")
    line = line_of(post, "pairs_with: pre-lo1-no-such-item")
    found = problems(course)
    assert f"quizzes/post-test.yaml:{line}: items[1].pairs_with: names no pre-test item: 'pre-lo1-no-such-item'" \
        in found
    # and the pre-test item that lost its twin is reported too
    assert any(p.startswith("quizzes/pre-test.yaml:") and "no post-test item is paired with this pre-test item"
               in p and "pre-lo1-recovery" in p for p in found)


def test_a_pair_across_objectives_and_a_double_pair_are_reported(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo2-t4b", "pairs_with: pre-lo1-miri-class")
    found = problems(course)
    assert any("items[8].pairs_with: is paired with 'pre-lo1-miri-class' on objective 'lo1-reirradiation', but "
               "this item's objective is 'lo2-salvage'" in p for p in found)
    edit(post, "objective: lo2-salvage\n    pairs_with: pre-lo1-miri-class",
         "objective: lo1-reirradiation\n    pairs_with: pre-lo1-miri-class")
    assert any("pre-test item 'pre-lo1-miri-class' is already paired with 'post-lo1-miri-class'" in p
               for p in problems(course))


def test_pairs_belong_to_post_test_items_only(course):
    pre = course / "quizzes" / "pre-test.yaml"
    edit(pre, "  - id: pre-lo1-recovery\n", "  - id: pre-lo1-recovery\n    pairs_with: pre-lo1-miri-class\n")
    assert any("items[1].pairs_with: only post-test items are paired (this bank's purpose is 'pre')" in p
               for p in problems(course))


def test_a_pool_smaller_than_the_draw_is_reported(course):
    edit(course / "course.yaml", "items_per_attempt: 12", "items_per_attempt: 30")
    assert any(p.startswith("quizzes/post-test.yaml:") and "the post-test pool has 24 items on the course's "
               "objectives; course.yaml draws 30 per attempt" in p for p in problems(course))


def test_fewer_than_ten_items_per_attempt_is_a_schema_error(course):
    edit(course / "course.yaml", "items_per_attempt: 12", "items_per_attempt: 8")
    assert any(p.startswith("course.yaml:") and "post_test.items_per_attempt" in p for p in problems(course))


def test_ama_wording_for_every_degree_is_refused(course):
    edit(course / "course.yaml", "      degrees: [MD, DO]\n", "")
    assert any("credit.types[0].degrees: AMA PRA Category 1 Credit™ is for physicians only" in p
               for p in problems(course))


def test_a_course_without_a_certificate_for_everyone_is_reported(course):
    edit(course / "course.yaml", """    - id: attendance
      certificate_title: "Certificate of Attendance"
      amount_heading: "Time of participation"
      amount_label: "hours"
""", "")
    assert any("credit.types: no credit type accepts every learner" in p for p in problems(course))


def test_the_validate_command_reports_a_dangling_pair_and_fails(course):
    post = course / "quizzes" / "post-test.yaml"
    edit(post, "pairs_with: pre-lo3-p16", "pairs_with: pre-lo3-gone")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "hnscc-edu"), "--root", str(course), "validate"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    line = line_of(post, "pairs_with: pre-lo3-gone")
    assert f"quizzes/post-test.yaml:{line}: items[19].pairs_with: names no pre-test item: 'pre-lo3-gone'" \
        in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_old_course_file_without_credit_settings_still_loads():
    """Backward compatible: the fixture course predates the credit fields and gets the defaults."""
    from tests.helpers import fixture_course

    info = fixture_course().info
    assert info.post_test.items_per_attempt == 12 and info.credit.types[-1].id == "attendance"
    assert "not itself an accredited provider" in info.accreditation_statement
