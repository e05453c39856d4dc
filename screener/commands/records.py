"""``screener records``: every imported record with its provenance."""

from __future__ import annotations

import argparse
from typing import Any

from screener.commands import add_command, add_keep_formulas, open_project, write_rows
from screener.models import StoredRecord

_CSV_FIELDS = [
    "id", "work_id", "title", "doi", "year", "authors", "journal", "source", "method",
    "source_file", "parent_id", "format", "line", "pmid", "volume", "issue", "pages",
]


def register(sub: Any) -> None:
    p = add_command(sub, "records", "list every imported record (JSON lines or CSV)")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    add_keep_formulas(p)
    p.set_defaults(func=run)


def record_row(s: StoredRecord) -> dict[str, Any]:
    """The public JSON shape of a record (scripts rely on these keys)."""
    r = s.record
    return {
        "id": s.id,
        "work_id": s.work_id,
        "title": r.title,
        "doi": r.doi,
        "year": r.year,
        "authors": [a.display() for a in r.authors],
        "journal": r.journal,
        "source": s.source,
        "method": s.method.value,
        "source_file": s.source_file,
        "parent_id": s.parent_id,
        "format": s.format,
        "line": s.line,
        "pmid": r.pmid,
        "volume": r.volume,
        "issue": r.issue,
        "pages": r.pages,
        "abstract": r.abstract,
        "alt_titles": [t.model_dump() for t in r.alt_titles],
        "keywords": r.keywords,
        "incomplete": r.incomplete,
        "warnings": r.warnings,
    }


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    try:
        write_rows((record_row(x) for x in store.iter_records()), args.format, _CSV_FIELDS,
                   keep_formulas=args.keep_formulas)
    finally:
        store.close()
    return 0
