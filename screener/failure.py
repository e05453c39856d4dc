"""What went wrong below screener (SQLite, the operating system), in one line a user can act on.

The CLI catches screener's own errors; everything else that can fail on a working machine
(a read-only folder, a full disk, a locked or damaged database) is described here, so a
command never ends in a traceback for them (``--debug`` still shows one).
"""

from __future__ import annotations

import errno
import sqlite3

_DAMAGED = (
    "the project database is damaged ({detail}); run 'screener doctor' for details and "
    "'screener restore FILE' to go back to a backup (backups/ in the project folder)"
)


def describe_failure(exc: BaseException) -> str | None:
    """A one-line message for an error from SQLite or the OS, or None for anything else."""
    if isinstance(exc, sqlite3.Error):
        return _describe_sqlite(exc)
    if isinstance(exc, OSError):
        return _describe_os(exc)
    return None


def is_disk_full(exc: BaseException) -> bool:
    """Whether SQLite or the operating system ran out of disk space."""
    if isinstance(exc, sqlite3.Error):
        return "full" in str(exc).lower()
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def _describe_sqlite(exc: sqlite3.Error) -> str:
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return ("the project database is busy: another screener process kept it locked too "
                "long (an import or dedup?); nothing was changed, try again in a moment")
    if "readonly" in low or "read-only" in low:
        return ("cannot write the project database: the file or its folder is read-only; "
                "nothing was changed (check the permissions, or copy the project elsewhere)")
    if "unable to open" in low:
        return ("cannot open the project database: its folder is missing or read-only "
                "(SQLite needs to create the -wal and -shm files beside it)")
    if is_disk_full(exc):
        return "the disk is full; nothing was changed, free some space and try again"
    if "disk i/o" in low:
        return ("a disk I/O error while using the project database (a full or failing "
                "disk?); the last committed state is kept, run 'screener doctor'")
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return _DAMAGED.format(detail=text)
    return f"database error: {text}"


def _describe_os(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if is_disk_full(exc):
        return f"{where}the disk is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}{reason} (check the permissions of the file and its folder)"
    return f"{where}{reason}"
