"""``screener decisions``: the standing screening decisions, as JSON or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from screener.blinding import open_as
from screener.commands import (
    add_command,
    add_keep_formulas,
    add_reviewer_option,
    blind_notice,
    open_project,
)
from screener.commands.decide import decision_row
from screener.models import Stage
from screener.spreadsheet import CsvDictWriter
from screener.terminal import terminal_safe

_FIELDS = ["work_id", "reviewer", "decision", "reasons", "note", "time", "stage", "protocol_version"]


def register(sub: Any) -> None:
    p = add_command(
        sub, "decisions", "list current screening decisions (JSON or CSV)",
        description="List each reviewer's current decision per work (changes and undos are\n"
        "applied; --history lists every row, undos included).",
    )
    add_reviewer_option(p, "list only NAME's decisions, as NAME (default: as $SCREENER_REVIEWER "
                        "or the login name: everyone's, or while the stage is blinded and "
                        "you are not a lead, your own)")
    p.add_argument("--stage", choices=[s.value for s in Stage], default=Stage.TITLE_ABSTRACT.value)
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--history", action="store_true", help="every decision row, undos included")
    add_keep_formulas(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    store, view = open_as(project, args.reviewer)
    stage = Stage(args.stage)
    blind_notice(view, stage)
    only = view.reviewer if args.reviewer is not None else None
    try:
        if args.history:
            rows = [r for r in store.decision_history(stage)
                    if only is None or r["reviewer"] == only]
        else:
            rows = [decision_row(d) for d in store.current_decisions(stage, only)]
    finally:
        store.close()
    if args.format == "json":
        sys.stdout.write(terminal_safe(json.dumps(rows, indent=2, ensure_ascii=False)) + "\n")
        return 0
    fields = ["id", *_FIELDS] if args.history else _FIELDS
    writer = CsvDictWriter(sys.stdout, fields, extrasaction="ignore",
                           keep_formulas=args.keep_formulas)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "reasons": ";".join(row["reasons"])})
    return 0
