"""CLI subcommands, one module per command (or command group).

Each module defines ``register(subparsers)`` which adds its parser and sets
``func=run`` (a callable taking the parsed args and returning an exit code). ``cli.py``
discovers the modules, so adding a command touches no other file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from screener.project import Project, find_project
from screener.terminal import control_problem, terminal_safe

if TYPE_CHECKING:
    from screener.blinding import Visibility
    from screener.models import Stage


def project_options() -> argparse.ArgumentParser:
    """Parent parser with ``--project`` for every command that works inside a project."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--project",
        metavar="DIR",
        default=None,
        help="project folder (default: $SCREENER_PROJECT or the current folder)",
    )
    parent.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database to use (default: $SCREENER_DATABASE_URL, else database = in "
        "screener.toml)",
    )
    return parent


def open_project(args: argparse.Namespace) -> Project:
    """The project the command works in, with the database it was told to use."""
    return find_project(getattr(args, "project", None), database=getattr(args, "database", None))


def add_reviewer_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--reviewer NAME``: who is acting. Every command resolves it the same way
    (``screener.roster.acting_reviewer``): the flag, else $SCREENER_REVIEWER, else the login."""
    parser.add_argument(
        "--reviewer", metavar="NAME", default=None,
        help=help or "who is acting (default: $SCREENER_REVIEWER or the login name)",
    )


def blind_notice(view: Visibility, *stages: Stage) -> None:
    """Say on stderr (stdout stays machine-readable) when blinding hides decisions."""
    for stage in stages:
        notice = view.notice(stage)
        if notice:
            warn(f"screener: {notice}")


def emit(text: str = "") -> None:
    """Write a line of command output to stdout; control characters from imported files
    or flags are shown escaped, never sent to the terminal."""
    sys.stdout.write(terminal_safe(text) + "\n")


def warn(text: str) -> None:
    sys.stderr.write(terminal_safe(text) + "\n")


Subparsers = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_command(subparsers: Any, name: str, help: str, description: str | None = None,
                project: bool = True) -> argparse.ArgumentParser:
    """Add a subcommand with the shared options and a consistent help layout."""
    parents = [project_options()] if project else []
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=help,
        description=description or help,
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_keep_formulas(parser: argparse.ArgumentParser) -> None:
    """``--keep-formulas``, for every command that writes CSV."""
    from screener.spreadsheet import KEEP_FORMULAS_HELP

    parser.add_argument("--keep-formulas", action="store_true", help=KEEP_FORMULAS_HELP)


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, csv_fields: list[str], *,
               keep_formulas: bool = False) -> None:
    """Stream rows to stdout as JSON lines or CSV (lists joined with ``; `` in CSV; cells
    that a spreadsheet would run as formulas are neutralised unless ``keep_formulas``)."""
    from screener.spreadsheet import CsvDictWriter

    out: Any = _TerminalSafe(sys.stdout) if sys.stdout.isatty() else sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = CsvDictWriter(out, csv_fields, extrasaction="ignore", keep_formulas=keep_formulas)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
        )


class _TerminalSafe:
    """A stdout wrapper that escapes control characters (rows shown on a terminal; rows
    piped to a file or program are written exactly)."""

    def __init__(self, out: Any) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return int(self.out.write(terminal_safe(text)))


def plain_text(value: str) -> str:
    """argparse ``type=`` for names and codes: no control characters, no line breaks (they
    would reach other reviewers' terminals and break one-line outputs and CSV headers)."""
    problem = control_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def note_text(value: str) -> str:
    """argparse ``type=`` for free text: line breaks and tabs are fine, other control
    characters (terminal escapes) are refused."""
    problem = control_problem(value, line_breaks_ok=True)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def add_verdict_options(parser: argparse.ArgumentParser) -> None:
    """``--reason`` (repeatable), ``--note`` and ``--stage``: shared by decide and resolve."""
    from screener.models import Stage

    parser.add_argument("--reason", action="append", default=[], metavar="CODE", type=plain_text,
                        help="exclusion reason code from the protocol (repeatable)")
    parser.add_argument("--note", metavar="TEXT", default=None, type=note_text)
    parser.add_argument("--stage", choices=[s.value for s in Stage],
                        default=Stage.TITLE_ABSTRACT.value)
