"""What a file is before it is imported: format, record count, inferred source and method,
the first records (a page's own record and its reference/related list), and the per-record
problems with their lines. Reads the file the way ``import_file`` does; stores nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import ScreenerError
from screener.importers import detect_reader
from screener.importing import _parse
from screener.models import Method
from screener.textio import scan_file

SAMPLES = 40
"""Records listed in a preview (a page's list is usually shorter)."""
KEPT_WARNINGS = 200


@dataclass
class FilePreview:
    path: Path
    format: str
    source: str
    method: Method
    encoding: str
    records: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    samples: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, method, title) of the first records."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message); line 0 = about the whole file."""
    already_imported: str | None = None
    """When the file's content is in the project already: as what, and when."""


def preview_file(path: Path, imported: dict[str, str] | None = None) -> FilePreview:
    """Read ``path`` as the importer would. ``imported`` maps the sha256 of files in the
    project to a description, to say that this one is there already."""
    try:
        scan = scan_file(path)
        reader = detect_reader(scan.head, path)
        detect_source = getattr(reader, "detect_source", None)
        hint = detect_source(scan.head) if detect_source is not None else None
        preview = FilePreview(path=path, format=reader.name,
                              source=hint or reader.default_source,
                              method=reader.default_method, encoding=scan.encoding,
                              warnings=[(0, w) for w in scan.warnings])
        if imported and scan.sha256 in imported:
            preview.already_imported = imported[scan.sha256]
        for parsed in _parse(reader, scan, path):
            preview.records += 1
            method = (parsed.method or preview.method).value
            preview.by_method[method] += 1
            if len(preview.samples) < SAMPLES:
                preview.samples.append((parsed.line, method,
                                        parsed.record.title or "(no title)"))
            for w in parsed.record.warnings:
                if len(preview.warnings) < KEPT_WARNINGS:
                    preview.warnings.append((parsed.line, w))
    except ScreenerError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    return preview
