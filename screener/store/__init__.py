"""The project database: the one narrow interface every stage stores through.

``Store`` holds every storage operation; it runs portable SQL through a ``Database``
(``adapter.py``), so the same store works on SQLite (the embedded default) and on
PostgreSQL (teams). Nothing outside this package writes SQL.
"""

from __future__ import annotations

from pathlib import Path

from screener.store.adapter import Database, SqliteDatabase
from screener.store.agreement import AgreementStore
from screener.store.decisions import DecisionStore
from screener.store.dedup import DedupStore
from screener.store.fulltext import FulltextStore
from screener.store.log import LogStore
from screener.store.ranking import RankingStore
from screener.store.roster import RosterStore
from screener.store.screening import ScreeningStore
from screener.store.staging import StagingStore
from screener.store.url import DatabaseUrl


class Store(StagingStore, DedupStore, DecisionStore, FulltextStore, ScreeningStore, AgreementStore, LogStore,
            RosterStore, RankingStore):
    """All storage operations of a review project."""

    def __init__(self, db: Database, location: DatabaseUrl) -> None:
        super().__init__(db)
        self.location = location
        db.on_reconnect = self._restore_session

    def _restore_session(self) -> None:
        # A new connection has none of the old one's session state: blinding's views
        # must be back before anything is read through it.
        if self._restriction is not None:
            self._decisions_table = "decisions"
            self.restrict_to(*self._restriction)

    def create_login(self, name: str, password: str) -> bool:
        """The reviewer's database login with the grants their role needs (PostgreSQL);
        False on SQLite, which has no logins."""
        member = next((m for m in self.roster() if m.name == name), None)
        lead = member is not None and member.role.value == "lead"
        return self.conn.create_login(name, password, lead)

    def bound_login(self) -> str | None:
        """The reviewer a PostgreSQL reviewer's login is bound to (None: may act for anyone)."""
        return self.conn.bound_login()

    def sync_blind_stages(self, stages: frozenset[str]) -> None:
        self.conn.sync_blind_stages(stages)

    def worker_store(self) -> Store:
        """A store on a connection of its own, for a worker thread (a connection is used by
        one thread at a time; the UI thread keeps this one)."""
        store = open_store(self.location)
        if self._restriction is not None:
            # Never more than the screen it works for: the same blinding restriction.
            store.restrict_to(*self._restriction)
        return store


def open_database(location: DatabaseUrl, *, create: bool = False) -> Database:
    """Connect to the database at ``location`` and bring its schema up to date; a SQLite
    file must exist unless ``create``."""
    db: Database
    if location.backend == "postgresql":
        from screener.store.postgres import PostgresDatabase

        db = PostgresDatabase(location.url)
    else:
        assert location.path is not None
        db = SqliteDatabase(location.path, create=create)
    try:
        db.migrate()
    except BaseException:
        db.close()
        raise
    return db


def open_store(location: DatabaseUrl | Path, *, create: bool = False) -> Store:
    """The store at ``location`` (a resolved database URL, or a SQLite file, which must
    exist unless ``create``)."""
    if isinstance(location, Path):
        location = DatabaseUrl("sqlite", str(location), location)
    return Store(open_database(location, create=create), location)


__all__ = ["DatabaseUrl", "Store", "open_store"]
