"""Storage of screening decisions (append-only history) and conflict resolutions."""

from __future__ import annotations

import json
from typing import Any

from screener.models import Choice, Decision, Resolution, Stage
from screener.store.connection import Connection, now

# The current decision of each (work, reviewer) at a stage is the newest row; an undo is
# a row whose decision is NULL, so history is never overwritten.
_CURRENT = """
SELECT d.id, d.work_id, d.reviewer, d.stage, d.decision, d.reasons, d.note, d.created_at,
       d.protocol_version
FROM decisions d
JOIN (SELECT work_id, reviewer, MAX(id) AS last FROM decisions WHERE stage = ? {filter}
      GROUP BY work_id, reviewer) c ON c.last = d.id
WHERE d.decision IS NOT NULL
ORDER BY d.id
"""


def _decision(row: tuple[Any, ...]) -> Decision:
    return Decision(
        id=row[0], work_id=row[1], reviewer=row[2], stage=Stage(row[3]),
        decision=Choice(row[4]), reasons=json.loads(row[5]), note=row[6], time=row[7],
        protocol_version=row[8],
    )


class DecisionStore(Connection):
    """Reviewers' decisions and leads' resolutions; every write is its own transaction."""

    def record_decision(
        self,
        work_id: int,
        reviewer: str,
        stage: Stage,
        decision: Choice | None,
        reasons: list[str] | None = None,
        note: str | None = None,
        protocol_version: str | None = None,
    ) -> int:
        """Append a decision (``None`` = undo) and commit before returning its id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO decisions (work_id, reviewer, stage, decision, reasons, note, "
                "protocol_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    work_id, reviewer, stage.value, decision.value if decision else None,
                    json.dumps(reasons or []), note, protocol_version, now(),
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def current_decisions(self, stage: Stage, reviewer: str | None = None) -> list[Decision]:
        """The standing decision of each (work, reviewer), oldest first."""
        if reviewer is None:
            rows = self.conn.execute(_CURRENT.format(filter=""), (stage.value,)).fetchall()
        else:
            rows = self.conn.execute(
                _CURRENT.format(filter="AND reviewer = ?"), (stage.value, reviewer)
            ).fetchall()
        return [_decision(r) for r in rows]

    def decision_history(self, stage: Stage | None = None) -> list[dict[str, Any]]:
        """Every decision row, undos included (decision None), oldest first."""
        sql = (
            "SELECT id, work_id, reviewer, stage, decision, reasons, note, created_at, "
            "protocol_version FROM decisions"
        )
        params: tuple[Any, ...] = ()
        if stage is not None:
            sql += " WHERE stage = ?"
            params = (stage.value,)
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            {
                "id": r[0], "work_id": r[1], "reviewer": r[2], "stage": r[3],
                "decision": r[4], "reasons": json.loads(r[5]), "note": r[6], "time": r[7],
                "protocol_version": r[8],
            }
            for r in rows
        ]

    def reviewers(self, stage: Stage) -> list[str]:
        """Reviewers with at least one decision row at the stage, by first appearance."""
        rows = self.conn.execute(
            "SELECT reviewer, MIN(id) FROM decisions WHERE stage = ? GROUP BY reviewer ORDER BY 2",
            (stage.value,),
        ).fetchall()
        return [r[0] for r in rows]

    def record_resolution(
        self,
        work_id: int,
        stage: Stage,
        decision: Choice | None,
        resolved_by: str,
        reasons: list[str] | None = None,
        note: str | None = None,
    ) -> int:
        """Append the lead's final word (``None`` withdraws it); reviewers' rows stay."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO resolutions (work_id, stage, decision, reasons, note, resolved_by, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    work_id, stage.value, decision.value if decision else None,
                    json.dumps(reasons or []), note, resolved_by, now(),
                ),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def current_resolutions(self, stage: Stage) -> dict[int, Resolution]:
        rows = self.conn.execute(
            "SELECT r.id, r.work_id, r.stage, r.decision, r.reasons, r.note, r.resolved_by, "
            "r.created_at FROM resolutions r JOIN (SELECT work_id, MAX(id) AS last FROM "
            "resolutions WHERE stage = ? GROUP BY work_id) c ON c.last = r.id "
            "WHERE r.decision IS NOT NULL",
            (stage.value,),
        ).fetchall()
        return {
            r[1]: Resolution(
                id=r[0], work_id=r[1], stage=Stage(r[2]), decision=Choice(r[3]),
                reasons=json.loads(r[4]), note=r[5], resolved_by=r[6], time=r[7],
            )
            for r in rows
        }
