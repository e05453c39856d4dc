"""Importing files into a project: decode, detect, parse, store, all-or-nothing per file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import RecordImportError, ScreenerError
from screener.importers import detect_reader
from screener.models import Method, ParsedRecord
from screener.store import Store
from screener.textio import decode_bytes

ProgressCallback = Callable[[int], None]


@dataclass
class FileImport:
    """What one file's import did, for the summary."""

    path: Path
    format: str
    source: str
    method: Method
    records: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of per-record problems and file-level notes (line 0)."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_file(
    store: Store,
    path: Path,
    *,
    source: str | None = None,
    method: Method | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> FileImport:
    """Import one file in one transaction; on any error the database is unchanged."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordImportError(f"cannot read file: {exc.strerror}", path=path) from exc
    digest = sha256_of(data)
    earlier = store.find_file_by_sha(digest)
    if earlier is not None and not force:
        raise RecordImportError(
            f"already imported as {earlier.path} on {earlier.imported_at[:10]} "
            f"({earlier.record_count} records); use --force to import it again",
            path=path,
        )
    try:
        decoded = decode_bytes(data, path)
        del data
        reader = detect_reader(decoded.text, path)
        result = FileImport(
            path=path,
            format=reader.name,
            source=source or reader.default_source,
            method=method or reader.default_method,
        )
        result.warnings.extend((0, w) for w in decoded.warnings)
        with store.transaction():
            file_id = store.add_source_file(
                path=str(path), sha256=digest, format=reader.name,
                source=result.source, method=result.method,
            )
            parsed = _watch(reader.parse(decoded.text, path), result, progress)
            result.records = store.add_records(file_id, result.method, parsed)
            if result.records == 0:
                raise RecordImportError(f"no records found (read as {reader.name})", path=path, line=1)
    except ScreenerError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    return result


def _watch(
    items: Iterator[ParsedRecord], result: FileImport, progress: ProgressCallback | None
) -> Iterator[ParsedRecord]:
    """Pass records through while counting methods, warnings and progress."""
    for n, item in enumerate(items, 1):
        m = (item.method or result.method).value
        result.by_method[m] = result.by_method.get(m, 0) + 1
        for w in item.record.warnings:
            result.warnings.append((item.line, w))
        if progress is not None and n % 5000 == 0:
            progress(n)
        yield item
