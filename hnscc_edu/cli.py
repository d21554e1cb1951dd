"""The maintainer's command line: ``hnscc-edu validate | inventory | timing | schema``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import __version__
from .content.course import course_root, load_course, private_content_dir
from .content.inventory import inventory
from .export import FORMATS


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"}))
        else:
            files.append(path)
    return files


def _validate(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else course_root()
    missing = [p for p in args.paths if not Path(p).exists()]
    for path in missing:
        print(f"{path}:1: (file): does not exist")
    paths = _expand([p for p in args.paths if Path(p).exists()]) if args.paths else None
    today = dt.date.fromisoformat(args.today) if args.today else None
    content = load_course(root, paths=paths, today=today, private=private_content_dir())
    for problem in content.problems:
        print(problem)
    count = len(content.problems) + len(missing)
    checked = len(content.files)
    print(f"{checked} file(s) checked, {count} problem(s).", file=sys.stderr)
    return 1 if count else 0


def _inventory(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else course_root()
    data = inventory(load_course(root))
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        print()
    else:
        for case in data["cases"]:
            print(f"case {case['id']} (module {case['module']}): {case['stages']} stages, {case['items']} items")
        for bank in data["item_banks"]:
            print(f"item bank {bank['id']} ({bank['purpose']}): {bank['items']} items")
        print(f"{data['references']} references; {data['problems']} problem(s)")
    return 0


def _timing(args: argparse.Namespace) -> int:
    from .content.timing import RATES, course_timing

    root = Path(args.root).resolve() if args.root else course_root()
    content = load_course(root)
    if content.info is None:
        print("hnscc-edu: the course file did not validate; run 'hnscc-edu validate'", file=sys.stderr)
        return 2
    timing = course_timing(content.cases.values(), content.info.core_path)
    if args.json:
        json.dump(timing.as_json(), sys.stdout, indent=2)
        print()
        return 0
    print(f"{'case':<34} {'module':>6} {'path':<9} {'minutes':>7}")
    for case in timing.cases:
        print(f"{case.id:<34} {case.module:>6} {'core' if case.core else 'deepening':<9} {case.minutes:>7.1f}")
    for module, minutes in timing.module_minutes().items():
        print(f"module {module}: core {minutes['core']:.1f} min, everything {minutes['all']:.1f} min")
    print(
        f"core path: {timing.core_minutes:.1f} min (course.yaml estimated_minutes: "
        f"{content.info.estimated_minutes}); everything: {timing.all_minutes:.1f} min"
    )
    print("rates used:")
    for name, rate in RATES.items():
        print(f"  {name}: {rate['value']:g} ({rate['source']}; {rate['label']})")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .content.models import MODELS_BY_KIND

    json.dump(MODELS_BY_KIND[args.kind].model_json_schema(), sys.stdout, indent=2)
    print()
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export.command import run  # imported on use: the other commands need none of the export modules

    return run(args, Path(args.root).resolve() if args.root else course_root())


def _checklist(args: argparse.Namespace) -> int:
    from .export.checklist import write  # imported on use, like export

    root = Path(args.root).resolve() if args.root else course_root()
    for path in write(Path(args.out), load_course(root).references):
        print(path)
    return 0


def _upgrade_db(args: argparse.Namespace) -> int:
    from .store import StoreError, default_url
    from .store.migrations import LATEST_VERSION, NewerStore
    from .store.upgrade import upgrade

    try:
        done = upgrade(args.db or default_url(), backup=not args.no_backup)
    except NewerStore as exc:
        print(
            f"hnscc-edu: the course database was written by a newer release of hnscc-edu ({exc}; this release "
            f"knows up to store version {LATEST_VERSION}). Update hnscc-edu.",
            file=sys.stderr,
        )
        return 1
    except StoreError as exc:
        print(f"hnscc-edu: {exc}", file=sys.stderr)
        return 1
    if done.before == done.after:
        print(f"The course database at {done.where} is already at store version {done.after}; nothing to do.")
        return 0
    if done.backup is not None:
        print(f"Copied the store to {done.backup} before upgrading it.")
    found = "an empty database" if done.before == 0 else f"store version {done.before}"
    print(f"Upgraded the course database at {done.where} from {found} to store version {done.after}.")
    return 0


def _follow_up(args: argparse.Namespace) -> int:
    import datetime as dt
    import json
    import os

    from .export.follow_up import FOLLOW_UP_PAGE, learners
    from .rules.credit import DEFAULT_PUBLIC_URL
    from .store import Store, StoreError

    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
        people = learners(Store(args.db or None), today)
    except StoreError as exc:
        print(f"hnscc-edu: {exc}", file=sys.stderr)
        return 1
    if args.due:
        people = [p for p in people if p.state.open]
    public = os.environ.get("HNSCC_EDU_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/") + "/"
    where = public + FOLLOW_UP_PAGE
    rows = [
        {
            "learner_id": p.learner_id,
            "name": p.name,
            "evaluated_on": p.evaluated_on.isoformat(),
            "status": p.state.status,
            "due_from": p.state.due_from.isoformat(),
            "due_until": p.state.due_until.isoformat(),
            "objectives": list(p.state.objectives),
            "where": where,
        }
        for p in people
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No follow-up is due." if args.due else "No learner committed to a change yet.")
        return 0
    for row in rows:
        print(
            f"{row['learner_id']}\t{row['name'] or '(no name attested)'}\t{row['status']}\t"
            f"due {row['due_from']} to {row['due_until']}\t{', '.join(row['objectives'])}"
        )
    print(
        f"Send each learner to {where} (after logging in), or wait for their next visit: the form is shown on "
        "the start page and on the post-test page while it is due."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hnscc-edu", description="Maintain the hnscc-edu course content.")
    parser.add_argument("--version", action="version", version=f"hnscc-edu {__version__}")
    parser.add_argument("--root", help="the course folder (the one with course.yaml); default: found from here")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check content files; one line per problem: file:line: field: message")
    validate.add_argument("paths", nargs="*", help="files or folders to check (default: the whole course)")
    validate.add_argument("--today", help="check review dates as of this date (YYYY-MM-DD)")
    validate.set_defaults(run=_validate)
    inv = sub.add_parser("inventory", help="describe the course's contents")
    inv.add_argument("--json", action="store_true", help="print JSON on stdout")
    inv.set_defaults(run=_inventory)
    timing = sub.add_parser("timing", help="estimate minutes per case and module, for the core path and everything")
    timing.add_argument("--json", action="store_true", help="print JSON on stdout")
    timing.set_defaults(run=_timing)
    schema = sub.add_parser("schema", help="print the JSON Schema of a content file kind (for editors)")
    schema.add_argument("kind", choices=["case", "item_bank", "bibliography", "course"])
    schema.set_defaults(run=_schema)
    export = sub.add_parser(
        "export", help="export item banks and cases (qti21, qti12, moodle, gift, html) or learning records (xapi)"
    )
    export.add_argument("format", choices=FORMATS)
    export.add_argument("--out", required=True, help="the folder to write into (created when missing)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--bank", action="append", metavar="ID", help="an item bank or case id; repeat for more")
    which.add_argument("--all", action="store_true", help="every item bank and case (the default)")
    export.add_argument("--learner", help="xapi: only this learner's records")
    export.add_argument("--base-iri", help="xapi: the course's address; learners and activities are named under it")
    export.add_argument(
        "--lrs",
        metavar="URL",
        help="xapi: also post to this LRS endpoint (credentials from HNSCC_EDU_LRS_USER and HNSCC_EDU_LRS_PASSWORD)",
    )
    export.set_defaults(run=_export)
    checklist = sub.add_parser("checklist", help="write the module 1 re-irradiation checklist (one page, HTML and PDF)")
    checklist.add_argument("--out", required=True, help="the folder to write into (created when missing)")
    checklist.set_defaults(run=_checklist)
    follow = sub.add_parser(
        "follow-up",
        help="learners who committed to a change, and whose follow-up (60-90 days "
        "after their evaluation) is due; where to send them",
    )
    follow.add_argument("--due", action="store_true", help="only the follow-ups due now (or late)")
    follow.add_argument("--json", action="store_true", help="print JSON on stdout")
    follow.add_argument("--db", metavar="URL", help="the store's SQLAlchemy URL (default: HNSCC_EDU_DB_URL)")
    follow.add_argument("--today", help="as of this date (YYYY-MM-DD)")
    follow.set_defaults(run=_follow_up)
    upgrade_db = sub.add_parser(
        "upgrade-db",
        help="bring the course database to this release's layout (a SQLite "
        "store is copied first); opening it does the same, this says what it did",
    )
    upgrade_db.add_argument(
        "--db",
        metavar="URL",
        help="the store's SQLAlchemy URL (default: HNSCC_EDU_DB_URL, else the course's SQLite file)",
    )
    upgrade_db.add_argument("--no-backup", action="store_true", help="do not copy a SQLite store first")
    upgrade_db.set_defaults(run=_upgrade_db)
    from .certificate_cli import add_certificate_commands  # keys, certificate, verify/revoke-certificate
    from .credit_cli import add_credit_commands  # report, simulate-cohort

    add_certificate_commands(sub)
    add_credit_commands(sub)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (OSError, ValueError) as exc:
        print(f"hnscc-edu: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
