"""``hnscc-edu export FORMAT --out DIR [--bank ID | --all]``: the command line's side of an export.

Prints the files written on standard output and every warning on standard error, one line each. LRS credentials
come from the environment (``HNSCC_EDU_LRS_USER``, ``HNSCC_EDU_LRS_PASSWORD``) so a password never shows in the
process list or the shell history.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..content.course import load_course
from ..store.database import Store, StoreError
from .common import ExportError
from .lrs import LrsEndpoint
from .writer import run_export
from .xapi import DEFAULT_BASE, XapiSettings


def run(args: argparse.Namespace, root: Path) -> int:
    content = load_course(root)
    if content.problems:
        print(
            f"hnscc-edu export: {len(content.problems)} content problem(s); files with problems are left out "
            "(run 'hnscc-edu validate')",
            file=sys.stderr,
        )
    ids = None if args.all or not args.bank else list(args.bank)
    if args.format != "xapi" and (args.lrs or args.learner or args.base_iri):
        raise ExportError("--lrs, --learner and --base-iri apply to the xapi format only")
    settings = lrs = store = None
    if args.format == "xapi":
        pass_percent = content.info.passing_score_percent if content.info else XapiSettings.pass_percent
        settings = XapiSettings(base=args.base_iri or DEFAULT_BASE, pass_percent=pass_percent)
        if args.lrs:
            lrs = LrsEndpoint(
                args.lrs, os.environ.get("HNSCC_EDU_LRS_USER") or None, os.environ.get("HNSCC_EDU_LRS_PASSWORD")
            )
        try:
            store = Store()
        except StoreError as exc:
            raise ExportError(str(exc)) from None
    try:
        report = run_export(args.format, content, Path(args.out), ids, store, args.learner, settings, lrs)
    except StoreError as exc:
        raise ExportError(str(exc)) from None
    for path in report.files:
        print(path)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "xapi":
        posted = f"; {report.posted} posted to {lrs.statements_url}" if lrs else ""
        print(f"{report.statements} statement(s){posted}", file=sys.stderr)
    left_out = sum(1 for w in report.warnings if w.left_out)
    if left_out:
        print(f"hnscc-edu export: {left_out} item(s) left out; see the warnings above", file=sys.stderr)
    return 0
