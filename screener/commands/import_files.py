"""``screener import FILE...``: read exports and pages into the project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, open_project, warn
from screener.importing import import_file
from screener.models import Method

_SHOWN_WARNINGS = 10


def register(sub: Any) -> None:
    p = add_command(
        sub, "import", "import exported records and scraped pages",
        description="Import files of any supported format (detected by content). Each file "
        "imports in one transaction: a fatal problem leaves the project unchanged.",
    )
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.add_argument("--source", metavar="NAME", help="source name, e.g. Scopus (default: inferred)")
    p.add_argument(
        "--method", choices=[m.value for m in Method],
        help="search method (default: inferred; exports are 'database')",
    )
    p.add_argument("--force", action="store_true", help="import a file again even if already imported")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    method = Method(args.method) if args.method else None
    total = 0
    try:
        for path in args.files:
            def progress(n: int, path: Path = path) -> None:
                if sys.stderr.isatty():
                    sys.stderr.write(f"\r  {path.name}: {n:,} records read...")
                    sys.stderr.flush()

            result = import_file(
                store, path, source=args.source, method=method, force=args.force, progress=progress
            )
            if sys.stderr.isatty() and result.records >= 5000:
                sys.stderr.write("\r" + " " * 60 + "\r")
            methods = ", ".join(f"{m} {n}" for m, n in sorted(result.by_method.items()))
            emit(
                f"{path}: {result.records} records ({result.format}; source {result.source}; "
                f"{methods})"
            )
            for line, message in result.warnings[:_SHOWN_WARNINGS]:
                warn(f"  warning: {path}:{line}: {message}" if line else f"  warning: {path}: {message}")
            if len(result.warnings) > _SHOWN_WARNINGS:
                warn(f"  ... and {len(result.warnings) - _SHOWN_WARNINGS} more warnings "
                     "(stored on the records)")
            total += result.records
    finally:
        store.close()
    if len(args.files) > 1:
        emit(f"imported {total} records from {len(args.files)} files")
    return 0
