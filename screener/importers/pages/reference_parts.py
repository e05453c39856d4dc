"""What a reference-style parser found, and the small helpers every style shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from screener.models import Author, LangText, Record
from screener.normalize import normalize_pages

YEAR = r"(?:1[5-9]|20)\d{2}"
PAGES = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]?\d+[A-Za-z]?)?"
EDITORS = re.compile(
    r"(?:\s*\((?:eds?|Eds?|editors?)\.?\)|,\s*(?:editors?|eds?)\.?(?=[\s.,]))\s*[.,:]?\s*"
)
ITALIC = re.compile(r"\*([^*]+)\*")
_TRANSLATED = re.compile(r"^(?P<title>.+?)\s*\[(?P<en>[^\]]{8,})\]\.?$")


@dataclass
class ReferenceParts:
    """What a style parser found; turned into a Record at the end."""

    authors: list[Author] = field(default_factory=list)
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    year_suffix: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    pub_type: str | None = None
    doi: str | None = None
    url: str | None = None
    alt_en: str | None = None
    """An English translation printed in brackets after a non-English title."""
    warnings: list[str] = field(default_factory=list)


def pages_of(value: str | None) -> str | None:
    if not value:
        return None
    text = normalize_pages(re.sub(r"\s*[-–—]\s*", "-", value.strip(" .")))
    if text and "-" in text:
        start, _, end = text.partition("-")
        if start == end:
            return start
    return text


def unitalic(text: str) -> str:
    return ITALIC.sub(r"\1", text).replace("*", "")


def set_title(title: str, parts: ReferenceParts) -> None:
    """Set the title; a bracketed English translation after it becomes an alternative."""
    text = unitalic(title).strip(" .")
    translated = _TRANSLATED.match(text)
    if translated:
        text, parts.alt_en = translated["title"], translated["en"]
    parts.title = text or None


def to_record(parts: ReferenceParts) -> Record:
    """The Record of a parsed reference; without a title it is flagged as kept raw."""
    warnings = list(parts.warnings)
    alt_titles: list[LangText] = []
    if parts.alt_en:
        alt_titles.append(LangText(text=parts.alt_en, lang="en"))
    if not parts.title:
        # One line per entry in the import summary, with the reasons folded in.
        why = f" ({'; '.join(warnings)})" if warnings else ""
        warnings = [f"reference not understood{why}; kept as raw text"]
    return Record(
        title=parts.title,
        alt_titles=alt_titles,
        authors=parts.authors,
        year=parts.year,
        year_suffix=parts.year_suffix,
        journal=parts.journal,
        volume=parts.volume,
        issue=parts.issue,
        pages=parts.pages,
        doi=parts.doi,
        url=parts.url,
        publisher=parts.publisher,
        place=parts.place,
        pub_type=parts.pub_type,
        incomplete=not parts.title,
        warnings=warnings,
    )

