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
from urllib.parse import parse_qs, urlsplit

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, split_authors
from screener.models import Method, ParsedRecord, Record

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    # Scopus, Web of Science (full names and tags), Dimensions, Lens, Zotero/EndNote CSV.
    # Springer Link: ``Item Title``...; OpenAlex: ``display_name``, ``authorships...``.
    "title": ("Title", "Article Title", "TI", "Document Title", "Primary Title", "title",
              "Item Title", "display_name"),
    "authors": ("Author full names", "Author Full Names", "AF", "Authors", "AU", "Author/s",
                "Author", "authors", "Author Names", "authorships.author.display_name"),
    "year": ("Year", "Publication Year", "PY", "PubYear", "Publication Date", "Date Published",
             "year", "publication_year", "publication_date"),
    "journal": ("Source title", "Source Title", "SO", "Journal", "Publication Title",
                "Journal/Book", "journal", "Source", "primary_location.source.display_name"),
    "volume": ("Volume", "VL", "volume", "Journal Volume", "biblio.volume"),
    "issue": ("Issue", "IS", "Issue Number", "Number", "issue", "Journal Issue", "biblio.issue"),
    "pages": ("Pages", "Pagination", "Page range", "pages"),
    "page_start": ("Page start", "Start Page", "BP"),
    "page_end": ("Page end", "End Page", "EP"),
    "article_number": ("Art. No.", "Article Number", "AR"),
    "page_start_openalex": ("biblio.first_page",),
    "page_end_openalex": ("biblio.last_page",),
    "doi": ("DOI", "DI", "doi", "Item DOI"),
    "pmid": ("PubMed ID", "Pubmed Id", "PMID", "PM", "pmid", "ids.pmid"),
    "abstract": ("Abstract", "AB", "abstract", "Abstract Note"),
    "keywords": ("Author Keywords", "DE", "Keywords", "Manual Tags", "keywords"),
    "index_keywords": ("Index Keywords", "Keywords Plus", "ID"),
    "mesh": ("MeSH terms", "MeSH Terms", "MESH"),
    "url": ("Link", "URL", "Source URLs", "Dimensions URL", "Url", "id"),
    "open_url": ("Open URL Link",),
    "language": ("Language of Original Document", "Language", "LA", "language"),
    "pub_type": ("Document Type", "Publication Type", "DT", "PT", "Item Type", "Content Type",
                 "type"),
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
    ("Embase", frozenset({"Author Names", "Emtree Medical Index Terms"})),
    ("Springer Link", frozenset({"Item Title", "Content Type"})),
    ("OpenAlex", frozenset({"id", "display_name", "publication_year"})),
)
AUTHOR_SEPARATORS: dict[str, str] = {
    # Columns whose names are joined by something other than ``;``.
    "authorships.author.display_name": "|",
}
_SCOPUS_FUNDING = "Funding Text 1"
"""Scopus writes one cell per funding text but names only the first in the header."""
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)(?: (?P<volume>[^:\s(]+)(?::(?P<issue>[^\s(]+))?)?"
    r"(?: \((?P<pages>[^)]+)\))?")
_FIELDS = set(FIELD_COLUMNS) - {"page_start_openalex", "page_end_openalex", "open_url"}
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
        return _source_of(found[2])

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
        source = _source_of(header)
        funding = header.index(_SCOPUS_FUNDING) + 1 if _SCOPUS_FUNDING in header else None
        splitter = next((AUTHOR_SEPARATORS[c] for c in header if c in AUTHOR_SEPARATORS
                         and mapping.get("authors") == header.index(c)), None)
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
            if funding is not None and len(row) > len(header):
                row = row[:funding] + row[funding + len(row) - len(header):]
            values = {name: row[i] for name, i in mapping.items() if i < len(row)}
            record = record_from_row(values, source, splitter)
            if len(row) != len(header):
                record.warnings.append(f"row has {len(row)} cells, the header {len(header)}")
            raw = "\n".join(body[start - header_index - 2:end - header_index - 1])
            yield ParsedRecord(record=record, index=index, line=start, raw=raw)
            index += 1
            start = end + 1


def _source_of(header: list[str]) -> str | None:
    names = set(header)
    for source, signature in SOURCE_SIGNATURES:
        if signature <= names:
            return source
    return None


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


def record_from_row(
    values: dict[str, str], source: str | None = None, separator: str | None = None
) -> Record:
    b = RecordBuilder()
    b.title(values.get("title"))
    authors = _SCOPUS_ID.sub("", values.get("authors") or "")
    if separator:
        b.authors(a for a in authors.split(separator) if a.strip())
    elif source == "Springer Link":
        # Springer joins full names with nothing: ``Araz R. AlievNigar T. Ismayilova``.
        b.authors(re.split(r"(?<=[a-z.])(?=[A-Z][a-z]+ )", authors))
    else:
        b.authors(split_authors(authors))
    if source == "Embase" and values.get("journal"):
        _embase_source(b, values["journal"])
    b.year(values.get("year"))
    b.journal(values.get("journal"))
    b.set("volume", values.get("volume"))
    b.set("issue", values.get("issue"))
    b.pages(values.get("pages") or values.get("page_start") or values.get("page_start_openalex"),
            values.get("page_end") or values.get("page_end_openalex"))
    if "pages" not in b.data:
        b.set("pages", values.get("article_number"))
    b.doi(values.get("doi"), _open_url_doi(values.get("open_url")))
    b.abstract(_no_abstract(values.get("abstract")))
    pmid = (values.get("pmid") or "").strip().rstrip("/").rsplit("/", 1)[-1]  # OpenAlex: URL
    if pmid.isdigit():
        b.set("pmid", pmid)
    b.isbn_or_issn(values.get("isbn"))
    b.keywords([v for v in (values.get("keywords"), values.get("index_keywords")) if v])
    b.mesh([values["mesh"]] if values.get("mesh") else [])
    b.url(values.get("url"))
    b.set("language", values.get("language"))
    b.set("pub_type", values.get("pub_type"))
    return b.build()


def _open_url_doi(link: str | None) -> str | None:
    """Embase's OpenURL link carries the DOI as ``id=doi:10...``."""
    if not link or "doi" not in link:
        return None
    ids = parse_qs(urlsplit(link.strip()).query).get("id", [])
    return next((i[4:] for i in ids if i.startswith("doi:")), None)


def _embase_source(b: RecordBuilder, citation: str) -> None:
    """Embase CSV puts the whole citation in ``Source``:
    ``Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014``."""
    match = _EMBASE_SOURCE.match(citation)
    if match is None:
        b.warn(f"unreadable Embase citation {citation[:60]!r}; kept as the journal")
        return
    b.journal(match.group("journal"))
    b.year(match.group("year"))
    b.set("volume", match.group("volume"))
    b.set("issue", match.group("issue"))
    b.pages(match.group("pages"))


def _no_abstract(text: str | None) -> str | None:
    """Scopus writes ``[No abstract available]`` where there is none."""
    if text and text.strip().lower() in ("[no abstract available]", "no abstract available"):
        return None
    return text


READER = TabularReader()
