"""Web of Science plain-text tagged export (``savedrecs.txt``: ``FN``/``VR``/``PT``...``ER``/``EF``).

Each line is a two-letter tag, a space and a value; lines starting with three spaces
continue the field (for ``AU``/``AF``/``DE`` each continuation is another value); ``ER``
ends a record and ``EF`` the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder, first_tag_value
from screener.models import Method, ParsedRecord, Record

_SNIFF = re.compile(r"^(?:\ufeff)?FN (?:Clarivate|Thomson|ISI)", re.MULTILINE)
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) (.*)$")
_BARE_TAG = re.compile(r"^([A-Z][A-Z0-9])$")
_DAMAGED_TAG = re.compile(r"^[A-Z][A-Z0-9][A-Z][a-z]")
# Fields whose continuation lines are separate values rather than wrapped text.
_LIST_TAGS = frozenset({"AU", "AF", "CR", "C1", "BE", "BF", "CA", "GP"})


class WosReader:
    name = "wos"
    extensions: tuple[str, ...] = (".txt", ".ciw")
    default_source = "Web of Science"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        if _SNIFF.search(text[:2000]):
            return 0.95
        if re.search(r"^PT [JBSP]\s*$", text, re.MULTILINE) and re.search(r"^UT WOS:", text, re.MULTILINE):
            return 0.8
        return 0.0

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        fields: dict[str, list[str]] = {}
        chunk: list[str] = []
        notes: list[str] = []
        start = 0
        index = 0
        tag = ""
        in_record = False
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            match = None if line.startswith("   ") else (
                _TAG_LINE.match(line) or _BARE_TAG.match(line))
            if match is None:
                if not in_record:
                    raise RecordImportError(
                        f"expected a Web of Science tag line, found {line[:30]!r}",
                        path=path, line=number,
                    )
                chunk.append(line)
                if not line.startswith("   ") and _DAMAGED_TAG.match(line):
                    # ``AUGilles, H``: a tag line that lost its space. Its text and the
                    # lines continuing it are kept in the raw record, out of the fields.
                    notes.append(f"line {number}: damaged tag line {line[:30]!r} kept unread")
                    tag = ""
                # BIOSIS/Web of Knowledge exports do not indent continuation lines.
                values = fields.setdefault(tag, [""])
                if tag in _LIST_TAGS:
                    values.append(line.strip())
                else:
                    values[-1] = f"{values[-1]} {line.strip()}"
                continue
            tag = match.group(1)
            value = match.group(2).strip() if match.lastindex == 2 else ""
            if tag in ("FN", "VR") and not in_record:
                continue
            if tag == "EF":
                if in_record:
                    raise RecordImportError(
                        "truncated record: 'EF' before the record's 'ER'", path=path, line=start
                    )
                continue  # concatenated exports: another FN/VR/records may follow
            if not in_record:
                in_record, start = True, number
            chunk.append(line)
            if tag == "ER":
                record = record_from_wos(fields)
                record.warnings.extend(notes)
                yield ParsedRecord(record=record, index=index, line=start, raw="\n".join(chunk))
                index += 1
                fields, chunk, notes, in_record = {}, [], [], False
                continue
            fields.setdefault(tag, []).append(value)
        if in_record:
            raise RecordImportError("truncated file: record has no 'ER' end tag", path=path, line=start)
        # A missing 'EF' after the last 'ER' loses nothing: every record was complete.


def record_from_wos(fields: dict[str, list[str]]) -> Record:
    b = RecordBuilder()
    b.title(first_tag_value(fields, "TI"))
    b.authors(fields.get("AF") or fields.get("AU") or ())
    # Early-access records have ``EY``/``EA`` (``JAN 2021``) and no ``PY`` yet.
    b.year(first_tag_value(fields, "PY", "EY", "EA"))
    b.journal(first_tag_value(fields, "SO", "SE", "J9", "JI"))
    b.set("volume", first_tag_value(fields, "VL"))
    b.set("issue", first_tag_value(fields, "IS"))
    b.pages(first_tag_value(fields, "BP"), first_tag_value(fields, "EP"))
    if "pages" not in b.data:
        b.set("pages", first_tag_value(fields, "AR"))
    b.doi(first_tag_value(fields, "DI", "D2"))
    b.abstract(first_tag_value(fields, "AB"))
    b.set("pmid", first_tag_value(fields, "PM"))
    for value in fields.get("BN", ()):
        b.isbn_or_issn(value)
    b.keywords(fields.get("DE", []) + fields.get("ID", []))
    b.set("language", first_tag_value(fields, "LA"))
    b.set("pub_type", first_tag_value(fields, "DT", "PT"))
    ut = first_tag_value(fields, "UT")
    if ut:
        b.url(f"https://www.webofscience.com/wos/woscc/full-record/{ut}")
    return b.build()


READER = WosReader()
