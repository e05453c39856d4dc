"""``screener doctor``, ``screener backup FILE``, ``screener restore FILE``: recovery."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, open_project
from screener.errors import ScreenerError
from screener.output_file import check_output
from screener.project import Project


def register(sub: Any) -> None:
    p = add_command(
        sub, "doctor", "check the project database and say what is wrong, in plain words",
        description="Check the project: SQLite's integrity check, the schema version, "
        "orphaned rows (decisions, pairs or records pointing at nothing), the PRISMA "
        "arithmetic and the automatic backups. Exit 0 when healthy, 1 when something needs "
        "repair (the output says how).",
    )
    p.set_defaults(func=run_doctor)
    p = add_command(
        sub, "backup", "write a consistent copy of the project database to FILE",
        description="Copy the project database to FILE with SQLite's online backup API: a "
        "consistent state even while reviewers are screening. On PostgreSQL, prints the "
        "pg_dump command to use instead.",
    )
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--force", action="store_true", help="replace FILE when it exists")
    p.set_defaults(func=run_backup)
    p = add_command(
        sub, "restore", "replace the project database with a backup",
        description="Put the content of a backup (from screener backup, or backups/ in the "
        "project folder) in place of the project database. The backup is checked first; "
        "the database it replaces is kept in backups/ (a damaged one too).",
    )
    p.add_argument("file", metavar="FILE", type=Path)
    p.set_defaults(func=run_restore)


def run_doctor(args: argparse.Namespace) -> int:
    from screener.doctor import Level, examine

    project = open_project(args)
    findings = examine(project)
    emit(f"screener doctor: {project.database.shown}")
    for finding in findings:
        emit(f"  {finding.level.value:<8} {finding.text}")
    problems = [f for f in findings if f.level is Level.PROBLEM]
    if problems:
        remedies = [f.remedy for f in problems]
        advice = remedies[0] if all(remedies) else "the project needs repair"
        emit(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: {advice}")
        return 1
    emit("healthy")
    return 0


def _sqlite_path(project: Project, file: Path, restore: bool) -> Path:
    from screener.store.backup import postgres_guidance

    path = project.database.path
    if path is None:
        raise ScreenerError(postgres_guidance(project.database.shown, str(file), restore))
    return path


def run_backup(args: argparse.Namespace) -> int:
    from screener.store.backup import copy_database

    project = open_project(args)
    db = _sqlite_path(project, args.file, restore=False)
    check_output(args.file, project=project, force=args.force, database=True)
    project.open_store().close()  # refuses a missing or damaged database with its reason
    copy_database(db, args.file, replace=args.force)
    size = args.file.stat().st_size / 1e6
    emit(f"backed up {db} to {args.file} ({size:.1f} MB)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from screener.store.backup import restore_database

    project = open_project(args)
    db = _sqlite_path(project, args.file, restore=True)
    saved, damaged = restore_database(args.file, db)
    project.open_store().close()  # an older backup's schema is brought up to date
    emit(f"restored {db} from {args.file}")
    if saved is not None:
        what = "the damaged database was moved to" if damaged else "the database it replaced is kept as"
        emit(f"{what} {saved}")
    return 0
