"""What ``screener doctor`` asks the database: integrity, schema version, orphaned rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from screener.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from screener.store import Store

ORPHAN_QUERIES = {
    "records whose imported file is missing":
        "SELECT COUNT(*) FROM record_rows r WHERE NOT EXISTS "
        "(SELECT 1 FROM source_files f WHERE f.id = r.file_id)",
    "records pointing at a work that does not exist":
        "SELECT COUNT(*) FROM records r WHERE r.work_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM records w WHERE w.id = r.work_id)",
    "merged works whose canonical record is missing":
        "SELECT COUNT(*) FROM works w WHERE NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = w.work_id)",
    "decisions on records that do not exist":
        "SELECT COUNT(*) FROM decisions d WHERE NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = d.work_id)",
    "resolutions on records that do not exist":
        "SELECT COUNT(*) FROM resolutions d WHERE NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = d.work_id)",
    "full-text retrievals on records that do not exist":
        "SELECT COUNT(*) FROM retrievals d WHERE NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = d.work_id)",
    "duplicate pairs naming records that do not exist":
        "SELECT COUNT(*) FROM dedup_pairs p WHERE NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = p.record_a) OR NOT EXISTS "
        "(SELECT 1 FROM records r WHERE r.id = p.record_b)",
    "imported files whose record count is wrong":
        "SELECT COUNT(*) FROM source_files f WHERE f.state = 'published' AND f.record_count <> "
        "(SELECT COUNT(*) FROM records r WHERE r.file_id = f.id)",
}
"""Each query counts rows that point at nothing (or disagree with what they count)."""


def integrity_problems(store: Store, limit: int = 5) -> list[str]:
    """SQLite's own integrity check (every page, index and constraint); [] when sound.
    PostgreSQL checks its pages itself: nothing to ask."""
    if store.backend != "sqlite":
        return []
    rows = store.conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    problems += [f"foreign key: {r[0]} row {r[1]} points at a missing {r[2]}"
                 for r in store.conn.execute("PRAGMA foreign_key_check").fetchall()[:limit]]
    return problems


def schema_version(store: Store) -> tuple[int, int]:
    """(the database's schema version, the one this screener writes)."""
    return store.conn.schema_version(), SCHEMA_VERSION


def orphan_counts(store: Store) -> dict[str, int]:
    """How many rows of each kind point at nothing."""
    return {what: int(store.conn.execute(sql).fetchone()[0]) for what, sql in ORPHAN_QUERIES.items()}
