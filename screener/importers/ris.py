"""RIS in its common flavours (PubMed, Scopus, Embase/Ovid, WoS, Zotero, EndNote, Mendeley)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rispy import RisParser

from screener.errors import RecordImportError
from screener.models import Method, ParsedRecord, Record
from screener.normalize import (
    clean_text,
    normalize_doi,
    normalize_pages,
    parse_author,
    parse_year,
)

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?- ?(.*)$")
_START = re.compile(r"^TY  ?-", re.MULTILINE)


class _Parser(RisParser):  # type: ignore[misc]
    # Some exporters (Mendeley, older EndNote) write one space after the tag, or none
    # after the dash; rispy's default pattern wants exactly two and one.
    PATTERN = r"^[A-Z][A-Z0-9]  ?- ?"


class RisReader:
    name = "ris"
    extensions: tuple[str, ...] = (".ris", ".txt")
    default_source = "RIS export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if not _START.search(head):
            return 0.0
        return 0.9 if re.search(r"^ER  ?-", text, re.MULTILINE) else 0.6

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        parser = _Parser(enforce_list_tags=False)
        chunk: list[str] = []
        start_line = 0
        index = 0
        for number, line in enumerate(text.split("\n"), 1):
            if not chunk:
                if not line.strip():
                    continue
                if not _START.match(line):
                    # Ovid and some exporters put a header before the first record.
                    if index == 0 and not _TAG_LINE.match(line):
                        continue
                    raise RecordImportError(
                        "expected 'TY  -' to start a record", path=path, line=number
                    )
                start_line = number
            chunk.append(line)
            if re.match(r"^ER  ?-?", line):
                entries = parser.parse_lines(iter(chunk))
                raw = "\n".join(chunk)
                chunk = []
                if not entries:
                    raise RecordImportError("record without content", path=path, line=start_line)
                yield ParsedRecord(
                    record=record_from_ris(entries[0]), index=index, line=start_line, raw=raw
                )
                index += 1
        if chunk:
            raise RecordImportError(
                "truncated file: record has no 'ER  -' end tag", path=path, line=start_line
            )


def _first(entry: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v), None)
        if value:
            return str(value)
    return None


def _list(entry: dict[str, Any], key: str) -> list[str]:
    value = entry.get(key)
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def record_from_ris(entry: dict[str, Any]) -> Record:
    """Map a rispy dict to a Record; per-record problems become warnings."""
    warnings: list[str] = []
    title = clean_text(_first(entry, "title", "primary_title", "short_title"))
    authors = [
        a for a in (parse_author(n) for n in _list(entry, "authors") + _list(entry, "first_authors")) if a
    ]
    year_text = _first(entry, "year", "publication_year", "date")
    year = parse_year(year_text)
    if year_text and year is None:
        warnings.append(f"unparseable year {year_text!r}")
    start, end = _first(entry, "start_page"), _first(entry, "end_page")
    pages = normalize_pages(f"{start}-{end}" if start and end else start)
    doi = None
    for candidate in _list(entry, "doi") + _list(entry, "urls"):
        doi = normalize_doi(candidate)
        if doi:
            break
    isbn_issn = _first(entry, "issn")
    urls = [u for u in _list(entry, "urls") if u.startswith("http")]
    pmid = None
    an = _first(entry, "accession_number")
    if an and an.strip().isdigit():
        pmid = an.strip()
    keywords: list[str] = []
    for kw in _list(entry, "keywords"):
        keywords.extend(k.strip() for k in re.split(r";\s*", kw) if k.strip())
    mesh = [k.lstrip("*") for k in keywords if k.startswith("*") or "/" in k]
    if not title:
        warnings.append("record has no title")
    return Record(
        title=title,
        abstract=clean_text(_first(entry, "abstract", "notes_abstract")),
        authors=authors,
        year=year,
        journal=clean_text(
            _first(entry, "secondary_title", "journal_name", "alternate_title3",
                   "alternate_title2", "alternate_title1")
        ),
        volume=clean_text(_first(entry, "volume")),
        issue=clean_text(_first(entry, "number")),
        pages=pages,
        doi=doi,
        pmid=pmid,
        isbn=isbn_issn if isbn_issn and len(re.sub(r"[^0-9Xx]", "", isbn_issn)) in (10, 13) else None,
        keywords=[k for k in keywords if k not in mesh] if mesh else keywords,
        mesh=mesh,
        url=urls[0] if urls else None,
        language=clean_text(_first(entry, "language")),
        pub_type=clean_text(_first(entry, "type_of_reference")),
        incomplete=not title,
        warnings=warnings,
    )


READER = RisReader()
