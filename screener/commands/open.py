"""``screener open [DIR]`` (and ``screener`` alone): the app for the whole review."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from screener.commands import add_command
from screener.errors import NotAProjectError
from screener.project import Project, find_project

_DESCRIPTION = """\
Open the review's home: the stages as a dashboard (records per source and method, works,
duplicates, screened / remaining / conflicts per stage, pilot, agreement and PRISMA status)
and what to do next. Every step is a key away: import, dedup, screen, conflicts, full text,
agreement, PRISMA, export. Outside a project it offers to create one. Running `screener`
with no command in a terminal does the same in the current folder."""


def register(sub: Any) -> None:
    p = add_command(sub, "open", "open the app: the review's home and every step from it",
                    description=_DESCRIPTION, project=False)
    p.add_argument("dir", metavar="DIR", nargs="?", type=Path, default=None,
                   help="project folder (default: $SCREENER_PROJECT or the current folder)")
    add_reviewer_option(p)
    p.add_argument("--login", action="store_true",
                   help="PostgreSQL projects: ask for the reviewer's database login first "
                   "(screener serve sets it)")
    p.set_defaults(func=run)


def add_reviewer_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reviewer", metavar="NAME", default=None,
                   help="who acts (default: $SCREENER_REVIEWER or the login name; "
                   "switch in the app with w)")


def default_reviewer(given: str | None = None) -> str:
    return str(given or os.environ.get("SCREENER_REVIEWER") or getpass.getuser())


def locate(folder: Path | None) -> tuple[Project | None, Path]:
    """The project at ``folder`` (or the default place), else None and where to create it."""
    where = folder or Path(os.environ.get("SCREENER_PROJECT") or ".")
    try:
        return find_project(where), where
    except NotAProjectError:
        return None, where


def run(args: argparse.Namespace) -> int:
    project, where = locate(args.dir)
    # Textual is imported only here, so the rest of the CLI starts fast without it.
    from screener.tui.launch import run_app
    from screener.tui.review_app import ReviewApp

    run_app(ReviewApp(project, default_reviewer(args.reviewer), folder=where, login=args.login),
            "app", debug=getattr(args, "debug", False))
    return 0
