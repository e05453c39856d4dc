"""APA references: ``Barringer, B. R., & Harrison, J. S. (2000). Title. *Journal*, 26(3),
367-403.``, year suffixes (``2007a``), chapters ``In Editors (eds.). *Book*. (pp. 1-27)``, books."""

from __future__ import annotations

import re

from screener.importers.pages.reference_parts import (
    EDITORS,
    PAGES,
    YEAR,
    ReferenceParts,
    pages_of,
    set_title,
    unitalic,
)
from screener.models import Author
from screener.normalize import clean_text, parse_author

APA_HEAD = re.compile(
    rf"^(?P<authors>.+?)\s*\((?P<year>{YEAR})(?P<suffix>[a-z])?(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$"
)
_APA_ARTICLE = re.compile(
    rf"^(?P<title>.+?)\s*\*(?P<journal>[^*]+?)(?:,\s*(?P<ivol>\d+))?\*\s*,?\s*(?P<vol>\d+)?"
    rf"\s*(?:\((?P<issue>[^)]+)\))?\s*(?:,\s*(?P<pages>{PAGES}))?\.?$"
)
_APA_PLAIN_ARTICLE = re.compile(
    rf"^(?P<title>.+)\.\s+(?P<journal>[^.]+?),?\s+(?P<vol>\d+)\s*(?:\((?P<issue>[^)]+)\))?"
    rf"\s*[,:]\s*(?P<pages>{PAGES})\.?$"
)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?\s*-?\s*)+$")


def _apa_authors(text: str) -> tuple[list[Author], bool]:
    tokens = [t.strip() for t in re.split(r",\s*(?:&\s*)?|\s+&\s+", text.strip(" ,")) if t.strip()]
    authors: list[Author] = []
    ok = True
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.lower().rstrip(".") in ("et al", "..."):
            i += 1
            continue
        if i + 1 < len(tokens) and _INITIALS.match(tokens[i + 1]):
            author = parse_author(f"{token}, {tokens[i + 1]}")
            i += 2
        elif len(tokens) == 1:
            # A lone name without initials is a corporate author (World Health Organization).
            author = Author(family=token.strip(" ."))
            i += 1
        else:
            author = parse_author(token)
            ok = False
            i += 1
        if author:
            authors.append(author)
    return authors, ok and bool(authors)


def parse_apa(body: str, parts: ReferenceParts) -> None:
    head = APA_HEAD.match(body)
    assert head is not None
    # ``Huxham, C. (Ed.).``: an edited book listed under its editor.
    names = re.sub(r"\s*\((?:Eds?|eds?)\.?\)\.?", "", head["authors"])
    parts.authors, ok = _apa_authors(names)
    if not ok:
        parts.warnings.append(f"could not split the authors {head['authors']!r}")
    parts.year = int(head["year"])
    parts.year_suffix = head["suffix"]
    rest = head["rest"].strip()
    chapter = re.match(r"^(?P<title>.+?)\.?\s+In:?\s+(?P<book>.+)$", rest)
    if chapter and EDITORS.search(chapter["book"]):
        set_title(chapter["title"], parts)
        _apa_chapter(chapter["book"], parts)
        return
    article = _APA_ARTICLE.match(rest)
    if article and (article["vol"] or article["ivol"] or article["pages"]):
        set_title(article["title"], parts)
        parts.journal = article["journal"].strip(" .")
        parts.volume = article["vol"] or article["ivol"]
        parts.issue = article["issue"]
        parts.pages = pages_of(article["pages"])
        parts.pub_type = "article"
        return
    plain = _APA_PLAIN_ARTICLE.match(rest)
    if plain:
        set_title(plain["title"], parts)
        parts.journal = plain["journal"].strip(" .")
        parts.volume, parts.issue = plain["vol"], plain["issue"]
        parts.pages = pages_of(plain["pages"])
        parts.pub_type = "article"
        return
    book = re.match(r"^(?P<title>.+?[.?!])\s+(?:(?P<place>[^.:;]+):\s*)?(?P<pub>[^.:;]+)\.?$", rest)
    if book and not book["place"]:
        book = re.match(r"^(?P<title>.+[.?!])\s+(?:(?P<place>[^.:;]+):\s*)?(?P<pub>[^.:;]+)\.?$", rest)
    if book and re.search(r"[^\W\d_]", book["pub"]):
        set_title(book["title"], parts)
        parts.place = book["place"]
        parts.publisher = book["pub"].strip()
        parts.pub_type = "book"
        return
    if rest:
        set_title(rest, parts)
        parts.warnings.append("could not find the journal or publisher")


def _apa_chapter(book: str, parts: ReferenceParts) -> None:
    """``Editors (eds.). *Book*. (pp. 1-27) Place: Publisher.`` or ``..., *Book* (pp. 1-27). Pub.``."""
    editors = EDITORS.search(book)
    rest = book[editors.end():] if editors else book
    pages = re.search(rf"\(pp?\.\s*(?P<pages>{PAGES})\)\.?", rest)
    if pages:
        parts.pages = pages_of(pages["pages"])
        tail = rest[pages.end():]
        rest = rest[: pages.start()]
    else:
        title_end = rest.rfind("*")
        tail, rest = rest[title_end + 1:], rest[: title_end + 1]
    parts.journal = unitalic(rest).strip(" .,") or None
    publisher = re.match(r"^\s*\.?\s*(?:(?P<place>[^.:;]+):\s*)?(?P<pub>.+?)\.?\s*$", tail)
    if publisher:
        parts.place = clean_text(publisher["place"])
        parts.publisher = clean_text(publisher["pub"])
    parts.pub_type = "chapter"

