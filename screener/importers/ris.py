"""RIS in its common flavours (PubMed, Scopus, Embase/Ovid, WoS, Zotero, EndNote, Mendeley).

Records stream line by line: a tag line is ``XX  - value`` (some exporters write one space
before the dash or none after it), untagged lines continue the previous field, ``ER``
ends a record. The tag meanings follow the RIS specification as rispy reads it; the
flavour differences are in which tag carries the journal (``T2``, ``JO``, ``JF``, ``JA``,
``J2``), the year (``PY``, ``Y1  - 2019///``, ``DA``), the abstract (``AB`` or ``N2``)
and the identifiers (``AN`` is a PMID only in PubMed-based exports; ``SN`` is an ISSN or
an ISBN).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, first_tag_value
from screener.models import Method, ParsedRecord, Record

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?- ?(.*)$")
_START = re.compile(r"^TY  ?-", re.MULTILINE)
# ``DB`` names the database searched. (``DP`` is not used: Zotero writes there the
# catalogue it fetched the item from, which is not the review's search source.)
_DB = re.compile(r"^DB  ?- ?(.+)$", re.MULTILINE)

# Journal tags from most to least complete: full names first, abbreviations last.
_JOURNAL_TAGS = ("JF", "T2", "JO", "BT", "T3", "JA", "J2", "J1")
_YEAR_TAGS = ("PY", "Y1", "DA", "Y2")
_TITLE_TAGS = ("TI", "T1", "CT", "BT", "ST")
# Most specific first: "Ovid MEDLINE(R)" is MEDLINE, "Embase Classic+Embase" Embase.
_SOURCES = (
    ("scopus", "Scopus"), ("embase", "Embase"), ("medline", "MEDLINE"), ("pubmed", "PubMed"),
    ("web of science", "Web of Science"), ("wos", "Web of Science"), ("cinahl", "CINAHL"),
    ("psycinfo", "PsycINFO"), ("apa psycinfo", "PsycINFO"), ("cochrane", "Cochrane Library"),
    ("ovid", "Ovid"),
)
_PMID = re.compile(r"^(?:PMID:?\s*)?(\d{1,8})$")


class RisReader:
    name = "ris"
    extensions: tuple[str, ...] = (".ris", ".txt")
    default_source = "RIS export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if not _START.search(text):
            return 0.0
        return 0.9 if re.search(r"^ER  ?-", text, re.MULTILINE) else 0.6

    def detect_source(self, head: str) -> str | None:
        """The database named by ``DB`` tags or revealed by its links."""
        for match in _DB.finditer(head):
            found = _source_name(match.group(1))
            if found:
                return found
        if "www.scopus.com" in head:
            return "Scopus"
        if re.search(r"^AN  - WOS:", head, re.MULTILINE):
            return "Web of Science"
        header = re.search(r"^Database: (.+)$", head, re.MULTILINE)  # Ovid's search header
        return _source_name(header.group(1)) if header else None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        count = yield from self._lines(lines, 1, 0, path)
        if count == 0:
            raise RecordImportError("no 'TY  -' record start found", path=path, line=1)

    def _lines(
        self, lines: Iterable[str], first_line: int, index: int, path: Path
    ) -> Generator[ParsedRecord, None, int]:
        """Records from ``lines`` (numbered from ``first_line``); returns the count."""
        fields: dict[str, list[str]] = {}
        chunk: list[str] = []
        start_line = 0
        last: list[str] | None = None
        in_record = False
        for number, line in enumerate(lines, first_line):
            # Fast path for the common ``XX  - value``; the regex handles the variants.
            if line[2:6] == "  - " and line[:2].isupper():
                tag, value = line[:2], line[6:]
            elif len(line) >= 4 and line[2:5] == "  -" and len(line) <= 6:
                tag, value = line[:2], ""
            else:
                match = _TAG_LINE.match(line) if line[:1].isupper() else None
                if match is None:
                    if in_record:
                        chunk.append(line)
                        if last is not None and line.strip():
                            last[-1] = f"{last[-1]} {line.strip()}" if last[-1] else line.strip()
                    # Before the first record (Ovid header, search history) or between
                    # records, untagged text is not part of any record.
                    continue
                tag, value = match.group(1), match.group(2)
            if not in_record:
                if tag != "TY":
                    if tag == "ER":
                        continue  # a repeated end tag loses nothing
                    # Tagged data outside a record would be lost: refuse the file.
                    raise RecordImportError(
                        f"expected 'TY  -' to start a record, found '{tag}'", path=path, line=number
                    )
                in_record = True
                start_line = number
            elif tag == "TY":
                yield self._record(fields, chunk, index, start_line, missing_end=True)
                index += 1
                fields, chunk, start_line = {}, [], number
            chunk.append(line)
            if tag == "ER":
                yield self._record(fields, chunk, index, start_line)
                index += 1
                fields, chunk, last, in_record = {}, [], None, False
                continue
            last = fields.get(tag)
            if last is None:
                last = fields[tag] = []
            last.append(value.strip())
        if in_record:
            raise RecordImportError(
                "truncated file: record has no 'ER  -' end tag", path=path, line=start_line
            )
        return index

    def parse_segment(
        self, lines: Iterable[str], first_line: int, path: Path
    ) -> Iterator[ParsedRecord]:
        """Records of a part of a file that starts at a record (for parallel parsing)."""
        yield from self._lines(lines, first_line, 0, path)

    def _record(
        self, fields: dict[str, list[str]], chunk: list[str], index: int, line: int,
        missing_end: bool = False,
    ) -> ParsedRecord:
        record = record_from_tags(fields)
        if missing_end:
            record.warnings.append("record has no 'ER  -' end tag; ended at the next 'TY  -'")
        return ParsedRecord(record=record, index=index, line=line, raw="\n".join(chunk))


def _source_name(text: str) -> str | None:
    lowered = text.lower()
    for key, name in _SOURCES:
        if key in lowered:
            return name
    return None


def record_from_tags(fields: dict[str, list[str]]) -> Record:
    """Map RIS tags to a Record; per-record problems become warnings."""
    b = RecordBuilder()
    get = fields.get
    b.title(first_tag_value(fields, *_TITLE_TAGS))
    for value in get("TT", ()):
        b.alt_title(value)
    b.authors(get("AU", []) + get("A1", []))
    b.year(first_tag_value(fields, *_YEAR_TAGS))
    b.journal(first_tag_value(fields, *_JOURNAL_TAGS))
    b.set("volume", first_tag_value(fields, "VL"))
    b.set("issue", first_tag_value(fields, "IS", "CP"))
    b.pages(first_tag_value(fields, "SP"), first_tag_value(fields, "EP"))
    b.doi(first_tag_value(fields, "DO", "DI"), *get("UR", ()), *get("M3", ()), *get("L2", ()))
    b.abstract(first_tag_value(fields, "AB", "N2"))
    an = first_tag_value(fields, "AN")
    if an:
        match = _PMID.match(an.strip())
        if match and not (get("DB") and "embase" in get("DB", [""])[0].lower()):
            b.set("pmid", match.group(1))
    for value in get("SN", ()):
        b.isbn_or_issn(value)
    b.keywords(get("KW", ()), mesh_markers=True)
    b.url(*get("UR", ()), *get("L2", ()))
    b.set("language", first_tag_value(fields, "LA"))
    b.set("pub_type", first_tag_value(fields, "TY"))
    return b.build()


READER = RisReader()
