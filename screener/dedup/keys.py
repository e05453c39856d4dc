"""Normalised matching keys of one record: title, authors, venue, pages, identifiers.

Keys are computed once per record and are all dedup needs afterwards, so blocking and
scoring never touch the pydantic models (that keeps a million records fast).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from screener.models import Method, Record
from screener.normalize import clean_text, normalize_doi, normalize_pages


@dataclass(frozen=True, slots=True)
class DedupItem:
    """A record as dedup sees it: id, fields, and the page that lists it (if any)."""

    id: int
    record: Record
    parent_id: int | None = None
    method: Method = Method.DATABASE


@dataclass(slots=True)
class MatchKeys:
    """Everything about one record that matching compares."""

    id: int
    parent_id: int | None
    title: str
    """Normalised main title ('' when missing)."""
    titles: tuple[str, ...]
    """Main and alternative (e.g. English) titles, normalised, non-empty."""
    generic: bool
    kind: str
    """``article``, ``correction`` or ``comment``: different kinds never merge."""
    part: str | None
    numbers: frozenset[str]
    surnames: tuple[str, ...]
    initial: str
    """First author's first initial ('' when unknown)."""
    initials: tuple[str, ...]
    """Every author's first initial ('' when unknown), aligned with the authors."""
    year: int | None
    suffix: str | None
    doi: str | None
    pmid: str | None
    venue: tuple[str, ...]
    volume: str | None
    issue: str | None
    page: str | None
    page_range: tuple[int, int] | None
    """First and last page when the record spans several pages (``1658-64`` -> 1658, 1664)."""


_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
# ``Title. [Chinese]`` / ``(author's transl)``: language tags appended by databases.
_LANG_TAG = re.compile(r"[\[(](?:in\s+)?[a-z]+(?:\s+[a-z]+)?[\])]\s*\.?\s*$|\(author'?s transl\)", re.I)
_ANNOTATION = re.compile(
    r"\s*\.{0,3}\s*\[(?:corrected|published erratum|erratum appears|erratum in|comment in"
    r"|retraction in|retracted|see comments?)\b.*$",
    re.I,
)
_TRANSLATED = re.compile(r"^(.{12,}?)\s*\[([^\[\]]{12,})\]\s*\.?$")
_ERRATUM_REF = re.compile(r"\(\s*vol\.?\s*\d+[^)]*\bpg?\.?\s*\d+[^)]*\)", re.I)
# Words that always mean a notice about another item, and notice labels that need a
# colon or ``to`` (``Correction of scoliosis`` and ``Response of cells`` are articles).
_CORRECTION = re.compile(
    r"\b(?:erratum|errata|corrigendum|corrigenda)\b"
    r"|^(?:correction|retraction|retracted|notice of retraction|expression of concern)"
    r"(?:\s+(?:to|for|notice))?\s*[:\-]|^correction to\b|^retraction of\b",
    re.I,
)
_COMMENT = re.compile(
    r"^re\s*:|^(?:comment|comments|commentary|reply|response|letter|rebuttal)\s*[:\-]"
    r"|^(?:in reply|authors?'? reply|author's reply|reply to|response to|comment on|comments on"
    r"|commentary on|a comment on|letter to the editor|invited commentary)\b"
    r"|[\s\-:(]+(?:reply|authors?'? reply|response to comments?)\s*\)?\.?$",
    re.I,
)
_PART = re.compile(r"\b(?:part|pt|teil|partie)\.?\s+([0-9]+|[ivx]+|one|two|three|four|five|[a-d])\b", re.I)
_TRAILING_ROMAN = re.compile(r"[:.,\-]\s*([ivx]{1,4})\s*$", re.I)
_ROMAN = {"ii", "iii", "iv", "vi", "vii", "viii", "ix"}
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "a": "1", "b": "2",
                 "c": "3", "d": "4"}

GENERIC_TITLES = frozenset(
    {
        "editorial", "guest editorial", "correction", "erratum", "errata", "corrigendum",
        "reply", "response", "comment", "commentary", "letter", "letter to the editor",
        "letters to the editor", "introduction", "preface", "foreword", "abstracts",
        "abstract", "index", "news", "book review", "in this issue", "editors note",
        "editor s note", "from the editor", "conclusion", "discussion", "summary",
        "overview", "announcement", "obituary", "retraction", "notice of retraction",
        "untitled", "author reply", "authors reply", "reply to letter", "in brief",
        "highlights", "contents", "table of contents", "masthead", "front matter",
        "back matter", "call for papers", "acknowledgements", "acknowledgments",
        "reviewers", "introduction to the special issue", "editorial board",
        "poster abstracts", "oral presentations", "proceedings", "meeting abstracts",
        "research highlights", "case report", "case reports",
    }
)
"""Titles that name a kind of item rather than a work; plurals are folded in ``is_generic``."""
_GENERIC_START = re.compile(
    r"^(?:editor s|editors|editorial|guest editor|from the editor|letter from the|message from"
    r"|in memoriam)"
)
_STOP = frozenset(["of", "the", "and", "in", "on", "for", "a", "an", "de", "der", "des", "la", "le", "du", "und", "et"])


