"""Commands of the learner's path to credit: ``report``, ``simulate-cohort``, ``transcript`` and
``activity-summary`` (certificates and their key: ``certificate_cli``).

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
        parser.add_argument(
            "--db",
            metavar="URL",
            help="the store's SQLAlchemy URL (default: HNSCC_EDU_DB_URL, else the platform data folder)",
        )

    report = sub.add_parser("report", help="the course director's outcomes report: report.html and CSV files")
    report.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (created when missing)")
    store_option(report)
    report.set_defaults(run=_report)
    simulate = sub.add_parser("simulate-cohort", help="fill a store with synthetic learners (demos, tests, benchmarks)")
    simulate.add_argument("--learners", type=int, required=True, metavar="N")
    simulate.add_argument("--seed", type=int, default=2026, help="the same seed gives the same cohort")
    simulate.add_argument("--prefix", default="sim", help="learner ids are PREFIX-00001, ... (default: sim)")
    simulate.add_argument(
        "--key-dir",
        metavar="DIR",
        help="the signing key's folder, for the certificates simulated "
        "learners earn (default: HNSCC_EDU_KEY_DIR, else "
        "~/.config/hnscc-edu/keys)",
    )
    store_option(simulate)
    simulate.set_defaults(run=_simulate)
    transcript = sub.add_parser(
        "transcript",
        help="a learner's transcript (HTML and PDF): activities completed with a certificate, dates, credit by type",
    )
    transcript.add_argument("learner_id", metavar="LEARNER_ID")
    transcript.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="the folder to write transcript-<id>.html and .pdf into (created when missing)",
    )
    store_option(transcript)
    transcript.set_defaults(run=_transcript)
    summary = sub.add_parser(
        "activity-summary",
        help="learners by credit type and profession, with the physicians "
        "and other learners ACCME asks of an activity (CSV)",
    )
    summary.add_argument(
        "--out", required=True, metavar="FILE.csv", help="the CSV file to write (its folder is created when missing)"
    )
    summary.add_argument("--json", action="store_true", help="also print the summary as JSON on stdout")
    store_option(summary)
    summary.set_defaults(run=_activity_summary)


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
    from .export.case_counts import CaseCounting
    from .store import StoreError

    try:
        content = course_from_args(args)
        store = store_from_args(args)
        # the store starts counting the case answers first, on the second core, while pandas and the report's
        # modules load on this one (about half a second)
        with CaseCounting.start(content, store) as counting:
            from .export import report

            data = report.build(content, store, counting=counting)
        written = report.write(data, content, Path(args.out))
    except StoreError as exc:
        return _fail(str(exc), 2)
    csvs = sum(1 for p in written if p.suffix == ".csv")
    print(
        f"Wrote {Path(args.out) / 'report.html'} and {csvs} CSV files ({data.summary['learners']} learners, "
        f"{data.summary['paired_learners']} with paired pre/post answers). {report.time_line(data)}"
    )
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


def _transcript(args: argparse.Namespace) -> int:
    from .export import transcript
    from .store import StoreError

    try:
        content, store = course_from_args(args), store_from_args(args)
        data = transcript.build_transcript(store, content, args.learner_id)
        html_path, pdf_path = transcript.write_transcript(data, Path(args.out))
    except transcript.NoTranscript as exc:
        return _fail(str(exc))
    except StoreError as exc:
        return _fail(str(exc), 2)
    counted = (
        "; ".join(
            f"{t.credit_line}{'' if t.for_credit else ' (' + transcript.mode_label(t.mode) + ')'}" for t in data.totals
        )
        or "no credit counted"
    )
    revoked = f"; {data.revoked} revoked, not counted" if data.revoked else ""
    print(
        f"Wrote {html_path} and {pdf_path} ({data.learner_name}: {len(data.entries)} certificate"
        f"{'' if len(data.entries) == 1 else 's'}; {counted}{revoked})."
    )
    return 0


def _activity_summary(args: argparse.Namespace) -> int:
    import json

    from .export import transcript
    from .store import StoreError

    try:
        content = course_from_args(args)
        summary = transcript.build_summary(store_from_args(args), content)
        written = transcript.write_summary(summary, Path(args.out))
    except StoreError as exc:
        return _fail(str(exc), 2)
    whole = summary.activity
    line = (
        f"Wrote {written}: {whole['acknowledged']} learners acknowledged, {whole['passed']} passed, "
        f"{whole['certificates']} certificates ({whole['physicians']} physicians, {whole['other_learners']} "
        f"other learners; {whole['not_for_credit']} not for credit), {whole['revoked']} revoked and not counted."
    )
    if args.json:
        print(json.dumps(summary.as_json(), indent=2, ensure_ascii=False))
        print(line, file=sys.stderr)  # stdout holds the JSON alone
    else:
        print(line)
    return 0
