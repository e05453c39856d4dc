"""``screener stop``: the lead closes title/abstract screening under the stopping rule."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, open_project
from screener.roster import acting_reviewer, require_lead
from screener.store import Store
from screener.store.backup import automatic_backup


def register(sub: Any) -> None:
    p = add_command(
        sub, "stop", "close title/abstract screening under the stopping rule (lead only)",
        description="Close title/abstract screening for the works nobody has screened yet, on\n"
        "the advice of the protocol's stopping rule ([screening] stop_recall and\n"
        "stop_confidence). Those works leave every queue; PRISMA counts them as records\n"
        "marked as ineligible by automation tools, exports give them the outcome\n"
        "excluded_automatic and the decision log lists each one. The rule only advises:\n"
        "this command prints its advice per reviewer and stops whatever it says.\n"
        "'screener resume-screening' undoes a stop.",
    )
    p.add_argument("--by", metavar="LEAD", default=None,
                   help="the lead who stops (default: $SCREENER_REVIEWER or the login name)")
    p.add_argument("--json", action="store_true", help="print the stop as JSON")
    p.set_defaults(func=run)


def _backup(store: Store, has_rule: bool) -> Path | None:
    """A stop excludes every unscreened work at once: keep the database as it was first
    (SQLite; ``backups/auto-TIME-before-stop.db``, newest 10 kept). Not when the stop is
    refused anyway (no rule, already stopped), so refusals leave no backups behind."""
    if store.location.path is None or not has_rule or store.active_stop() is not None:
        return None
    return automatic_backup(store.location.path, "before-stop")


def run(args: argparse.Namespace) -> int:
    from screener.ranking.advice import stop_estimates
    from screener.ranking.stop import stop_screening
    from screener.ranking.stopping import advice_line

    project = open_project(args)
    protocol = project.require_protocol()
    store = project.open_store()
    try:
        lead = acting_reviewer(store, args.by)
        require_lead(store, lead, protocol, "stop screening")
        advice = {name: e.to_json() for name, e in stop_estimates(store, protocol).items()}
        saved = _backup(store, protocol.screening.stop_recall is not None)
        stop = stop_screening(store, protocol, lead)
    finally:
        store.close()
    if args.json:
        emit(json.dumps({
            "stopped_by": stop.stopped_by, "stopped_at": stop.stopped_at, "rule": stop.rule,
            "recall_target": stop.recall_target, "confidence": stop.confidence,
            "excluded_automatic": stop.works, "advice": advice,
            "backup": str(saved) if saved is not None else None,
        }, ensure_ascii=False))
        return 0
    if saved is not None:
        emit(f"kept a backup of the database as it was: {saved}")
    for name, a in advice.items():
        emit(f"{name}: {advice_line(a)}")
    emit(f"title/abstract screening stopped by {stop.stopped_by}: {stop.works} unscreened works "
         f"marked as ineligible by the stopping rule (recall {stop.recall_target:g}, "
         f"confidence {stop.confidence:g}); 'screener resume-screening' undoes it")
    return 0
