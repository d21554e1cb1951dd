"""A content file's text is parsed once per process (issue 19: the edit loop loads the course dozens of times).

What is remembered is the parse of the exact text; everything after it (schema, lint, the file's name in problems)
runs on every load, and no caller can change what the next load sees.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hnscc_edu.content import loading
from hnscc_edu.content.loading import load_file
from tests.helpers import ROOT

CASE = ROOT / "cases" / "reirr-candidacy-01.yaml"


def _copy(tmp_path: Path, name: str = "case.yaml") -> Path:
    target = tmp_path / name
    shutil.copyfile(CASE, target)
    return target


def test_a_second_load_of_the_same_text_is_equal_and_not_shared(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    first = load_file(path)
    assert first.model is not None and not first.problems
    first.data["title"] = "changed by a caller"
    first.lines[("title",)] = 999
    second = load_file(path)
    assert second.data["title"] != "changed by a caller"
    assert second.lines[("title",)] != 999
    assert second.model == first.model
    assert second.data is not first.data


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    assert load_file(path).data["title"] != "A new title"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", "title: A new title", text, count=1), encoding="utf-8")
    after = load_file(path)
    assert after.data["title"] == "A new title"
    assert after.model is not None and after.model.title == "A new title"


def test_problems_name_the_file_they_were_found_in_even_for_remembered_text(tmp_path: Path) -> None:
    broken = CASE.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 7", 1)
    for name in ("first.yaml", "second.yaml"):
        (tmp_path / name).write_text(broken, encoding="utf-8")
    problems = [load_file(tmp_path / name, root=tmp_path).problems for name in ("first.yaml", "second.yaml")]
    assert [str(p[0]).split(":")[0] for p in problems] == ["first.yaml", "second.yaml"]
    assert all("schema_version" in str(p[0]) for p in problems)


def test_the_memory_keeps_a_bounded_number_of_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(loading, "_PARSED", {})
    monkeypatch.setattr(loading, "PARSED_KEPT", 3)
    text = CASE.read_text(encoding="utf-8")
    for index in range(6):
        path = tmp_path / f"case{index}.yaml"
        path.write_text(text + f"\n# copy {index}\n", encoding="utf-8")
        assert load_file(path).model is not None
    assert len(loading._PARSED) == 3