def fold(text: str) -> str:
    """Lower case without diacritics: ``Müller`` -> ``muller``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_title(value: str | None) -> str:
    """Title as compared: no HTML, case, punctuation, diacritics, language tags or brackets."""
    text = clean_text(value)
    if not text:
        return ""
    text = _LANG_TAG.sub("", strip_annotations(text.strip())).strip()
    # MEDLINE puts translated titles in brackets: ``[Efficacy of ...]. [Swedish]``
    if text.startswith("[") and text.rstrip(".").endswith("]"):
        text = text.rstrip(".")[1:-1]
    return _SPACE.sub(" ", _NON_WORD.sub(" ", fold(text))).strip()


def is_generic(title: str) -> bool:
    """True for titles that name a kind of item, not a work (``Editorial``, ``Diabetes``)."""
    if not title:
        return True
    if not title.isascii() and any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in title):
        return len(title.replace(" ", "")) < 6
    if title in GENERIC_TITLES or title.removesuffix("s") in GENERIC_TITLES:
        return True
    if len(title) < 60 and _GENERIC_START.match(title):
        return True
    words = title.split()
    return len(words) <= 2 and len(title) < 30


def title_kind(raw: str | None, pub_type: str | None) -> str:
    text = strip_annotations(clean_text(raw) or "")
    kind_text = (pub_type or "").lower()
    if _CORRECTION.search(text) or _ERRATUM_REF.search(text) or "erratum" in kind_text or "correction" in kind_text:
        return "correction"
    if _COMMENT.search(text) or "comment" in kind_text or "letter" in kind_text:
        return "comment"
    return "article"


def title_part(raw: str | None) -> str | None:
    text = clean_text(raw) or ""
    match = _PART.search(text) or _TRAILING_ROMAN.search(text)
    if not match:
        return None
    value = match.group(1).lower()
    return _WORD_NUMBERS.get(value, value)


def title_numbers(title: str) -> frozenset[str]:
    """Numbers and roman numerals in a normalised title (``phase 2``, ``part ii``)."""
    return frozenset(w for w in title.split() if w.isdigit() or w in _ROMAN)


def surname_key(family: str) -> str:
    folded = fold(family)
    if folded.isalpha():
        return folded
    return "".join(c for c in folded if c.isalpha())


def venue_tokens(value: str | None) -> tuple[str, ...]:
    text = clean_text(value)
    if not text:
        return ()
    words = _NON_WORD.sub(" ", fold(text)).split()
    return tuple(w for w in words if w not in _STOP and not w.isdigit())


def start_page(value: str | None) -> str | None:
    """First page as compared: ``1658-64`` -> ``1658``, ``e0123`` / ``c37`` -> ``123`` / ``37``."""
    text = clean_text(value)
    if not text:
        return None
    match = re.match(r"\s*[a-z]?0*(\d+)", text, re.I)
    if match:
        return match.group(1)
    first = re.split(r"[-,;\s]", text.strip().lower(), maxsplit=1)[0]
    return first or None


def page_range(value: str | None) -> tuple[int, int] | None:
    pages = normalize_pages(value)
    match = re.fullmatch(r"(\d+)-(\d+)", pages or "")
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    return (first, last) if last > first else None


def _number(value: str | None) -> str | None:
    """Volume or issue as compared: its first number (``35 Suppl 1`` -> ``35``, ``Pt 3`` -> ``3``).

    A value without digits (``Jul``, ``Ph.D.``) says nothing comparable and becomes None.
    """
    if value is None:
        return None
    match = re.search(r"\d+", str(value))
    return (match.group(0).lstrip("0") or "0") if match else None


def strip_annotations(title: str) -> str:
    """Drop database notes such as ``[published erratum appears in ...]`` from a title."""
    return _ANNOTATION.sub("", title)


TITLE_CHARS = 400
"""How much of a title dedup compares. Real titles are far shorter; a damaged record with a
megabyte "title" would otherwise make one comparison cost minutes (similarity is quadratic
in the length), and the first 400 characters tell two works apart as well as all of them."""
_RAW_CHARS = 4 * TITLE_CHARS
"""How much raw text (HTML, brackets, punctuation) is read to get those characters."""


def _capped(text: str | None) -> str | None:
    return text[:_RAW_CHARS] if text is not None and len(text) > _RAW_CHARS else text


def _title_key(text: str | None) -> str:
    key = normalize_title(_capped(text))
    if len(key) > TITLE_CHARS:
        key = key[:TITLE_CHARS].rsplit(" ", 1)[0]
    return key


def match_keys(item: DedupItem) -> MatchKeys:
    rec = item.record
    raw = clean_text(_capped(rec.title)) or ""
    # ``English title [Original-language title]``: both are titles of the work.
    bracket = _TRANSLATED.match(raw)
    title = _title_key(bracket.group(1) if bracket else raw)
    titles = [title] if title else []
    if bracket:
        titles.append(_title_key(bracket.group(2)))
    for alt in rec.alt_titles[:10]:
        alt_title = _title_key(alt.text)
        if alt_title and alt_title not in titles:
            titles.append(alt_title)
    main = title or (titles[0] if titles else "")
    named = [(surname_key(a.family), a) for a in rec.authors]
    named = [(s, a) for s, a in named if s and s != "etal"]
    surnames = tuple(s for s, _ in named)
    initials = tuple(fold(a.initials or a.given or "")[:1] for _, a in named)
    initial = initials[0] if initials else ""
    pmid = _number(rec.pmid)
    return MatchKeys(
        id=item.id,
        parent_id=item.parent_id,
        title=main,
        titles=tuple(titles),
        generic=all(is_generic(t) for t in titles) if titles else True,
        kind=title_kind(_capped(rec.title), rec.pub_type),
        part=title_part(_capped(rec.title)),
        numbers=title_numbers(main),
        surnames=surnames,
        initial=initial,
        initials=initials,
        year=rec.year,
        suffix=rec.year_suffix or None,
        doi=normalize_doi(rec.doi),
        pmid=pmid if pmid and pmid.isdigit() else None,
        venue=venue_tokens(_capped(rec.journal)),
        volume=_number(rec.volume),
        issue=_number(rec.issue),
        page=start_page(rec.pages),
        page_range=page_range(rec.pages),
    )
