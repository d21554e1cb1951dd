"""The on-disk course cache: used only while the course files, the content code and the date are unchanged."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hnscc_edu.content import cache
from hnscc_edu.content.course import load_course

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "course"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    loads = []

    def counting_load(*args, **kwargs):
        loads.append(args)
        return load_course(*args, **kwargs)

    monkeypatch.setattr(cache, "load_course", counting_load)
    return root, loads


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_load(course_copy):
    root, loads = course_copy
    first = cache.load_course_cached(root, TODAY)
    second = cache.load_course_cached(root, TODAY)
    assert len(loads) == 1
    fresh = load_course(root, today=TODAY)
    assert sorted(second.cases) == sorted(fresh.cases) == sorted(first.cases)
    assert second.references == fresh.references
    assert [p.message for p in second.problems] == [p.message for p in fresh.problems]


def test_an_edited_case_file_is_read_again(course_copy):
    root, loads = course_copy
    case_file = root / "cases" / "fixture-case.yaml"
    before = cache.load_course_cached(root, TODAY)
    ((case_id, case),) = before.cases.items()
    case_file.write_text(case_file.read_text().replace(case.title, "A retitled synthetic case", 1))
    after = cache.load_course_cached(root, TODAY)
    assert len(loads) == 2
    assert after.cases[case_id].title == "A retitled synthetic case"


def test_another_day_lints_again(course_copy):
    root, loads = course_copy
    cache.load_course_cached(root, TODAY)
    cache.load_course_cached(root, TODAY + dt.timedelta(days=1))
    assert len(loads) == 2


def test_a_damaged_cache_file_only_costs_a_fresh_load(course_copy):
    root, loads = course_copy
    cache.load_course_cached(root, TODAY)
    (stored,) = cache.cache_dir().glob("course-*.pickle")
    stored.write_bytes(b"not a pickle")
    content = cache.load_course_cached(root, TODAY)
    assert len(loads) == 2 and content.cases
    assert cache.load_course_cached(root, TODAY).cases.keys() == content.cases.keys()
    assert len(loads) == 2  # the damaged file was replaced by a good one


def test_an_unwritable_cache_folder_still_loads(course_copy, monkeypatch, tmp_path):
    root, loads = course_copy
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(blocker / "cache"))  # a folder cannot be made inside a file
    assert cache.load_course_cached(root, TODAY).cases
    assert cache.load_course_cached(root, TODAY).cases
    assert len(loads) == 2
