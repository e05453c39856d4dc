"""BibTeX (Zotero, JabRef, Mendeley, Google Scholar, Scopus, Web of Science exports).

``bibtex_syntax`` reads entries (macros, ``#``, crossref, damaged entries kept);
``latex`` turns values into text; this module splits author lists and maps fields to a
Record. Authors are split on ``and`` outside braces, so ``{Barnes and Noble}`` stays one
corporate author; Scopus's ``D'Ambrosio, A., Aria, M.`` (commas, no ``and``) is split
after the initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screener.importers.bibtex_syntax import (
    Entry,
    is_bibtex_entry,
    iter_entries,
    parse_entries,
)
from screener.importers.fields import RecordBuilder, split_authors
from screener.importers.latex import latex_to_text
from screener.importers.rows import RecordRow, row_from_fields
from screener.methods import Method
from screener.normalize import is_clean

if TYPE_CHECKING:  # imported where used: a parser process needs neither (pydantic)
    from screener.models import ParsedRecord, Record

_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]", re.MULTILINE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


class BibtexReader:
    name = "bibtex"
    extensions: tuple[str, ...] = (".bib", ".bibtex")
    default_source = "BibTeX export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        kinds = [m.group(1) for m in _ENTRY.finditer(text)]
        if not any(is_bibtex_entry(k) for k in kinds):
            return 0.0
        return 0.9 if re.search(r"^\s*(title|author)\s*=", text, re.MULTILINE | re.IGNORECASE) else 0.5

    def detect_source(self, head: str) -> str | None:
        if "www.scopus.com" in head:
            return "Scopus"
        if re.search(r"^\s*Unique-ID\s*=\s*\{WOS:", head, re.MULTILINE | re.IGNORECASE):
            return "Web of Science"
        return None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        from screener.models import ParsedRecord

        for index, entry in enumerate(_entries(text, path, 1, final=True)):
            record = record_from_entry(entry)
            yield ParsedRecord(record=record, index=index, line=entry.line, raw=entry.raw)

    def parse_rows(
        self, chunks: Iterable[str], path: Path, first_line: int = 1, *, segment: bool = False,
        final: bool = True,
    ) -> Iterator[tuple[RecordRow, list[str]]]:
        """What ``parse`` gives, as rows ready to store, built without the models (several
        times cheaper). ``first_line``: where the text starts in the file (a segment cut
        at an entry's first line, for parallel parsing); ``final``: whether it runs to the
        file's end (only there is an entry left open a truncated file)."""
        text = "".join(chunks)
        for index, entry in enumerate(_entries(text, path, first_line, final=final)):
            yield row_from_fields(record_fields(entry), index, entry.line, entry.raw)


def _entries(text: str, path: Path, first_line: int, *, final: bool) -> Iterable[Entry]:
    # Both leave out @comment, @preamble and @string. A part of a file is one of several
    # segments, cut only where no entry names a ``crossref`` (``bibtex_segments``): its
    # entries go out as they are read; a whole file's wait for the inheritance.
    if first_line == 1 and final:
        return parse_entries(text, path, first_line=first_line, final=final)
    return iter_entries(text, path, first_line=first_line, final=final)


def split_names(value: str) -> list[str]:
    """Names of an ``author`` value, split on ``and`` at brace depth 0."""
    if "{" not in value:
        names = _AND.split(value.strip())
    else:
        names, depth, start = [], 0, 0
        i = 0
        while i < len(value):
            ch = value[i]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif depth == 0 and ch in " \t\n" and value[i + 1:i + 4].lower() == "and" \
                    and i + 4 < len(value) and value[i + 4] in " \t\n":
                names.append(value[start:i])
                i += 4
                start = i
                continue
            i += 1
        names.append(value[start:])
    names = [n.strip() for n in names if n.strip()]
    if len(names) == 1 and _depth0_commas(names[0]) > 2:
        return split_authors(names[0])  # Scopus: ``D'Ambrosio, A., Aria, M., ...``
    return names


def _depth0_commas(name: str) -> int:
    depth = count = 0
    for ch in name:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count


def _author(b: RecordBuilder, name: str) -> None:
    """A name that holds LaTeX or more than one comma (``record_fields`` reads the rest)."""
    stripped = name.strip()
    if stripped.startswith("{") and stripped.endswith("}") and _balanced_whole(stripped):
        b.corporate_author(latex_to_text(stripped[1:-1]))  # ``{World Health Organization}``
        return
    parts = [p.strip() for p in (
        stripped.split(",") if "{" not in stripped else _split_depth0(stripped, ","))]
    if len(parts) >= 3:  # ``von Last, Jr, First``
        b.author(latex_to_text(parts[0]), latex_to_text(f"{parts[2]}, {parts[1]}"))
    elif len(parts) == 2:
        b.author(latex_to_text(parts[0]), latex_to_text(parts[1]) or None)
    else:
        b.authors([latex_to_text(stripped)])


def _balanced_whole(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        depth += 1 if ch == "{" else -1 if ch == "}" else 0
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _split_depth0(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _as_is(value: str) -> str:
    return value


def _plain(value: str | None) -> str | None:
    """Identifiers and URLs: braces and escapes removed, nothing else (``--`` stays)."""
    if not value:
        return None
    if "{" not in value and "}" not in value and "\\" not in value:
        return value
    return value.replace("{", "").replace("}", "").replace("\\_", "_").replace("\\&", "&") \
        .replace("\\%", "%")


def record_from_entry(entry: Entry) -> Record:
    from screener.models import Record

    return Record(**record_fields(entry))


def record_fields(entry: Entry) -> dict[str, Any]:
    """``record_from_entry`` as the Record's fields (``RecordBuilder.build_fields``)."""
    fields = entry.fields
    get = fields.get
    # Checked once for the entry instead of once per value: whether any value but the
    # pages (``1168--1182`` is common) holds LaTeX, and whether all are clean text.
    values = "\x00".join([v for k, v in fields.items() if k != "pages"])
    plain = latex_to_text(values) is values
    convert = _as_is if plain else latex_to_text

    def text(*names: str) -> str | None:
        for name in names:
            value = get(name)
            if value:
                return convert(value)
        return None

    b = RecordBuilder(clean_input=plain and is_clean(values))
    b.title(text("title"))
    # Editors stand in for authors of a whole book, not of a crossref'd chapter.
    names = get("author") or ("" if "crossref" in fields else get("editor")) or ""
    simple: list[str] = []  # ``Family, Given`` or ``Given Family`` without LaTeX
    for name in split_names(names):
        # The entry-wide check already says that no name holds LaTeX.
        if name.count(",") <= 1 and (plain or latex_to_text(name) is name):
            simple.append(name)
        else:
            b.authors(simple)  # the names before it, in their order
            simple = []
            _author(b, name)
    b.authors(simple)
    b.year(text("year", "date"))
    b.journal(text("journal", "journaltitle", "booktitle"))
    b.set("volume", text("volume"))
    b.set("issue", text("number", "issue"))
    pages = get("pages") or ""
    # ``1168--1182``: digits and dashes need no LaTeX (the page range reads any dashes).
    b.pages((pages if pages.replace("-", "").isdigit() else latex_to_text(pages)) or None)
    url = _plain(get("url"))
    b.doi(_plain(get("doi")), url)
    b.abstract(text("abstract"))
    pmid = (_plain(get("pmid")) or "").strip()
    if pmid.isdigit():
        b.set("pmid", pmid)
    b.isbn_or_issn(_plain(get("isbn")))
    for key in ("keywords", "author_keywords"):
        if get(key):
            b.keywords([(text(key) or "").replace(",", ";")])
    if get("mesh"):
        b.mesh([text("mesh") or ""])
    b.url(url)
    b.set("language", text("language", "langid"))
    b.set("pub_type", entry.entry_type.lower())
    for note in entry.notes:
        b.warn(note)
    return b.build_fields()


READER = BibtexReader()
