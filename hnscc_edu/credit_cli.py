"""Commands of the learner's path to credit: ``certificate``, ``verify-certificate``, ``report``, ``simulate-cohort``.

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

    cert = sub.add_parser("certificate", help="write a learner's certificate PDF (issued now when earned, a copy of "
                                              "the stored one when already issued)")
    cert.add_argument("learner_id")
    cert.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    store_option(cert)
    cert.set_defaults(run=_certificate)
    verify = sub.add_parser("verify-certificate", help="check a certificate PDF against the store (exit 0 when it "
                                                       "matches, 1 otherwise)")
    verify.add_argument("pdf", metavar="FILE.pdf")
    store_option(verify)
    verify.set_defaults(run=_verify)
    report = sub.add_parser("report", help="the course director's outcomes report: report.html and CSV files")
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (created when missing)")
    store_option(report)
    report.set_defaults(run=_report)
    simulate = sub.add_parser("simulate-cohort", help="fill a store with synthetic learners (demos, tests, "
                                                      "benchmarks)")
    simulate.add_argument("--learners", type=int, required=True, metavar="N")
    simulate.add_argument("--seed", type=int, default=2026, help="the same seed gives the same cohort")
    simulate.add_argument("--prefix", default="sim", help="learner ids are PREFIX-00001, ... (default: sim)")
    store_option(simulate)
    simulate.set_defaults(run=_simulate)


def _fail(message: str, code: int = 1) -> int:
    print(f"hnscc-edu: {message}", file=sys.stderr)
    return code


def _course(args: argparse.Namespace):
    from .content.cache import load_course_cached
    from .content.course import course_root

    content = load_course_cached(Path(args.root).resolve() if args.root else course_root())
    if content.info is None:
        raise ValueError("the course file (course.yaml) is missing or has problems; run 'hnscc-edu validate'")
    return content


def _store(args: argparse.Namespace):
    from .store import Store

    return Store(args.db or None)


def _certificate(args: argparse.Namespace) -> int:
    from .engine.credit_session import LearnerPath
    from .engine.learner_path import PathError
    from .export import certificates
    from .store import StoreError
    from .store.credit import CreditStore

    try:
        content, store = _course(args), _store(args)
        if args.learner_id not in CreditStore(store).learner_ids():
            return _fail(f"there is no learner {args.learner_id!r} in the store ({store.url})")
        record = LearnerPath(content, store, args.learner_id).certificate()
        path = certificates.write(record, Path(args.out))
    except PathError as exc:
        return _fail(f"no certificate for {args.learner_id}: {exc}")
    except StoreError as exc:
        return _fail(str(exc), 2)
    print(f"Wrote {path}: {record.payload['certificate_title']}, {record.credit_line}, "
          f"certificate {record.certificate_id}.")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .engine.credit_session import record_from_row
    from .export import certificates
    from .store import StoreError
    from .store.credit import CreditStore

    try:
        data = Path(args.pdf).read_bytes()
    except OSError as exc:
        return _fail(f"{args.pdf} cannot be read ({exc.strerror or exc.__class__.__name__})")
    try:
        credit_store = CreditStore(_store(args))

        def lookup(certificate_id: str):
            row = credit_store.certificate(certificate_id)
            return record_from_row(row) if row is not None else None

        result = certificates.verify(data, lookup)
    except StoreError as exc:
        return _fail(str(exc))
    if not result.ok:
        return _fail(f"{args.pdf}: {result.message}")
    print(f"{args.pdf}: {result.message}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .export import report
    from .store import StoreError

    try:
        content = _course(args)
        data = report.build(content, _store(args))
        written = report.write(data, content, Path(args.out))
    except StoreError as exc:
        return _fail(str(exc), 2)
    csvs = sum(1 for p in written if p.suffix == ".csv")
    print(f"Wrote {Path(args.out) / 'report.html'} and {csvs} CSV files ({data.summary['learners']} learners, "
          f"{data.summary['paired_learners']} with paired pre/post answers).")
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from .engine.simulation import simulate_cohort
    from .store import StoreError

    if args.learners < 1:
        return _fail("--learners must be at least 1", 2)
    try:
        content, store = _course(args), _store(args)
        summary = simulate_cohort(content, store, args.learners, seed=args.seed, prefix=args.prefix)
    except StoreError as exc:
        return _fail(str(exc), 2)
    print(f"{summary} Store: {store.url}")
    return 0
