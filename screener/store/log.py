"""Reading the full history of resolutions, for the decision log export."""

from __future__ import annotations

import json
from typing import Any

from screener.store.connection import Connection


class LogStore(Connection):
    """History queries that only the decision log needs."""

    def resolution_history(self) -> list[dict[str, Any]]:
        """Every resolution row, withdrawals included (decision None), oldest first."""
        rows = self.conn.execute(
            "SELECT id, work_id, stage, decision, reasons, note, resolved_by, created_at "
            "FROM resolutions ORDER BY id"
        ).fetchall()
        return [
            {
                "id": r[0], "work_id": r[1], "stage": r[2], "decision": r[3],
                "reasons": json.loads(r[4]), "note": r[5], "resolved_by": r[6], "time": r[7],
            }
            for r in rows
        ]
