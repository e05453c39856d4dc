"""``screener export``: works with their decisions (RIS, CSV, BibTeX), or the decision log."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import Any

from screener.blinding import open_as
from screener.commands import add_command, add_reviewer_option, blind_notice, emit, open_project
from screener.errors import ScreenerError
from screener.export import ExportWhat, collect_rows, write_csv, write_log
from screener.export_formats import write_bibtex, write_ris
from screener.models import Stage

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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    protocol = project.protocol
    log = args.log or args.what == "log"
    fmt = args.format or _BY_SUFFIX.get(Path(args.output).suffix.lower(), "csv")
    if log and fmt != "csv":
        raise ScreenerError("the decision log is written as CSV only (use --format csv)")
    buffer = io.StringIO()
    store, view = open_as(project, args.reviewer, protocol)
    blind_notice(view, *(Stage if log else [Stage(args.stage)]))
    try:
        if log:
            count = write_log(store, buffer)
            what = "events of the decision log"
        else:
            stage = Stage(args.stage)
            rows = collect_rows(store, protocol, ExportWhat(args.what), stage)
            {"ris": write_ris, "bibtex": write_bibtex}.get(
                fmt, lambda r, o: write_csv(r, o, stage)
            )(rows, buffer)
            count = len(rows)
            what = f"works ({args.what} at {stage.value})"
    finally:
        store.close()
    _write(args.output, buffer.getvalue())
    if args.output != "-":
        emit(f"wrote {count} {what} to {args.output} ({fmt})")
    return 0


def _write(output: str, text: str) -> None:
    """Write whole or not at all: a failed export never leaves a truncated file behind."""
    if output == "-":
        sys.stdout.write(text)
        return
    path = Path(output)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        # newline="" keeps the CSV writer's line endings as written.
        with tmp.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ScreenerError(f"cannot write: {exc.strerror}", path=path) from exc
