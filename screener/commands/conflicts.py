"""``screener conflicts``: the conflicts screen for the lead, or a plain listing."""

from __future__ import annotations

import argparse
import json
from typing import Any

from screener.blinding import open_as
from screener.commands import add_command, blind_notice, emit, open_project, warn
from screener.conflicts import Conflict, ConflictSession, list_conflicts
from screener.keymap import check_keymap
from screener.models import Stage
from screener.project import CONFIG_NAME, Project
from screener.roster import acting_reviewer, require_lead
from screener.store import Store


def register(sub: Any) -> None:
    p = add_command(
        sub, "conflicts", "resolve the reviewers' conflicts (TUI), or list them",
        description="Open the conflicts screen: each work the reviewers disagree on (or one "
        "marked maybe), both decisions, reasons and notes side by side, the record with its "
        "keywords highlighted, and keys to record the final include/exclude.",
    )
    p.add_argument("--reviewer", metavar="LEAD",
                   help="the lead who resolves (needed for the TUI); with --list, who is "
                   "looking (default: $SCREENER_REVIEWER or the login name)")
    p.add_argument("--list", action="store_true", help="print the conflicts instead of the TUI")
    p.add_argument("--all", action="store_true", help="with --list: resolved conflicts too")
    p.add_argument("--json", action="store_true", help="with --list: machine-readable output")
    p.add_argument("--stage", choices=[s.value for s in Stage], default=Stage.TITLE_ABSTRACT.value)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    stage = Stage(args.stage)
    if not (args.list or args.json):
        if not args.reviewer:
            warn("screener conflicts: error: give the lead's name with --reviewer LEAD (or --list)")
            return 2
        return _tui(project, args.reviewer, stage, getattr(args, "debug", False))
    protocol = project.protocol
    store, view = open_as(project, args.reviewer, protocol)
    blind_notice(view, stage)
    try:
        conflicts = list_conflicts(store, stage, protocol, include_resolved=args.all)
        if args.json:
            emit(json.dumps([_json(store, c) for c in conflicts], indent=2, ensure_ascii=False))
        else:
            _print(store, conflicts, stage)
    finally:
        store.close()
    return 0


def _tui(project: Project, lead: str, stage: Stage, debug: bool) -> int:
    protocol = project.protocol
    store = project.open_store()
    try:
        lead = acting_reviewer(store, lead)
        require_lead(store, lead, protocol, "resolve conflicts")
        session = ConflictSession(store, lead, stage, protocol)
        session.use_journal(project.root)
        # Textual is imported only here, so the rest of the CLI starts fast without it.
        from screener.tui.conflicts_app import ConflictsApp
        from screener.tui.launch import run_app

        keymap = check_keymap(project.config.keys, project.root / CONFIG_NAME)
        run_app(ConflictsApp(session, review_title=project.config.title, keymap=keymap),
                "conflicts screen", debug=debug)
    finally:
        store.close()
    return 0


def _json(store: Store, c: Conflict) -> dict[str, Any]:
    work = store.get_work(c.work_id)
    return {
        "work_id": c.work_id,
        "title": work.record.title,
        "decisions": [
            {"reviewer": d.reviewer, "decision": d.decision.value, "reasons": d.reasons,
             "note": d.note, "time": d.time}
            for d in c.decisions
        ],
        "resolution": c.resolution.model_dump(mode="json") if c.resolution else None,
    }


def _print(store: Store, conflicts: list[Conflict], stage: Stage) -> None:
    if not conflicts:
        emit(f"no open conflicts at {stage.value}")
        return
    open_count = sum(1 for c in conflicts if not c.resolved)
    emit(f"{open_count} open conflicts at {stage.value}"
         + (f" ({len(conflicts) - open_count} resolved)" if open_count < len(conflicts) else ""))
    for c in conflicts:
        title = store.get_work(c.work_id).record.title or "(no title)"
        emit("")
        emit(f"work {c.work_id}: {title}")
        for d in c.decisions:
            reasons = f" [{', '.join(d.reasons)}]" if d.reasons else ""
            note = f"  note: {d.note}" if d.note else ""
            emit(f"  {d.reviewer:<12} {d.decision.value:<8}{reasons}{note}".rstrip())
        if c.resolution:
            r = c.resolution
            reasons = f" [{', '.join(r.reasons)}]" if r.reasons else ""
            emit(f"  resolved: {r.decision.value}{reasons} by {r.resolved_by} at {r.time[:16].replace('T', ' ')} UTC"
                 + (f"  note: {r.note}" if r.note else ""))
