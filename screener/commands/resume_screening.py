"""``screener resume-screening``: undo a stop of title/abstract screening."""

from __future__ import annotations

import argparse
from typing import Any

from screener.commands import add_command, emit, open_project
from screener.roster import acting_reviewer, require_lead


def register(sub: Any) -> None:
    p = add_command(
        sub, "resume-screening", "undo 'screener stop': the works it excluded are unscreened again",
        description="Withdraw the stop of title/abstract screening: the works it marked as\n"
        "ineligible go back into every reviewer's queue and PRISMA counts them as not yet\n"
        "screened. The stop and its withdrawal both stay in the decision log.",
    )
    p.add_argument("--by", metavar="LEAD", default=None,
                   help="the lead who resumes (default: $SCREENER_REVIEWER or the login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from screener.ranking.stop import resume_screening

    project = open_project(args)
    protocol = project.protocol
    store = project.open_store()
    try:
        lead = acting_reviewer(store, args.by)
        require_lead(store, lead, protocol, "resume screening")
        stop = resume_screening(store, lead)
    finally:
        store.close()
    emit(f"title/abstract screening resumed by {lead}: the {stop.works} works the stop of "
         f"{stop.stopped_at[:10]} excluded are back in the queue")
    return 0
