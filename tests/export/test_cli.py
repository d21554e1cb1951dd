"""``hnscc-edu export``: each format from the command line, and one-line errors without tracebacks."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.export.records import fill_store
from tests.helpers import FIXTURE_COURSE, ROOT

CLI = str(ROOT / ".venv" / "bin" / "hnscc-edu")


def export(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, "--root", str(FIXTURE_COURSE), "export", *args],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.mark.parametrize(
    "fmt, names",
    [
        ("qti21", ["fixture-bank-qti21.zip", "fixture-case-qti21.zip"]),
        ("qti12", ["fixture-bank-qti12.zip", "fixture-case-qti12.zip"]),
        ("moodle", ["fixture-bank.moodle.xml", "fixture-case.moodle.xml"]),
        ("gift", ["fixture-bank.gift.txt", "fixture-case.gift.txt"]),
        ("html", ["fixture-bank.html", "fixture-bank-answers.html", "fixture-case.html", "fixture-case-answers.html"]),
    ],
)
def test_each_item_format(tmp_path, fmt, names):
    result = export(fmt, "--out", str(tmp_path / "out"), "--all")
    assert result.returncode == 0, result.stderr
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == sorted(names)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    if fmt != "html":  # the branching item of the fixture case is exported with a warning saying what is lost
        assert (
            f"warning: {fmt}: fixture-case/fx-branch (single_best_answer, exported): its options branch"
            in result.stderr
        )


def test_one_bank(tmp_path):
    result = export("moodle", "--out", str(tmp_path), "--bank", "fixture-bank")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["fixture-bank.moodle.xml"]
    assert result.stderr == ""


def test_xapi_to_a_file(tmp_path, fixture):
    fill_store(tmp_path / "store.sqlite3", fixture)
    result = export(
        "xapi", "--out", str(tmp_path / "out"), env={"HNSCC_EDU_DB_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}"}
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out" / "statements.jsonl").read_text().splitlines()
    assert lines and f"{len(lines)} statement(s)" in result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "args, env, message",
    [
        (
            ["gift", "--bank", "nope"],
            {},
            "hnscc-edu: no item bank or case named 'nope'; available: fixture-bank, fixture-case",
        ),
        (
            ["qti21", "--lrs", "http://127.0.0.1:9/xAPI/"],
            {},
            "hnscc-edu: --lrs, --learner and --base-iri apply to the xapi format only",
        ),
        (["xapi", "--lrs", "ftp://example.org/"], {}, "hnscc-edu: the LRS endpoint must be an http(s) URL"),
        (
            ["xapi", "--lrs", "http://127.0.0.1:{port}/xAPI/"],
            {},
            "hnscc-edu: cannot reach the LRS at http://127.0.0.1:",
        ),
        (
            ["xapi"],
            {"HNSCC_EDU_DB_URL": "sqlite:////nonexistent-folder/x/store.sqlite3"},
            "hnscc-edu: The course database at",
        ),
    ],
)
def test_errors_are_one_line(tmp_path, fixture, args, env, message):
    fill_store(tmp_path / "store.sqlite3", fixture)
    args = [a.replace("{port}", str(_closed_port())) for a in args]
    result = export(
        *args,
        "--out",
        str(tmp_path / "out"),
        env={"HNSCC_EDU_DB_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}", **env},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("hnscc-edu:")]
    assert len(errors) == 1 and errors[0].startswith(message), result.stderr


def test_bank_and_all_exclude_each_other(tmp_path):
    result = export("gift", "--out", str(tmp_path), "--bank", "fixture-bank", "--all")
    assert result.returncode == 2 and "not allowed with argument" in result.stderr


def test_export_imports_no_widget_library():
    """The exports run where no notebook does (a course director's shell, CI): they must not need ipywidgets."""
    code = (
        "import sys, hnscc_edu.cli, hnscc_edu.export.command, hnscc_edu.export.writer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'voila')))"
    )
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
