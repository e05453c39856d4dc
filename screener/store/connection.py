"""The store's connection to its database, and transactions.

Every store class builds on ``Connection``: ``self.conn`` is the backend's ``Database``
(portable SQL with ``?`` parameters), ``transaction()`` the one way to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from screener.store.adapter import Database


def now() -> str:
    """UTC timestamp in ISO 8601 with microseconds, so history sorts by time."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Connection:
    """Base of the store: owns the connection and the transaction scope."""

    def __init__(self, db: Database) -> None:
        self.conn = db
        self._depth = 0

    @property
    def backend(self) -> str:
        return self.conn.backend

    def close(self) -> None:
        self.conn.close()

    def lock(self, name: str) -> None:
        """Serialise the current write transaction with others taking the same lock (on
        SQLite every write transaction already is)."""
        self.conn.lock(name)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All writes inside commit together or not at all; nesting joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute(self.conn.begin_write)
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        """Roll back after an error without hiding it: SQLite may already have rolled back
        itself (a full disk, an I/O error), and a failing ROLLBACK must not replace the
        error that explains what happened."""
        if not self.conn.in_transaction:
            return
        with suppress(Exception):
            self.conn.execute("ROLLBACK")
