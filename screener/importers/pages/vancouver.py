"""Vancouver (NLM) references: ``Ring PS, Van de Ven AH. Title. *J* 1994;19(1):90-118.``,
chapters ``In: Editors (Eds). *Book*. Place: Publisher; Year. p. 1-27.`` and books."""

from __future__ import annotations

import re

from screener.importers.pages.reference_parts import (
    EDITORS,
    ITALIC,
    PAGES,
    YEAR,
    ReferenceParts,
    pages_of,
    set_title,
    unitalic,
)
from screener.models import Author
from screener.normalize import clean_text, parse_author

_VANCOUVER_SOURCE = re.compile(
    rf"\s(?P<year>{YEAR})[a-z]?(?:\s+[A-Z][a-z]{{2}}(?:\s+\d{{1,2}})?)?\s*;\s*(?P<vol>[^(:;.\s]*)\s*"
    rf"(?:\((?P<issue>[^)]*)\))?\s*(?::\s*(?P<pages>{PAGES}))?\.?\s*$"
)
_PLACE_PUB_YEAR = re.compile(
    rf"\.\s+(?P<place>[^.:;]+?):\s*(?P<pub>[^;:]+?);\s*(?P<year>{YEAR})[a-z]?\.?"
    rf"(?:\s*pp?\.\s*(?P<pages>{PAGES}))?\.?\s*$"
)
_PUB_YEAR = re.compile(
    rf"\.\s+(?P<pub>[^.;]+?);\s*(?P<year>{YEAR})[a-z]?\.?(?:\s*pp?\.\s*(?P<pages>{PAGES}))?\.?\s*$"
)
_EDITION = re.compile(r"\.?\s*\d+(?:st|nd|rd|th)\s+ed\.?\s*$", re.IGNORECASE)
_VANCOUVER_AUTHOR = re.compile(r"^(?:[^\W\d_][\w'’\-]*\s+)+[A-Z]{1,4}$")


def _vancouver_authors(body: str) -> tuple[list[Author], str] | None:
    head, sep, rest = body.partition(". ")
    if not sep:
        return None
    names = [n.strip() for n in head.split(",") if n.strip()]
    if names and names[-1].lower().rstrip(".") == "et al":
        names = names[:-1]
    if names and all(_VANCOUVER_AUTHOR.match(n) for n in names):
        return [a for a in (parse_author(n) for n in names) if a], rest
    # A corporate author: one short name before the title, no comma.
    if len(names) == 1 and len(head.split()) <= 5 and ":" not in head and ". " in rest:
        return [Author(family=head.strip())], rest
    return None


def parse_vancouver(body: str, parts: ReferenceParts) -> None:
    found = _vancouver_authors(body)
    if found is None:
        parts.warnings.append("could not find the authors")
        rest = body
    else:
        parts.authors, rest = found
    chapter = re.match(r"^(?P<title>.+?[.?!])\s+In:?\s+(?!press\b)(?P<book>.+)$", rest)
    if chapter:
        set_title(chapter["title"], parts)
        _vancouver_book(chapter["book"], parts, chapter=True)
    elif source := _VANCOUVER_SOURCE.search(rest):
        _vancouver_article(rest[: source.start()], parts)
        parts.year = int(source["year"])
        parts.volume = source["vol"] or None
        parts.issue = source["issue"] or None
        parts.pages = pages_of(source["pages"])
        parts.pub_type = "article"
    else:
        _vancouver_book(rest, parts, chapter=False)


def _vancouver_article(head: str, parts: ReferenceParts) -> None:
    italic = list(ITALIC.finditer(head))
    if italic:
        last = italic[-1]
        parts.journal = last.group(1).strip(" .") or None
        set_title(head[: last.start()], parts)
        return
    split = list(re.finditer(r"[.?!]\s+", head.strip(" .")))
    if split:
        cut = split[-1]
        set_title(head.strip(" .")[: cut.start() + 1], parts)
        parts.journal = head.strip(" .")[cut.end():].strip(" .") or None
    else:
        parts.warnings.append("could not tell the title from the journal")


def _vancouver_book(text: str, parts: ReferenceParts, *, chapter: bool) -> None:
    """``[Editors (Eds).] Book title. [2nd ed.] Place: Publisher; Year. [p. 1-27.]``."""
    match = _PLACE_PUB_YEAR.search(text) or _PUB_YEAR.search(text)
    if not match:
        year = re.search(rf"\b({YEAR})\b", text)
        parts.year = int(year.group(1)) if year else None
        first, sep, _ = text.partition(". ")
        if not chapter and parts.authors and parts.year and sep:
            # Authors, then a sentence, then something with a year: the sentence is the
            # title even when the source part has a shape we do not know.
            set_title(first, parts)
            parts.warnings.append("could not split the journal or publisher")
        elif not chapter:
            parts.warnings.append("could not find the publisher and year")
        return
    head = _EDITION.sub("", text[: match.start()]).strip()
    parts.place = clean_text(match.groupdict().get("place"))
    parts.publisher = clean_text(match["pub"])
    parts.year = int(match["year"])
    parts.pages = pages_of(match["pages"])
    if chapter:
        editors = EDITORS.search(head)
        if editors:
            head = head[editors.end():]
        parts.journal = unitalic(head).strip(" .") or None
        parts.pub_type = "chapter"
    else:
        set_title(head, parts)
        parts.pub_type = "book"

