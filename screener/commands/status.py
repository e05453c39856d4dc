"""``screener status``: what the project holds and how far the review has come."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.blinding import open_as
from screener.commands import add_command, add_reviewer_option, blind_notice, emit, open_project
from screener.models import Stage


def register(sub: Any) -> None:
    p = add_command(sub, "status", "show records per source and method, and review progress")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_reviewer_option(p, "who is looking: while a stage is blinded, a reviewer who is not "
                        "a lead sees only their own decisions (default: $SCREENER_REVIEWER "
                        "or the login name)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from screener.status import project_status

    project = open_project(args)
    store, view = open_as(project, getattr(args, "reviewer", None))
    try:
        status = project_status(project, store)
    finally:
        store.close()
    status["blinded"] = {"reviewer": view.reviewer,
                         "own_decisions_only": sorted(s.value for s in view.hidden_stages)}
    blind_notice(view, *Stage)
    if args.json:
        emit(json.dumps(status, indent=2, ensure_ascii=False))
        return 0
    emit(f"{status['title']}  ({status['project']})")
    emit(f"records: {status['records']} from {status['files']} files")
    _table("by source", status["by_source"])
    _table("by method", status["by_method"])
    if status.get("records_with_warnings"):
        emit(f"records with import warnings: {status['records_with_warnings']} "
             "(kept; see the 'warnings' key of screener records)")
    emit(f"unique works: {status['unique_works']} ({_duplicates(status)})")
    _screening(status.get("screening"))
    _outcomes(status.get("outcomes"), status.get("pilot"))
    _fulltext(status.get("fulltext"))
    return 0


def _duplicates(status: dict[str, Any]) -> str:
    """Duplicates as PRISMA counts them, with the other-methods rest labelled."""
    merged, prisma = status["duplicates_removed"], status["prisma_duplicates_removed"]
    if merged == prisma:
        return f"duplicate records removed: {merged}, as in PRISMA"
    return (f"{merged} duplicate records merged: {prisma} in PRISMA's \"Duplicate records "
            f"removed\", {merged - prisma} with other-methods records, noted under the diagram")


def _fulltext(ft: dict[str, Any] | None) -> None:
    if not ft or not ft["sought"]:
        return
    emit(
        f"full text: {ft['sought']} reports sought, {ft['awaiting_retrieval']} awaiting "
        f"retrieval, {ft['not_retrieved']} not retrieved, {ft['assessed']} assessed "
        f"(included {ft['included']}, excluded {ft['excluded']}, pending {ft['pending']}, "
        f"conflicts {ft['conflicts']})"
    )


def _screening(screening: dict[str, Any] | None) -> None:
    from screener.ranking.stopping import advice_line

    if not screening:
        return
    emit(
        f"title/abstract screening ({screening['policy']}): "
        f"{screening['unscreened']} not yet screened, "
        f"{screening['awaiting_second_reviewer']} awaiting a second reviewer"
    )
    stop = screening.get("stop")
    if stop:
        emit(f"  stopped by {stop['stopped_by']} on {stop['stopped_at'][:10]} under the stopping "
             f"rule (recall {stop['recall_target']:g}, confidence {stop['confidence']:g}): "
             f"{screening['excluded_automatic']} works marked ineligible, not screened "
             "('screener resume-screening' undoes it)")
    for name, c in screening["reviewers"].items():
        emit(
            f"  {name}: {c['screened']} screened (include {c['include']}, "
            f"exclude {c['exclude']}, maybe {c['maybe']})"
        )
        if c.get("stopping"):
            emit(f"    {advice_line(c['stopping'])}")


def _outcomes(outcomes: dict[str, int] | None, pilot: dict[str, Any] | None) -> None:
    if outcomes:
        emit(
            f"title/abstract outcomes: included {outcomes['included']}, excluded "
            f"{outcomes['excluded']}, conflicts {outcomes['conflict']}, pending {outcomes['pending']}"
            + (f", excluded by the stopping rule {outcomes['excluded_automatic']}"
               if outcomes.get("excluded_automatic") else "")
        )
    if pilot:
        emit(pilot["message"])


def _table(title: str, counts: dict[str, int]) -> None:
    if not counts:
        return
    emit(f"{title}:")
    width = max(len(k) for k in counts)
    for key, n in counts.items():
        emit(f"  {key:<{width}}  {n:>7}")
