"""CSL-JSON (Zotero "Export: CSL JSON", Mendeley, citeproc): an array of item objects.

Items are decoded one at a time (``raw_decode``) so each keeps its line and its raw text;
a JSON syntax error is fatal at its line (the structure cannot be trusted past it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder
from screener.models import Method, ParsedRecord, Record

_SNIFF = re.compile(r'^\s*\[\s*\{\s*"(?:id|type|title|author|issued|container-title)"\s*:')
_SPACE = re.compile(r"\s*")


class CslJsonReader:
    name = "csl-json"
    extensions: tuple[str, ...] = (".json",)
    default_source = "CSL-JSON export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        head = text[:20000]
        if not _SNIFF.match(head):
            return 0.0
        return 0.95 if '"type"' in head and ('"title"' in head or '"issued"' in head) else 0.4

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        decoder = json.JSONDecoder()
        pos = _SPACE.match(text).end()  # type: ignore[union-attr]
        if not text.startswith("[", pos):
            raise RecordImportError("CSL-JSON: expected an array of items", path=path, line=1)
        pos += 1
        line, counted, index = 1, 0, 0
        while True:
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if text.startswith("]", pos):
                return
            try:
                item, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise RecordImportError(f"CSL-JSON: {exc.msg}", path=path, line=exc.lineno) from exc
            line += text.count("\n", counted, pos)
            counted = pos
            if not isinstance(item, dict):
                raise RecordImportError("CSL-JSON: an item is not an object", path=path, line=line)
            yield ParsedRecord(record=record_from_csl(item), index=index, line=line,
                               raw=text[pos:end])
            index += 1
            pos = _SPACE.match(text, end).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos += 1
            elif not text.startswith("]", pos):
                at = line + text.count("\n", counted, pos)
                raise RecordImportError("CSL-JSON: expected ',' or ']' after an item",
                                        path=path, line=at)


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _year(issued: Any) -> str | None:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return _str(parts[0][0])
        return _str(issued.get("raw") or issued.get("literal") or issued.get("season"))
    return _str(issued)


def record_from_csl(item: dict[str, Any]) -> Record:
    b = RecordBuilder()
    b.title(_str(item.get("title")))
    names = item.get("author") or item.get("editor") or []
    for name in names if isinstance(names, list) else []:
        if not isinstance(name, dict):
            continue
        if name.get("literal"):
            b.corporate_author(_str(name["literal"]))
        elif name.get("family"):
            family = " ".join(filter(None, [_str(name.get("non-dropping-particle")),
                                            _str(name["family"])]))
            b.author(family, _str(name.get("given")))
    b.year(_year(item.get("issued")) or _year(item.get("published-print")))
    b.journal(_str(item.get("container-title")) or _str(item.get("container-title-short")))
    b.set("volume", _str(item.get("volume")))
    b.set("issue", _str(item.get("issue")))
    b.pages(_str(item.get("page")))
    b.doi(_str(item.get("DOI")), _str(item.get("URL")))
    b.abstract(_str(item.get("abstract")))
    pmid = _str(item.get("PMID"))
    if pmid and pmid.strip().isdigit():
        b.set("pmid", pmid.strip())
    b.isbn_or_issn(_str(item.get("ISBN")))
    keywords = _str(item.get("keyword"))
    if keywords:
        b.keywords([keywords.replace(",", ";")])
    b.url(_str(item.get("URL")))
    b.set("language", _str(item.get("language")))
    b.set("pub_type", _str(item.get("type")))
    return b.build()


READER = CslJsonReader()
