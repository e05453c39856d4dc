"""``screener fulltext WORK_ID ACTION --by NAME``: record retrieval and full-text eligibility."""

from __future__ import annotations

import argparse
from typing import Any

from screener.blinding import open_as
from screener.commands import add_command, blind_notice, emit, open_project
from screener.errors import ScreenerError
from screener.fulltext import fulltext_works, record_eligibility, record_retrieval
from screener.models import Choice, Retrieval, Stage

_ACTIONS = ["retrieved", "not-retrieved", "include", "exclude"]


def register(sub: Any) -> None:
    p = add_command(
        sub, "fulltext", "record a report's retrieval or full-text eligibility",
        description="Works included at title/abstract go to the full-text stage. Record "
        "whether the report was retrieved, then include or exclude it with a full-text "
        "reason from the protocol's [[fulltext_reasons]]. A decision on a work whose "
        "retrieval is not recorded marks it retrieved.",
    )
    p.add_argument("work_id", metavar="WORK_ID", type=int)
    p.add_argument("action", metavar="ACTION", choices=_ACTIONS, help=" | ".join(_ACTIONS))
    p.add_argument(
        "--reason", metavar="CODE", action="append", default=[],
        help="full-text exclusion reason code (repeatable; the first is the primary)",
    )
    p.add_argument("--note", metavar="TEXT", help="free-text note kept with the record")
    p.add_argument("--by", metavar="NAME", default=None,
                   help="who records it (default: $SCREENER_REVIEWER or the login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from screener.screening import work_number

    project = open_project(args)
    protocol, version = project.protocol, project.protocol_version
    store, view = open_as(project, args.by, protocol)
    by = view.reviewer
    blind_notice(view, Stage.FULLTEXT)
    try:
        args.work_id = work_number(store, args.work_id)
        if args.action in ("retrieved", "not-retrieved"):
            if args.reason:
                raise ScreenerError("--reason goes with 'exclude' only")
            record_retrieval(store, args.work_id, Retrieval(args.action), by, protocol, args.note)
        else:
            record_eligibility(
                store, args.work_id, Choice(args.action), by, protocol, args.reason, args.note,
                version,
            )
        (work,) = [w for w in fulltext_works(store, protocol) if w.work_id == args.work_id]
    finally:
        store.close()
    retrieval = work.retrieval.value if work.retrieval else "not recorded"
    outcome = work.outcome.value if work.outcome else "not assessed"
    reasons = f" ({', '.join(work.reasons)})" if work.reasons else ""
    emit(f"work {args.work_id}: {args.action} by {by}; report {retrieval}; "
         f"full-text outcome {outcome}{reasons}")
    return 0
