"""The post-test pool kept outside the repository (issue 16 section 1): ``HNSCC_EDU_PRIVATE_CONTENT`` names a folder
of item banks that replace the public banks of the same id, validated by the same lint; a learner's kernel holds
neither (its copy of the course leaves the pre- and post-test out)."""

from __future__ import annotations

from hnscc_edu.content.course import learner_view, load_course
from tests.helpers import ROOT, run_cli
from tests.service_harness import PRIVATE_MARK, write_private_pool


def test_a_private_bank_replaces_the_public_bank_of_the_same_id(tmp_path):
    write_private_pool(tmp_path / "private")
    content = load_course(ROOT, private=tmp_path / "private")
    assert content.problems == []
    post = content.banks["post-test"]
    assert all(item.stem.startswith("[private pool]") for item in post.items)
    assert all(o.rationale.startswith(PRIVATE_MARK) for item in post.items for o in item.options)
    shown = [f.display for f in content.files if f.model is post]
    assert shown == ["private/post-test.yaml"]
    assert not [f for f in content.files if f.display == "quizzes/post-test.yaml"]  # the public one is out
    assert content.banks["pre-test"] is not None  # the other banks stay public


def test_the_same_lint_judges_the_private_banks(tmp_path):
    folder = tmp_path / "private"
    path = write_private_pool(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("pairs_with: pre-lo1-miri-class", "pairs_with: pre-no-such-item", 1), encoding="utf-8")
    (folder / "notes.yaml").write_text(
        (ROOT / "cases" / "reirr-branching-03.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    content = load_course(ROOT, private=folder)
    problems = [str(p) for p in content.problems]
    assert any(
        p.startswith("private/post-test.yaml:") and "names no pre-test item: 'pre-no-such-item'" in p for p in problems
    ), problems
    assert any(p.startswith("private/notes.yaml:") and "holds item banks only" in p for p in problems), problems
    missing = load_course(ROOT, private=tmp_path / "nowhere")
    assert any("the private content folder does not exist" in str(p) for p in missing.problems)


def test_validate_reads_the_private_folder_from_the_environment(tmp_path):
    write_private_pool(tmp_path / "private")
    env = {"HNSCC_EDU_COURSE_ROOT": str(ROOT), "HNSCC_EDU_PRIVATE_CONTENT": str(tmp_path / "private")}
    result = run_cli("validate", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "private" / "post-test.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("purpose: post", "purpose: postal"), encoding="utf-8")
    result = run_cli("validate", env=env)
    assert result.returncode == 1 and "private/post-test.yaml" in result.stdout


def test_the_kernels_copy_of_the_course_has_no_test_bank():
    content = load_course(ROOT)
    view = learner_view(content)
    assert {b.purpose for b in view.banks.values()} == {"module"}
    assert set(view.cases) == set(content.cases) and view.info == content.info
    for f in view.files:
        if isinstance(f.data, dict) and f.data.get("purpose") in ("pre", "post"):
            assert f.model is None and set(f.data) == {"kind", "id", "purpose"}


def test_a_module_check_of_a_test_bank_still_says_what_it_is(capsys):
    from hnscc_edu.notebook import show_module_check

    assert show_module_check("post-test", auto_answer=False) is None
    assert "is the course&#x27;s post-test, not a module self-check" in capsys.readouterr().out
