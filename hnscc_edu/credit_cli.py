"""Commands of the learner's path to credit: ``report`` and ``simulate-cohort`` (certificates and their key:
``certificate_cli``).

Registered on the main parser by ``cli.main``. Each command prints one plain line on success; on failure one line on
stderr and a non-zero exit (1 for "not earned" or "does not verify", 2 for unusable input), never a traceback.
Heavy modules (PDF, plotly, scipy) are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_credit_commands(sub) -> None:
    def store_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--db", metavar="URL", help="the store's SQLAlchemy URL (default: HNSCC_EDU_DB_URL, "
                                                        "else the platform data folder)")

    report = sub.add_parser("report", help="the course director's outcomes report: report.html and CSV files")
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (created when missing)")
    store_option(report)
    report.set_defaults(run=_report)
    simulate = sub.add_parser("simulate-cohort", help="fill a store with synthetic learners (demos, tests, "
                                                      "benchmarks)")
    simulate.add_argument("--learners", type=int, required=True, metavar="N")
    simulate.add_argument("--seed", type=int, default=2026, help="the same seed gives the same cohort")
    simulate.add_argument("--prefix", default="sim", help="learner ids are PREFIX-00001, ... (default: sim)")
    simulate.add_argument("--key-dir", metavar="DIR", help="the signing key's folder, for the certificates simulated "
                                                           "learners earn (default: HNSCC_EDU_KEY_DIR, else "
                                                           "~/.config/hnscc-edu/keys)")
    store_option(simulate)
    simulate.set_defaults(run=_simulate)


def _fail(message: str, code: int = 1) -> int:
    print(f"hnscc-edu: {message}", file=sys.stderr)
    return code


def course_from_args(args: argparse.Namespace):
    from .content.cache import load_course_with_credit
    from .content.course import course_root

    content = load_course_with_credit(Path(args.root).resolve() if args.root else course_root())
    if content.info is None:
        raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
    return content


def store_from_args(args: argparse.Namespace):
    from .store import Store

    return Store(args.db or None)


def _report(args: argparse.Namespace) -> int:
    from .export import report
    from .store import StoreError

    try:
        content = course_from_args(args)
        data = report.build(content, store_from_args(args))
        written = report.write(data, content, Path(args.out))
    except StoreError as exc:
        return _fail(str(exc), 2)
    csvs = sum(1 for p in written if p.suffix == ".csv")
    print(f"Wrote {Path(args.out) / 'report.html'} and {csvs} CSV files ({data.summary['learners']} learners, "
          f"{data.summary['paired_learners']} with paired pre/post answers). {report.time_line(data)}")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from . import keys
    from .sessions.simulation import simulate_cohort
    from .store import StoreError

    if args.learners < 1:
        return _fail("--learners must be at least 1", 2)
    try:
        signer = keys.load_signer(keys.key_dir(args.key_dir))
    except keys.SigningKeyError as exc:
        return _fail(f"simulated learners who finish receive signed certificates: {exc}", 2)
    try:
        content, store = course_from_args(args), store_from_args(args)
        summary = simulate_cohort(content, store, args.learners, seed=args.seed, prefix=args.prefix, signer=signer)
    except StoreError as exc:
        return _fail(str(exc), 2)
    print(f"{summary} Store: {store.url}")
    return 0
