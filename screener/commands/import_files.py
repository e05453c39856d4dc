"""``screener import FILE...``: read exports and pages into the project."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screener.commands import add_command, emit, open_project, warn
from screener.commands.sources import is_format_name
from screener.errors import ScreenerError
from screener.models import Method

if TYPE_CHECKING:
    from screener.importing import FileImport

_SHOWN_WARNINGS = 10


def register(sub: Any) -> None:
    p = add_command(
        sub, "import", "import exported records and scraped pages",
        description="Import files of any supported format, detected by content: RIS, "
        "PubMed MEDLINE and ERIC (.nbib), PubMed XML, Web of Science plain text, BibTeX, "
        "CSV/TSV (Scopus, Web of Science, Dimensions, Lens, Embase, Springer Link, OpenAlex, "
        "or any table with --columns), EndNote XML, EndNote/Refer (.enw), CSL-JSON. Each "
        "file imports all or nothing (written in batches while reviewers keep working, "
        "visible once whole): a file whose structure cannot be trusted leaves the project "
        "unchanged; a damaged record is kept raw and flagged.",
    )
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.add_argument("--source", metavar="NAME", help="source name, e.g. Scopus (default: inferred)")
    p.add_argument(
        "--method", choices=[m.value for m in Method],
        help="search method (default: inferred; exports are 'database')",
    )
    p.add_argument(
        "--columns", metavar="MAP",
        help="CSV/TSV column mapping, e.g. 'title=Article Title,doi=DOI' (fields: title, "
        "authors, year, journal, volume, issue, pages, page_start, page_end, doi, pmid, "
        "abstract, keywords, mesh, url, language, pub_type, isbn)",
    )
    p.add_argument("--force", action="store_true", help="import a file again even if already imported")
    p.set_defaults(func=run)


class _Progress:
    """``file.ris: 120,000 records read...`` on stderr, only when it is a terminal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = False
        self.started = time.monotonic()

    def __call__(self, n: int) -> None:
        if not sys.stderr.isatty():
            return
        rate = n / max(time.monotonic() - self.started, 1e-6)
        sys.stderr.write(f"\r  {self.path.name}: {n:,} records read ({rate:,.0f}/s)...")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from screener.importing import import_file, parse_columns

    project = open_project(args)
    columns = parse_columns(args.columns) if args.columns else None
    store = project.open_store()
    method = Method(args.method) if args.method else None
    total = 0
    done: list[Path] = []
    unnamed: list[Path] = []  # imported files that name no database
    previous = _terminate_as_interrupt()
    try:
        for path in args.files:
            progress = _Progress(path)
            files_before = len(store.source_files())
            try:
                result = import_file(
                    store, path, source=args.source, method=method, force=args.force,
                    progress=progress, columns=columns,
                )
            except KeyboardInterrupt as stop:
                progress.clear()
                # Ctrl-C may land after the file's commit: say what is really stored.
                if len(store.source_files()) > files_before:
                    done.append(path)
                _interrupted(args.files, done)
                return 143 if isinstance(stop, _Terminated) else 130
            except ScreenerError as exc:
                progress.clear()
                rest = [str(p) for p in args.files if p not in done]
                if len(args.files) > 1:
                    exc.message += f" (not imported: {', '.join(rest)})"
                raise
            progress.clear()
            done.append(path)
            _report(path, result)
            if args.source is None and result.method is Method.DATABASE \
                    and is_format_name(result.source):
                unnamed.append(path)
            total += result.records
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.close()
    if len(args.files) > 1:
        emit(f"imported {total} records from {len(args.files)} files")
    if unnamed:
        warn(f"note: {', '.join(map(str, unnamed))}: the file does not say which database it "
             "came from, so PRISMA lists it under its format's name: name it with --source "
             "NAME, or now with 'screener sources set FILE --source NAME'")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a shutdown) during an import."""


def _terminate_as_interrupt() -> Any:
    """Handle SIGTERM as Ctrl-C until the import ends: the file's staged records are
    removed at once and the user is told, instead of a silent exit that leaves them to
    the next import. Returns the handler to put back."""
    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    return signal.signal(signal.SIGTERM, stop)


def _interrupted(files: list[Path], done: list[Path]) -> None:
    rest = [str(p) for p in files if p not in done]
    imported = f"imported: {', '.join(map(str, done))}; " if done else ""
    warn(f"screener: interrupted; {imported}not imported: {', '.join(rest) or 'none'}")


def _report(path: Path, result: FileImport) -> None:
    from screener.importing import summarise

    methods = ", ".join(f"{m} {n}" for m, n in sorted(result.by_method.items()))
    emit(
        f"{path}: {result.records} records ({result.format}, {result.encoding}; "
        f"source {result.source}; {methods})"
    )
    for line, message in result.warnings[:_SHOWN_WARNINGS]:
        warn(f"  warning: {path}:{line}: {message}" if line else f"  warning: {path}: {message}")
    if result.warning_count > _SHOWN_WARNINGS:
        warn(f"  ... and {result.warning_count - _SHOWN_WARNINGS} more warnings "
             "(stored on the records: screener records)")
    summary = summarise(result)
    if summary:
        warn(f"  records with problems (kept, flagged): {'; '.join(summary)}")
