"""Storage of full-text retrieval status (append-only history, like decisions)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from screener.models import Retrieval
from screener.store.connection import Connection, now
from screener.store.decisions import MEMBERS, WORK_OF


class RetrievalRecord(BaseModel):
    """The standing retrieval status of one work: who recorded it and when."""

    id: int
    work_id: int
    status: Retrieval
    note: str | None = None
    recorded_by: str
    time: str


class FulltextStore(Connection):
    """Retrieval of reports; eligibility decisions use ``decisions`` (stage 'fulltext')."""

    def record_retrieval(
        self, work_id: int, status: Retrieval | None, recorded_by: str, note: str | None = None,
        created_at: str | None = None,
    ) -> int:
        """Append a retrieval status (``None`` withdraws it) and commit; returns the row id.
        ``created_at``: when the key was pressed, for a write that waited in a queue."""
        return self.write(lambda conn: conn.insert(
            "INSERT INTO retrievals (work_id, status, note, recorded_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (work_id, status.value if status else None, note, recorded_by, created_at or now()),
        ))

    def current_retrievals(self) -> dict[int, RetrievalRecord]:
        """The standing status of every work that has one (withdrawn ones are absent): the
        newest row over the work's records, so a status follows its record into a merge."""
        rows = self.conn.execute(
            "SELECT t.id, c.work, t.status, t.note, t.recorded_by, t.created_at "
            f"FROM retrievals t JOIN (SELECT {WORK_OF.format(t='x')} AS work, MAX(x.id) AS last "
            "FROM retrievals x LEFT JOIN records r ON r.id = x.work_id "
            f"GROUP BY {WORK_OF.format(t='x')}) c ON c.last = t.id WHERE t.status IS NOT NULL"
        ).fetchall()
        return {
            r[1]: RetrievalRecord(
                id=r[0], work_id=r[1], status=Retrieval(r[2]), note=r[3], recorded_by=r[4],
                time=r[5],
            )
            for r in rows
        }

    def current_retrieval(self, work_id: int) -> RetrievalRecord | None:
        """The standing retrieval status of one work (None: none recorded or withdrawn)."""
        row = self.conn.execute(
            "SELECT id, work_id, status, note, recorded_by, created_at FROM retrievals "
            f"WHERE work_id IN ({MEMBERS}) ORDER BY id DESC LIMIT 1",
            (work_id, work_id, work_id),
        ).fetchone()
        if row is None or row[2] is None:
            return None
        return RetrievalRecord(
            id=row[0], work_id=work_id, status=Retrieval(row[2]), note=row[3],
            recorded_by=row[4], time=row[5],
        )

    def retrieval_history(self) -> list[dict[str, Any]]:
        """Every retrieval row, withdrawals included (status None), oldest first."""
        rows = self.conn.execute(
            "SELECT id, work_id, status, note, recorded_by, created_at FROM retrievals ORDER BY id"
        ).fetchall()
        return [
            {
                "id": r[0], "work_id": r[1], "status": r[2], "note": r[3],
                "recorded_by": r[4], "time": r[5],
            }
            for r in rows
        ]
