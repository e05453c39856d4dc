"""The small adapter between the store's portable SQL and one database backend.

Store code writes SQL once, with ``?`` parameters, and runs it through a ``Database``.
What differs between SQLite and PostgreSQL lives here and in ``postgres.py``: how to
connect, the parameter style, identity columns and id reservation, the write lock, the
case-insensitive LIKE, and where the schema version is kept.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from screener.errors import StoreError
from screener.store.backup import automatic_backup
from screener.store.schema import MIGRATIONS, SCHEMA_VERSION

WAIT_STEP = 1.0
"""Seconds between two wait notices while a write waits for the lock."""
POLL_MS = 3
"""Milliseconds of each attempt to take the write lock. SQLite's own busy wait sleeps
ever longer (100 ms steps after a while) and can miss the short gaps an import leaves
between its batches again and again; short attempts retried at once look every 1-2 ms."""
BACKGROUND_POLL = 0.01
"""Seconds a background writer (an import's next batch) sleeps between attempts: slower
than anyone else's, so a waiting decision takes the lock first."""
MAX_WAIT = 600.0
"""How long a write waits for another writer before it gives up with one line."""
_wait_notice: Callable[[float], None] | None = None


def set_wait_notice(notice: Callable[[float], None] | None) -> None:
    """Call ``notice(seconds waited so far)`` while a write waits for the lock (the CLI
    prints one line; a screen can show a notification)."""
    global _wait_notice
    _wait_notice = notice


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Cursor(Protocol):
    """What the store reads from a query: DB-API cursors of both backends have it."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    @property
    def rowcount(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database:
    """One open connection to the project database, with the backend's dialect.

    ``execute`` takes portable SQL (``?`` parameters); subclasses translate it.
    """

    backend = "sqlite"
    begin_write = "BEGIN IMMEDIATE"
    """Starts a write transaction (SQLite takes the write lock at once, so a transaction
    never fails half way on a lock another writer holds)."""
    like_ci = "LIKE"
    """The case-insensitive LIKE operator (SQLite's LIKE already is, for ASCII)."""

    url: str
    on_reconnect: Callable[[], None] | None = None
    """Called on a new connection that replaced a lost one, to set up the session again."""
    wait_notice: Callable[[float], None] | None = None
    """This connection's own ``set_wait_notice`` (a screen's writing thread reports waits
    to its screen, not to the terminal)."""
    wait_step = WAIT_STEP
    """Seconds between two wait notices while a write waits for the lock."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    @property
    def broken(self) -> bool:
        """Whether the connection was lost (a server restart, a network cut)."""
        return False

    def reconnect(self) -> None:
        """Open a new connection in place of a lost one."""

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def begin(self, background: bool = False) -> None:
        """Start a write transaction (``background``: one of many small ones of a long
        job, which lets others' writes go first)."""
        self.execute(self.begin_write)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the id the database gave the new row."""
        row = self.execute(sql + " RETURNING id", params).fetchone()
        return int(row[0])

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """``count`` fresh ids for rows of ``table`` that must know their id before insert
        (records point at their parent and their work). Call inside a write transaction."""
        raise NotImplementedError

    def sync_ids(self, table: str) -> None:
        """After rows were copied in with their ids: new rows get ids after them."""

    def checkpoint_every(self, pages: int) -> None:
        """How much a write-ahead log may grow before this connection's commit copies it
        into the database (SQLite; PostgreSQL checkpoints by itself)."""

    def lock(self, name: str) -> None:
        """Serialise a whole-table rewrite (dedup's regrouping) with others of its kind;
        call inside a write transaction."""

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (after some errors SQLite has rolled back itself)."""
        return True

    def schema_version(self) -> int:
        raise NotImplementedError

    # --- identity (PostgreSQL logins; SQLite has none) ---------------------------------
    def bound_login(self) -> str | None:
        """The reviewer this connection's login is bound to, or None when the login may
        act for anyone (SQLite; on PostgreSQL the owner of the project's tables)."""
        return None

    def create_login(self, name: str, password: str, lead: bool = False) -> bool:
        """Create (or re-password) the database login ``name`` with what a reviewer (or a
        lead) needs; False when the backend has no logins."""
        return False

    def sync_blind_stages(self, stages: frozenset[str]) -> None:
        """Tell the database which stages the protocol blinds (its row-level security
        holds them back); only the owner's connection writes it."""

    def migrate(self) -> None:
        raise NotImplementedError

    def server(self) -> str:
        """Which server or library answers, for ``screener db check``."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _refuse_missing(path: Path) -> None:
    """A project's database that is gone or empty is refused, not silently recreated as an
    empty project (which would hide that every record and decision is missing)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        problem = "is missing (deleted or moved?)"
    except OSError as exc:
        raise StoreError(f"cannot open the database: {exc.strerror}", path=path) from exc
    else:
        if size:
            return
        problem = "is empty (0 bytes)"
    raise StoreError(
        f"the project database {problem}; restore it with 'screener restore FILE' from a "
        "backup (automatic ones are in backups/ beside screener.toml), or start a new "
        "project with 'screener init'",
        path=path,
    )


class SqliteDatabase(Database):
    """The embedded default: one file beside screener.toml, in WAL mode."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        self.url = str(path)
        if not create:
            _refuse_missing(path)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves so a transaction spans
        # exactly what the caller puts inside ``transaction()``.
        try:
            conn = sqlite3.connect(path, timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the database: {exc}", path=path) from exc
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
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        return self.conn.execute(sql, () if params is None else params)

    def begin(self, background: bool = False) -> None:
        """Take the write lock, waiting as long as another writer (an import, a dedup)
        holds it: a decision queues instead of failing. Waits are short attempts so the
        waiting can be reported (``set_wait_notice``) while it goes on."""
        started = time.monotonic()
        noticed = 0
        notice = self.wait_notice or _wait_notice
        self.conn.execute(f"PRAGMA busy_timeout={0 if background else POLL_MS}")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    waited = time.monotonic() - started
                    if not is_busy(exc) or waited >= MAX_WAIT:
                        raise
                    if background:
                        time.sleep(BACKGROUND_POLL)
                    if waited >= (noticed + 1) * self.wait_step:
                        noticed += 1
                        if notice is not None:
                            notice(noticed * self.wait_step)
        finally:
            self.conn.execute("PRAGMA busy_timeout=30000")

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def checkpoint_every(self, pages: int) -> None:
        self.conn.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")

    def reserve_ids(self, table: str, count: int) -> list[int]:
        # Safe under SQLite's single writer: the caller's write transaction holds the lock,
        # and these are the ids SQLite would give (max rowid + 1) itself.
        first = int(self.conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]) + 1
        return list(range(first, first + count))

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply every migration newer than the database's ``user_version``."""
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database schema {version} is newer than this screener ({SCHEMA_VERSION}); "
                "upgrade screener",
                path=self.path,
            )
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            # A migration rewrites tables: keep the data as it was, in case it goes wrong.
            automatic_backup(self.path, f"before-schema-{SCHEMA_VERSION}")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = self.schema_version()
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[number - 1]:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def server(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (file {self.path})"

    def close(self) -> None:
        self.conn.close()
