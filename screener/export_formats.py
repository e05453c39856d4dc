"""RIS (via rispy) and BibTeX (via bibtexparser) writers for exported works.

RIS custom tags, read by EndNote as Custom 1-8 and kept by Zotero as notes:

- ``C1`` outcome at the exported stage (``included``), ``C2`` the stage
- ``C3`` each reviewer's decision, ``C4`` their reasons, ``C5`` their notes
- ``C6`` the resolution, ``C7`` the full-text retrieval status
- ``C8`` screener's work id, sources and methods

Several reviewers share one tag, ``name: value`` parts separated by `` | ``. BibTeX gets
the same content in fields named ``screening_*``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

import rispy
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from screener.export import ExportRow, decision_text, resolution_text
from screener.models import Author, Record

RIS_TAGS = {
    "custom1": "outcome", "custom2": "stage", "custom3": "decisions", "custom4": "reasons",
    "custom5": "notes", "custom6": "resolution", "custom7": "retrieval", "custom8": "work",
}
"""What each RIS custom tag holds (documented in the README)."""

_RIS_TYPES = {
    "JOUR", "BOOK", "CHAP", "CONF", "CPAPER", "THES", "RPRT", "GEN", "ELEC", "EJOUR",
    "EBOOK", "ECHAP", "EDBOOK", "NEWS", "MGZN", "UNPB", "ABST", "INPR", "GOVDOC", "SER",
}
_BIB_TYPES = {
    "JOUR": "article", "EJOUR": "article", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "incollection", "ECHAP": "incollection", "CONF": "inproceedings",
    "CPAPER": "inproceedings", "THES": "phdthesis", "RPRT": "techreport",
}


def _line(value: str | None) -> str | None:
    """RIS values are one line each: fold newlines and runs of spaces."""
    if value is None:
        return None
    folded = re.sub(r"\s+", " ", value).strip()
    return folded or None


def _author_name(author: Author) -> str:
    """``Family, Given`` (or ``Family, P. S.`` from initials) as RIS and BibTeX expect."""
    if author.given:
        return f"{author.family}, {author.given}"
    if author.initials:
        return f"{author.family}, {' '.join(c + '.' for c in author.initials)}"
    return author.family


def ris_type(record: Record) -> str:
    pub_type = (record.pub_type or "").strip().upper()
    if pub_type in _RIS_TYPES:
        return pub_type
    return "JOUR" if record.journal else "GEN"


def _joined(parts: list[str]) -> str | None:
    return _line(" | ".join(p for p in parts if p)) or None


def screening_fields(row: ExportRow) -> dict[str, str | None]:
    """The screening facts of a row by name (``outcome``, ``decisions``...), one line each."""
    decisions = sorted(row.decisions, key=lambda d: d.id)
    res = row.resolution
    resolution = None
    if res is not None:
        note = f"; note: {res.note}" if res.note else ""
        resolution = _line(resolution_text(res) + note)
    work = row.work
    return {
        "outcome": row.outcome,
        "stage": row.stage.value,
        "decisions": _joined([decision_text(d) for d in decisions]),
        "reasons": _joined([f"{d.reviewer}: {', '.join(d.reasons)}" for d in decisions if d.reasons]),
        "notes": _joined([f"{d.reviewer}: {d.note}" for d in decisions if d.note]),
        "resolution": resolution,
        "retrieval": row.retrieval.value if row.retrieval else None,
        "work": f"screener work {work.work_id}; sources: {', '.join(work.sources)}; "
        f"methods: {', '.join(m.value for m in work.methods)}",
    }


def ris_entry(row: ExportRow) -> dict[str, Any]:
    r = row.work.record
    entry: dict[str, Any] = {"type_of_reference": ris_type(r), "id": str(row.work.work_id)}
    if r.title:
        entry["title"] = _line(r.title)
    if r.alt_titles:
        entry["translated_title"] = _line(r.alt_titles[0].text)
    if r.authors:
        entry["authors"] = [_author_name(a) for a in r.authors]
    if r.year is not None:
        entry["year"] = str(r.year)
    start, _, end = (r.pages or "").partition("-")
    optional = {
        "secondary_title": r.journal, "volume": r.volume, "number": r.issue,
        "start_page": start or None, "end_page": end or None, "doi": r.doi,
        "accession_number": r.pmid, "issn": r.isbn, "language": r.language,
        "publisher": r.publisher, "place_published": r.place, "abstract": r.abstract,
    }
    entry.update({k: _line(v) for k, v in optional.items() if v})
    if r.keywords or r.mesh:
        entry["keywords"] = [k for k in (_line(k) for k in r.keywords + r.mesh) if k]
    if r.url:
        entry["urls"] = [r.url]
    facts = screening_fields(row)
    entry.update({tag: facts[name] for tag, name in RIS_TAGS.items() if facts[name]})
    return entry


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    def set_header(self, count: int) -> str:
        # rispy numbers references ("1.") by default; Zotero, EndNote and our own reader
        # expect a record to start with TY.
        return ""


def write_ris(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Write the rows one entry at a time (an export never holds them all); returns how
    many."""
    count = 0
    for row in rows:
        if count:
            out.write("\n")  # the blank line rispy puts between entries
        rispy.dump([ris_entry(row)], out, implementation=_RisWriter)
        count += 1
    return count


def _bib_escape(value: str) -> str:
    """Keep braces balanced (bibtexparser writes the value between braces)."""
    value = _line(value) or ""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "(").replace("}", ")")
    return value


def _bib_key(row: ExportRow, used: set[str]) -> str:
    r = row.work.record
    family = r.authors[0].family if r.authors else "anon"
    base = re.sub(r"[^A-Za-z0-9]", "", family.split()[-1] if family.split() else "anon") or "anon"
    key = f"{base.lower()}{r.year or ''}w{row.work.work_id}"
    while key in used:
        key += "x"
    used.add(key)
    return key


def bib_entry(row: ExportRow, used: set[str]) -> Entry:
    r = row.work.record
    fields: list[tuple[str, str | None]] = [
        ("title", r.title), ("author", " and ".join(_author_name(a) for a in r.authors)),
        ("year", str(r.year) if r.year is not None else None),
        ("journal" if ris_type(r) in ("JOUR", "EJOUR") else "booktitle", r.journal),
        ("volume", r.volume), ("number", r.issue),
        ("pages", r.pages.replace("-", "--") if r.pages else None), ("doi", r.doi),
        ("pmid", r.pmid), ("isbn", r.isbn), ("url", r.url), ("language", r.language),
        ("publisher", r.publisher), ("address", r.place), ("abstract", r.abstract),
        ("keywords", ", ".join(r.keywords + r.mesh)),
    ]
    fields += [(f"screening_{name}", value) for name, value in screening_fields(row).items()]
    entry_type = _BIB_TYPES.get(ris_type(r), "misc")
    return Entry(entry_type, _bib_key(row, used),
                 [Field(k, _bib_escape(v)) for k, v in fields if v])


def write_bibtex(rows: Iterable[ExportRow], out: TextIO) -> int:
    """Write the rows one entry at a time (an export never holds them all); returns how
    many."""
    used: set[str] = set()
    count = 0
    for row in rows:
        if count:
            out.write("\n\n")  # the blank lines bibtexparser puts between entries
        out.write(write_string(Library([bib_entry(row, used)])))
        count += 1
    return count
