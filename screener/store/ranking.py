"""Store queries of ranked screening: the texts a queue is ranked on, and a reviewer's
decisions in the order they were first made (what the stopping rule reads)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from screener.errors import StoreError
from screener.models import Choice, Stage
from screener.store.connection import Connection, now
from screener.store.decisions import WORK_OF


@dataclass(frozen=True)
class ScreeningStop:
    """A lead's stop of title/abstract screening under the stopping rule."""

    id: int
    stopped_by: str
    stopped_at: str
    rule: str
    recall_target: float
    confidence: float
    resumed_by: str | None
    resumed_at: str | None
    works: int


_STOP_COLUMNS = ("s.id, s.stopped_by, s.stopped_at, s.rule, s.recall_target, s.confidence, "
                 "s.resumed_by, s.resumed_at, (SELECT COUNT(*) FROM stopped_works w "
                 "WHERE w.stop_id = s.id)")


def _stop(row: tuple[object, ...]) -> ScreeningStop:
    return ScreeningStop(
        id=int(str(row[0])), stopped_by=str(row[1]), stopped_at=str(row[2]), rule=str(row[3]),
        recall_target=float(str(row[4])), confidence=float(str(row[5])),
        resumed_by=None if row[6] is None else str(row[6]),
        resumed_at=None if row[7] is None else str(row[7]), works=int(str(row[8])),
    )


class RankingStore(Connection):
    """Read-side helpers for ranking and the stopping rule."""

    def work_texts(self) -> dict[int, str]:
        """Title, abstract and keywords of every work (merged fields when merged): read
        from the stored JSON directly, since building 100k models costs seconds."""
        rows = self.conn.execute(
            "SELECT r.id, COALESCE(w.data, r.data) FROM records r "
            "LEFT JOIN works w ON w.work_id = r.id WHERE r.work_id = r.id"
        )
        texts: dict[int, str] = {}
        for work_id, data in rows:
            record = json.loads(data)
            parts = [record.get("title") or "", record.get("abstract") or "",
                     " ".join(record.get("keywords") or [])]
            texts[int(work_id)] = " ".join(p for p in parts if p)
        return texts

    def decision_sequence(self, stage: Stage, reviewer: str) -> list[tuple[int, Choice]]:
        """(work, standing choice) of every work the reviewer has decided, in the order of
        their first decision on it (later changes keep the work's place)."""
        rows = self.conn.execute(
            f"SELECT {WORK_OF.format(t='d')}, d.decision FROM decisions d LEFT JOIN records r "
            "ON r.id = d.work_id WHERE d.stage = ? AND d.reviewer = ? ORDER BY d.id",
            (stage.value, reviewer),
        )
        current: dict[int, str | None] = {}
        for work_id, decision in rows:
            current[int(work_id)] = decision
        return [(w, Choice(c)) for w, c in current.items() if c is not None]

    # --- stops ---------------------------------------------------------------------------
    def active_stop(self) -> ScreeningStop | None:
        """The stop in force (not resumed), if any."""
        row = self.conn.execute(
            f"SELECT {_STOP_COLUMNS} FROM screening_stops s WHERE s.resumed_at IS NULL "
            "ORDER BY s.id DESC LIMIT 1"
        ).fetchone()
        return _stop(row) if row else None

    def stop_history(self) -> list[ScreeningStop]:
        """Every stop, oldest first (resumed ones included)."""
        rows = self.conn.execute(f"SELECT {_STOP_COLUMNS} FROM screening_stops s ORDER BY s.id")
        return [_stop(r) for r in rows]

    def stopped_work_ids(self, stop_id: int | None = None) -> set[int]:
        """Works excluded by a stop (default: the one in force), as their works are now."""
        if stop_id is None:
            active = self.active_stop()
            if active is None:
                return set()
            stop_id = active.id
        rows = self.conn.execute(
            "SELECT COALESCE(r.work_id, w.work_id) FROM stopped_works w LEFT JOIN records r "
            "ON r.id = w.work_id WHERE w.stop_id = ?",
            (stop_id,),
        )
        return {int(r[0]) for r in rows}

    def record_stop(self, by: str, rule: str, recall_target: float, confidence: float,
                    work_ids: Iterable[int]) -> int:
        """Store a stop and the works it excludes (call inside ``transaction()``)."""
        if self.active_stop() is not None:
            raise StoreError("title/abstract screening is already stopped")
        stop_id = self.conn.insert(
            "INSERT INTO screening_stops (stopped_by, stopped_at, rule, recall_target, "
            "confidence) VALUES (?, ?, ?, ?, ?)",
            (by, now(), rule, recall_target, confidence),
        )
        self.conn.executemany(
            "INSERT INTO stopped_works (stop_id, work_id) VALUES (?, ?)",
            [(stop_id, w) for w in work_ids],
        )
        return stop_id

    def record_resume(self, by: str) -> ScreeningStop:
        """Withdraw the stop in force (its row stays, marked resumed)."""
        active = self.active_stop()
        if active is None:
            raise StoreError("title/abstract screening is not stopped")
        self.conn.execute(
            "UPDATE screening_stops SET resumed_by = ?, resumed_at = ? WHERE id = ?",
            (by, now(), active.id),
        )
        return active
