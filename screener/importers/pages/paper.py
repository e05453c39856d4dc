"""A paper converted from PDF to plain text or light markdown, with its reference list.

The front matter gives title, authors, abstract and keywords; every entry of the
reference list (numbered Vancouver or author-year APA) becomes a citation record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.pages import is_foreign
from screener.importers.pages.reflist import (
    find_reference_heading,
    join_wrapped,
    looks_like_entry_start,
    page_furniture,
    reference_records,
    split_entries,
)
from screener.models import Author, Method, ParsedRecord, Record
from screener.normalize import clean_text, normalize_doi, parse_author, parse_year

_ABSTRACT = re.compile(
    r"^\s*(?:#{1,6}\s*)?\**\s*(?:Abstract|Summary)\b\s*\**\s*(?:[:.—-]\s*\**\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_KEYWORDS = re.compile(r"^\s*\**\s*(?:Key\s*words|Keywords|Index terms)\s*\**\s*[:.—-]\s*(?P<kw>.+)$",
                       re.IGNORECASE)
_SECTION = re.compile(
    r"^\s*(?:#{1,6}\s*)?\**\s*(?P<number>\d+\.?\s+)?(?P<name>Introduction|Background|Objectives?"
    r"|Aims?|Methods?|Materials and methods|Results|Findings|Discussion|Conclusions?)\s*\**\s*:?\s*$",
    re.IGNORECASE,
)
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]+|(?<=[a-z])\d+\b|\s*\((?:PhD|MD|MSc|MA)\)")
_HEADER = re.compile(r"\b(?:ISSN|doi|https?://|©|Copyright|Vol\.|\d{4};\s*\d+)", re.IGNORECASE)
_DATED = re.compile(r"\b(?:Published|Accepted|Received|©|Copyright)\b", re.IGNORECASE)


class PaperReader:
    name = "page-paper"
    extensions: tuple[str, ...] = (".txt", ".md")
    default_source = "Full text"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if is_foreign(text):
            return 0.0
        lines = text.split("\n")
        headings = sum(1 for ln in lines[:400] if re.match(r"^#{1,6}\s", ln))
        abstract = any(_ABSTRACT.match(ln) for ln in lines[:120])
        refs = _entry_count(lines)
        if refs >= 3:
            score = 0.75 if abstract else 0.55
        elif abstract and any(_KEYWORDS.match(ln) for ln in lines[:200]):
            score = 0.45
        else:
            return 0.0
        return score - 0.3 if headings >= 2 else score

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        lines = text.split("\n")
        heading = find_reference_heading(lines)
        front = lines if heading is None else lines[:heading]
        furniture = page_furniture(lines)
        record = front_matter([ln for ln in front if ln.strip() not in furniture])
        if not record.title and not record.abstract:
            raise RecordImportError("no title or abstract found in the paper", path=path, line=1)
        first = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
        yield ParsedRecord(record=record, index=0, line=first + 1, raw="\n".join(front).strip())
        if heading is not None:
            entries = split_entries(lines[heading + 1:], heading + 2, furniture)
            yield from reference_records(entries, 1)


def _entry_count(lines: list[str]) -> int:
    heading = find_reference_heading(lines)
    if heading is None:
        return 0
    return sum(1 for ln in lines[heading + 1: heading + 200] if looks_like_entry_start(ln))


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def split_names(line: str) -> list[Author]:
    """``Anna Kork¹, Inka Koskela² and Merja Turpeinen²`` -> three authors."""
    text = _SUPERSCRIPT.sub("", line)
    names = [n.strip(" ,;") for n in re.split(r",|;|\band\b|&", text) if n.strip(" ,;")]
    if not names or not all(_is_name(n) for n in names):
        return []
    return [a for a in (parse_author(n) for n in names) if a]


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in ("van", "de", "der", "von")
                                        for w in words) and not re.search(r"\d|@", text)


def front_matter(lines: list[str]) -> Record:
    """Title, authors, abstract, keywords (and DOI/year when printed) before the body."""
    warnings: list[str] = []
    abstract_at = next((i for i, ln in enumerate(lines[:200]) if _ABSTRACT.match(ln)), None)
    head = lines[:abstract_at] if abstract_at is not None else lines[:30]
    paragraphs = [p for p in _paragraphs(head) if not (len(p) == 1 and _HEADER.search(p[0]))]
    title = clean_text(re.sub(r"^#+\s*|\*\*", "", " ".join(paragraphs[0]))) if paragraphs else None
    authors = split_names(" ".join(paragraphs[1])) if len(paragraphs) > 1 else []
    abstract, keywords = (None, []) if abstract_at is None else _abstract(lines, abstract_at)
    matter = "\n".join(head)
    doi_match = re.search(r"(?:doi\.org/|doi:?\s*)(10\.\d{4,9}/\S+)", matter, re.IGNORECASE)
    year_line = next((ln for ln in head if _DATED.search(ln)), None)
    if not title:
        warnings.append("paper has no title line")
    return Record(
        title=title,
        abstract=abstract,
        authors=authors,
        keywords=keywords,
        doi=normalize_doi(doi_match.group(1)) if doi_match else None,
        year=parse_year(year_line),
        incomplete=not title,
        warnings=warnings,
    )


def _abstract(lines: list[str], at: int) -> tuple[str | None, list[str]]:
    """The abstract from line ``at`` on, and the keywords line that usually ends it.

    A structured abstract prints its headings (Background, Methods...) on lines of their
    own; they become ``Background:`` labels. The same heading seen twice, a numbered
    heading, or Introduction means the body has begun.
    """
    inline = _ABSTRACT.match(lines[at])
    parts = [inline["rest"].strip()] if inline and inline["rest"] and inline["rest"].strip() else []
    labels: set[str] = set()
    keywords: list[str] = []
    for line in lines[at + 1:]:
        kw = _KEYWORDS.match(line)
        if kw:
            keywords = [k.strip(" .") for k in re.split(r"[,;]", kw["kw"]) if k.strip(" .")]
            break
        if re.match(r"^#{1,6}\s", line):
            break
        section = _SECTION.match(line)
        if section:
            name = section["name"].lower()
            structured = not parts or bool(labels)
            if section["number"] or name == "introduction" or name in labels or not structured:
                break
            labels.add(name)
            parts.append(f"{section['name'].capitalize()}:")
            continue
        if line.strip():
            parts.append(line.strip())
    text = None
    for part in parts:
        text = part if text is None else join_wrapped(text, part)
    return clean_text(text), keywords


READER = PaperReader()
