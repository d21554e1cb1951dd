"""Where ``hnscc-edu report`` spends its time: each step of the report, timed in one fresh process.

    .venv/bin/python benchmarks/report_steps.py --db sqlite:////tmp/scale/1m.db [--out DIR]

Prints one JSON document: seconds from the start of this process to the end of the imports, of loading the course
(from the course cache, as the command does), of every step of ``export.report_data`` and of writing; each step with
the thread it ran in (the store counts the case answers in a thread beside the replay), and the process's CPU time.
The steps are the report's own functions, wrapped with a timer here, taken in the command's order (the store's count
starts before the report's modules load); nothing is changed in what they do. Build a store
with ``benchmarks/run.py --only scale --scale-dir /tmp/scale`` (or ``attempts_at_scale.build_store``).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the imports below: the report's own imports are part of its time

import argparse
import functools
import json
import resource
import tempfile
import threading
from pathlib import Path

from hnscc_edu.content.cache import load_course_with_credit
from hnscc_edu.export import case_counts
from hnscc_edu.store import Store, report_reads

FIRST_IMPORTS = time.perf_counter()  # what the command loads before the store starts counting

ROOT = Path(__file__).resolve().parents[1]
# (module, function name) of the steps, in the order the command takes them: the count starts first, and the
# report's modules (pandas with them) load while the store counts
EARLY_STEPS = [(case_counts, "early_professions"), (report_reads, "first_case_answer_counts")]
REPORT_STEPS = [
    ("report_data", "_states"),
    ("report_data", "_participation"),
    ("report_data._TestReader", "read"),
    ("report_data._TestReader", "answers"),
    ("report_data", "_sittings"),
    ("report_data", "_learner_means"),
    ("report_data", "_prepost"),
    ("report_data", "_items"),
    ("report_data", "_psychometrics"),
    ("report_data", "_evaluation"),
    ("report_data", "_evaluation_items"),
    ("report_data", "_concordance"),
    ("report_data.follow_ups", "summary"),
    ("report_data", "_attestation_time"),
    ("report", "figures"),
    ("report", "page_html"),
]


def _since_start(moment: float) -> float:
    return round(moment - STARTED, 3)


def time_steps(steps: list[tuple[object, str]], timings: list[dict]) -> None:
    """Wrap every step with a timer that appends to ``timings``."""
    for owner, name in steps:
        step = getattr(owner, name)

        @functools.wraps(step)
        def timed(*args, __step=step, __name=name, **kwargs):
            began = time.perf_counter()
            try:
                return __step(*args, **kwargs)
            finally:
                timings.append(
                    {
                        "step": __name,
                        "thread": "main" if threading.current_thread() is threading.main_thread() else "beside",
                        "from_s": _since_start(began),
                        "to_s": _since_start(time.perf_counter()),
                    }
                )

        setattr(owner, name, timed)


def _owner(path: str, modules: dict[str, object]) -> object:
    first, *rest = path.split(".")
    owner = modules[first]
    for attribute in rest:
        owner = getattr(owner, attribute)
    return owner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the store's SQLAlchemy URL")
    parser.add_argument("--out", type=Path, help="where to write the report (default: a temporary folder)")
    args = parser.parse_args(argv)
    timings: list[dict] = []
    time_steps(EARLY_STEPS, timings)
    content = load_course_with_credit(ROOT)
    marks = {"first_imports_s": _since_start(FIRST_IMPORTS), "course_loaded_s": _since_start(time.perf_counter())}
    store = Store(args.db)
    with tempfile.TemporaryDirectory() as temporary:
        with case_counts.CaseCounting.start(content, store) as counting:  # as ``hnscc-edu report`` does
            from hnscc_edu.export import report, report_data

            marks["report_imports_s"] = _since_start(time.perf_counter())
            modules = {"report": report, "report_data": report_data}
            time_steps([(_owner(path, modules), name) for path, name in REPORT_STEPS], timings)
            data = report.build(content, store, counting=counting)
        marks["built_s"] = _since_start(time.perf_counter())
        report.write(data, content, args.out or Path(temporary))
        marks["written_s"] = _since_start(time.perf_counter())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                **marks,
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                "learners": data.summary["learners"],
                "steps": sorted(timings, key=lambda t: t["to_s"]),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
