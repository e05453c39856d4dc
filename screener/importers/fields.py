"""Building a ``Record`` from raw field values: the normalisation every reader shares.

Readers know where a format keeps each field; ``RecordBuilder`` knows how a raw value
becomes a typed one (HTML stripped, DOI normalised, year parsed, ``1658-64`` expanded) and
which problems are worth a warning. Values are converted here, so the record is built
without a second validation pass (imports of a million records depend on that).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from screener.normalize import (
    author_fields,
    clean_text,
    normalize_doi,
    normalize_pages,
    parse_year,
    stripped_text,
)

if TYPE_CHECKING:  # imported where used: parser processes build dicts, not models
    from screener.models import Record

_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_SPLIT_KEYWORDS = re.compile(r"\s*;\s*")
_SPLIT_AUTHORS = re.compile(r"\s*;\s*")
# ``Record``'s fields in its order (a test keeps them equal): written out, because a parser
# process builds records as dicts and must not wait for pydantic to build the model class.
RECORD_FIELDS = (
    "title", "alt_titles", "abstract", "alt_abstracts", "authors", "year", "journal", "volume",
    "issue", "pages", "doi", "pmid", "isbn", "keywords", "mesh", "url", "language", "pub_type",
    "year_suffix", "publisher", "place", "incomplete", "warnings",
)


def first_tag_value(fields: dict[str, list[str]], *tags: str) -> str | None:
    """The first non-empty value of the first of ``tags`` present in a tagged record."""
    for tag in tags:
        for value in fields.get(tag, ()):
            if value:
                return value
    return None


def split_authors(value: str) -> list[str]:
    """``Ring, P.S.; Van de Ven, A.H.`` or old Scopus ``Ring P.S., Van de Ven A.H.``."""
    if ";" in value:
        return [a for a in _SPLIT_AUTHORS.split(value) if a]
    if value.count(",") > 1 or (value.count(",") == 1 and re.search(r"\.\s*,", value)):
        # Comma-separated list: a comma after initials ends a name.
        parts = re.split(r"(?<=\.),\s*", value)
        if len(parts) > 1:
            return [p for p in parts if p]
    return [value] if value.strip() else []


class RecordBuilder:
    """Collects normalised fields; ``build()`` returns the Record with its warnings.

    ``clean_input``: the reader checked that no value holds markup, an entity or a run of
    white space (``is_clean``), so values are only stripped."""

    __slots__ = ("clean", "data", "warnings")

    def __init__(self, *, clean_input: bool = False) -> None:
        self.data: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.clean = stripped_text if clean_input else clean_text

    def set(self, name: str, value: str | None) -> None:
        text = self.clean(value)
        if text and name not in self.data:
            self.data[name] = text

    def title(self, value: str | None) -> None:
        self.set("title", value)

    def alt_title(self, value: str | None, lang: str | None = None) -> None:
        text = self.clean(value)
        if text:
            self.data.setdefault("alt_titles", []).append(_lang_text(text, lang))

    def abstract(self, value: str | None) -> None:
        self.set("abstract", value)

    def alt_abstract(self, value: str | None, lang: str | None = None) -> None:
        text = self.clean(value)
        if text:
            self.data.setdefault("alt_abstracts", []).append(_lang_text(text, lang))

    def journal(self, value: str | None) -> None:
        self.set("journal", value)

    def authors(self, names: Iterable[str]) -> None:
        # Field dicts, not Author models: the Record validates them in one pass.
        out: list[dict[str, str]] = self.data.setdefault("authors", [])
        for name in names:
            author = author_fields(name, self.clean)
            if author is not None:
                out.append(author)

    def author(self, family: str, given: str | None) -> None:
        family_text = self.clean(family)
        if not family_text:
            return
        given_text = self.clean(given)
        author = author_fields(f"{family_text}, {given_text}" if given_text else family_text,
                               self.clean)
        if author is not None:
            self.data.setdefault("authors", []).append(author)

    def corporate_author(self, name: str | None) -> None:
        """An organisation: the whole name is the family name, never split."""
        text = self.clean(name)
        if text:
            self.data.setdefault("authors", []).append({"family": text})

    def year(self, value: str | None) -> None:
        if "year" in self.data or value is None or not value.strip():
            return
        year = parse_year(value)
        if year is None:
            self.warnings.append(f"unparseable year {value.strip()!r}")
        else:
            self.data["year"] = year

    def pages(self, start: str | None, end: str | None = None) -> None:
        if "pages" in self.data:
            return
        start, end = self.clean(start), self.clean(end)
        if start and end and "-" not in start:
            pages = normalize_pages(f"{start}-{end}", self.clean)
        else:
            pages = normalize_pages(start, self.clean)
        if pages:
            self.data["pages"] = pages

    def doi(self, *candidates: str | None) -> None:
        if "doi" in self.data:
            return
        for candidate in candidates:
            if candidate and "10." in candidate:
                doi = normalize_doi(candidate)
                if doi:
                    self.data["doi"] = doi
                    return

    def isbn_or_issn(self, value: str | None) -> None:
        """``SN``-style fields hold ISSNs or ISBNs; keep ISBNs only."""
        if not value or "isbn" in self.data:
            return
        for part in re.split(r"[;,\s]+(?![0-9Xx-]*\))", value):
            part = part.strip().strip("()")
            if not part or _ISSN.match(part):
                continue
            digits = re.sub(r"[^0-9Xx]", "", part)
            if len(digits) in (10, 13):
                self.data["isbn"] = part
                return

    def keywords(self, values: Iterable[str], *, mesh_markers: bool = False) -> None:
        """Keywords, split on ``;``; with ``mesh_markers`` starred or ``Heading/Sub``
        terms (as PubMed and Ovid write MeSH in RIS) go to ``mesh``."""
        keywords: list[str] = self.data.setdefault("keywords", [])
        for value in values:
            for kw in _SPLIT_KEYWORDS.split(value) if ";" in value else (value,):
                kw = self.clean(kw) or ""
                if not kw:
                    continue
                if mesh_markers and (kw.startswith("*") or "/" in kw):
                    self.data.setdefault("mesh", []).append(kw.lstrip("*"))
                else:
                    keywords.append(kw)

    def mesh(self, values: Iterable[str]) -> None:
        terms: list[str] = self.data.setdefault("mesh", [])
        for value in values:
            for term in _SPLIT_KEYWORDS.split(value) if ";" in value else (value,):
                text = self.clean(term)
                if text:
                    terms.append(text.lstrip("*"))

    def url(self, *candidates: str | None) -> None:
        if "url" in self.data:
            return
        for candidate in candidates:
            if candidate and candidate.strip().startswith("http"):
                self.data["url"] = candidate.strip().split()[0]
                return

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def build_fields(self) -> dict[str, Any]:
        """The record as the fields ``Record(**fields)`` takes, which are also those its JSON
        holds (defaults left out, in the model's order): a reader that only stores the
        record need not build the model."""
        data = self.data
        for key in ("authors", "keywords", "mesh"):
            if key in data and not data[key]:
                del data[key]
        if "title" not in data:
            self.warnings.append("record has no title")
            data["incomplete"] = True
        if self.warnings:
            data["warnings"] = self.warnings
        return {name: data[name] for name in RECORD_FIELDS if name in data}

    def build(self) -> Record:
        from screener.models import Record

        # pydantic-core validation is cheap; model_construct is slower (it inspects
        # default factories on every call).
        return Record(**self.build_fields())


def _lang_text(text: str, lang: str | None) -> dict[str, str]:
    # A ``LangText`` as its fields, without the default ``lang``: see ``build_fields``.
    return {"text": text, "lang": lang} if lang is not None else {"text": text}
