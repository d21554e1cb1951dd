"""Test-wide isolation: Jupyter's folders, the store, the learner id and the certificate signing key live in a
temporary folder, so runs never depend on (or write to) the home directory, and notebooks run in auto-answer mode
under nbval.

When notebooks are collected, a course service (``python -m hnscc_edu.service --auth local``) runs for the session on
the notebooks' store, for the one learner ``nbval-learner``; its address and secret go into the environment the
notebook kernels inherit, as a one-machine server's kernels get them. The service-side harness acknowledges the
activity information for that learner first, so every case notebook opens on its own; the post-test page's checked
output ("core path: 3 of 3 cases finished") assumes the module notebooks ran before it in the same session, as
``make test`` and ``make notebooks`` run them (in name order).

``make test`` spreads the test files over three processes (pytest-xdist, ``--dist loadfile``;
``TEST_PROCESSES=0`` for one). The notebooks are one learner's walk through the course on one store, so
``pytest_xdist_make_scheduler`` keeps them together, in name order, on one worker; every other test file goes whole to
whichever worker is free.

Every temporary file of the run (pytest's ``tmp_path`` folders, the stores, Voila's logs, the PostgreSQL cluster)
lives under one folder on ``/dev/shm`` when the machine has that RAM-backed file system (``SCRATCH``): the stores
are still real SQLite files, but a commit no longer waits for a disk flush, which was most of the time of the tests
that write thousands of answers (a simulated class of 50 learners: 9-16 s on disk, 4 s there). The folder is removed
when the run passes and kept, with its path printed, when it fails (the Voila and service logs are in it)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def _scratch() -> str | None:
    """The folder for the run's temporary files: ``HNSCC_EDU_TEST_SCRATCH`` when set, else ``/dev/shm`` when it is
    a writable folder, else the system's temporary folder (None)."""
    chosen = os.environ.get("HNSCC_EDU_TEST_SCRATCH")
    if chosen:
        return chosen
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


@pytest.hookimpl(tryfirst=True)  # before pytest's tmp_path plugin reads --basetemp
def pytest_configure(config) -> None:
    scratch = _scratch()
    if scratch is not None:
        tempfile.tempdir = scratch  # this process's tempfile calls (the PostgreSQL cluster's folder among them)
        os.environ["TMPDIR"] = scratch  # and the servers and kernels the tests start
    base = Path(tempfile.mkdtemp(prefix="hnscc-edu-tests-"))
    config._hnscc_tmp = base
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        # a pytest-xdist worker is given a folder inside this one by its controller
        config.option.basetemp = str(base / "tmp")
        config._hnscc_basetemp = base / "tmp"
    for variable, sub in {
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "IPYTHONDIR": "ipython",
        "XDG_DATA_HOME": "xdg-data",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_STATE_HOME": "xdg-state",
        "XDG_CACHE_HOME": "xdg-cache",
    }.items():
        (base / sub).mkdir()
        os.environ[variable] = str(base / sub)
    os.environ["HNSCC_EDU_DB_URL"] = f"sqlite:///{base / 'notebooks.sqlite3'}"
    os.environ["HNSCC_EDU_LEARNER_ID"] = "nbval-learner"
    os.environ["HNSCC_EDU_AUTO_ANSWER"] = "1"
    os.environ["HNSCC_EDU_COURSE_ROOT"] = str(ROOT)
    os.environ.pop("JUPYTERHUB_USER", None)
    # the provider's certificate signing key of the test run (made here, outside the repository and the home)
    from hnscc_edu import keys

    os.environ[keys.KEY_DIR_VARIABLE] = str(base / "keys")
    keys.init(base / "keys")
    os.environ.pop("HNSCC_EDU_PUBLIC_URL", None)


# Files whose set-up or tests take longest (the slowest of make test's printed durations): started first, so the
# other processes fill in around them instead of one of them running alone at the end.
STARTED_FIRST = (
    "tests/credit/test_report.py",  # a simulated cohort of 500 learners
    "tests/credit/test_psychometrics.py",
    "tests/credit/test_learner_path.py",
    "tests/hub/test_hub.py",
    "tests/browser/test_accessibility.py",
)


def _scope(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    return "notebooks (one learner's walk)" if path.endswith(".ipynb") else path


def pytest_collection_modifyitems(session, config, items) -> None:
    """Under pytest-xdist, order the files for ``--no-loadscope-reorder``: ``STARTED_FIRST``, then the others by
    their number of tests, most first (what xdist's own reordering does); each file keeps its tests' order."""
    if not hasattr(config, "workerinput"):
        return
    sizes: dict[str, int] = {}
    for item in items:
        sizes[_scope(item.nodeid)] = sizes.get(_scope(item.nodeid), 0) + 1

    def rank(scope: str) -> tuple[int, int]:
        first = STARTED_FIRST.index(scope) if scope in STARTED_FIRST else len(STARTED_FIRST)
        return first, -sizes[scope]

    items.sort(key=lambda item: rank(_scope(item.nodeid)))


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadfile":
        return None  # another distribution asked for: xdist's own
    from xdist.scheduler import LoadFileScheduling

    class NotebooksTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    return NotebooksTogether(config, log)


def pytest_collection_finish(session) -> None:
    if not any(str(getattr(item, "path", "")).endswith(".ipynb") for item in session.items):
        return
    from tests.service_harness import ServiceProcess

    base = session.config._hnscc_tmp
    service = ServiceProcess(
        os.environ["HNSCC_EDU_DB_URL"], os.environ["HNSCC_EDU_LEARNER_ID"], base / "course-service.log"
    )
    session.config._hnscc_service = service
    os.environ.update(service.env())
    service.client().path("acknowledge", profession="radiation_oncologist", degree="MD")


def pytest_sessionfinish(session, exitstatus) -> None:
    session.config._hnscc_failed = exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)


def pytest_unconfigure(config) -> None:
    service = getattr(config, "_hnscc_service", None)
    if service is not None:
        service.stop()
    base = getattr(config, "_hnscc_tmp", None)
    if base is None:
        return
    kept = getattr(config, "_hnscc_basetemp", None) if getattr(config, "_hnscc_failed", False) else None
    if kept is None:
        shutil.rmtree(base, ignore_errors=True)
    else:  # the RAM the run used goes back, but for the folders of the failed tests
        for child in base.iterdir():
            if child == kept:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        print(f"\nThe failed run's temporary files (logs of the servers it started) are kept in {kept}")
