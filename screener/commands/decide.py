"""``screener decide``: record one screening decision from a script."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.blinding import open_as
from screener.commands import (
    add_command,
    add_reviewer_option,
    add_verdict_options,
    emit,
    open_project,
)
from screener.models import Choice, Decision, Stage


def register(sub: Any) -> None:
    p = add_command(
        sub, "decide", "record a screening decision on one work",
        description="Record a reviewer's decision on a work, committed at once. An exclusion\n"
        "without --reason is stored as unspecified. Deciding again records a change;\n"
        "the history is kept.",
    )
    p.add_argument("work_id", metavar="WORK_ID", type=int)
    p.add_argument("decision", choices=[c.value for c in Choice])
    add_reviewer_option(p, "who decides (default: $SCREENER_REVIEWER or the login name)")
    add_verdict_options(p)
    p.add_argument("--json", action="store_true", help="print the stored decision as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from screener.screening import ScreeningSession

    project = open_project(args)
    store, view = open_as(project, args.reviewer)
    try:
        session = ScreeningSession.open(project, store, view.reviewer, Stage(args.stage), view)
        d = session.decide(Choice(args.decision), args.reason, args.note, work_id=args.work_id)
    finally:
        store.close()
    if args.json:
        emit(json.dumps(decision_row(d), ensure_ascii=False))
    else:
        reasons = f" ({', '.join(d.reasons)})" if d.reasons else (
            " (reason unspecified)" if d.decision is Choice.EXCLUDE else "")
        merged = (f" (record {args.work_id} is part of work {d.work_id})"
                  if args.work_id != d.work_id else "")
        emit(f"work {d.work_id}: {d.decision.value}{reasons} by {d.reviewer} at "
             f"{d.stage.value}{merged}")
    return 0


def decision_row(d: Decision) -> dict[str, Any]:
    """The public JSON shape of a decision (scripts rely on these keys)."""
    return {
        "work_id": d.work_id, "reviewer": d.reviewer, "decision": d.decision.value,
        "reasons": d.reasons, "note": d.note, "time": d.time, "stage": d.stage.value,
        "protocol_version": d.protocol_version,
    }
