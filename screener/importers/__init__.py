"""Format readers and content-based format detection.

Every reader turns one decoded text into ``ParsedRecord`` models. The format is chosen by
content (``sniff``); the file extension only breaks ties.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from screener.errors import RecordImportError

if TYPE_CHECKING:  # annotations only: a parser process imports this package without pydantic
    from screener.models import Method, ParsedRecord


class Reader(Protocol):
    """What a format module provides."""

    name: str
    """Format id stored as provenance (``ris``, ``medline``, ``page-semantic-scholar``...)."""
    extensions: tuple[str, ...]
    default_source: str
    """Source name when the user gives none and the file does not tell (``RIS export``)."""
    default_method: Method

    def sniff(self, text: str) -> float:
        """Confidence 0..1 that ``text`` is in this format, from its content alone."""
        ...

    def parse(self, text: str, path: Path) -> Iterator[ParsedRecord]:
        """Yield records; raise ``RecordImportError`` (with line) for fatal structure errors."""
        ...


@dataclass
class ReaderInfo:
    """A registered reader plus the source name the content itself revealed, if any."""

    reader: Reader
    source_hint: str | None = None
    warnings: list[str] = field(default_factory=list)


def all_readers() -> list[Reader]:
    # Imported here so that a broken reader module names itself in the traceback and
    # importing screener.importers stays cheap.
    from screener.importers import (
        bibtex,
        csl_json,
        endnote_xml,
        medline,
        pubmed_xml,
        refer,
        ris,
        tabular,
    )
    from screener.importers import wos as wos_tagged
    from screener.importers.pages import (
        extended_abstract,
        paper,
        pubmed,
        semantic_scholar,
        wos,
    )

    return [
        ris.READER, medline.READER, wos_tagged.READER, bibtex.READER, tabular.READER,
        endnote_xml.READER, pubmed_xml.READER, refer.READER, csl_json.READER,
        semantic_scholar.READER, paper.READER, extended_abstract.READER, pubmed.READER, wos.READER,
    ]


_MODULES = {
    "ris": "ris", "bibtex": "bibtex", "medline": "medline", "wos": "wos", "refer": "refer",
    "pubmed-xml": "pubmed_xml", "endnote-xml": "endnote_xml",
}
"""Readers a parser process may be given, by name, and their modules (imported alone)."""


def reader_named(name: str) -> Reader:
    """The reader called ``name``, importing no other reader module when it can."""
    module = _MODULES.get(name)
    if module is not None:
        import importlib

        reader: Reader = importlib.import_module(f"screener.importers.{module}").READER
        if reader.name == name:
            return reader
    return next(r for r in all_readers() if r.name == name)


def with_columns(reader: Reader, columns: dict[str, str] | None, path: Path) -> Reader:
    """``reader`` with a user's column mapping (CSV/TSV only)."""
    if not columns:
        return reader
    configure: Callable[[dict[str, str]], Reader] | None = getattr(reader, "with_columns", None)
    if configure is None:
        raise RecordImportError(
            f"--columns applies to CSV/TSV files, but this file is {reader.name}", path=path
        )
    return configure(columns)


def detect_reader(text: str, path: Path) -> Reader:
    """The reader whose sniff is most confident; extension breaks ties."""
    if not text.strip():
        raise RecordImportError("file is empty", path=path, line=1)
    suffix = path.suffix.lower()
    best: tuple[float, Reader] | None = None
    for reader in all_readers():
        score = reader.sniff(text)
        if score <= 0:
            continue
        if suffix in reader.extensions:
            score += 0.05
        if best is None or score > best[0]:
            best = (score, reader)
    if best is None or best[0] < 0.3:
        first = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.strip()), 1)
        raise RecordImportError("unknown format: no reader recognises this file", path=path, line=first)
    return best[1]
