"""``screener resolve``: the lead's final include/exclude on a conflict."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.commands import add_command, add_verdict_options, emit, open_project
from screener.models import Choice, Stage
from screener.roster import acting_reviewer, require_lead


def register(sub: Any) -> None:
    p = add_command(
        sub, "resolve", "record the final decision on a conflict",
        description="Record the lead's final include/exclude on a work the reviewers disagree "
        "on (or one a reviewer marked maybe). The reviewers' own decisions stay as they were; "
        "resolving again records a new resolution that supersedes the last.",
    )
    p.add_argument("work_id", metavar="WORK_ID", type=int)
    p.add_argument("decision", choices=[Choice.INCLUDE.value, Choice.EXCLUDE.value])
    p.add_argument("--by", metavar="NAME", default=None,
                   help="the lead who resolves (default: $SCREENER_REVIEWER or the login name)")
    add_verdict_options(p)
    p.add_argument("--json", action="store_true", help="print the stored resolution as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from screener.conflicts import resolve_conflict
    from screener.screening import work_number

    project = open_project(args)
    protocol = project.protocol
    store = project.open_store()
    try:
        lead = acting_reviewer(store, args.by)
        require_lead(store, lead, protocol, "resolve conflicts")
        res = resolve_conflict(
            store, protocol, work_number(store, args.work_id), Choice(args.decision), lead,
            stage=Stage(args.stage), reasons=args.reason, note=args.note,
        )
    finally:
        store.close()
    if args.json:
        emit(json.dumps(res.model_dump(mode="json"), ensure_ascii=False))
        return 0
    reasons = f" ({', '.join(res.reasons)})" if res.reasons else ""
    when = res.time[:16].replace("T", " ")
    emit(f"work {res.work_id}: resolved {res.decision.value}{reasons} by {res.resolved_by} "
         f"at {res.stage.value} ({when} UTC)")
    return 0
