"""Small shared helpers for the tests."""

from __future__ import annotations

from pathlib import Path

from hnscc_edu.content.course import CourseContent, load_course

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_COURSE = ROOT / "tests" / "fixtures" / "course"


def fixture_course() -> CourseContent:
    content = load_course(FIXTURE_COURSE)
    assert not content.problems, [str(p) for p in content.problems]
    return content
