"""The ``screener`` command line: parse arguments, run a command, map errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sqlite3
import sys
from collections.abc import Sequence

from screener import __version__
from screener.errors import ScreenerError
from screener.failure import describe_failure
from screener.store.adapter import set_wait_notice
from screener.terminal import one_line

# Order in ``screener --help``: the review's workflow, then everything else alphabetically.
_ORDER = [
    "open", "init", "import", "status", "records", "dedup", "works", "protocol", "pilot",
    "screen", "decide", "decisions", "conflicts", "resolve", "agreement", "reviewer", "unblind",
    "fulltext", "prisma", "export", "demo",
]


def build_parser() -> argparse.ArgumentParser:
    """Every command module is imported to register its options; each keeps its heavy
    imports (numpy, the dedup engine, the importers) inside the functions that run it, so
    that ``screener status`` does not pay for what ``screener dedup`` needs."""
    parser = argparse.ArgumentParser(
        prog="screener",
        description="Systematic-review screening in the terminal: import, deduplicate, "
        "screen with two blind reviewers, resolve conflicts, report agreement and PRISMA.",
    )
    parser.add_argument("--version", action="version", version=f"screener {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import screener.commands as pkg

    modules = [m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")]
    for name in modules:
        module = importlib.import_module(f"screener.commands.{name}")
        module.register(sub)
    # argparse lists subcommands in registration order; reorder to the workflow.
    rank = {n: i for i, n in enumerate(_ORDER)}
    sub._choices_actions.sort(key=lambda a: (rank.get(a.dest, len(rank)), a.dest))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            # Piped or scripted: the help, as before; a person at a terminal gets the app.
            parser.print_help()
            return 2
        args = parser.parse_args([*(["--debug"] if args.debug else []), "open"])
    set_wait_notice(_WaitNotice())
    try:
        code: int = args.func(args)
        return code
    except ScreenerError as exc:
        if args.debug:
            raise
        _fail(str(exc))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("screener: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except (sqlite3.Error, OSError) as exc:
        if args.debug:
            raise
        _fail(describe_failure(exc) or str(exc))
        return 1


class _WaitNotice:
    """Say once that a write is queued behind another process's (a decision waiting for
    an import to finish), so a waiting command does not look hung."""

    def __init__(self) -> None:
        self.said = False

    def __call__(self, waited: float) -> None:
        if not self.said:
            sys.stderr.write("screener: the database is busy (another screener process is "
                             "writing: an import or dedup?); waiting, nothing is lost "
                             "(Ctrl-C gives up)\n")
            sys.stderr.flush()
            self.said = True


def _fail(message: str) -> None:
    # One line, whatever the message holds (a file name or a value from an imported file).
    sys.stderr.write(f"screener: error: {one_line(message)}\n")


if __name__ == "__main__":
    sys.exit(main())
