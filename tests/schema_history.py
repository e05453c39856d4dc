"""Projects as older screeners left them, for the migration tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def undo_staging_migration(db: Path) -> int:
    """Turn a project back into one from before staged imports (schema 4, the table
    ``records`` and no file states, nor the indexes of schema 6); returns the schema
    version it had."""
    conn = sqlite3.connect(db)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    conn.executescript("""
        DROP INDEX record_rows_parent;
        DROP INDEX dedup_pairs_record_b;
        DROP VIEW records;
        ALTER TABLE record_rows RENAME TO records;
        CREATE INDEX records_doi ON records (doi);
        CREATE INDEX records_pmid ON records (pmid);
        DROP INDEX records_work;
        CREATE INDEX records_work ON records (work_id);
        ALTER TABLE source_files DROP COLUMN state;
        ALTER TABLE source_files DROP COLUMN staged_by;
        ALTER TABLE source_files DROP COLUMN staged_at;
        PRAGMA user_version = 4;
    """)
    conn.close()
    return version
