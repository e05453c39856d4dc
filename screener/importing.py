"""Importing files into a project: decode, detect, parse, store, all-or-nothing per file.

The pipeline streams: the file is hashed and checked in one pass, then read again in
pieces by readers that can, so memory does not grow with file size. Large files are
parsed by child processes (``parser_process``) while this process stores.

Readers provide ``sniff`` and ``parse`` (the ``Reader`` protocol) and may add
``parse_chunks`` (decoded text in pieces of any size) or ``parse_lines`` (streaming),
``parse_rows`` (streaming, straight to rows to store, also from a record boundary
mid-file), ``detect_source`` (the database named by the content) and ``with_columns``
(a user's column mapping).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from screener.errors import RecordImportError, ScreenerError
from screener.importers import Reader, detect_reader, with_columns
from screener.importers.rows import RecordRow
from screener.models import Method, ParsedRecord
from screener.parser_process import ParseJob, ParserProcess, Row, child_rows, start_parsing
from screener.store import Store
from screener.store.records import record_row
from screener.store.staging import is_alive
from screener.textio import (
    FileScan,
    iter_chunks,
    iter_lines,
    peek_head,
    read_text,
    regular_file,
    scan_file,
)

PARALLEL_MIN_BYTES = 16 * 1024 * 1024
"""Files at least this large are parsed by child processes while this one stores."""
PARSER_PROCESSES = 2

ProgressCallback = Callable[[int], None]

KEPT_WARNINGS = 1000
"""Warnings kept in memory for the summary; all of them are stored on their records."""


@dataclass
class FileImport:
    """What one file's import did, for the summary."""

    path: Path
    format: str
    source: str
    method: Method
    encoding: str = "utf-8"
    records: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of per-record problems and file-level notes (line 0); the first
    ``KEPT_WARNINGS`` only."""
    warning_count: int = 0
    warning_kinds: Counter[str] = field(default_factory=Counter)
    """How many records had each kind of problem (``record has no title``: 3)."""


def parse_columns(spec: str) -> dict[str, str]:
    """``title=Article Title,doi=DOI`` -> {"title": "Article Title", "doi": "DOI"}."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise RecordImportError(f"--columns: expected FIELD=COLUMN, got {part.strip()!r}")
        mapping[key.strip()] = column.strip()
    return mapping


def import_file(
    store: Store,
    path: Path,
    *,
    source: str | None = None,
    method: Method | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    columns: dict[str, str] | None = None,
    after_batch: Callable[[int], None] | None = None,
) -> FileImport:
    """Import one file, all or nothing: its records are staged in batches (each a short
    transaction, so reviewers' decisions go on meanwhile) and published at once; on any
    error nothing of the file is visible. ``after_batch(records so far)`` runs after
    each staged batch."""
    with regular_file(path) as data:
        try:
            return _import_file(store, path, data, source=source, method=method, force=force,
                                progress=progress, columns=columns, after_batch=after_batch)
        except ScreenerError as exc:
            if exc.path in (None, str(data)):
                exc.path = str(path)  # a FIFO's copy is named after the FIFO
            raise


def _import_file(
    store: Store,
    path: Path,
    data: Path,
    *,
    source: str | None,
    method: Method | None,
    force: bool,
    progress: ProgressCallback | None,
    columns: dict[str, str] | None,
    after_batch: Callable[[int], None] | None,
) -> FileImport:
    children = [ParserProcess() for _ in range(PARSER_PROCESSES)] \
        if _size(data) >= PARALLEL_MIN_BYTES else []
    try:
        job = _start_early(children, data, path, columns) if children else None
        scan = scan_file(data)
        _refuse_reimport(store, scan, path, force)
        reader = with_columns(detect_reader(scan.head, path), columns, path)
        detect_source = getattr(reader, "detect_source", None)
        hint = detect_source(scan.head) if detect_source is not None else None
        result = FileImport(
            path=path,
            format=reader.name,
            source=source or hint or reader.default_source,
            method=method or reader.default_method,
            encoding=scan.encoding,
        )
        for w in scan.warnings:
            _note(result, 0, w)
        store.remove_dead_imports()
        if not force:
            _refuse_concurrent(store, scan, path)
        file_id = store.stage_file(
            path=str(path), sha256=scan.sha256, format=reader.name,
            source=result.source, method=result.method,
        )
        try:
            rows = _watch(_flag_bad_lines(_rows(reader, scan, path, columns, children, job),
                                          scan.bad_lines), result, progress)
            result.records = store.stage_record_rows(file_id, result.method, rows,
                                                     after_batch=after_batch)
            if result.records == 0:
                raise RecordImportError(f"no records found (read as {reader.name})", path=path, line=1)
            with store.transaction():
                store.lock("import")
                _refuse_reimport(store, scan, path, force)  # again, as it is published
                store.publish_file(file_id)
        except BaseException:
            _discard(store, file_id)
            raise
    except ScreenerError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    finally:
        for child in children:
            child.close()
    return result


def _discard(store: Store, file_id: int) -> None:
    """Remove a failed import's staged records, keeping the error that explains why; a
    removal that fails too (the database is gone, a second Ctrl-C) is left to the next
    import or ``screener doctor``, which find the file dead."""
    with suppress(Exception):
        store.discard_file(file_id)


def _refuse_concurrent(store: Store, scan: FileScan, path: Path) -> None:
    for staged in store.staged_imports():
        if staged.sha256 == scan.sha256 and is_alive(staged):
            raise RecordImportError(
                f"is being imported right now (by {staged.staged_by}, {staged.records} records "
                "so far); wait for it, or use --force to import it again",
                path=path,
            )


