"""CSV and TSV exports: Scopus, Web of Science, Dimensions, Lens, or any table.

Which column holds which field is data, not code: ``FIELD_COLUMNS`` lists the alternative
column names each database uses, ``SOURCE_SIGNATURES`` the columns that give a database
away. A user mapping (``screener import --columns title=Article Title,doi=DOI``) takes
precedence over both.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, split_authors
from screener.models import Method, ParsedRecord, Record

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    # Scopus, Web of Science (full names and tags), Dimensions, Lens, Zotero/EndNote CSV.
    "title": ("Title", "Article Title", "TI", "Document Title", "Primary Title", "title"),
    "authors": ("Author full names", "Author Full Names", "AF", "Authors", "AU", "Author/s",
                "Author", "authors"),
    "year": ("Year", "Publication Year", "PY", "PubYear", "Publication Date", "Date Published",
             "year"),
    "journal": ("Source title", "Source Title", "SO", "Journal", "Publication Title",
                "Journal/Book", "journal", "Source"),
    "volume": ("Volume", "VL", "volume"),
    "issue": ("Issue", "IS", "Issue Number", "Number", "issue"),
    "pages": ("Pages", "Pagination", "Page range", "pages"),
    "page_start": ("Page start", "Start Page", "BP"),
    "page_end": ("Page end", "End Page", "EP"),
    "article_number": ("Art. No.", "Article Number", "AR"),
    "doi": ("DOI", "DI", "doi"),
    "pmid": ("PubMed ID", "Pubmed Id", "PMID", "PM", "pmid"),
    "abstract": ("Abstract", "AB", "abstract", "Abstract Note"),
    "keywords": ("Author Keywords", "DE", "Keywords", "Manual Tags", "keywords"),
    "index_keywords": ("Index Keywords", "Keywords Plus", "ID"),
    "mesh": ("MeSH terms", "MeSH Terms", "MESH"),
    "url": ("Link", "URL", "Source URLs", "Dimensions URL", "Url"),
    "language": ("Language of Original Document", "Language", "LA"),
    "pub_type": ("Document Type", "Publication Type", "DT", "PT", "Item Type"),
    "isbn": ("ISBN", "BN"),
}

SOURCE_SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Scopus", frozenset({"EID", "Source title"})),
    ("Scopus", frozenset({"Link", "Source title", "Art. No."})),
    ("Web of Science", frozenset({"UT (Unique WOS ID)"})),
    ("Web of Science", frozenset({"UT", "PT", "AU", "TI"})),
    ("Dimensions", frozenset({"Dimensions URL"})),
    ("Dimensions", frozenset({"Publication ID", "PubYear"})),
    ("Lens", frozenset({"Lens ID"})),
)
_FIELDS = set(FIELD_COLUMNS) | {"title"}
_DELIMITERS = ("\t", ",", ";")


class TabularReader:
    name = "csv"
    extensions: tuple[str, ...] = (".csv", ".tsv", ".tab", ".txt")
    default_source = "CSV export"
    default_method = Method.DATABASE

    def __init__(self, columns: dict[str, str] | None = None) -> None:
        self.columns = columns or {}

    def with_columns(self, columns: dict[str, str]) -> TabularReader:
        unknown = sorted(set(columns) - _FIELDS)
        if unknown:
            raise RecordImportError(
                f"--columns: unknown field {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))})"
            )
        return TabularReader(columns)

    def sniff(self, text: str) -> float:
        found = _find_header(text.split("\n")[:30])
        if found is None:
            return 0.0
        header = found[2]
        if _title_column(header, self.columns):
            return 0.8
        return 0.35 if len(header) >= 3 else 0.0

    def detect_source(self, head: str) -> str | None:
        found = _find_header(head.split("\n")[:30])
        if found is None:
            return None
        names = set(found[2])
        for source, signature in SOURCE_SIGNATURES:
            if signature <= names:
                return source
        return None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        lines = text.split("\n")
        found = _find_header(lines[:30])
        if found is None:
            raise RecordImportError("no CSV/TSV header row found", path=path, line=1)
        header_index, delimiter, header = found
        title_col = _title_column(header, self.columns)
        if title_col is None:
            shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
            raise RecordImportError(
                f"no title column among the columns ({shown}); name it with "
                "--columns title=COLUMN", path=path, line=header_index + 1,
            )
        mapping = _mapping(header, self.columns)
        missing = sorted(c for c in self.columns.values() if c not in header)
        if missing:
            raise RecordImportError(f"--columns: no column named {missing[0]!r} in the header",
                                    path=path, line=header_index + 1)
        body = lines[header_index + 1:]
        if body and body[-1] == "":
            body.pop()
        reader = csv.reader((line + "\n" for line in body), delimiter=delimiter, strict=True)
        index = 0
        start = header_index + 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise RecordImportError(f"malformed CSV: {exc}", path=path, line=start) from exc
            end = header_index + 1 + reader.line_num
            if not any(cell.strip() for cell in row):
                start = end + 1
                continue
            values = {name: row[i] for name, i in mapping.items() if i < len(row)}
            record = record_from_row(values)
            if len(row) != len(header):
                record.warnings.append(f"row has {len(row)} cells, the header {len(header)}")
            raw = "\n".join(body[start - header_index - 2:end - header_index - 1])
            yield ParsedRecord(record=record, index=index, line=start, raw=raw)
            index += 1
            start = end + 1


def _find_header(lines: list[str]) -> tuple[int, str, list[str]] | None:
    """The header row: the first line of 3+ distinct, name-like cells that names a known
    column, else the first line of such cells at all. (Dimensions puts an 'About the
    data' line above its header.)"""
    fallback: tuple[int, str, list[str]] | None = None
    for i, line in enumerate(lines):
        stripped = line.lstrip("\ufeff")
        for delimiter in _DELIMITERS:
            if delimiter not in stripped:
                continue
            try:
                header = [h.strip() for h in next(csv.reader([stripped], delimiter=delimiter))]
            except (csv.Error, StopIteration):
                continue
            named = [h for h in header if h]
            if len(named) < 3 or len(set(named)) != len(named) or not all(map(_name_like, named)):
                continue
            if any(h in names for h in header for names in FIELD_COLUMNS.values()):
                return i, delimiter, header
            if fallback is None:
                fallback = (i, delimiter, header)
            break
    return fallback


def _name_like(cell: str) -> bool:
    return len(cell) <= 60 and len(cell.split()) <= 6


def _title_column(header: list[str], user: dict[str, str]) -> str | None:
    if "title" in user:
        return user["title"] if user["title"] in header else None
    return next((c for c in FIELD_COLUMNS["title"] if c in header), None)


def _mapping(header: list[str], user: dict[str, str]) -> dict[str, int]:
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    mapping: dict[str, int] = {}
    for field, names in FIELD_COLUMNS.items():
        if field in user:
            mapping[field] = position[user[field]] if user[field] in position else len(header)
            continue
        for name in names:
            if name in position:
                mapping[field] = position[name]
                break
    return mapping


_SCOPUS_ID = re.compile(r"\s*\(\d{6,}\)")


def record_from_row(values: dict[str, str]) -> Record:
    b = RecordBuilder()
    b.title(values.get("title"))
    authors = _SCOPUS_ID.sub("", values.get("authors") or "")
    b.authors(split_authors(authors))
    b.year(values.get("year"))
    b.journal(values.get("journal"))
    b.set("volume", values.get("volume"))
    b.set("issue", values.get("issue"))
    b.pages(values.get("pages") or values.get("page_start"), values.get("page_end"))
    if "pages" not in b.data:
        b.set("pages", values.get("article_number"))
    b.doi(values.get("doi"))
    b.abstract(_no_abstract(values.get("abstract")))
    pmid = (values.get("pmid") or "").strip()
    if pmid.isdigit():
        b.set("pmid", pmid)
    b.isbn_or_issn(values.get("isbn"))
    b.keywords([v for v in (values.get("keywords"), values.get("index_keywords")) if v])
    b.mesh([values["mesh"]] if values.get("mesh") else [])
    b.url(values.get("url"))
    b.set("language", values.get("language"))
    b.set("pub_type", values.get("pub_type"))
    return b.build()


def _no_abstract(text: str | None) -> str | None:
    """Scopus writes ``[No abstract available]`` where there is none."""
    if text and text.strip().lower() in ("[no abstract available]", "no abstract available"):
        return None
    return text


READER = TabularReader()
