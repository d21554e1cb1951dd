"""voila.json keeps a dashboard from leaking: notebook sources stripped, tracebacks hidden, and Voila's default file
allowlist (images only; never notebooks or Python files, where answer keys and code live) left as it is.

Read through Voila's own configuration class, so a setting spelled differently (or a deprecated alias) counts too.
"""

from __future__ import annotations

import json
import re

from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
from traitlets.config import Config
from voila.configuration import VoilaConfiguration

from tests.helpers import ROOT

SETTINGS = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
FILE_LISTS = ("file_allowlist", "file_whitelist", "file_denylist", "file_blacklist")


def _configured() -> VoilaConfiguration:
    return VoilaConfiguration(config=Config(SETTINGS))


def test_sources_are_stripped_and_tracebacks_hidden():
    section = SETTINGS["VoilaConfiguration"]
    assert section["strip_sources"] is True and section["show_tracebacks"] is False  # said, not left to defaults
    configured = _configured()
    assert configured.strip_sources is True and configured.show_tracebacks is False


def test_the_default_file_allowlist_is_not_widened():
    for section in SETTINGS.values():
        assert not set(section) & set(FILE_LISTS), "voila.json must not change which files Voila serves"
    configured, default = _configured(), VoilaConfiguration()
    assert configured.file_allowlist == default.file_allowlist
    assert configured.file_denylist == default.file_denylist
    for name in ("answers.ipynb", "cases/case.yaml", "hnscc_edu/notebook.py", "course.yaml", "store.sqlite3"):
        assert not any(re.fullmatch(rule, name) for rule in configured.file_allowlist) or any(
            re.fullmatch(rule, name) for rule in configured.file_denylist
        ), name


def test_the_present_command_does_not_override_voila_json():
    present = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "/voila " in line)
    assert not re.search(r"strip_sources|show_tracebacks|file_(allow|white|deny|black)list", present), present


def test_lecture_notebooks_have_preheated_pools_and_the_rest_start_cold():
    """Pools only for the notebooks faculty open in front of a room; every pool names a notebook that exists."""
    from traitlets.config import Config as TraitletsConfig
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    assert _configured().preheat_kernel is True
    manager_class = voila_kernel_manager_factory(MappingKernelManager, True, 1)
    pools = manager_class.class_traits()["kernel_pools_config"]  # the trait exists on Voila's own class
    assert pools is not None
    configured = TraitletsConfig(SETTINGS)["VoilaKernelManager"]["kernel_pools_config"]
    assert configured["default"]["pool_size"] == 0
    named = {name for name in configured if name != "default"}
    assert named == {
        "calculators.ipynb",
        "live_presenter.ipynb",
        "01_reirradiation.ipynb",
        "01b_reirradiation_planning.ipynb",
        "02_salvage.ipynb",
        "03_systemic.ipynb",
    }
    assert all((ROOT / "notebooks" / name).is_file() for name in named)
    assert all(configured[name]["pool_size"] >= 1 for name in named)


def test_the_automatic_test_run_cells_are_not_run_for_a_dashboard():
    """The cells tagged ``test-run`` print only in automatic runs (nbval), never for a learner; Voila passes its own
    configuration to the executor that runs a page's cells, which then skips them (each cell costs a page's first
    load a round trip to the kernel)."""
    import nbformat
    from voila.execute import VoilaExecutor

    from scripts.hide_code_cells import TAG

    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=Config(SETTINGS))
    assert executor.skip_cells_with_tag == TAG


def test_a_busy_server_waits_for_a_cells_outputs_instead_of_dropping_them():
    """After a cell's reply, the executor waits ``iopub_timeout`` seconds for its outputs and then goes on without
    the rest: nbclient's 4 s lost a pre-heated presenter page's widget when six pool kernels started at once on two
    busy cores (2026-12-06). On a quiet server the outputs come within milliseconds, so the wait costs nothing."""
    import nbformat
    from nbclient import NotebookClient
    from voila.execute import VoilaExecutor

    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=Config(SETTINGS))
    assert executor.iopub_timeout >= 30 > NotebookClient(nbformat.v4.new_notebook()).iopub_timeout
