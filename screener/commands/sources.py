"""``screener sources``: the imported files, and naming the database each came from.

PRISMA counts records per database by the source name recorded at import. A file whose
content names no database gets its format's name ("RIS export"); this command lists such
files and renames their source afterwards, without importing them again.
"""

from __future__ import annotations

import argparse
import json
from functools import cache
from pathlib import Path
from typing import Any

from screener.commands import add_command, emit, open_project, plain_text, warn
from screener.errors import ScreenerError
from screener.importers import all_readers
from screener.models import Method, SourceFile
from screener.store import Store

DESCRIPTION = """\
List the imported files with their source (the database, register or other source PRISMA
counts them under) and search method, or correct them:

  screener sources
  screener sources set scopus_2024.ris --source Scopus
  screener sources set 3 --source "Reference list of Smith 2020" --method citation

A file is named by its id (first column of the list) or its path as imported."""

def register(sub: Any) -> None:
    p = add_command(sub, "sources", "list imported files and their sources; rename a source",
                    description=DESCRIPTION)
    p.add_argument("--json", action="store_true", help="print the files as JSON")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    set_ = actions.add_parser("set", help="rename a file's source, or change its method",
                              description="Rename the source of one imported file (and, "
                              "with --method, how its records were found).")
    set_.add_argument("file", metavar="FILE", help="the file's id or its path as imported")
    set_.add_argument("--source", metavar="NAME", type=plain_text, required=True,
                      help="the database or other source, e.g. Scopus")
    set_.add_argument("--method", choices=[m.value for m in Method], default=None,
                      help="how the records were found (PRISMA column)")
    set_.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS,
                      help="project folder (default: $SCREENER_PROJECT or the current folder)")
    set_.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                      help="database to use (default: $SCREENER_DATABASE_URL, else "
                      "database = in screener.toml)")
    set_.set_defaults(func=run_set)


@cache
def _format_names() -> frozenset[str]:
    """The names given when a file does not say which database it came from: a format's
    (``RIS export``). A reader of one database's own format (MEDLINE, Web of Science
    tagged) names that database, which is no stand-in."""
    return frozenset(reader.default_source for reader in all_readers()
                     if reader.default_source.endswith(" export"))


def is_format_name(source: str) -> bool:
    """Whether ``source`` is a format's stand-in name rather than a database's."""
    return source in _format_names()


def run_list(args: argparse.Namespace) -> int:
    store = open_project(args).open_store()
    try:
        files = store.source_files()
    finally:
        store.close()
    if args.json:
        emit(json.dumps([f.model_dump(mode="json") for f in files], ensure_ascii=False, indent=2))
        return 0
    if not files:
        emit("no files imported yet: screener import FILE...")
        return 0
    emit(f"{'id':>4}  {'records':>7}  {'method':<9} {'source':<28} file")
    for f in files:
        emit(f"{f.id:>4}  {f.record_count:>7}  {f.method.value:<9} {f.source:<28} {f.path}")
    unnamed = [f for f in files if f.method is Method.DATABASE and is_format_name(f.source)]
    if unnamed:
        warn(f"screener: {len(unnamed)} file(s) name no database, so PRISMA lists them under "
             f"their format ({', '.join(sorted({f.source for f in unnamed}))}): "
             "screener sources set FILE --source NAME")
    return 0


def run_set(args: argparse.Namespace) -> int:
    store = open_project(args).open_store()
    try:
        file = _find_file(store, args.file)
        method = Method(args.method) if args.method else None
        store.set_file_source(file.id, args.source, method)
    finally:
        store.close()
    what = f"source {args.source}" + (f", method {method.value}" if method else "")
    emit(f"{file.path}: {what} ({file.record_count} records)")
    return 0


def _find_file(store: Store, name: str) -> SourceFile:
    files = store.source_files()
    if name.isdigit():
        found = [f for f in files if f.id == int(name)]
    else:
        wanted = {name, str(Path(name).resolve())}
        found = [f for f in files if f.path in wanted or str(Path(f.path).resolve()) in wanted]
        if not found:
            found = [f for f in files if Path(f.path).name == Path(name).name]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ScreenerError(f"no imported file {name!r}: 'screener sources' lists them")
    raise ScreenerError(f"{len(found)} imported files are named {name!r}: give the id "
                        "('screener sources' lists them)")
