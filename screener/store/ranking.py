"""Store queries of ranked screening: the texts a queue is ranked on, and a reviewer's
decisions in the order they were first made (what the stopping rule reads)."""

from __future__ import annotations

import json

from screener.models import Choice, Stage
from screener.store.connection import Connection
from screener.store.decisions import WORK_OF


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
