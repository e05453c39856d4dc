"""``screener works``: each unique work once, with its canonical fields and its records."""

from __future__ import annotations

import argparse
from typing import Any

from screener.commands import add_command, add_keep_formulas, open_project, write_rows
from screener.models import Work

_CSV_FIELDS = [
    "work_id", "title", "doi", "pmid", "year", "authors", "journal", "volume", "issue", "pages",
    "record_ids", "sources", "methods", "incomplete",
]


def register(sub: Any) -> None:
    p = add_command(sub, "works", "list each unique work once (JSON lines or CSV)",
                    description="List each unique work once: the canonical (merged) fields, "
                    "its work_id, and the ids, sources and methods of its records.")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    add_keep_formulas(p)
    p.set_defaults(func=run)


def work_row(w: Work) -> dict[str, Any]:
    """The public JSON shape of a work (scripts rely on these keys)."""
    r = w.record
    return {
        "work_id": w.work_id,
        "title": r.title,
        "doi": r.doi,
        "pmid": r.pmid,
        "year": r.year,
        "authors": [a.display() for a in r.authors],
        "journal": r.journal,
        "volume": r.volume,
        "issue": r.issue,
        "pages": r.pages,
        "abstract": r.abstract,
        "alt_titles": [t.model_dump() for t in r.alt_titles],
        "record_ids": w.record_ids,
        "sources": w.sources,
        "methods": [m.value for m in w.methods],
        "incomplete": r.incomplete,
    }


def run(args: argparse.Namespace) -> int:
    project = open_project(args)
    store = project.open_store()
    try:
        write_rows((work_row(x) for x in store.iter_works()), args.format, _CSV_FIELDS,
                   keep_formulas=args.keep_formulas)
    finally:
        store.close()
    return 0
