"""Reference strings as papers print them: Vancouver, APA, and WoS related-paper entries.

``parse_reference`` picks the style from the string itself and returns a ``Record``; what
cannot be split is kept (the caller stores the raw text) and named in ``warnings``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from screener.models import Author, LangText, Record
from screener.normalize import clean_text, normalize_doi, normalize_pages, parse_author

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_DOI_URL = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(10\.\d{4,9}/[^\s<>\[\]\"]+)", re.IGNORECASE
)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^\s]+?)\)(?=\s|$|[.,;])")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"https?://\S+")
_CITED = re.compile(r"\[(?:cited|accessed|updated)[^\]]*\]", re.IGNORECASE)
_AVAILABLE = re.compile(r"\s*Available (?:from|at)\b[^:]*:?\s*$", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·]\s*)?(?:\[\d+\]|\d+\.(?=\s))?\s*")
_YEAR = r"(?:1[5-9]|20)\d{2}"
_PAGES = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]?\d+[A-Za-z]?)?"
_EDITORS = re.compile(r"\s*\((?:eds?|Eds?|editors?)\.?\)\s*[.,:]?\s*")
_ITALIC = re.compile(r"\*([^*]+)\*")
_TRANSLATED = re.compile(r"^(?P<title>.+?)\s*\[(?P<en>[^\]]{8,})\]\.?$")

_APA_HEAD = re.compile(
    rf"^(?P<authors>.+?)\s*\((?P<year>{_YEAR})(?P<suffix>[a-z])?(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$"
)
_APA_ARTICLE = re.compile(
    rf"^(?P<title>.+?)\s*\*(?P<journal>[^*]+?)(?:,\s*(?P<ivol>\d+))?\*\s*,?\s*(?P<vol>\d+)?"
    rf"\s*(?:\((?P<issue>[^)]+)\))?\s*(?:,\s*(?P<pages>{_PAGES}))?\.?$"
)
_APA_PLAIN_ARTICLE = re.compile(
    rf"^(?P<title>.+)\.\s+(?P<journal>[^.]+?),\s*(?P<vol>\d+)\s*(?:\((?P<issue>[^)]+)\))?"
    rf"\s*,\s*(?P<pages>{_PAGES})\.?$"
)
_VANCOUVER_SOURCE = re.compile(
    rf"\s(?P<year>{_YEAR})[a-z]?(?:\s+[A-Z][a-z]{{2}}(?:\s+\d{{1,2}})?)?\s*;\s*(?P<vol>[^(:;.\s]*)\s*"
    rf"(?:\((?P<issue>[^)]*)\))?\s*(?::\s*(?P<pages>{_PAGES}))?\.?\s*$"
)
_PLACE_PUB_YEAR = re.compile(
    rf"\.\s+(?P<place>[^.:;]+?):\s*(?P<pub>[^;:]+?);\s*(?P<year>{_YEAR})[a-z]?\.?"
    rf"(?:\s*pp?\.\s*(?P<pages>{_PAGES}))?\.?\s*$"
)
_PUB_YEAR = re.compile(
    rf"\.\s+(?P<pub>[^.;]+?);\s*(?P<year>{_YEAR})[a-z]?\.?(?:\s*pp?\.\s*(?P<pages>{_PAGES}))?\.?\s*$"
)
_EDITION = re.compile(r"\.?\s*\d+(?:st|nd|rd|th)\s+ed\.?\s*$", re.IGNORECASE)
_VANCOUVER_AUTHOR = re.compile(r"^(?:[^\W\d_][\w'’\-]*\s+)+[A-Z]{1,4}$")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?\s*-?\s*)+$")


@dataclass
class _Parts:
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


def strip_list_marker(text: str) -> str:
    """``- [12] Ring PS...`` -> ``Ring PS...``."""
    return _LIST_MARK.sub("", text, count=1)


def parse_reference(text: str) -> Record:
    """Parse one reference string in whichever supported style it is written."""
    body = clean_text(strip_list_marker(text)) or ""
    body, doi, url = _take_links(body)
    parts = _Parts(doi=doi, url=url)
    if _APA_HEAD.match(body):
        _parse_apa(body, parts)
    else:
        _parse_vancouver(body, parts)
    return _finish(parts)


def parse_related_entry(title: str, author_lines: list[str], source: str) -> Record:
    """A WoS related-papers entry: title line, one ``Family, Given`` per line, source line."""
    parts = _Parts(title=clean_text(title), pub_type="article")
    parts.authors = [a for a in (parse_author(_drop_affiliation(n)) for n in author_lines) if a]
    match = re.match(
        rf"^(?P<journal>.+?),\s*(?P<year>{_YEAR})\s*(?:,\s*(?P<vol>[^:(]*?))?\s*"
        r"(?:\((?P<issue>[^)]*)\))?\s*(?::\s*(?P<pages>.+?))?\s*$",
        clean_text(source) or "",
    )
    if match:
        parts.journal = match["journal"]
        parts.year = int(match["year"])
        parts.volume = match["vol"] or None
        parts.issue = match["issue"].lstrip("0") or None if match["issue"] else None
        parts.pages = _pages(match["pages"])
    elif source.strip():
        parts.warnings.append(f"could not split source line {source.strip()!r}")
    return _finish(parts)


def _drop_affiliation(name: str) -> str:
    return re.sub(r"\s*\[[\d ,]+\]\s*$", "", name)


def _take_links(body: str) -> tuple[str, str | None, str | None]:
    """Remove DOI and URL links (markdown, angle brackets, bare); return what they held."""
    text = _ESCAPED.sub(r"\1", body)
    doi: str | None = None
    url: str | None = None
    for match in _DOI_URL.finditer(text):
        doi = normalize_doi(_balance(match.group(1)))
        if doi:
            break

    def keep_url(found: str) -> str:
        nonlocal url
        if url is None and not _DOI_URL.search(found):
            url = found.rstrip(".,;")
        return ""

    text = _MD_LINK.sub(lambda m: keep_url(m.group(2)), text)
    text = _ANGLE_URL.sub(lambda m: keep_url(m.group(1)), text)
    text = _DOI_URL.sub("", text)
    text = _BARE_URL.sub(lambda m: keep_url(m.group(0)), text)
    text = _CITED.sub("", text)
    text = _AVAILABLE.sub("", text)
    text = re.sub(r"\bdoi:?\s*$", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip(" ,;"), doi, url


def _balance(doi: str) -> str:
    """Drop closing brackets the DOI does not open (``...00062-7)`` from a markdown link)."""
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]
    return doi.rstrip(".,;")


def _pages(value: str | None) -> str | None:
    if not value:
        return None
    text = normalize_pages(re.sub(r"\s*[-–—]\s*", "-", value.strip(" .")))
    if text and "-" in text:
        start, _, end = text.partition("-")
        if start == end:
            return start
    return text


def _unitalic(text: str) -> str:
    return _ITALIC.sub(r"\1", text).replace("*", "")


def _split_title(title: str, parts: _Parts) -> None:
    """Set the title; a bracketed English translation after it becomes an alternative."""
    text = _unitalic(title).strip(" .")
    translated = _TRANSLATED.match(text)
    if translated:
        text, parts.alt_en = translated["title"], translated["en"]
    parts.title = text or None


# -- Vancouver -------------------------------------------------------------------------


def _vancouver_authors(body: str) -> tuple[list[Author], str] | None:
    head, sep, rest = body.partition(". ")
    if not sep:
        return None
    names = [n.strip() for n in head.split(",") if n.strip()]
    if names and names[-1].lower().rstrip(".") in ("et al", "et al"):
        names = names[:-1]
    if names and all(_VANCOUVER_AUTHOR.match(n) for n in names):
        return [a for a in (parse_author(n) for n in names) if a], rest
    # A corporate author: one short name before the title, no comma.
    if len(names) == 1 and len(head.split()) <= 5 and ":" not in head and ". " in rest:
        return [Author(family=head.strip())], rest
    return None


def _parse_vancouver(body: str, parts: _Parts) -> None:
    found = _vancouver_authors(body)
    if found is None:
        parts.warnings.append("could not find the authors")
        rest = body
    else:
        parts.authors, rest = found
    chapter = re.match(r"^(?P<title>.+?[.?!])\s+In:?\s+(?P<book>.+)$", rest)
    if chapter:
        _split_title(chapter["title"], parts)
        _vancouver_book(chapter["book"], parts, chapter=True)
    elif source := _VANCOUVER_SOURCE.search(rest):
        _vancouver_article(rest[: source.start()], parts)
        parts.year = int(source["year"])
        parts.volume = source["vol"] or None
        parts.issue = source["issue"] or None
        parts.pages = _pages(source["pages"])
        parts.pub_type = "article"
    else:
        _vancouver_book(rest, parts, chapter=False)


def _vancouver_article(head: str, parts: _Parts) -> None:
    italic = list(_ITALIC.finditer(head))
    if italic:
        last = italic[-1]
        parts.journal = last.group(1).strip(" .") or None
        _split_title(head[: last.start()], parts)
        return
    split = list(re.finditer(r"[.?!]\s+", head.strip(" .")))
    if split:
        cut = split[-1]
        _split_title(head.strip(" .")[: cut.start() + 1], parts)
        parts.journal = head.strip(" .")[cut.end():].strip(" .") or None
    else:
        parts.warnings.append("could not tell the title from the journal")


def _vancouver_book(text: str, parts: _Parts, *, chapter: bool) -> None:
    """``[Editors (Eds).] Book title. [2nd ed.] Place: Publisher; Year. [p. 1-27.]``."""
    match = _PLACE_PUB_YEAR.search(text) or _PUB_YEAR.search(text)
    if not match:
        parts.warnings.append("could not find the publisher and year")
        year = re.search(rf"\b({_YEAR})\b", text)
        parts.year = int(year.group(1)) if year else None
        if not chapter:
            parts.title = None
        return
    head = _EDITION.sub("", text[: match.start()]).strip()
    parts.place = clean_text(match.groupdict().get("place"))
    parts.publisher = clean_text(match["pub"])
    parts.year = int(match["year"])
    parts.pages = _pages(match["pages"])
    if chapter:
        editors = _EDITORS.search(head)
        if editors:
            head = head[editors.end():]
        parts.journal = _unitalic(head).strip(" .") or None
        parts.pub_type = "chapter"
    else:
        _split_title(head, parts)
        parts.pub_type = "book"


# -- APA -------------------------------------------------------------------------------


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
        else:
            author = parse_author(token)
            ok = False
            i += 1
        if author:
            authors.append(author)
    return authors, ok and bool(authors)


def _parse_apa(body: str, parts: _Parts) -> None:
    head = _APA_HEAD.match(body)
    assert head is not None
    parts.authors, ok = _apa_authors(head["authors"])
    if not ok:
        parts.warnings.append(f"could not split the authors {head['authors']!r}")
    parts.year = int(head["year"])
    parts.year_suffix = head["suffix"]
    rest = head["rest"].strip()
    chapter = re.match(r"^(?P<title>.+?)\.?\s+In:?\s+(?P<book>.+)$", rest)
    if chapter and _EDITORS.search(chapter["book"]):
        _split_title(chapter["title"], parts)
        _apa_chapter(chapter["book"], parts)
        return
    article = _APA_ARTICLE.match(rest)
    if article and (article["vol"] or article["ivol"] or article["pages"]):
        _split_title(article["title"], parts)
        parts.journal = article["journal"].strip(" .")
        parts.volume = article["vol"] or article["ivol"]
        parts.issue = article["issue"]
        parts.pages = _pages(article["pages"])
        parts.pub_type = "article"
        return
    plain = _APA_PLAIN_ARTICLE.match(rest)
    if plain:
        _split_title(plain["title"], parts)
        parts.journal = plain["journal"].strip(" .")
        parts.volume, parts.issue = plain["vol"], plain["issue"]
        parts.pages = _pages(plain["pages"])
        parts.pub_type = "article"
        return
    book = re.match(r"^(?P<title>.+?[.?!])\s+(?:(?P<place>[^.:;]+):\s*)?(?P<pub>[^.:;]+)\.?$", rest)
    if book and not book["place"]:
        book = re.match(r"^(?P<title>.+[.?!])\s+(?:(?P<place>[^.:;]+):\s*)?(?P<pub>[^.:;]+)\.?$", rest)
    if book:
        _split_title(book["title"], parts)
        parts.place = book["place"]
        parts.publisher = book["pub"].strip()
        parts.pub_type = "book"
        return
    if rest:
        _split_title(rest, parts)
        parts.warnings.append("could not find the journal or publisher")


def _apa_chapter(book: str, parts: _Parts) -> None:
    """``Editors (eds.). *Book*. (pp. 1-27) Place: Publisher.`` or ``..., *Book* (pp. 1-27). Pub.``."""
    editors = _EDITORS.search(book)
    rest = book[editors.end():] if editors else book
    pages = re.search(rf"\(pp?\.\s*(?P<pages>{_PAGES})\)\.?", rest)
    if pages:
        parts.pages = _pages(pages["pages"])
        tail = rest[pages.end():]
        rest = rest[: pages.start()]
    else:
        title_end = rest.rfind("*")
        tail, rest = rest[title_end + 1:], rest[: title_end + 1]
    parts.journal = _unitalic(rest).strip(" .,") or None
    publisher = re.match(r"^\s*\.?\s*(?:(?P<place>[^.:;]+):\s*)?(?P<pub>.+?)\.?\s*$", tail)
    if publisher:
        parts.place = clean_text(publisher["place"])
        parts.publisher = clean_text(publisher["pub"])
    parts.pub_type = "chapter"


# -- result ----------------------------------------------------------------------------


def _finish(parts: _Parts) -> Record:
    warnings = list(parts.warnings)
    alt_titles: list[LangText] = []
    if parts.alt_en:
        alt_titles.append(LangText(text=parts.alt_en, lang="en"))
    if not parts.title:
        warnings.append("reference not understood; kept as raw text")
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
