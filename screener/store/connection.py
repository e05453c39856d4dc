"""The store's connection to its database, and transactions.

Every store class builds on ``Connection``: ``self.conn`` is the backend's ``Database``
(portable SQL with ``?`` parameters), ``transaction()`` the one way to write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import TypeVar

from screener.errors import DatabaseConnectionError
from screener.store.adapter import Database

T = TypeVar("T")
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)
"""Waits between attempts at a write whose connection dropped (about 8 s in all: a server
restart or a network blip, not an outage)."""


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
    def transaction(self, *, background: bool = False) -> Iterator[Database]:
        """All writes inside commit together or not at all; nesting joins the outer one.
        ``background``: one of the many small transactions of a long job (an import's
        batches), which waits behind anyone else who wants to write."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if self.conn.broken:
            self.conn.reconnect()
        self.conn.begin(background)
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
        itself (a full disk, an I/O error), a PostgreSQL connection may be gone, and a
        failing ROLLBACK must not replace the error that explains what happened."""
        if not self.conn.in_transaction:
            return
        with suppress(Exception):
            self.conn.rollback()

    def write(self, work: Callable[[Database], T]) -> T:
        """Run ``work`` in a transaction of its own and commit; when the connection drops,
        reconnect and run it again, so a reviewer's decision survives a server restart.
        Only for writes that are safe to repeat (appending one history row): if the commit
        went through but its answer was lost, the row is appended twice, which changes no
        standing decision. Inside an outer transaction, runs once in it."""
        if self._depth:
            return work(self.conn)
        for delay in (*RETRY_DELAYS, None):
            try:
                with self.transaction() as conn:
                    return work(conn)
            except DatabaseConnectionError:
                if delay is None:
                    raise
                time.sleep(delay)
        raise AssertionError("unreachable")
