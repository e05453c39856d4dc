"""EndNote XML (``File > Export > XML``): ``<xml><records><record>...``.

Read record by record (``xml_records``: defusedxml, flat memory). Field text sits inside
``<style>`` runs, which are joined.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from screener.importers.fields import RecordBuilder
from screener.importers.xml_records import xml_records
from screener.models import Method, ParsedRecord, Record

_SNIFF = re.compile(r"<xml>\s*<records>\s*<record>|<record>\s*<database name=|<source-app name=\"EndNote\"")

_RECORD = frozenset({"record"})


class EndnoteXmlReader:
    name = "endnote-xml"
    extensions: tuple[str, ...] = (".xml",)
    default_source = "EndNote export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        head = text.lstrip()[:20000]
        if not head.startswith("<"):
            return 0.0
        if _SNIFF.search(head):
            return 0.95
        return 0.5 if "<records>" in head and "<record" in head else 0.0

    def detect_source(self, head: str) -> str | None:
        """The database when every record in the head names the same one (an EndNote
        library often merges several)."""
        names = {m.strip() for m in re.findall(
            r"<remote-database-name>(?:<style[^>]*>)?([^<]+)<", head)}
        return names.pop() if len(names) == 1 else None

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        return self.parse_lines(iter(text.split("\n")), path)

    def parse_lines(self, lines: Iterable[str], path: Path) -> Iterator[ParsedRecord]:
        return xml_records(lines, path, record_tags=_RECORD, allow_doctype=False,
                           build=record_from_xml)


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None


def _all(record: ET.Element, path: str) -> list[str]:
    return [t for t in (_text(e) for e in record.findall(path)) if t]


def record_from_xml(rec: ET.Element) -> Record:
    b = RecordBuilder()
    b.title(_text(rec.find("titles/title")))
    for alt in _all(rec, "titles/translated-title"):
        b.alt_title(alt)
    b.authors(_all(rec, "contributors/authors/author"))
    b.year(_text(rec.find("dates/year")) or _text(rec.find("dates/pub-dates/date")))
    b.journal(
        _text(rec.find("periodical/full-title")) or _text(rec.find("titles/secondary-title"))
        or _text(rec.find("periodical/abbr-1")) or _text(rec.find("alt-periodical/full-title"))
    )
    b.set("volume", _text(rec.find("volume")))
    b.set("issue", _text(rec.find("number")) or _text(rec.find("issue")))
    b.pages(_text(rec.find("pages")))
    b.doi(_text(rec.find("electronic-resource-num")), *_all(rec, "urls/related-urls/url"))
    b.abstract(_text(rec.find("abstract")))
    accession = _text(rec.find("accession-num"))
    if accession and accession.isdigit() and len(accession) <= 8:
        b.set("pmid", accession)
    b.isbn_or_issn(_text(rec.find("isbn")))
    b.keywords(_all(rec, "keywords/keyword"))
    b.url(*_all(rec, "urls/related-urls/url"), *_all(rec, "urls/web-urls/url"))
    b.set("language", _text(rec.find("language")))
    ref_type = rec.find("ref-type")
    b.set("pub_type", ref_type.get("name") if ref_type is not None else None)
    return b.build()


READER = EndnoteXmlReader()
