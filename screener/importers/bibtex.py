"""BibTeX (Zotero, JabRef, Google Scholar, Scopus exports) via bibtexparser v2.

bibtexparser splits entries, decodes LaTeX (``M{\\"u}ller`` -> ``Müller``, ``{Title}``
braces) and splits author lists into name parts; this module maps fields to a Record.
A block bibtexparser cannot parse (an unclosed brace, a file cut short) is fatal, with
its line: importing the rest would silently drop that entry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

from screener.errors import RecordImportError
from screener.importers.fields import RecordBuilder
from screener.models import Method, ParsedRecord, Record

# bibtexparser logs each failed block; the failure is reported as our own error instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

_ENTRY = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
_DUPLICATES = (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)


class BibtexReader:
    name = "bibtex"
    extensions: tuple[str, ...] = (".bib", ".bibtex")
    default_source = "BibTeX export"
    default_method = Method.DATABASE

    def sniff(self, text: str) -> float:
        kinds = [m.group(1).lower() for m in _ENTRY.finditer(text)]
        if not any(k not in _NOT_ENTRIES for k in kinds):
            return 0.0
        return 0.9 if re.search(r"^\s*(title|author)\s*=", text, re.MULTILINE | re.IGNORECASE) else 0.5

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        library = parse_string(
            text,
            append_middleware=[
                middlewares.LatexDecodingMiddleware(),
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
            ],
        )
        failed = [b for b in library.failed_blocks if not isinstance(b, _DUPLICATES)]
        if failed:
            block = min(failed, key=lambda b: b.start_line or 0)
            why = str(getattr(getattr(block, "error", None), "abort_reason", "") or "")
            reason = "unclosed entry (file truncated?)" if "end of file" in why else "malformed entry"
            raise RecordImportError(f"BibTeX: {reason}", path=path, line=(block.start_line or 0) + 1)
        # Entries with a repeated key or field are kept (undecoded) and flagged.
        notes: dict[int, str] = {}
        entries = list(library.entries)
        for block in library.failed_blocks:
            kept = block.ignore_error_block
            if not isinstance(kept, Entry):
                continue
            entries.append(kept)
            notes[block.start_line or 0] = (
                f"duplicate BibTeX key {block.key!r}" if isinstance(block, DuplicateBlockKeyBlock)
                else "a field is given twice; the first value is kept"
            )
        entries.sort(key=lambda e: e.start_line or 0)
        for index, entry in enumerate(entries):
            values: dict[str, Any] = {}
            for f in entry.fields:
                values.setdefault(f.key.lower(), f.value)
            record = record_from_bibtex(entry.entry_type, values)
            line = (entry.start_line or 0) + 1
            if line - 1 in notes:
                record.warnings.append(notes[line - 1])
            yield ParsedRecord(record=record, index=index, line=line, raw=entry.raw)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).replace("{", "").replace("}", "")
    return text.replace("\\&", "&").replace("~", " ") or None


def _names(value: Any) -> list[tuple[str, str | None]]:
    if isinstance(value, str):  # not split by the middleware (duplicate-key entries)
        text = _text(value) or ""
        return [(n, None) for n in re.split(r"\s+and\s+", text) if n.strip()]
    out: list[tuple[str, str | None]] = []
    for name in value if isinstance(value, list) else []:
        last = " ".join(name.von + name.last) if hasattr(name, "last") else str(name)
        first = " ".join(name.first) if hasattr(name, "first") else ""
        if name_jr := (" ".join(name.jr) if hasattr(name, "jr") else ""):
            first = f"{first}, {name_jr}" if first else name_jr
        out.append((_text(last) or "", _text(first)))
    return out


def record_from_bibtex(entry_type: str, fields: dict[str, Any]) -> Record:
    b = RecordBuilder()
    b.title(_text(fields.get("title")))
    for family, given in _names(fields.get("author")):
        b.author(family, given)
    b.year(_text(fields.get("year")) or _text(fields.get("date")))
    b.journal(_text(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")))
    b.set("volume", _text(fields.get("volume")))
    b.set("issue", _text(fields.get("number") or fields.get("issue")))
    b.pages((_text(fields.get("pages")) or "").replace("--", "-") or None)
    b.doi(_text(fields.get("doi")), _text(fields.get("url")))
    b.abstract(_text(fields.get("abstract")))
    pmid = _text(fields.get("pmid"))
    if pmid and pmid.strip().isdigit():
        b.set("pmid", pmid.strip())
    b.isbn_or_issn(_text(fields.get("isbn")))
    for key in ("keywords", "author_keywords"):
        if fields.get(key):
            b.keywords([(_text(fields[key]) or "").replace(",", ";")])
    b.mesh([_text(fields["mesh"]) or ""] if fields.get("mesh") else [])
    b.url(_text(fields.get("url")))
    b.set("language", _text(fields.get("language") or fields.get("langid")))
    b.set("pub_type", entry_type.lower())
    return b.build()


READER = BibtexReader()
