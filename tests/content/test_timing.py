"""The core path and `hnscc-edu timing`: minutes from words read and items answered, checked by the lint."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from hnscc_edu.content.course import load_course
from hnscc_edu.content.models import Case
from hnscc_edu.content.timing import (
    RATES,
    READING_WORDS_PER_MINUTE,
    case_minutes,
    case_path,
    count_words,
    course_timing,
)
from tests.helpers import ROOT, run_cli


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run_cli(*args, cwd=cwd, env={"HNSCC_EDU_COURSE_ROOT": None})


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)


def test_words_are_counted_as_a_reader_sees_them():
    assert count_words("70 Gy in 35 fractions, HR 0.62 (95% CI 0.5-0.7).") == 10
    assert count_words("**cT3 N1** - *p16-negative*") == 3
    assert count_words(None) == 0


def _case(stages: list[dict]) -> Case:
    option = {"rationale": "r", "references": ["k"], "evidence": "expert-opinion"}
    for stage in stages:
        stage.setdefault("reveal", [{"markdown": "one two three"}])
        for item in stage.get("items", []):
            item.setdefault("type", "single_best_answer")
            item.setdefault("objective", "lo")
            item.setdefault("professions", ["trainee"])
            item["options"] = [{**option, **o} for o in item["options"]]
    return Case.model_validate(
        {
            "schema_version": 1,
            "kind": "case",
            "id": "timing-case",
            "module": 1,
            "title": "t",
            "summary": "s",
            "objectives": ["lo"],
            "professions": ["trainee"],
            "governance": {
                "authors": ["a"],
                "reviewers": ["r"],
                "last_reviewed": dt.date(2026, 12, 1),
                "next_review_due": dt.date(2027, 12, 1),
                "content_version": "1",
                "changelog": [{"version": "1", "date": dt.date(2026, 12, 1), "note": "n"}],
            },
            "patient": {"synthetic": True, "pseudonym": "p", "age": 60, "sex": "male", "summary": "s"},
            "start": "a",
            "stages": stages,
        }
    )


def test_the_path_follows_next_then_the_keyed_branch_and_skips_detours():
    case = _case(
        [
            {"id": "a", "title": "A", "next": "b"},
            {
                "id": "b",
                "title": "B",
                "items": [
                    {
                        "id": "q",
                        "stem": "?",
                        "options": [
                            {"id": "x", "text": "detour", "next_stage": "detour"},
                            {"id": "y", "text": "keyed", "correct": True, "next_stage": "c"},
                        ],
                    }
                ],
            },
            {"id": "detour", "title": "D", "next": "c", "reveal": [{"markdown": "word " * 5000}]},
            {"id": "c", "title": "C"},
        ]
    )
    assert [s.id for s in case_path(case)] == ["a", "b", "c"]
    # three stages of three words, two one-word rationales, one single-best-answer item
    expected = (3 * 3 + 2) / READING_WORDS_PER_MINUTE + RATES["single_best_answer"]["value"] / 60
    assert case_minutes(case) == pytest.approx(expected)


def test_a_loop_back_to_an_earlier_stage_ends_the_path():
    case = _case([{"id": "a", "title": "A", "next": "b"}, {"id": "b", "title": "B", "next": "a"}])
    assert [s.id for s in case_path(case)] == ["a", "b"]


def test_the_course_has_a_core_path_of_50_to_70_minutes_covering_every_objective(course):
    info = course.info
    assert info.core_path, "course.yaml must name the core path"
    timing = course_timing(course.cases.values(), info.core_path)
    assert 50 <= timing.core_minutes <= 70
    assert abs(info.estimated_minutes - timing.core_minutes) <= 0.1 * timing.core_minutes
    covered = {o for c in info.core_path for o in course.cases[c].objectives}
    assert covered >= {o.id for o in info.objectives}
    assert timing.all_minutes > timing.core_minutes  # deepening cases exist beyond the core


def test_timing_json_shape(course):
    result = run("timing", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"core_minutes", "all_minutes", "cases", "rates"}
    assert isinstance(data["core_minutes"], float) and 50 <= data["core_minutes"] <= 70
    assert {c["id"] for c in data["cases"]} == set(course.cases)
    assert all(set(c) >= {"id", "core", "minutes"} for c in data["cases"])
    assert sorted(c["id"] for c in data["cases"] if c["core"]) == sorted(course.info.core_path)
    assert data["rates"]["reading_words_per_minute"]["value"] == READING_WORDS_PER_MINUTE
    assert all(r["source"] and r["label"] for r in data["rates"].values())


def test_timing_text_prints_the_rates_and_their_sources():
    result = run("timing")
    assert result.returncode == 0, result.stderr
    assert "core path:" in result.stdout and "Brysbaert 2019" in result.stdout and "USMLE" in result.stdout


@pytest.fixture
def course_copy(tmp_path):
    target = tmp_path / "course"
    target.mkdir()
    shutil.copy(ROOT / "course.yaml", target / "course.yaml")
    for folder in ("cases", "quizzes", "references"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def _set(course_dir: Path, **changes) -> None:
    path = course_dir / "course.yaml"
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def _course_problems(course_dir: Path) -> list[str]:
    result = run("validate", cwd=course_dir)
    return [line for line in result.stdout.splitlines() if line.startswith("course.yaml:")]


def test_the_lint_accepts_the_real_core_path(course_copy):
    assert _course_problems(course_copy) == []


def test_the_lint_refuses_a_core_path_that_is_too_long(course, course_copy):
    _set(course_copy, core_path=sorted(course.cases))
    problems = _course_problems(course_copy)
    assert any("core_path" in p and "must take 50-70" in p for p in problems), problems
    assert any("estimated_minutes" in p for p in problems), problems


def test_the_lint_refuses_a_core_path_that_misses_an_objective_or_names_a_missing_case(course, course_copy):
    module_one = [c for c in course.info.core_path if course.cases[c].module == 1]
    _set(course_copy, core_path=module_one + ["no-such-case"])
    problems = _course_problems(course_copy)
    assert any("no case 'no-such-case'" in p for p in problems), problems
    assert any("lo2-salvage" in p for p in problems) and any("lo3-systemic" in p for p in problems), problems


def test_the_lint_refuses_an_estimate_more_than_ten_percent_off(course_copy):
    _set(course_copy, estimated_minutes=30)
    problems = _course_problems(course_copy)
    assert any(p.startswith("course.yaml:") and "estimated_minutes" in p and "10%" in p for p in problems), problems
