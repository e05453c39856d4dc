"""Backups of a SQLite project database: consistent copies taken while reviewers work.

SQLite's online backup API copies the database page by page under a read transaction, so
a backup is one consistent state even while decisions are being written. Copies are
written to a new temporary file beside the target and renamed into place. Automatic
backups (before a schema migration, a restore, a large ``dedup --undo``) go to
``backups/`` beside the database, the newest ``KEEP_AUTOMATIC`` kept.

PostgreSQL projects are backed up with the server's own tools (``pg_dump``), see
``postgres_guidance``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from screener.errors import StoreError

BACKUP_DIR = "backups"
"""Folder beside the database that holds automatic backups."""
KEEP_AUTOMATIC = 10
"""How many automatic backups are kept (the oldest beyond this are removed)."""
AUTOMATIC_PREFIX = "auto-"
_SQLITE_HEADER = b"SQLite format 3\x00"


def copy_database(source: Path, dest: Path, *, replace: bool = False) -> None:
    """A consistent copy of the SQLite database ``source`` at ``dest`` (a new file unless
    ``replace``), whole or not at all."""
    folder = dest.parent if str(dest.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # A standalone file: no -wal beside it that could get lost when copied.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if replace:
            os.replace(tmp, dest)
        else:
            try:
                os.link(tmp, dest)  # refuses a file created meanwhile
            except FileExistsError:
                raise StoreError("already exists; use --force to replace it", path=dest) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def automatic_backup(db_path: Path, reason: str) -> Path | None:
    """Copy the database to ``backups/auto-TIME-REASON.db`` before a destructive
    operation; None when there is nothing to keep (no database yet, or an empty one)."""
    try:
        if db_path.stat().st_size == 0:
            return None
    except FileNotFoundError:
        return None
    folder = db_path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"{AUTOMATIC_PREFIX}{stamp}-{reason}.db"
    copy_database(db_path, dest)
    _prune(folder)
    return dest


def automatic_backups(db_path: Path) -> list[Path]:
    """The automatic backups beside ``db_path``, oldest first."""
    folder = db_path.parent / BACKUP_DIR
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{AUTOMATIC_PREFIX}*.db"))


def _prune(folder: Path) -> None:
    backups = sorted(folder.glob(f"{AUTOMATIC_PREFIX}*.db"))
    for old in backups[:-KEEP_AUTOMATIC]:
        with contextlib.suppress(OSError):
            old.unlink()


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not a readable, intact SQLite database."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror}", path=path) from exc
    if header != _SQLITE_HEADER:
        raise StoreError("is not a screener database backup (not SQLite)", path=path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_records = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'records'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"is damaged ({exc}); choose another backup", path=path) from exc
    finally:
        conn.close()
    if result != "ok":
        raise StoreError(f"is damaged ({result}); choose another backup", path=path)
    if has_records is None:
        raise StoreError("is a SQLite database but not a screener project", path=path)


def postgres_guidance(shown_url: str, file: str, restore: bool = False) -> str:
    """What to run instead on PostgreSQL (the server's tools make consistent dumps)."""
    if restore:
        return (f"the project's data is on PostgreSQL ({shown_url}); restore a dump with "
                f"the server's tools: pg_restore --clean --if-exists --dbname '{shown_url}' "
                f"{file}")
    return (f"the project's data is on PostgreSQL ({shown_url}); back it up with the "
            f"server's tools, consistent while reviewers work: pg_dump --format=custom "
            f"--file {file} '{shown_url}'")


def restore_database(backup: Path, db_path: Path) -> tuple[Path | None, bool]:
    """Put the backup's content in place of the project database.

    Returns (automatic backup of what was there, or None; whether the old database was
    damaged and moved aside). A healthy database is overwritten through SQLite's backup
    API, so screener processes that have it open see the restored state instead of
    writing into a file that was swapped under them.
    """
    check_backup_file(backup)
    healthy = _healthy(db_path)
    if healthy:
        saved = automatic_backup(db_path, "before-restore")
        if _restore_in_place(backup, db_path):
            return saved, False
    else:
        saved = _move_aside(db_path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + suffix).unlink()
    copy_database(backup, db_path, replace=True)
    return saved, not healthy


def _healthy(db_path: Path) -> bool:
    try:
        if db_path.stat().st_size == 0:
            return False
    except FileNotFoundError:
        return False
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _restore_in_place(backup: Path, db_path: Path) -> bool:
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path, timeout=30.0)
        try:
            src.backup(dst)
            return True
        except sqlite3.OperationalError:
            return False  # e.g. another page size than the WAL database: copy the file
        finally:
            dst.close()
    finally:
        src.close()


def _move_aside(db_path: Path) -> Path | None:
    """Keep a damaged database (and its WAL) in backups/ instead of deleting it."""
    if not db_path.exists():
        return None
    folder = db_path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = folder / f"damaged-{stamp}.db"
    os.replace(db_path, dest)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        os.replace(wal, dest.with_name(dest.name + "-wal"))
    return dest
