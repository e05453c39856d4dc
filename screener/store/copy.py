"""Copying a whole project database to another one (``screener db copy``).

Every table the migrations create is copied row by row, ids kept, inside one transaction
on the target: a copy that fails part way leaves the target as it was. The source is only
read. Works in any direction (SQLite to PostgreSQL, back, or server to server).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from screener.errors import StoreError
from screener.store import Store
from screener.store.schema import MIGRATIONS

BATCH = 1000
_CREATE = re.compile(r"^\s*CREATE TABLE (\w+) \((.*)\)\s*$", re.S)
_RENAME = re.compile(r"^\s*ALTER TABLE (\w+) RENAME TO (\w+)\s*$")
_ADD = re.compile(r"^\s*ALTER TABLE (\w+) ADD COLUMN (\w+)")
ONLY_PUBLISHED = {
    "source_files": "state = 'published'",
    "record_rows": "file_id IN (SELECT id FROM source_files WHERE state = 'published')",
}
"""What an import still staging (or a dead one's leftovers) holds is not project data."""
SKIP_META = {"schema_version"}
"""Keys of ``meta`` that describe the database itself, not the project."""


def schema_tables() -> list[tuple[str, list[str], str | None]]:
    """(table, columns, single-column key or None) in creation order, parents first."""
    tables: list[tuple[str, list[str], str | None]] = []
    for migration in MIGRATIONS:
        for statement in migration:
            if renamed := _RENAME.match(statement):
                tables = [(renamed.group(2) if t == renamed.group(1) else t, c, k)
                          for t, c, k in tables]
                continue
            if added := _ADD.match(statement):
                for t, c, _ in tables:
                    if t == added.group(1):
                        c.append(added.group(2))
                continue
            match = _CREATE.match(statement)
            if match is None:
                continue
            columns: list[str] = []
            key: str | None = None
            for part in _split_columns(match.group(2)):
                words = part.split()
                if not words or words[0].upper() in ("PRIMARY", "UNIQUE", "FOREIGN", "CHECK"):
                    continue
                columns.append(words[0])
                if "PRIMARY KEY" in part.upper():
                    key = words[0]
            tables.append((match.group(1), columns, key))
    return tables


def _split_columns(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    parts.append(current)
    return [p.strip() for p in parts]


def _rows(source: Store, table: str, columns: list[str], key: str | None) -> Iterator[tuple[Any, ...]]:
    """The table's rows in key order, a batch at a time (records may be 100,000 of 3 KiB)."""
    cols = ", ".join(columns)
    only = ONLY_PUBLISHED.get(table)
    if key is None:
        where = f" WHERE {only}" if only else ""
        yield from source.conn.execute(f"SELECT {cols} FROM {table}{where} ORDER BY 1").fetchall()
        return
    position = columns.index(key)
    last: Any = None
    also = f" AND {only}" if only else ""
    while True:
        if last is None:
            batch = source.conn.execute(
                f"SELECT {cols} FROM {table} WHERE 1 = 1{also} ORDER BY {key} LIMIT {BATCH}"
            ).fetchall()
        else:
            batch = source.conn.execute(
                f"SELECT {cols} FROM {table} WHERE {key} > ?{also} ORDER BY {key} LIMIT {BATCH}",
                (last,)).fetchall()
        if not batch:
            return
        yield from (tuple(r) for r in batch)
        last = batch[-1][position]


def copy_database(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; returns rows per table."""
    if target.record_count() or target.source_files() or target.decision_history():
        raise StoreError(
            f"the target database {target.location.shown} is not empty; copy into a new one"
        )
    counts: dict[str, int] = {}
    with target.transaction() as conn:
        for table, columns, key in schema_tables():
            # The migrations may already have filled a table (the roster from decisions);
            # the target keeps its own schema version.
            conn.execute(f"DELETE FROM {table}" + (" WHERE key <> 'schema_version'"
                                                    if table == "meta" else ""))
            marks = ", ".join("?" for _ in columns)
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            pending: list[tuple[Any, ...]] = []
            count = 0
            for row in _rows(source, table, columns, key):
                if table == "meta" and row[0] in SKIP_META:
                    continue
                pending.append(row)
                if len(pending) >= BATCH:
                    conn.executemany(insert, pending)
                    count += len(pending)
                    pending.clear()
            if pending:
                conn.executemany(insert, pending)
                count += len(pending)
            if key == "id":
                conn.sync_ids(table)
            counts[table] = count
            if progress is not None:
                progress(table, count)
    return counts
