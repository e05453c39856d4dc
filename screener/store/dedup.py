"""Storage of dedup pair decisions and of the works (groups) they form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from screener.errors import StoreError
from screener.models import Method, Record
from screener.store.connection import Connection, now
from screener.store.records import load_record

if TYPE_CHECKING:
    from screener.dedup.keys import DedupItem
    from screener.dedup.scoring import PairScore

PAIR_STATUSES = ("auto", "review", "confirmed", "rejected", "undone")
USER_STATUSES = ("confirmed", "rejected", "undone")


@dataclass
class DedupPair:
    """One stored pair: how dedup judged it and what a user decided."""

    a: int
    b: int
    status: str
    score: float
    rule: str
    details: dict[str, Any] = field(default_factory=dict)
    decided_by: str | None = None
    decided_at: str | None = None


def _ordered(a: int, b: int) -> tuple[int, int]:
    if a == b:
        raise StoreError(f"a record cannot be a duplicate of itself ({a})")
    return (a, b) if a < b else (b, a)


class DedupStore(Connection):
    """Pairs (auto, review, confirmed, rejected, undone) and record -> work links."""

    def dedup_items(self, ids: Sequence[int] | None = None) -> list[DedupItem]:
        """Records as dedup reads them (all, or those with the given ids)."""
        from screener.dedup.keys import DedupItem

        sql = "SELECT id, data, parent_id, method FROM records"
        if ids is None:
            rows = self.conn.execute(sql + " ORDER BY id").fetchall()
        else:
            rows = []
            for start in range(0, len(ids), 500):
                chunk = list(ids[start:start + 500])
                marks = ", ".join("?" for _ in chunk)
                rows += self.conn.execute(f"{sql} WHERE id IN ({marks})", chunk).fetchall()
        return [
            DedupItem(rid, load_record(data), parent, Method(method))
            for rid, data, parent, method in rows
        ]

    def pair_statuses(self) -> dict[tuple[int, int], str]:
        rows = self.conn.execute("SELECT record_a, record_b, status FROM dedup_pairs")
        return {(a, b): s for a, b, s in rows}

    def add_pairs(self, pairs: Iterable[PairScore]) -> int:
        """Store new pairs; a pair already stored (maybe decided by a user) is kept as is."""
        rows = [
            (p.a, p.b, p.verdict.value, p.score, p.rule, json.dumps(p.details, sort_keys=True))
            for p in pairs
        ]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO dedup_pairs (record_a, record_b, status, score, rule, details) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_a, record_b) DO NOTHING",
                rows,
            )
        return len(rows)

    def dedup_pairs(self, status: str | None = None, record: int | None = None) -> list[DedupPair]:
        """Stored pairs, best score first; filtered by status and/or a record id."""
        where: list[str] = []
        params: list[Any] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if record is not None:
            where.append("(record_a = ? OR record_b = ?)")
            params += [record, record]
        sql = ("SELECT record_a, record_b, status, score, rule, details, decided_by, decided_at "
               "FROM dedup_pairs")
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY score DESC, record_a, record_b", params)
        return [DedupPair(a, b, s, sc, r, json.loads(d), by, at) for a, b, s, sc, r, d, by, at in rows]

    def pair_count(self, status: str) -> int:
        row = self.conn.execute("SELECT COUNT(*) FROM dedup_pairs WHERE status = ?", (status,))
        return int(row.fetchone()[0])

    _QUEUE = (
        "FROM dedup_pairs p JOIN records ra ON ra.id = p.record_a "
        "JOIN records rb ON rb.id = p.record_b "
        "WHERE p.status = 'review' AND COALESCE(ra.work_id, ra.id) <> COALESCE(rb.work_id, rb.id)"
    )

    def review_queue(self) -> list[DedupPair]:
        """Uncertain pairs still to decide (pairs already joined by other links are left out)."""
        rows = self.conn.execute(
            "SELECT p.record_a, p.record_b, p.status, p.score, p.rule, p.details, p.decided_by, "
            f"p.decided_at {self._QUEUE} ORDER BY p.score DESC, p.record_a, p.record_b"
        )
        return [DedupPair(a, b, s, sc, r, json.loads(d), by, at) for a, b, s, sc, r, d, by, at in rows]

    def review_queue_count(self) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) {self._QUEUE}").fetchone()[0])

    def get_pair(self, a: int, b: int) -> DedupPair | None:
        a, b = _ordered(a, b)
        for pair in self.dedup_pairs(record=a):
            if (pair.a, pair.b) == (a, b):
                return pair
        return None

    def decide_pair(self, a: int, b: int, status: str, by: str) -> None:
        """Record a user's decision on a pair (it overrides anything dedup computed)."""
        if status not in USER_STATUSES:
            raise StoreError(f"unknown pair decision {status!r}")
        a, b = _ordered(a, b)
        for rid in (a, b):
            if self.conn.execute("SELECT 1 FROM records WHERE id = ?", (rid,)).fetchone() is None:
                raise StoreError(f"no record with id {rid}")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO dedup_pairs (record_a, record_b, status, score, rule, details, "
                "decided_by, decided_at) VALUES (?, ?, ?, 1.0, 'user', '{}', ?, ?) "
                "ON CONFLICT (record_a, record_b) DO UPDATE SET status = excluded.status, "
                "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                (a, b, status, by, now()),
            )

    def group_members(self, work_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM records WHERE work_id = ? ORDER BY id", (work_id,)
        ).fetchall()
        return [r[0] for r in rows]

    def work_of(self, record_id: int) -> int:
        row = self.conn.execute("SELECT work_id FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            raise StoreError(f"no record with id {record_id}")
        return int(row[0] if row[0] is not None else record_id)

    def work_links(self) -> dict[int, int]:
        """record id -> id of its work, for every record."""
        rows = self.conn.execute("SELECT id, COALESCE(work_id, id) FROM records")
        return {int(rid): int(wid) for rid, wid in rows}

    def work_sources(self) -> dict[int, set[str]]:
        """work id -> the sources (search names) of its records."""
        out: dict[int, set[str]] = {}
        rows = self.conn.execute(
            "SELECT COALESCE(r.work_id, r.id), f.source FROM records r "
            "JOIN source_files f ON f.id = r.file_id"
        )
        for work_id, source in rows:
            out.setdefault(work_id, set()).add(source)
        return out

    def set_groups(self, groups: Iterable[Sequence[int]], works: dict[int, Record]) -> None:
        """Point every record at its work; store the merged canonical record of each group.

        The work id of a group is its lowest record id, so adding records never renames it.
        Only what changed is written (the records whose work changes, the merged records
        that differ): a pass over 100k records that merges a few more holds the write
        lock for milliseconds, and a reviewer's decision does not wait for a rewrite of
        every record.
        """
        target = {rid: g[0] for g in groups for rid in g[1:]}
        merged = {wid: rec.model_dump_json(exclude_defaults=True) for wid, rec in works.items()}
        with self.transaction() as conn:
            conn.lock("works")
            # The table: the view cannot be written. A staged file's records are their own
            # works (work_id = id), so they are never read or changed here.
            current: dict[int, int | None] = {
                int(rid): wid for rid, wid in conn.execute(
                    "SELECT id, work_id FROM record_rows WHERE work_id IS NULL OR work_id <> id")}
            conn.executemany("UPDATE record_rows SET work_id = id WHERE id = ?",
                             [(rid,) for rid in current if rid not in target])
            conn.executemany("UPDATE record_rows SET work_id = ? WHERE id = ?",
                             [(wid, rid) for rid, wid in target.items() if current.get(rid) != wid])
            stored = {int(wid): str(data) for wid, data in conn.execute(
                "SELECT work_id, data FROM works")}
            conn.executemany("DELETE FROM works WHERE work_id = ?",
                             [(wid,) for wid in stored if wid not in merged])
            conn.executemany(
                "INSERT INTO works (work_id, data) VALUES (?, ?) "
                "ON CONFLICT (work_id) DO UPDATE SET data = excluded.data",
                [(wid, data) for wid, data in merged.items() if stored.get(wid) != data])
