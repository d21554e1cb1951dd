"""A learner's kernel, for real (an IPython kernel started with jupyter_client), against the course service as its
own process, on SQLite and PostgreSQL (issue 16 section 5).

The kernel gets what a one-machine server gives its kernels: the service's address and secret, and no database
address (``HNSCC_EDU_DB_URL`` is not in its environment). The post-test pool is private to the service
(``HNSCC_EDU_PRIVATE_CONTENT`` in a temporary folder; the kernel is not told where). Inside the kernel:

- ``show_credit_path(auto_answer=True)`` acknowledges and takes the pre-test with placeholder answers, then stops
  at the modules and, once the core path is finished, at the post-test: it cannot pass it (it holds no key);
- a core-path case played in the kernel is recorded by the service (participation through the service only);
- with a post-test attempt open, no object the panel or its client holds has ``correct=True``, no string anywhere in
  the kernel's heap holds a rationale of the private pool, and the public pool's rationales are not in memory either
  (the kernel's copy of the course leaves the test banks out); after the kernel submits the attempt, the feedback of
  the submitted items is there, so the search would have found it.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from jupyter_client.manager import start_new_kernel

from hnscc_edu.content.course import load_course
from hnscc_edu.service import CourseService
from hnscc_edu.store.credit import CreditStore
from tests.credit.conftest import finish_case
from tests.helpers import ROOT
from tests.service_harness import ServiceProcess, write_private_pool

PUBLIC = load_course(ROOT)
PUBLIC_POST = next(b for b in PUBLIC.banks.values() if b.purpose == "post")

# Run inside the kernel: walk the heap from every object the garbage collector tracks, through every referent
# (containers the collector does not track included), and report what it finds. The mark is built at run time, so
# this source never holds it.
HEAP_SEARCH = '''
import gc, hashlib, json, types
import ipywidgets
MARK = "PRIVATE-POOL-" + "RATIONALE"
def _heap_strings():
    gc.collect()
    seen, stack, out = set(), list(gc.get_objects()), []
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, str):
            out.append(o)
        elif not isinstance(o, (int, float, bytes, bool, type(None))):
            stack.extend(gc.get_referents(o))
    return out
def _panel_objects(root):
    """Everything the panel holds, not descending into widgets (their values are what the browser tests check)
    nor into modules, classes and functions (those lead to the whole kernel)."""
    seen, stack, out = set(), [root], []
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, types.ModuleType, types.FunctionType, types.MethodType,
                                           ipywidgets.Widget)):
            continue
        seen.add(id(o))
        out.append(o)
        if not isinstance(o, (str, int, float, bytes, bool, type(None))):
            stack.extend(gc.get_referents(o))
    return out
def heap_report(panel, public_hashes, lengths):
    strings = _heap_strings()
    marked = [s[:90] for s in strings if MARK in s and s is not MARK]
    public = [s[:90] for s in strings if len(s) in lengths
              and hashlib.sha256(s.encode()).hexdigest() in public_hashes]
    held = _panel_objects(panel)
    correct = sorted({type(o).__name__ for o in held if getattr(o, "correct", None) is True})
    rationales = sorted({type(o).__name__ for o in held if isinstance(getattr(o, "rationale", None), str)})
    print("HEAP " + json.dumps({"marked": marked[:5], "marked_count": len(marked), "public": public[:5],
                                "correct": correct, "rationales": rationales, "objects": len(held)}))
'''


@pytest.fixture
def private_folder(tmp_path):
    write_private_pool(tmp_path / "private")
    return tmp_path / "private"


class Kernel:
    def __init__(self, env: dict[str, str]) -> None:
        self.manager, self.client = start_new_kernel(
            kernel_name="python3", env=env, cwd=str(ROOT / "notebooks"), startup_timeout=120
        )

    def run(self, code: str) -> str:
        out: list[str] = []
        errors: list[str] = []

        def hook(message: dict) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content.get("name") == "stdout":
                out.append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content.get("traceback", [])))

        reply = self.client.execute_interactive(code, timeout=300, output_hook=hook)
        assert reply["content"]["status"] == "ok" and not errors, "\n".join(errors)
        return "".join(out)

    def line(self, code: str, tag: str) -> str:
        found = [line for line in self.run(code).splitlines() if line.startswith(tag + " ")]
        assert found, f"no {tag} line"
        return found[-1][len(tag) + 1 :]

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def kernel_env(service: ServiceProcess) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "HNSCC_EDU_DB_URL",
            "HNSCC_EDU_PRIVATE_CONTENT",
            "HNSCC_EDU_SERVICE_URL",
            "HNSCC_EDU_SERVICE_TOKEN",
            "HNSCC_EDU_KEY_DIR",
        )
    }
    env.update(service.env(), HNSCC_EDU_AUTO_ANSWER="0", HNSCC_EDU_LEARNER_ID="kernel-learner")
    return env


def test_a_learner_kernel_holds_no_key_and_cannot_pass_without_answering(url, tmp_path, private_folder):
    service = ServiceProcess(
        url, "kernel-learner", tmp_path / "service.log", extra_env={"HNSCC_EDU_PRIVATE_CONTENT": str(private_folder)}
    )
    harness = CourseService(url, content=load_course(ROOT, private=private_folder))  # the service's side
    kernel = Kernel(kernel_env(service))
    try:
        kernel.run(HEAP_SEARCH)
        assert (
            kernel.line(
                "import os\nprint('DB', 'HNSCC_EDU_DB_URL' in os.environ, 'HNSCC_EDU_PRIVATE_CONTENT' in os.environ)",
                "DB",
            )
            == "False False"
        )
        first = kernel.line(
            "from hnscc_edu.path_notebook import show_credit_path\n"
            "from hnscc_edu.ui.autoanswer import case_summary, path_summary\n"
            "panel = show_credit_path(auto_answer=True)\nprint('PATH', path_summary(panel))",
            "PATH",
        )
        assert first == "Path: modules; pre-test completed; core path: 0 of 3 cases finished."

        core = PUBLIC.info.core_path
        played = kernel.line(
            f"from hnscc_edu.notebook import show_case\nplayer = show_case({core[0]!r}, "
            "auto_answer=True)\nprint('CASE', case_summary(player.player))",
            "CASE",
        )
        assert played.startswith(f"Case {core[0]}: complete")
        assert harness.store.completed_cases("kernel-learner") == {core[0]}  # recorded by the service
        for case_id in core[1:]:
            finish_case(harness.store, "kernel-learner", case_id)

        second = kernel.line("panel = show_credit_path(auto_answer=True)\nprint('PATH', path_summary(panel))", "PATH")
        assert second == "Path: post-test; pre-test completed; core path: 3 of 3 cases finished."
        assert not [r for r in harness.store.attempt_rows("kernel-learner") if r["context_id"] == "post-test"]
        assert CreditStore(harness.store).certificate_for("kernel-learner") is None

        public = {hashlib.sha256(o.rationale.encode()).hexdigest() for i in PUBLIC_POST.items for o in i.options}
        lengths = sorted({len(o.rationale) for i in PUBLIC_POST.items for o in i.options})
        check = f"heap_report(panel, set({json.dumps(sorted(public))}), set({json.dumps(lengths)}))"
        kernel.run(
            "panel.buttons['start-posttest'].click()\n"
            "assert panel.boundary.message.value == '', panel.boundary.message.value\n"
            "print('ITEMS', len(panel.views))"
        )
        before = json.loads(kernel.line(check, "HEAP"))
        assert before["objects"] > 100  # the walk saw the panel's items, answers and client
        assert before == {
            "marked": [],
            "marked_count": 0,
            "public": [],
            "correct": [],
            "rationales": [],
            "objects": before["objects"],
        }
        key_call = kernel.line(
            "view = next(iter(panel.views.values()))\ntry:\n    view.key_response()\n"
            "    print('KEY known')\nexcept TypeError:\n    print('KEY unknown')",
            "KEY",
        )
        assert key_call == "unknown"

        kernel.run(
            "for item_id, view in list(panel.views.items()):\n"
            "    view.fill(view.item.options[0].id)\n"
            "    panel.submit_buttons[item_id].click()\n"
            "panel.buttons['finish-test'].click()\n"
            "assert panel.boundary.message.value == '', panel.boundary.message.value"
        )
        after = json.loads(kernel.line(check, "HEAP"))
        assert after["marked_count"] >= 12 * 4  # every option's rationale of the 12 submitted items, and the page
        assert "OptionFeedback" in after["correct"] and "OptionFeedback" in after["rationales"]  # found once due
        answered = [r for r in harness.store.attempt_rows("kernel-learner") if r["context_id"] == "post-test"]
        assert len(answered) == 12  # each answer was the kernel's, graded by the service
    finally:
        kernel.stop()
        service.stop()
        harness.store.engine.dispose()
