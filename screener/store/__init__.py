"""The project database: the one narrow interface every stage stores through.

``Store`` is SQLite today; its SQL is portable so a PostgreSQL backend can implement the
same methods for teams. Nothing outside this package writes SQL.
"""

from __future__ import annotations

from pathlib import Path

from screener.store.agreement import AgreementStore
from screener.store.decisions import DecisionStore
from screener.store.dedup import DedupStore
from screener.store.fulltext import FulltextStore
from screener.store.log import LogStore
from screener.store.records import RecordStore
from screener.store.roster import RosterStore
from screener.store.screening import ScreeningStore


class Store(RecordStore, DedupStore, DecisionStore, FulltextStore, ScreeningStore, AgreementStore, LogStore,
            RosterStore):
    """All storage operations of a review project."""


def open_store(db_path: Path) -> Store:
    return Store(db_path)


__all__ = ["Store", "open_store"]
