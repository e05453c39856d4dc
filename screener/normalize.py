"""Field normalisation shared by every importer: DOIs, HTML, authors, years, pages."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: parser processes normalise without pydantic
    from screener.models import Author

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")
# Only tag shapes (``<i>``, ``</sup>``, ``<br/>``, ``<span class="x">``), so that
# ``p < 0.05`` and ``<1 year`` survive.
# A namespace prefix is part of the name: Crossref/Lens abstracts are JATS (``<jats:p>``).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?::[A-Za-z][\w.-]*)?(?:\s[^<>]{0,200})?/?>")
# A JATS abstract opens with a heading that only repeats the field's name.
_ABSTRACT_HEADING = re.compile(r"^\s*<(?:jats:)?title>\s*Abstract\s*</(?:jats:)?title>", re.I)
# Left after one unescape: capitalised names (Web of Science writes ``&PLUSMN;``) and
# double-escaped entities (Lens: ``&amp;#8220;``).
_LEFT_ENTITY = re.compile(r"&(?:[A-Za-z]+\d*|#\d+|#[xX][0-9A-Fa-f]+);")
# Inline markup joins its neighbours (``H<sub>2</sub>O``); other tags separate words.
_INLINE_TAG = re.compile(
    r"</?(?:i|b|em|strong|sup|sub|inf|span|a|u|small|mark|font|scp|tt)(?:\s[^<>]{0,200})?/?>", re.I
)
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)")


def stripped_text(value: str | None) -> str | None:
    """``clean_text`` of a value known to hold no markup, entity or run of white space:
    a reader that checked a whole record at once saves the per-value checks, which were
    a third of the time spent reading a RIS record."""
    if value is None:
        return None
    return value.strip() or None


def is_clean(text: str) -> bool:
    """Whether ``text`` holds none of what ``clean_text`` removes or folds: markup,
    entities, tabs, line breaks, no-break spaces, two spaces in a row."""
    return "<" not in text and "&" not in text and "\t" not in text and "\n" not in text \
        and "\xa0" not in text and "  " not in text


def clean_text(value: str | None) -> str | None:
    """Strip HTML tags and entities and fold white space; empty becomes None."""
    if value is None:
        return None
    text = value
    # Fast path for the common clean value: a few substring scans beat split/join.
    if is_clean(text):
        text = text.strip()
        return text or None
    if "<" in text:
        text = _TAG.sub(" ", _INLINE_TAG.sub("", _ABSTRACT_HEADING.sub("", text)))
    if "&" in text:
        text = html.unescape(text)
        for _ in range(3):  # ``&amp;amp;#8220;``: escaped more than once
            if "&" not in text:
                break
            decoded = _LEFT_ENTITY.sub(_lower_entity, text)
            if decoded == text:
                break
            text = decoded
        if "<" in text:  # escaped markup: ``&lt;i&gt;``
            text = _TAG.sub(" ", _INLINE_TAG.sub("", text))
    # split/join folds every kind of white space and is several times faster than a regex.
    text = " ".join(text.split())
    return text or None


def _lower_entity(match: re.Match[str]) -> str:
    entity = match.group(0)
    name = entity if entity[1] == "#" else entity.lower()
    decoded = html.unescape(name)
    return entity if decoded == name else decoded


def normalize_doi(value: str | None) -> str | None:
    """Lower-case DOI without resolver prefix; None when no DOI shape is present."""
    if not value:
        return None
    text = value.strip()
    text = _DOI_PREFIX.sub("", text).strip()
    # Markdown escapes (``10.1016/S0140\-6736``) and stray angle brackets.
    text = text.replace("\\", "").strip("<>").strip()
    match = _DOI_SHAPE.search(text)
    if not match:
        return None
    return match.group(0).rstrip(".,;)").lower()


def parse_year(value: str | int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    if len(value) == 4 and value.isdigit():
        year = int(value)
        return year if 1500 <= year <= 2099 else None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


_INITIAL_BREAKS = str.maketrans(".-", "  ")
_PAGE_RANGE = re.compile(r"(\d+)\s*-+\s*(\d+)")


def initials_of(given: str) -> str:
    """``Peter S.`` -> ``PS``; ``P. S.`` -> ``PS``; ``Jean-Paul`` -> ``JP``."""
    if given.isalpha():  # a single given name: the common case
        return given[0].upper()
    return "".join(p[0].upper() for p in given.translate(_INITIAL_BREAKS).split() if p[0].isalpha())


def parse_author(text: str) -> Author | None:
    """Parse one author name in the common written forms.

    ``Ring, P. S.`` / ``Ring, Peter S.`` (family first, comma), ``Ring PS`` (Vancouver),
    ``Peter S. Ring`` (given first). A lone word is a family name or corporate author.
    """
    from screener.models import Author

    parts = author_fields(text)
    return Author(**parts) if parts is not None else None


_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del"})
_VANCOUVER_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")


def author_fields(
    text: str, clean: Callable[[str | None], str | None] = clean_text
) -> dict[str, str] | None:
    """``parse_author`` as the fields of an ``Author`` (cheaper when a Record validates
    them); ``clean``: ``stripped_text`` for text known to be clean."""
    name = clean(text)
    if not name:
        return None
    name = name.strip(" ,;")
    if not name:
        return None  # ``AU  - ,``: punctuation only
    if "," in name:
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
        if not given:
            return {"family": family}
        initials = initials_of(given)
        return {"family": family, "given": given, "initials": initials} if initials else \
            {"family": family, "given": given}
    words = name.split()
    if len(words) == 1:
        return {"family": words[0]}
    last = words[-1]
    # Vancouver: family name(s) then 1-3 capital initials, e.g. ``Van de Ven AH``.
    # Scopus writes the same with dots: ``Van de Ven A.H.``.
    if _VANCOUVER_INITIALS.fullmatch(last):
        return {"family": " ".join(words[:-1]), "initials": last.replace(".", "").replace("-", "")}
    # Given names first: ``Peter S. Ring``; keep particles with the family name.
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    given = " ".join(words[:i])
    initials = initials_of(given)
    fields = {"family": " ".join(words[i:]), "given": given}
    if initials:
        fields["initials"] = initials
    return fields


def normalize_pages(
    value: str | None, clean: Callable[[str | None], str | None] = clean_text
) -> str | None:
    """``1658-64`` -> ``1658-1664``; other shapes are kept as written."""
    text = clean(value)
    if not text:
        return None
    text = text.replace("–", "-").replace("—", "-")
    match = _PAGE_RANGE.fullmatch(text)
    if match:
        start, end = match.groups()
        if len(end) < len(start):
            end = start[: len(start) - len(end)] + end
        return f"{start}-{end}"
    return text


# RIS type codes, BibTeX entry types and MEDLINE publication types that name the same kind
# of item; any other value is shown as written.
_PUBLICATION_TYPES = {
    "jour": "Journal article", "journal article": "Journal article", "article": "Journal article",
    "ejour": "Journal article", "jfull": "Journal article",
    "conf": "Conference paper", "cpaper": "Conference paper", "inproceedings": "Conference paper",
    "conference paper": "Conference paper", "proceedings paper": "Conference paper",
    "abst": "Conference abstract", "meeting abstract": "Conference abstract",
    "conference abstract": "Conference abstract",
    "book": "Book", "chap": "Book chapter", "incollection": "Book chapter",
    "inbook": "Book chapter", "book chapter": "Book chapter",
    "thes": "Thesis", "phdthesis": "Thesis", "mastersthesis": "Thesis", "thesis": "Thesis",
    "dissertation": "Thesis",
    "rprt": "Report", "techreport": "Report", "report": "Report",
    "review": "Review", "editorial": "Editorial", "edit": "Editorial", "letter": "Letter",
    "comment": "Comment", "news": "News", "erratum": "Erratum", "published erratum": "Erratum",
    "misc": "Other", "gen": "Other", "elec": "Web page", "web page": "Web page",
    "preprint": "Preprint", "unpb": "Unpublished work",
}


def publication_type(value: str | None) -> str | None:
    """One name per kind of item: ``JOUR``, ``Journal Article`` and ``article`` are all
    ``Journal article``; a value not known is returned as written."""
    if value is None or not value.strip():
        return None
    text = " ".join(value.split())
    return _PUBLICATION_TYPES.get(text.lower(), text)


def unique_terms(terms: list[str]) -> list[str]:
    """Keywords once each, compared without case, spacing or a trailing full stop
    (merged records repeat ``Partnerships``, ``partnerships`` and ``PARTNERSHIPS.``); the
    first spelling is kept."""
    seen: set[str] = set()
    out: list[str] = []
    for term in terms:
        key = " ".join(term.casefold().rstrip(".").split())
        if key and key not in seen:
            seen.add(key)
            out.append(term)
    return out
