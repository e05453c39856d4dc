"""The canonical record of a group: the most complete fields of all its records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screener.models import Method, Record
from screener.normalize import unique_terms

_UNION_FIELDS = ("alt_titles", "alt_abstracts", "keywords", "mesh")
_SKIP_FIELDS = ("warnings", "incomplete", "authors")


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    record: Record
    method: Method = Method.DATABASE


def completeness(record: Record) -> int:
    """How many fields a record fills (an abstract and authors count double)."""
    score = 0
    for name in Record.model_fields:
        value = getattr(record, name)
        if name in ("warnings", "incomplete"):
            continue
        if value not in (None, "", []):
            score += 2 if name in ("abstract", "authors", "title") else 1
    return score


def rank(members: Sequence[Member]) -> list[Member]:
    """Most trustworthy first: database records before list entries, then completeness."""
    return sorted(
        members, key=lambda m: (m.method is Method.CITATION, -completeness(m.record), m.id)
    )


def merge_records(members: Sequence[Member]) -> Record:
    """One record with every field filled from the best member that has it."""
    ranked = rank(members)
    values: dict[str, Any] = {}
    for name in Record.model_fields:
        if name in _SKIP_FIELDS:
            continue
        if name in _UNION_FIELDS:
            merged: list[Any] = []
            for m in ranked:
                for item in getattr(m.record, name):
                    if item not in merged:
                        merged.append(item)
            # Keywords repeat across databases in other cases: keep each term once.
            values[name] = unique_terms(merged) if name in ("keywords", "mesh") else merged
            continue
        for m in ranked:
            value = getattr(m.record, name)
            if value not in (None, "", []):
                values[name] = value
                break
    # Prefer a title as written over one in capitals (some databases shout).
    titles = [m.record.title for m in ranked if m.record.title]
    if titles:
        values["title"] = min(titles, key=lambda t: t.isupper())
    authors = ranked[0].record.authors
    if not authors:
        authors = max((m.record.authors for m in ranked), key=len)
    values["authors"] = authors
    # A title taken from one twin may be another twin's alternative title: keep it once.
    title = values.get("title")
    values["alt_titles"] = [t for t in values.get("alt_titles", []) if t.text != title]
    values["incomplete"] = not title
    return Record(**values)
