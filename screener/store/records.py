"""Storage of imported files, records, reviewer corrections, and the works they form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from screener.errors import StoreError
from screener.importers.rows import CONTROLS_REMOVED, RecordRow
from screener.models import Method, ParsedRecord, Record, SourceFile, StoredRecord, Work
from screener.store.connection import Connection, now
from screener.terminal import json_has_controls, strip_controls_deep

_FILE_COLUMNS = "id, path, sha256, format, source, method, imported_at, record_count"
_RECORD_COLUMNS = """r.id, r.work_id, r.data, r.file_id, f.path, f.sha256, f.format, f.source,
    r.method, r.idx, r.line, r.parent_id"""


def record_row(item: ParsedRecord) -> RecordRow:
    rec = item.record
    data = rec.model_dump_json(exclude_defaults=True)
    if json_has_controls(data):
        # Terminal escapes (clipboard writes, screen clears) in an imported field are
        # removed here, once for every importer; ``raw`` keeps the text as it was.
        cleaned = Record.model_validate(strip_controls_deep(rec.model_dump()))
        if cleaned != rec:
            cleaned.warnings.append(CONTROLS_REMOVED)
            item.record = rec = cleaned  # the import summary reads the warnings from item
            data = rec.model_dump_json(exclude_defaults=True)
    return RecordRow(
        item.index, item.line, item.parent_index,
        item.method.value if item.method is not None else None,
        rec.title, rec.doi, rec.pmid, rec.year, data, item.raw,
    )


def load_record(data: str) -> Record:
    """A stored record; text written by an older screener, before control characters
    were removed at import, is cleaned on the way out (one search per record)."""
    record = Record.model_validate_json(data)
    if json_has_controls(data):
        record = Record.model_validate(strip_controls_deep(record.model_dump()))
    return record


def _stored(row: tuple[Any, ...], raw: str = "") -> StoredRecord:
    return StoredRecord(
        id=row[0],
        work_id=row[1] if row[1] is not None else row[0],
        record=load_record(row[2]),
        file_id=row[3],
        source_file=row[4],
        sha256=row[5],
        format=row[6],
        source=row[7],
        method=Method(row[8]),
        index=row[9],
        line=row[10],
        parent_id=row[11],
        raw=raw,
    )


class RecordStore(Connection):
    """Files and records. Records are never deleted; later stages only mark them.

    Readers read the view ``records`` (records of published files); writers write the
    table ``record_rows`` (schema.STAGING_TABLES)."""

    def find_file_by_sha(self, sha256: str) -> SourceFile | None:
        """The first published file with this content (a staged one is not imported yet)."""
        row = self.conn.execute(
            f"SELECT {_FILE_COLUMNS} FROM source_files WHERE sha256 = ? AND state = 'published' "
            "ORDER BY id LIMIT 1",
            (sha256,),
        ).fetchone()
        return _source_file(row) if row else None

    def source_files(self) -> list[SourceFile]:
        """Every imported (published) file."""
        rows = self.conn.execute(
            f"SELECT {_FILE_COLUMNS} FROM source_files WHERE state = 'published' ORDER BY id"
        ).fetchall()
        return [_source_file(r) for r in rows]

    def set_file_source(self, file_id: int, source: str, method: Method | None = None) -> None:
        """Rename the source (database) of one imported file and, with ``method``, change
        how its records were found; records a page listed (its references, related papers)
        keep their own method."""
        with self.transaction() as conn:
            row = conn.execute("SELECT method FROM source_files WHERE id = ? AND state = 'published'",
                               (file_id,)).fetchone()
            if row is None:
                raise StoreError(f"no imported file with id {file_id}")
            conn.execute("UPDATE source_files SET source = ? WHERE id = ?", (source, file_id))
            if method is not None and method.value != row[0]:
                conn.execute("UPDATE record_rows SET method = ? WHERE file_id = ? AND method = ?",
                             (method.value, file_id, row[0]))
                conn.execute("UPDATE source_files SET method = ? WHERE id = ?",
                             (method.value, file_id))

    def add_source_file(
        self, *, path: str, sha256: str, format: str, source: str, method: Method,
        staged_by: str | None = None,
    ) -> int:
        """A file row: published at once (its records written in the same transaction), or
        staged by the importing process ``staged_by`` (see ``StagingStore``)."""
        stamp = now()
        return self.conn.insert(
            "INSERT INTO source_files (path, sha256, format, source, method, imported_at, "
            "state, staged_by, staged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (path, sha256, format, source, method.value, stamp,
             "published" if staged_by is None else "staged", staged_by,
             None if staged_by is None else stamp),
        )

    def add_records(
        self, file_id: int, method: Method, parsed: Iterable[ParsedRecord], batch: int = 2000
    ) -> int:
        """Insert parsed records of one file (call inside ``transaction()``); returns count."""
        return self.add_record_rows(file_id, method, map(record_row, parsed), batch)

    def add_record_rows(
        self, file_id: int, method: Method, rows: Iterable[RecordRow], batch: int = 2000
    ) -> int:
        """Insert records already turned into rows by ``record_row`` (possibly in another
        process) inside the caller's transaction; returns the count."""
        count = 0
        it = iter(rows)
        while chunk := list(islice(it, batch)):
            self.insert_record_batch(file_id, method, chunk)
            count += len(chunk)
        self.conn.execute("UPDATE source_files SET record_count = ? WHERE id = ?", (count, file_id))
        return count

    def insert_record_batch(self, file_id: int, method: Method, chunk: list[RecordRow]) -> None:
        """Write one batch of a file's records (inside a write transaction).

        Parent links refer to the parent's index in the same file; parents always come
        before their list entries. A parent in an earlier batch is looked up, so memory
        stays flat for any file size.
        """
        # Ids come from the database (its identity sequence on PostgreSQL), so
        # concurrent imports never collide; a record is its own work until dedup.
        ids = self.conn.reserve_ids("record_rows", len(chunk))
        ids_by_index: dict[int, int] = {}
        pending: list[tuple[Any, ...]] = []
        for record_id, row in zip(ids, chunk, strict=True):
            parent_id = None
            if row.parent_index is not None:
                parent_id = ids_by_index.get(row.parent_index)
                if parent_id is None:
                    # The table, not the view: the file may still be staged.
                    found = self.conn.execute(
                        "SELECT id FROM record_rows WHERE file_id = ? AND idx = ? "
                        "AND parent_id IS NULL",
                        (file_id, row.parent_index),
                    ).fetchone()
                    if found is None:
                        raise StoreError(
                            f"record {row.idx} names parent {row.parent_index}, "
                            "not seen before it"
                        )
                    parent_id = int(found[0])
            else:
                ids_by_index[row.idx] = record_id
            pending.append(
                (
                    record_id, file_id, row.idx, row.line, parent_id,
                    row.method or method.value, record_id, row.title, row.doi, row.pmid,
                    row.year, row.data, row.raw,
                )
            )
        self.conn.executemany(
            "INSERT INTO record_rows (id, file_id, idx, line, parent_id, method, work_id, "
            "title, doi, pmid, year, data, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            pending,
        )

    def record_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def iter_records(self, *, with_raw: bool = False) -> Iterator[StoredRecord]:
        """Every record in import order, with provenance."""
        raw_col = ", r.raw" if with_raw else ""
        cur = self.conn.execute(
            f"SELECT {_RECORD_COLUMNS}{raw_col} FROM records r "
            "JOIN source_files f ON f.id = r.file_id ORDER BY r.id"
        )
        for row in cur:
            yield _stored(row, row[12] if with_raw else "")

    def record_origins(self) -> Iterator[tuple[int, int, Method, str]]:
        """(record id, work id, method, source) of every record in import order: what the
        PRISMA counts need, without loading each record (that was four fifths of
        ``screener status`` at 100k records: 2.4 of 3 s)."""
        cur = self.conn.execute(
            "SELECT r.id, COALESCE(r.work_id, r.id), r.method, f.source FROM records r "
            "JOIN source_files f ON f.id = r.file_id ORDER BY r.id")
        methods = {m.value: m for m in Method}
        for record_id, work_id, method, source in cur:
            yield record_id, work_id, methods[method], source

    def get_record(self, record_id: int) -> StoredRecord:
        row = self.conn.execute(
            f"SELECT {_RECORD_COLUMNS}, r.raw FROM records r "
            "JOIN source_files f ON f.id = r.file_id WHERE r.id = ?",
            (record_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no record with id {record_id}")
        return _stored(row, row[12])

    def counts_by(self, column: str) -> dict[str, int]:
        """Record counts grouped by ``source`` or ``method``."""
        expr = {"source": "f.source", "method": "r.method"}[column]
        rows = self.conn.execute(
            f"SELECT {expr}, COUNT(*) FROM records r JOIN source_files f ON f.id = r.file_id "
            f"GROUP BY {expr} ORDER BY {expr}"
        ).fetchall()
        return {str(k): int(v) for k, v in rows}

    def records_with_warnings(self) -> int:
        """How many records carry import warnings (no title, unparseable year, ...)."""
        return int(self.conn.execute(
            "SELECT COUNT(*) FROM records WHERE data LIKE '%\"warnings\"%'"
        ).fetchone()[0])

    def record_warnings(self) -> list[tuple[int, str, int, str]]:
        """(record id, file, line, warning) for every stored per-record warning."""
        out: list[tuple[int, str, int, str]] = []
        cur = self.conn.execute(
            "SELECT r.id, f.path, r.line, r.data FROM records r JOIN source_files f "
            "ON f.id = r.file_id WHERE r.data LIKE '%\"warnings\"%' ORDER BY r.id"
        )
        for rid, path, line, data in cur:
            for w in json.loads(data).get("warnings", []):
                out.append((rid, path, line, w))
        return out

    # --- corrections ---------------------------------------------------------------
    def add_correction(self, record_id: int, field: str, value: Any, by: str) -> None:
        """Store a reviewer's fix of one field beside the original (which is kept)."""
        if field not in Record.model_fields:
            raise StoreError(f"unknown record field {field!r}")
        self.get_record(record_id)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO corrections (record_id, field, value, corrected_by, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (record_id, field, json.dumps(value), by, now()),
            )

    def corrections_for(self, record_id: int) -> dict[str, Any]:
        """The latest corrected value of each corrected field."""
        rows = self.conn.execute(
            "SELECT field, value FROM corrections WHERE record_id = ? ORDER BY id", (record_id,)
        ).fetchall()
        return {field: json.loads(value) for field, value in rows}

    # --- works -----------------------------------------------------------------------
    def _work_from_row(self, work_id: int, data: str) -> Work:
        members = self.conn.execute(
            "SELECT r.id, f.source, r.method FROM records r JOIN source_files f "
            "ON f.id = r.file_id WHERE r.work_id = ? ORDER BY r.id",
            (work_id,),
        ).fetchall()
        return _work(work_id, load_record(data), self.corrections_for(work_id), members)

    def work_ids(self) -> list[int]:
        """Ids of every unique work (canonical records), in a stable order."""
        # Read and ordered as work_id (equal to id here): SQLite then reads the index on
        # work_id alone; ordered by id it read every record's row, data and raw text too
        # (100k works: 0.11-0.35 s against 0.05 s, and status asks five times).
        return [r[0] for r in self.conn.execute(
            "SELECT work_id FROM records WHERE work_id = id ORDER BY work_id")]

    def get_work(self, work_id: int) -> Work:
        row = self.conn.execute(
            "SELECT r.id, COALESCE(w.data, r.data) FROM records r "
            "LEFT JOIN works w ON w.work_id = r.id WHERE r.id = ? AND r.work_id = r.id",
            (work_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no work with id {work_id}")
        return self._work_from_row(row[0], row[1])

    def iter_works(self, batch: int = 1000) -> Iterator[Work]:
        """Every work in id order, streamed: three queries per ``batch`` record ids (not two
        per work), and never more than one batch in memory. Windows of ids, not ``LIMIT``:
        PostgreSQL answered ``id > ? ORDER BY id LIMIT ?`` by sorting every later record
        (on disk, with its data) for each batch, quadratic in the records (4.6 s for 100k
        works; a window reads its own rows only)."""
        top = int(self.conn.execute(
            "SELECT COALESCE(MAX(id), 0) FROM record_rows").fetchone()[0])
        after = 0
        while after < top:
            rows = self.conn.execute(
                "SELECT r.id, COALESCE(w.data, r.data) FROM records r "
                "LEFT JOIN works w ON w.work_id = r.id WHERE r.work_id = r.id AND r.id > ? "
                "AND r.id <= ? ORDER BY r.id", (after, after + batch),
            ).fetchall()
            after += batch
            if not rows:
                continue
            first, last = rows[0][0], rows[-1][0]
            members: dict[int, list[tuple[int, str, str]]] = {}
            for work_id, rid, source, method in self.conn.execute(
                "SELECT r.work_id, r.id, f.source, r.method FROM records r JOIN source_files f "
                "ON f.id = r.file_id WHERE r.work_id BETWEEN ? AND ? ORDER BY r.id",
                (first, last),
            ):
                members.setdefault(work_id, []).append((rid, source, method))
            fixes: dict[int, dict[str, Any]] = {}
            for rid, field, value in self.conn.execute(
                "SELECT record_id, field, value FROM corrections WHERE record_id BETWEEN ? AND ? "
                "ORDER BY id", (first, last),
            ):
                fixes.setdefault(rid, {})[field] = json.loads(value)
            for work_id, data in rows:
                yield _work(work_id, load_record(data), fixes.get(work_id), members.get(work_id, []))

    def work_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM records WHERE work_id = id").fetchone()[0])


def _work(work_id: int, record: Record, fixes: dict[str, Any] | None,
          members: list[tuple[int, str, str]]) -> Work:
    if fixes:
        record = record.model_copy(update=fixes)
    return Work(
        work_id=work_id,
        record=record,
        record_ids=[m[0] for m in members],
        sources=sorted({m[1] for m in members}),
        methods=sorted({Method(m[2]) for m in members}),
    )


def _source_file(row: tuple[Any, ...]) -> SourceFile:
    return SourceFile(
        id=row[0], path=row[1], sha256=row[2], format=row[3], source=row[4],
        method=Method(row[5]), imported_at=row[6], record_count=row[7],
    )
