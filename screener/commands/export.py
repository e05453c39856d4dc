"""``screener export``: works with their decisions (RIS, CSV, BibTeX), or the decision log."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from screener.blinding import open_as
from screener.commands import add_command, add_reviewer_option, blind_notice, emit, open_project
from screener.errors import ScreenerError
from screener.export import ExportWhat, stream_rows, write_csv, write_log
from screener.models import Stage
from screener.output_file import output_file
from screener.protocol import ReviewProtocol
from screener.spreadsheet import KEEP_FORMULAS_HELP
from screener.store import Store

_FORMATS = ["ris", "csv", "bibtex"]
_BY_SUFFIX = {".ris": "ris", ".csv": "csv", ".bib": "bibtex", ".bibtex": "bibtex"}


def register(sub: Any) -> None:
    p = add_command(
        sub, "export", "export works with their decisions, or the decision log",
        description="Write the works of one outcome at a stage with every reviewer's "
        "decision, reasons and notes and the resolution, each in its own column (CSV), "
        "custom tag C1-C8 (RIS: EndNote Custom 1-8, Zotero notes) or screening_* field "
        "(BibTeX). --what log (or --log) writes the decision log CSV instead.",
    )
    p.add_argument(
        "--what", choices=[w.value for w in ExportWhat] + ["log"], default="included",
        help="which works (default: included); 'log' = every decision, resolution and "
        "retrieval with who and when",
    )
    p.add_argument("--log", action="store_true", help="same as --what log")
    p.add_argument(
        "--stage", choices=[s.value for s in Stage], default=Stage.TITLE_ABSTRACT.value,
        help="whose outcome selects the works (default: title_abstract)",
    )
    p.add_argument(
        "--format", choices=_FORMATS, default=None,
        help="output format (default: from the file name, else csv)",
    )
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write ('-' = stdout)")
    add_reviewer_option(p, "who is exporting: while a stage is blinded, a reviewer who is not "
                        "a lead exports only their own decisions (default: $SCREENER_REVIEWER "
                        "or the login name)")
    p.add_argument("--force", action="store_true", help="replace FILE when it exists")
    p.add_argument("--keep-formulas", action="store_true", help=KEEP_FORMULAS_HELP)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    protocol = project.protocol
    log = args.log or args.what == "log"
    fmt = args.format or _BY_SUFFIX.get(Path(args.output).suffix.lower(), "csv")
    if log and fmt != "csv":
        raise ScreenerError("the decision log is written as CSV only (use --format csv)")
    store, view = open_as(project, args.reviewer, protocol)
    blind_notice(view, *(Stage if log else [Stage(args.stage)]))
    try:
        with output_file(args.output, project=project, force=args.force) as out:
            count, what = write_export(store, protocol, "log" if log else args.what,
                                       Stage(args.stage), fmt, out,
                                       keep_formulas=args.keep_formulas)
    finally:
        store.close()
    if args.output != "-":
        emit(f"wrote {count} {what} to {args.output} ({fmt})")
    return 0


def format_for(output: str) -> str:
    """The export format a file name asks for (csv when the suffix says nothing)."""
    return _BY_SUFFIX.get(Path(output).suffix.lower(), "csv")


def write_export(store: Store, protocol: ReviewProtocol | None, what: str, stage: Stage,
                 fmt: str, out: TextIO, keep_formulas: bool = False) -> tuple[int, str]:
    """Write the works of outcome ``what`` at ``stage`` (``what="log"``: the decision log)
    as ``fmt`` to ``out``; returns how many and what they were. The app exports with it."""
    from screener.export_formats import write_bibtex, write_ris

    if what == "log":
        if fmt != "csv":
            raise ScreenerError("the decision log is written as CSV only (use --format csv)")
        return write_log(store, out, keep_formulas=keep_formulas), "events of the decision log"
    # Streamed: the works are read from the store as they are written.
    reviewers, rows = stream_rows(store, protocol, ExportWhat(what), stage)
    if fmt == "ris":
        count = write_ris(rows, out)
    elif fmt == "bibtex":
        count = write_bibtex(rows, out)
    else:
        count = write_csv(rows, out, stage, keep_formulas=keep_formulas, reviewers=reviewers)
    return count, f"works ({what} at {stage.value})"
