"""Opening the SQLite database, applying migrations, and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from screener.errors import StoreError
from screener.store.schema import MIGRATIONS, SCHEMA_VERSION


def now() -> str:
    """UTC timestamp in ISO 8601 with microseconds, so history sorts by time."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``."""
    # isolation_level=None: we issue BEGIN/COMMIT ourselves so a transaction spans
    # exactly what the caller puts inside ``transaction()``.
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    # 16 KiB pages (set before WAL; a no-op on existing databases): records of 2-4 KiB
    # (JSON plus raw text) waste up to half of a 4 KiB page; with 16 KiB pages a large
    # import stores about twice as fast (bench/import.py).
    conn.execute("PRAGMA page_size=16384")
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a process kill (only an OS crash may lose the last
    # commits); decisions are committed one by one, so this is the safe, fast choice.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    migrate(conn, path)
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply every migration newer than the database's ``user_version``."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema {version} is newer than this screener ({SCHEMA_VERSION}); upgrade screener",
            path=path,
        )
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the write lock: another process may have migrated meanwhile.
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class Connection:
    """Base of the store: owns the connection and the transaction scope."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all; nesting joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0
