"""``screener doctor``'s examination of a project, in plain words.

Each finding is a problem (the project needs repair: restore a backup), a note (worth
knowing, not an error: PRISMA boxes that do not add up yet while screening is under way)
or fine. The project is healthy when nothing is a problem.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from screener.errors import ScreenerError
from screener.failure import describe_failure, is_disk_full
from screener.project import Project
from screener.store import Store
from screener.store.backup import automatic_backups
from screener.store.health import integrity_problems, orphan_counts, schema_version
from screener.store.staging import is_alive


class Level(StrEnum):
    OK = "ok"
    NOTE = "note"
    PROBLEM = "PROBLEM"


@dataclass
class Finding:
    level: Level
    text: str
    remedy: str | None = None
    """For a problem that is not damage (a full disk): what to do instead of a repair."""


def examine(project: Project) -> list[Finding]:
    """Everything ``screener doctor`` checks, in the order it prints them."""
    findings: list[Finding] = []
    try:
        store = project.open_store()
    except (ScreenerError, sqlite3.Error, OSError) as exc:
        message = str(exc) if isinstance(exc, ScreenerError) else describe_failure(exc) or str(exc)
        findings.append(Finding(Level.PROBLEM, f"the database cannot be opened: {message}"))
        findings += _backup_findings(project, damaged=True)
        return findings
    try:
        findings += _database_findings(store)
        findings += _prisma_findings(project, store)
    except sqlite3.DatabaseError as exc:
        findings.append(Finding(Level.PROBLEM, f"reading the database failed: {exc}"))
    finally:
        store.close()
    damaged = any(f.level is Level.PROBLEM for f in findings)
    findings += _backup_findings(project, damaged=damaged)
    return findings


def _database_findings(store: Store) -> list[Finding]:
    out: list[Finding] = []
    problems = integrity_problems(store)
    if problems:
        out.append(Finding(Level.PROBLEM, "integrity check failed: " + "; ".join(problems)))
    elif store.backend == "sqlite":
        out.append(Finding(Level.OK, "integrity check: every page, index and reference is sound"))
    version, current = schema_version(store)
    if version == current:
        out.append(Finding(Level.OK, f"schema version {version} (this screener's)"))
    else:
        out.append(Finding(Level.PROBLEM, f"schema version {version}, this screener writes {current}"))
    out += _staged_findings(store)
    orphans = {what: n for what, n in orphan_counts(store).items() if n}
    if orphans:
        for what, n in orphans.items():
            out.append(Finding(Level.PROBLEM, f"{n} {what}"))
    else:
        out.append(Finding(Level.OK, "no orphaned rows (every record, decision, resolution, "
                                     "retrieval and duplicate pair points at something)"))
    out.append(Finding(Level.OK, f"{store.record_count():,} records, {store.work_count():,} "
                                 "unique works"))
    return out


def _staged_findings(store: Store) -> list[Finding]:
    """Imports under way are noted; what a dead one left (never visible) is removed, so
    it is reported once, not as a problem forever."""
    out: list[Finding] = []
    for staged in store.staged_imports():
        if is_alive(staged):
            out.append(Finding(Level.NOTE, f"an import of {staged.path} is under way "
                                           f"({staged.records:,} records staged so far)"))
            continue
        try:
            removed = store.discard_file(staged.file_id)
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            out.append(Finding(
                Level.PROBLEM,
                f"the disk is full: the {staged.records:,} staged records of an import of "
                f"{staged.path} that did not finish (never visible) could not be removed",
                remedy="free some space on the project's disk, then run 'screener doctor' "
                       "again (nothing is damaged)"))
            continue
        out.append(Finding(Level.OK, f"removed {removed:,} staged records of an import of "
                                     f"{staged.path} that did not finish (never visible)"))
    return out


def _prisma_findings(project: Project, store: Store) -> list[Finding]:
    from screener.prisma.counting import count_flow

    flow = count_flow(store, project.protocol)
    if flow.consistent:
        return [Finding(Level.OK, "PRISMA arithmetic: every box adds up")]
    return [Finding(Level.NOTE, f"PRISMA: {c.name} is {c.found}, expected {c.expected}"
                                + (f" ({c.explanation})" if c.explanation else ""))
            for c in flow.failed_checks]


def _backup_findings(project: Project, *, damaged: bool) -> list[Finding]:
    path = project.database.path
    if path is None:
        return [Finding(Level.NOTE, "backups: the data is on PostgreSQL; back it up with "
                                    "pg_dump (see screener backup)")]
    backups = automatic_backups(path)
    if not backups:
        hint = " (make one with 'screener backup FILE')" if not damaged else ""
        return [Finding(Level.NOTE, f"no automatic backups yet in {path.parent / 'backups'}{hint}")]
    latest = backups[-1]
    age = _age(latest)
    text = f"latest automatic backup: {latest} ({age}); {len(backups)} kept"
    if damaged:
        text += f"; to go back to it: screener restore {latest}"
    return [Finding(Level.NOTE if damaged else Level.OK, text)]


def _age(path: Path) -> str:
    seconds = datetime.now(UTC).timestamp() - path.stat().st_mtime
    if seconds < 120:
        return "just now"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes ago"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} hours ago"
    return f"{seconds / 86400:.0f} days ago"
