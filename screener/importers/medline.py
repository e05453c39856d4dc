"""PubMed MEDLINE format (``.nbib``, "Send to: citation manager" / MEDLINE text).

Each line is a tag padded to four characters, ``- ``, and a value (``PMID- 31234567``);
lines starting with six spaces continue the previous field; a blank line ends a record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, first_tag_value
from screener.importers.tagged import TaggedRecord
from screener.models import Method, ParsedRecord, Record

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
_SNIFF = re.compile(r"^PMID- ?\d+", re.MULTILINE)
# ERIC writes the same format without PMIDs; its records start with ``OWN - ERIC``.
_ERIC = re.compile(r"^OWN - ERIC\s*$", re.MULTILINE)
_DOI_TAGGED = re.compile(r"(\S+)\s*\[doi\]")


class MedlineReader:
    name = "medline"
    extensions: tuple[str, ...] = (".nbib", ".txt", ".medline")
    default_source = "PubMed"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if _ERIC.search(text):
            return 0.95
        if not _SNIFF.search(text):
            return 0.0
        return 0.95 if re.search(r"^(TI|FAU|DP) {1,2}- ", text, re.MULTILINE) else 0.5

    def detect_source(self, head: str) -> str | None:
        return "ERIC" if _ERIC.search(head) else None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        record = TaggedRecord()
        index = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                if record:
                    yield record.parsed(index, record_from_medline)
                    index += 1
                record = TaggedRecord()
                continue
            if line.startswith(" ") and record.last is not None:
                record.continue_field(line)
                continue
            match = _TAG_LINE.match(line)
            if match is None:
                if not record:  # outside any record: the structure cannot be trusted
                    raise RecordImportError(
                        f"expected a MEDLINE tag line ('TAG - value'), found {line[:30]!r}",
                        path=path, line=number,
                    )
                record.damaged(number, line)  # inside a record: kept raw, flagged
                continue
            record.add(number, line, match.group(1), match.group(2).strip())
        if record:
            yield record.parsed(index, record_from_medline)


def record_from_medline(fields: dict[str, list[str]]) -> Record:
    b = RecordBuilder()
    for note in fields.get("", ()):
        b.warn(note)
    b.title(first_tag_value(fields, "TI", "BTI"))
    for value in fields.get("TT", ()):
        b.alt_title(value)
    # FAU has full names (``Ring, Peter Smith``); AU only initials. Use FAU when present.
    b.authors(fields.get("FAU") or fields.get("AU") or ())
    if not fields.get("FAU") and not fields.get("AU"):
        b.authors(fields.get("CN", ()))
    b.year(first_tag_value(fields, "DP", "DEP", "DA"))
    b.journal(first_tag_value(fields, "JT", "TA"))
    b.set("volume", first_tag_value(fields, "VI"))
    b.set("issue", first_tag_value(fields, "IP"))
    b.pages(first_tag_value(fields, "PG"))
    for value in fields.get("LID", []) + fields.get("AID", []):
        match = _DOI_TAGGED.search(value)
        if match:
            b.doi(match.group(1))
        elif "doi.org/" in value:  # ERIC: ``AID - http://dx.doi.org/10...``
            b.doi(value)
    b.abstract(first_tag_value(fields, "AB"))
    for value in fields.get("OAB", ()):
        b.alt_abstract(value)
    pmid = first_tag_value(fields, "PMID")
    if pmid:
        b.set("pmid", pmid.split()[0])
    elif "ERIC" not in fields.get("OWN", ()):
        b.warn("record has no PMID")
    for value in fields.get("IS", ()):
        b.isbn_or_issn(value)
    for value in fields.get("ISBN", ()):
        b.isbn_or_issn(value)
    b.keywords(fields.get("OT", ()))
    b.mesh(fields.get("MH", ()))
    b.set("language", first_tag_value(fields, "LA"))
    b.set("pub_type", first_tag_value(fields, "PT"))
    b.url(*fields.get("LID", ()))
    return b.build()


READER = MedlineReader()
