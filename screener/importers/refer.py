"""EndNote/Refer tagged text (``.enw``, ``.enl`` text exports, AIS eLibrary): ``%A``, ``%T``...

Each line is ``%`` + one character + a space + a value; a line without a tag continues
the previous field; a blank line ends a record. A ``%0`` (reference type) line starts a
new record when the current one already has a type, for files without blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, first_tag_value
from screener.importers.tagged import TaggedRecord
from screener.models import Method, ParsedRecord, Record

_TAG_LINE = re.compile(r"^%([0-9A-Za-z@!#$&()*+^~>|])(?: (.*))?$")
_SNIFF_TAGS = re.compile(r"^%[0ATDJ] \S", re.MULTILINE)


class ReferReader:
    name = "refer"
    extensions: tuple[str, ...] = (".enw", ".enl", ".refer", ".txt")
    default_source = "EndNote export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        lines = [ln for ln in text[:20000].split("\n") if ln.strip()][:50]
        if not lines or not lines[0].startswith("%"):
            return 0.0
        tagged = sum(1 for ln in lines if _TAG_LINE.match(ln))
        if tagged < 0.6 * len(lines) or len(_SNIFF_TAGS.findall(text[:20000])) < 2:
            return 0.0
        return 0.9

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        record = TaggedRecord()
        index = 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                if record:
                    yield record.parsed(index, record_from_refer)
                    index += 1
                record = TaggedRecord()
                continue
            match = _TAG_LINE.match(line)
            if match is None:
                if record.last is None:
                    raise RecordImportError(
                        f"expected an EndNote tag line ('%A value'), found {line[:30]!r}",
                        path=path, line=number,
                    )
                record.continue_field(line)
                continue
            tag, value = match.group(1), (match.group(2) or "").strip()
            if tag == "0" and "0" in record.fields:
                yield record.parsed(index, record_from_refer)
                index += 1
                record = TaggedRecord()
            record.add(number, line, tag, value)
        if record:
            yield record.parsed(index, record_from_refer)


def record_from_refer(fields: dict[str, list[str]]) -> Record:
    b = RecordBuilder()
    get = fields.get
    b.title(first_tag_value(fields, "T"))
    b.authors(get("A") or get("E") or ())
    b.year(first_tag_value(fields, "D", "8"))
    b.journal(first_tag_value(fields, "J", "B"))
    b.set("volume", first_tag_value(fields, "V"))
    b.set("issue", first_tag_value(fields, "N"))
    b.pages(first_tag_value(fields, "P"))
    b.doi(*get("R", ()), *get("U", ()))
    b.abstract(first_tag_value(fields, "X"))
    for value in get("@", ()):
        b.isbn_or_issn(value)
    # EndNote writes one keyword per %K line, or several separated by line breaks.
    b.keywords(kw for value in get("K", ()) for kw in re.split(r"\s*[;\n]\s*", value) if kw)
    b.url(*get("U", ()))
    b.set("language", first_tag_value(fields, "G"))
    b.set("pub_type", first_tag_value(fields, "0", "9"))
    accession = first_tag_value(fields, "M")
    if accession and accession.isdigit() and len(accession) <= 8:
        b.set("pmid", accession)
    return b.build()


READER = ReferReader()
