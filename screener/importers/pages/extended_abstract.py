"""A markdown extended abstract: authors with affiliations, ``## **Title**``, an abstract
section, and an (APA or numbered) reference list under ``## References``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.pages import fold, is_foreign
from screener.importers.pages.paper import split_names
from screener.importers.pages.reflist import (
    find_reference_heading,
    looks_like_entry_start,
    reference_records,
    split_entries,
)
from screener.models import Author, Method, ParsedRecord, Record
from screener.normalize import clean_text

_HEADING = re.compile(r"^\s*(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_NOT_TITLE = re.compile(
    r"^(?:extended\s+)?(?:abstract|summary|references|bibliography|keywords|introduction"
    r"|acknowledge?ments|notes?)\b",
    re.IGNORECASE,
)
_KEYWORDS = re.compile(r"^\s*\**(?:Key\s*words|Keywords)\**\s*[:.]\s*(?P<kw>.+)$", re.IGNORECASE)


def _heading_text(line: str) -> str | None:
    match = _HEADING.match(line)
    if not match:
        return None
    return re.sub(r"\*\*|__|^\*|\*$", "", match["text"]).strip()


class ExtendedAbstractReader:
    name = "page-extended-abstract"
    extensions: tuple[str, ...] = (".md", ".txt")
    default_source = "Full text"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if is_foreign(text):
            return 0.0
        lines = text.split("\n")
        headings = [h for h in (_heading_text(ln) for ln in lines[:400]) if h is not None]
        title = any(not _NOT_TITLE.match(h) for h in headings)
        abstract = any(re.match(r"^(?:extended\s+)?abstract\b", h, re.IGNORECASE) for h in headings)
        heading = find_reference_heading(lines)
        refs = 0
        if heading is not None and _HEADING.match(lines[heading]):
            refs = sum(1 for ln in lines[heading + 1: heading + 200] if looks_like_entry_start(ln))
        if title and abstract:
            return 0.85 if refs >= 2 else 0.6
        return 0.5 if title and refs >= 2 else 0.0

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        lines = text.split("\n")
        candidates = [i for i, ln in enumerate(lines)
                      if (h := _heading_text(ln)) is not None and not _NOT_TITLE.match(h)]
        # A bold heading is the title; a plain one before it is a conference or track name.
        bold = [i for i in candidates if "**" in lines[i] or "__" in lines[i]]
        title_at = (bold or candidates)[0] if candidates else None
        if title_at is None:
            raise RecordImportError("no '## Title' heading found", path=path, line=1)
        heading = find_reference_heading(lines)
        front = lines if heading is None or heading < title_at else lines[:heading]
        record = _record(lines, title_at, front)
        first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
        yield ParsedRecord(record=record, index=0, line=first + 1, raw="\n".join(front).strip())
        if heading is not None and heading > title_at:
            yield from reference_records(split_entries(lines[heading + 1:], heading + 2), 1)


def _authors(lines: list[str]) -> list[Author]:
    """Blocks above the title: a name line (or several names), then affiliation lines."""
    authors: list[Author] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line.strip())
            continue
        if block:
            authors.extend(split_names(block[0].rstrip(" ,;")))
        block = []
    return authors


def _record(lines: list[str], title_at: int, front: list[str]) -> Record:
    title = clean_text(_heading_text(lines[title_at]))
    abstract: list[str] = []
    keywords: list[str] = []
    section: str | None = None
    for line in front[title_at + 1:]:
        heading = _heading_text(line)
        if heading is not None:
            section = heading.lower()
            continue
        kw = _KEYWORDS.match(line)
        if kw:
            keywords = [k.strip(" .") for k in re.split(r"[,;]", kw["kw"]) if k.strip(" .")]
        elif section == "abstract":
            abstract.append(line)
    return Record(
        title=title,
        abstract=fold(abstract),
        authors=_authors(lines[:title_at]),
        keywords=keywords,
        incomplete=not title,
        warnings=[] if title else ["extended abstract has no title"],
    )


READER = ExtendedAbstractReader()
