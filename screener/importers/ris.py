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
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, first_tag_value
from screener.importers.rows import RecordRow, row_from_fields
from screener.methods import Method

if TYPE_CHECKING:  # imported where used: a parser process needs neither (pydantic)
    from screener.models import ParsedRecord, Record

T = TypeVar("T")
Row = tuple[RecordRow, list[str]]
_Make = Callable[[dict[str, list[str]], list[str], int, int, bool, bool], T]
"""Turns a record's tag values, raw lines, index, line, whether it lacked ``ER`` and
whether its values are known to be clean into what the parser yields (a ParsedRecord,
or a row to store)."""

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?- ?(.*)$")
# A whole record in the common shape, after any blank lines: ``TY`` first, ``ER`` last and
# only ``XX  - value`` lines between (no other ``TY`` or ``ER``). Possessive: a record
# that is not in this shape fails at its first odd line, without backtracking.
_RECORD = re.compile(
    r"(?:[ \t]*+\n)*+"
    r"(TY  - [^\n]*+(?:\n(?!TY|ER)[A-Z][A-Z0-9]  - [^\n]*+)*+)\n(ER  ?-[^\n]*+)\n"
)
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
# EBSCOhost names the database by its short code (``DB  - psyh``).
_EBSCO_CODES = {
    "psyh": "PsycINFO", "pdh": "PsycARTICLES", "cmedm": "MEDLINE", "mdc": "MEDLINE",
    "mnh": "MEDLINE", "rzh": "CINAHL", "ccm": "CINAHL", "cin20": "CINAHL", "eric": "ERIC",
    "ecn": "EconLit", "a9h": "Academic Search Complete", "aph": "Academic Search Premier",
    "asn": "Academic Search Ultimate", "i3h": "Criminal Justice Abstracts",
    "egh": "Environment Index", "bth": "Business Source Premier",
    "buh": "Business Source Complete", "sih": "SocINDEX", "sph": "SPORTDiscus",
    "lxh": "Library, Information Science & Technology Abstracts", "nlebk": "eBook Collection",
    "hch": "Health Source", "ehh": "Education Source", "e0h": "Education Source",
}
# Zotero's PubMed records: a MARC language code, an NLM abbreviation, and both ISSNs.
_PUBMED_RIS = (
    re.compile(r"^LA  - [a-z]{3}$", re.M), re.compile(r"^J2  - ", re.M),
    re.compile(r"^SN  - \d{4}-\d{3}[\dX] \d{4}-\d{3}[\dX]$", re.M),
)
_LENS_ID = re.compile(r"^(?:ID|AN)  - \d{3}-\d{3}-\d{3}-\d{3}-\d{3}$", re.M)
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
        """The database named by ``DB`` tags or revealed by its links and identifiers."""
        for match in _DB.finditer(head):
            found = _source_name(match.group(1)) or _EBSCO_CODES.get(match.group(1).strip())
            if found:
                return found
        for match in _DB.finditer(head):
            name = match.group(1).strip()
            if " " in name or name.isupper():  # ``Academic Search Premier``, ``JSTOR``
                return name
        if "search.ebscohost.com" in head:
            return "EBSCOhost"
        if "www.scopus.com" in head:
            return "Scopus"
        if "app.dimensions.ai/" in head or re.search(r"^AN  - pub\.\d+$", head, re.M):
            return "Dimensions"
        if "lens.org/" in head or _LENS_ID.search(head):
            return "Lens"
        if re.search(r"^DP  - NLM$", head, re.M) or all(p.search(head) for p in _PUBMED_RIS):
            return "PubMed"
        if "search.proquest.com/" in head or "www.proquest.com/" in head:
            return "ProQuest"
        if re.search(r"^AN  - WOS:", head, re.MULTILINE):
            return "Web of Science"
        header = re.search(r"^Database: (.+)$", head, re.MULTILINE)  # Ovid's search header
        return _source_name(header.group(1)) if header else None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_chunks([text], path)

    def parse_chunks(self, chunks: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        """Records of decoded text given in pieces of any size (``textio.iter_chunks``)."""
        count = yield from self._records(chunks, 1, path, _parsed_record)
        if count == 0:
            raise RecordImportError("no 'TY  -' record start found", path=path, line=1)

    def parse_rows(
        self, chunks: Iterable[str], path: Path, first_line: int = 1, *, segment: bool = False,
        final: bool = True,
    ) -> Iterator[Row]:
        """What ``parse_chunks`` gives, as rows ready to store (``record_row``), built
        without the models; ``segment``: a part of a file that starts at a record (for
        parallel parsing), which may hold none. (``final``, whether the part runs to the
        file's end, changes nothing: segments end after an ``ER`` line.)"""
        count = yield from self._records(chunks, first_line, path, _record_row)
        if count == 0 and not segment:
            raise RecordImportError("no 'TY  -' record start found", path=path, line=1)

    def _records(
        self, chunks: Iterable[str], first_line: int, path: Path, make: _Make[T]
    ) -> Generator[T, None, int]:
        """Records from text in pieces whose first line is ``first_line``; returns the count.

        A record in the common shape (``TY`` first, ``ER`` last, ``XX  - value`` between)
        is matched and split by two regex calls; anything else goes line by line through
        the same rules, so the result does not depend on which way a record went.
        """
        index = 0
        fields: dict[str, list[str]] = {}
        chunk: list[str] = []
        start_line = 0
        last: list[str] | None = None
        in_record = False
        # A record is yielded at the next ``TY`` (or the end), not at its ``ER``: Ovid
        # writes tagged lines after ``ER`` (``NL  - journal abbreviation``) that belong to it.
        # (fields, lines, first line, whether every value is known to be clean)
        ended: tuple[dict[str, list[str]], list[str], int, bool] | None = None
        number = first_line
        whole_record = _RECORD.match
        carry = ""
        pieces = iter(chunks)
        while True:
            piece = next(pieces, None)
            if piece is None:
                if not carry:
                    break
                text, end, carry = carry + "\n", len(carry) + 1, ""
            else:
                text = carry + piece if carry else piece
                end = text.rfind("\n") + 1  # complete lines only; the rest waits
                carry = text[end:]
            pos = 0
            while pos < end:
                if not in_record:
                    match = whole_record(text, pos, end)
                    if match is not None:
                        if ended is not None:
                            yield make(ended[0], ended[1], index, ended[2], False, ended[3])
                            index += 1
                        body = match.start(1)
                        fields = {}
                        # The match proved every line ``XX  - value``: slices, not a regex.
                        lines = match.group(1).split("\n")
                        for line in lines:
                            tag = line[:2]
                            if tag == "A1":
                                tag = "AU"  # one author list, in the order written
                            values = fields.get(tag)
                            if values is None:
                                fields[tag] = [line[6:].strip()]
                            else:
                                values.append(line[6:].strip())
                        blank = text.count("\n", pos, body)
                        ended = (fields, [text[body:match.end(2)]], number + blank,
                                 _clean_lines(match.group(1), len(lines)))
                        fields, last = {}, None
                        number += blank + len(lines) + 1  # the record's lines, then ER
                        pos = match.end()
                        continue
                newline = text.index("\n", pos)
                line = text[pos:newline]
                pos = newline + 1
                line_number = number
                number += 1
                # Fast path for the common ``XX  - value``; the regex handles the variants.
                if line[2:6] == "  - " and line[:2].isupper():
                    tag, value = line[:2], line[6:]
                elif len(line) >= 4 and line[2:5] == "  -" and len(line) <= 6:
                    tag, value = line[:2], ""
                else:
                    tag_match = _TAG_LINE.match(line) if line[:1].isupper() else None
                    if tag_match is None:
                        if in_record:
                            chunk.append(line)
                            if last is not None and line.strip():
                                last[-1] = f"{last[-1]} {line.strip()}" if last[-1] \
                                    else line.strip()
                        elif ended is not None and last is not None and line.strip():
                            ended = (*ended[:3], False)
                            ended[1].append(line)
                            last[-1] = f"{last[-1]} {line.strip()}"
                        # Before the first record (Ovid header, search history) or between
                        # records, untagged text is not part of any record.
                        continue
                    tag, value = tag_match.group(1), tag_match.group(2)
                if tag == "A1":
                    tag = "AU"
                if not in_record:
                    if tag != "TY":
                        if tag == "ER":
                            continue  # a repeated end tag loses nothing
                        if ended is not None:
                            ended = (*ended[:3], False)
                            ended[1].append(line)
                            last = ended[0].setdefault(tag, [])
                            last.append(value.strip())
                            continue
                        # Tagged data before any record would be lost: refuse the file.
                        raise RecordImportError(
                            f"expected 'TY  -' to start a record, found '{tag}'", path=path,
                            line=line_number,
                        )
                    if ended is not None:
                        yield make(ended[0], ended[1], index, ended[2], False, ended[3])
                        index += 1
                        ended = None
                    in_record = True
                    start_line = line_number
                elif tag == "TY":
                    yield make(fields, chunk, index, start_line, True, False)
                    index += 1
                    fields, chunk, start_line = {}, [], line_number
                chunk.append(line)
                if tag == "ER":
                    ended = (fields, chunk, start_line, False)
                    fields, chunk, last, in_record = {}, [], None, False
                    continue
                last = fields.get(tag)
                if last is None:
                    last = fields[tag] = []
                last.append(value.strip())
        if ended is not None:
            yield make(ended[0], ended[1], index, ended[2], False, ended[3])
            index += 1
        if in_record:
            raise RecordImportError(
                "truncated file: record has no 'ER  -' end tag", path=path, line=start_line
            )
        return index


_MISSING_END = "record has no 'ER  -' end tag; ended at the next 'TY  -'"


def _parsed_record(
    fields: dict[str, list[str]], chunk: list[str], index: int, line: int, missing_end: bool,
    clean: bool,
) -> ParsedRecord:
    from screener.models import ParsedRecord

    record = record_from_tags(fields)
    if missing_end:
        record.warnings.append(_MISSING_END)
    return ParsedRecord(record=record, index=index, line=line, raw="\n".join(chunk))


def _record_row(
    fields: dict[str, list[str]], chunk: list[str], index: int, line: int, missing_end: bool,
    clean: bool,
) -> Row:
    data = record_fields(fields, clean=clean)
    if missing_end:
        data.setdefault("warnings", []).append(_MISSING_END)  # the last field: order kept
    return row_from_fields(data, index, line, "\n".join(chunk))


def _clean_lines(body: str, lines: int) -> bool:
    """Whether the values of a record's ``XX  - value`` lines are all clean (``is_clean``):
    checked once for the record instead of once per value. Each line's tag holds two
    spaces; any more are in a value."""
    return "<" not in body and "&" not in body and "\t" not in body and "\xa0" not in body \
        and body.count("  ") == lines


def _source_name(text: str) -> str | None:
    lowered = text.lower()
    for key, name in _SOURCES:
        if key in lowered:
            return name
    return None


def record_from_tags(fields: dict[str, list[str]]) -> Record:
    """Map RIS tags to a Record; per-record problems become warnings."""
    from screener.models import Record

    return Record(**record_fields(fields))


def record_fields(fields: dict[str, list[str]], *, clean: bool = False) -> dict[str, Any]:
    """``record_from_tags`` as the Record's fields (``RecordBuilder.build_fields``);
    ``clean``: no value holds markup, entities or runs of white space."""
    b = RecordBuilder(clean_input=clean)
    get = fields.get
    b.title(first_tag_value(fields, *_TITLE_TAGS))
    for value in get("TT", ()):
        b.alt_title(value)
    b.authors(get("AU", ()))
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
    return b.build_fields()


READER = RisReader()
