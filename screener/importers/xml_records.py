"""Reading the records of an XML export one at a time (EndNote XML, PubMed XML).

Parsed incrementally with defusedxml's parser: an export is untrusted input, so entity
definitions and external references are refused. Each finished record element is turned
into a record and then dropped from its parent, so memory stays flat on large files. A
file cut short is a fatal error at the line where it ends.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from screener.errors import RecordImportError
from screener.models import ParsedRecord, Record


def xml_records(
    lines: Iterable[str], path: Path, *, record_tags: frozenset[str], allow_doctype: bool,
    build: Callable[[ET.Element], Record],
) -> Iterator[ParsedRecord]:
    """The records of the elements named ``record_tags``, in file order, each with the
    line it starts on and its XML as the raw text. ``allow_doctype``: a DOCTYPE line (as
    PubMed writes) is accepted; entities are refused either way."""
    parser = DefusedXMLParser(target=ET.TreeBuilder(), forbid_dtd=not allow_doctype)
    pull = ET.XMLPullParser(events=("start", "end"), _parser=parser)
    open_elements: list[ET.Element] = []
    index = 0
    start_line = 1
    number = 0
    for number, line in enumerate(lines, 1):
        try:
            pull.feed(line + "\n")
            events = cast(list[tuple[str, ET.Element]], list(pull.read_events()))
        except (ET.ParseError, DefusedXmlException) as exc:
            raise RecordImportError(f"malformed XML: {_reason(exc)}", path=path,
                                    line=number) from exc
        for event, element in events:
            if event == "start":
                open_elements.append(element)
                if element.tag in record_tags:
                    start_line = number
                continue
            open_elements.pop()
            if element.tag not in record_tags:
                continue
            yield ParsedRecord(record=build(element), index=index, line=start_line,
                               raw=ET.tostring(element, encoding="unicode"))
            index += 1
            if open_elements:
                open_elements[-1].remove(element)
    try:
        pull.close()
    except (ET.ParseError, DefusedXmlException) as exc:
        raise RecordImportError(
            f"truncated XML: {_reason(exc)}", path=path, line=max(number, 1)
        ) from exc


def _reason(exc: Exception) -> str:
    return re.sub(r":? line \d+, column \d+", "", str(exc)) or type(exc).__name__