def _refuse_reimport(store: Store, scan: FileScan, path: Path, force: bool) -> None:
    earlier = store.find_file_by_sha(scan.sha256)
    if earlier is not None and not force:
        raise RecordImportError(
            f"already imported as {earlier.path} on {earlier.imported_at[:10]} "
            f"({earlier.record_count} records); use --force to import it again",
            path=path,
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # scan_file reports the problem


def _parse(reader: Reader, scan: FileScan, path: Path) -> Iterator[ParsedRecord]:
    parse_chunks: Callable[[Iterator[str], Path], Iterator[ParsedRecord]] | None = getattr(
        reader, "parse_chunks", None
    )
    if parse_chunks is not None:
        return parse_chunks(iter_chunks(scan), path)
    parse_lines: Callable[[Iterator[str], Path], Iterator[ParsedRecord]] | None = getattr(
        reader, "parse_lines", None
    )
    if parse_lines is not None:
        return parse_lines(iter_lines(scan), path)
    return reader.parse(read_text(scan), path)


def _start_early(
    children: list[ParserProcess], data: Path, path: Path, columns: dict[str, str] | None
) -> ParseJob | None:
    """Give the parser processes their job before the file is hashed and checked (a pass
    of a quarter of a second per 100 MB), with the reader and encoding its head shows;
    ``_rows`` checks them against the whole file's and starts over where they differ
    (bytes that are not UTF-8 past the head). None where the head says nothing usable."""
    try:
        encoding, head = peek_head(data)
        reader = with_columns(detect_reader(head, path), columns, path)
    except (OSError, ScreenerError):
        return None  # the scan reports the problem
    if not _parallel(reader):
        return None
    return start_parsing(children, reader.name, data, encoding, _size(data), columns)


def _parallel(reader: Reader) -> bool:
    return hasattr(reader, "parse_rows") or hasattr(reader, "parse_lines")


def _rows(
    reader: Reader, scan: FileScan, path: Path, columns: dict[str, str] | None,
    children: list[ParserProcess], job: ParseJob | None,
) -> Iterator[Row]:
    if children and job is not None and (job.reader, job.encoding) != (reader.name, scan.encoding):
        # Started on a guess the whole file proved wrong: new children (the list is the
        # caller's, which closes them), given the job anew.
        for child in children:
            child.close()
        children[:] = [ParserProcess() for _ in children] if _parallel(reader) else []
        job = None
    if children and _parallel(reader):
        if job is None:
            job = start_parsing(children, reader.name, scan.path, scan.encoding, scan.size,
                                columns)
        return child_rows(job, scan.path)
    parse_rows: Callable[[Iterator[str], Path], Iterator[Row]] | None = getattr(
        reader, "parse_rows", None
    )
    if parse_rows is not None:
        return parse_rows(iter_chunks(scan), path)
    return parsed_rows(reader, scan, path)


def parsed_rows(reader: Reader, scan: FileScan, path: Path) -> Iterator[Row]:
    """Rows of a reader that yields models (``parse_chunks``, ``parse_lines``, ``parse``)."""
    return ((record_row(p), p.record.warnings) for p in _parse(reader, scan, path))


def _flag_bad_lines(rows: Iterator[Row], bad: list[int]) -> Iterator[Row]:
    """Flag each record whose lines held bytes that are not UTF-8 (read as Windows-1252):
    a record runs from its first line to the next record's."""
    if not bad:
        yield from rows
        return
    pos = 0
    pending: Row | None = None
    for row in rows:
        if pending is not None:
            pos, flagged = _flag(pending, bad, pos, row[0].line)
            yield flagged
        pending = row
    if pending is not None:
        yield _flag(pending, bad, pos, None)[1]


def _flag(item: Row, bad: list[int], pos: int, end: int | None) -> tuple[int, Row]:
    row, warnings = item
    while pos < len(bad) and bad[pos] < row.line:
        pos += 1  # before the first record (a header), or a record out of line order
    hits: list[int] = []
    while pos < len(bad) and (end is None or bad[pos] < end):
        hits.append(bad[pos])
        pos += 1
    if not hits:
        return pos, item
    lines = ", ".join(map(str, hits[:5])) + (", ..." if len(hits) > 5 else "")
    message = (f"invalid UTF-8 bytes read as Windows-1252 (line{'s' if len(hits) > 1 else ''} "
               f"{lines})")
    data = json.loads(row.data)
    data["warnings"] = [*data.get("warnings", []), message]
    return pos, (row._replace(data=json.dumps(data, ensure_ascii=False)), [*warnings, message])


def _note(result: FileImport, line: int, message: str) -> None:
    result.warning_count += 1
    if len(result.warnings) < KEPT_WARNINGS:
        result.warnings.append((line, message))


def _kind(message: str) -> str:
    """Group warnings for the summary: drop the quoted value (``unparseable year '19x'``)."""
    for mark in (" '", ' "', ":", ";", " ("):
        message = message.split(mark, 1)[0]
    return message


def _watch(
    rows: Iterator[Row], result: FileImport, progress: ProgressCallback | None
) -> Iterator[RecordRow]:
    """Pass rows through while counting methods, warnings and progress."""
    counts: dict[str, int] = result.by_method
    default = result.method.value
    n = 0
    for n, (row, warnings) in enumerate(rows, 1):  # noqa: B007 - n is read after the loop
        m = row.method or default
        counts[m] = counts.get(m, 0) + 1
        if warnings:
            for w in warnings:
                _note(result, row.line, w)
                result.warning_kinds[_kind(w)] += 1
        if progress is not None and n % 10000 == 0:
            progress(n)
        yield row
    if progress is not None and n >= 10000:
        progress(n)


def summarise(result: FileImport) -> list[str]:
    """One line per kind of per-record problem, for the end of an import."""
    return [f"{n} record{'s' if n != 1 else ''}: {kind}" for kind, n in
            result.warning_kinds.most_common()]
