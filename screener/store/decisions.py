"""Storage of screening decisions (append-only history) and conflict resolutions."""

from __future__ import annotations

import json
from typing import Any

from screener.models import Choice, Decision, Resolution, Stage
from screener.store.connection import Connection, now

# A row counts for the work its record belongs to now (``records.work_id`` of the record
# the row names), so decisions follow dedup merges and undos while the rows themselves
# are never rewritten; a row naming no record counts for that id. Join ``records r`` on
# the row's ``work_id`` and read the work through ``WORK_OF.format(t=alias)``.
WORK_OF = "COALESCE(r.work_id, {t}.work_id)"
# The ids a row may name to count for one work (bind the work id three times): the work's
# records, or the id itself when it names no record (the same rule as ``WORK_OF``).
MEMBERS = (
    "SELECT id FROM records WHERE work_id = ? "
    "UNION SELECT ? WHERE NOT EXISTS (SELECT 1 FROM records WHERE id = ?)"
)

# The current decision of each (work, reviewer) at a stage is the newest row over every
# record of the work (so after a merge the reviewer's newest decision stands); an undo is
# a row whose decision is NULL, so history is never overwritten.
_CURRENT = f"""
SELECT d.id, c.work, d.reviewer, d.stage, d.decision, d.reasons, d.note, d.created_at,
       d.protocol_version
FROM decisions d
JOIN (SELECT {WORK_OF.format(t="x")} AS work, x.reviewer, MAX(x.id) AS last
      FROM decisions x LEFT JOIN records r ON r.id = x.work_id
      WHERE x.stage = ? {{filter}}
      GROUP BY {WORK_OF.format(t="x")}, x.reviewer) c ON c.last = d.id
WHERE d.decision IS NOT NULL
ORDER BY d.id
"""


def _decision(row: tuple[Any, ...]) -> Decision:
    return Decision(
        id=row[0], work_id=row[1], reviewer=row[2], stage=Stage(row[3]),
        decision=Choice(row[4]), reasons=json.loads(row[5]), note=row[6], time=row[7],
        protocol_version=row[8],
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DecisionStore(Connection):
    """Reviewers' decisions and leads' resolutions; every write is its own transaction."""

    _decisions_table = "decisions"
    """Where decisions are written: the table itself, also behind a restricting view."""
    _restriction: tuple[str, frozenset[Stage]] | None = None

    def restrict_to(self, reviewer: str, stages: frozenset[Stage]) -> None:
        """From now on this connection sees, at ``stages``, only ``reviewer``'s decisions and
        no resolution (blinding, see ``screener.blinding``). Temporary views named like the
        tables shadow them for every query of this connection, so each reader (status,
        outcomes, PRISMA, export, agreement...) counts from the visible rows only."""
        if not stages:
            return
        # The tables' own schema, so that writes and the views name the tables themselves
        # (temporary objects are found first by both SQLite and PostgreSQL). On PostgreSQL
        # a reviewer's own login is also held back by row-level security.
        schema = "main" if self.conn.backend == "sqlite" else str(
            self.conn.execute("SELECT current_schema()").fetchone()[0])
        listed = ", ".join(_literal(s.value) for s in sorted(stages))
        self.conn.execute(
            f"CREATE TEMP VIEW decisions AS SELECT * FROM {schema}.decisions WHERE "
            f"reviewer = {_literal(reviewer)} OR stage NOT IN ({listed})"
        )
        self.conn.execute(
            f"CREATE TEMP VIEW resolutions AS SELECT * FROM {schema}.resolutions WHERE "
            f"stage NOT IN ({listed})"
        )
        self._decisions_table = f"{schema}.decisions"
        self._restriction = (reviewer, stages)

    def record_decision(
        self,
        work_id: int,
        reviewer: str,
        stage: Stage,
        decision: Choice | None,
        reasons: list[str] | None = None,
        note: str | None = None,
        protocol_version: str | None = None,
        created_at: str | None = None,
    ) -> int:
        """Append a decision (``None`` = undo) and commit before returning its id.
        ``created_at``: when the reviewer decided (default now; a queued write stores
        the time of the key, not of the commit)."""
        return self.write(lambda conn: conn.insert(
            f"INSERT INTO {self._decisions_table} (work_id, reviewer, stage, decision, reasons, note, "
            "protocol_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                work_id, reviewer, stage.value, decision.value if decision else None,
                json.dumps(reasons or []), note, protocol_version, created_at or now(),
            ),
        ))

    def has_history_row(self, kind: str, work_id: int, by: str, stage: Stage,
                        created_at: str) -> bool:
        """Whether a decision (``kind`` "decision", ``by`` the reviewer), a resolution
        (``by`` the lead) or a retrieval (``by`` who recorded it; no stage) made at
        ``created_at`` is stored: a queued write replayed after a kill is appended only
        once."""
        if kind == "retrieval":
            found = self.conn.execute(
                "SELECT 1 FROM retrievals WHERE work_id = ? AND recorded_by = ? "
                "AND created_at = ?", (work_id, by, created_at)).fetchone()
            return found is not None
        table, who = ("resolutions", "resolved_by") if kind == "resolution" else (
            self._decisions_table, "reviewer")
        row = self.conn.execute(
            f"SELECT 1 FROM {table} WHERE work_id = ? AND {who} = ? AND stage = ? "
            "AND created_at = ?",
            (work_id, by, stage.value, created_at),
        ).fetchone()
        return row is not None

    def current_decisions(self, stage: Stage, reviewer: str | None = None) -> list[Decision]:
        """The standing decision of each (work, reviewer), oldest first."""
        if reviewer is None:
            rows = self.conn.execute(_CURRENT.format(filter=""), (stage.value,)).fetchall()
        else:
            rows = self.conn.execute(
                _CURRENT.format(filter="AND x.reviewer = ?"), (stage.value, reviewer)
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

    def screened_works(self) -> set[int]:
        """Works with at least one decision row that is not an undo, at any stage."""
        rows = self.conn.execute(
            # GROUP BY, not DISTINCT: SQLite flattens the view ``records`` into a LEFT JOIN
            # only when the outer query is not DISTINCT (else it copies every record).
            f"SELECT {WORK_OF.format(t='d')} FROM decisions d LEFT JOIN records r "
            "ON r.id = d.work_id WHERE d.decision IS NOT NULL GROUP BY 1"
        )
        return {int(r[0]) for r in rows}

    def record_resolution(
        self,
        work_id: int,
        stage: Stage,
        decision: Choice | None,
        resolved_by: str,
        reasons: list[str] | None = None,
        note: str | None = None,
        created_at: str | None = None,
    ) -> int:
        """Append the lead's final word (``None`` withdraws it); reviewers' rows stay.
        ``created_at``: when the lead decided (default now)."""
        return self.write(lambda conn: conn.insert(
            "INSERT INTO resolutions (work_id, stage, decision, reasons, note, resolved_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                work_id, stage.value, decision.value if decision else None,
                json.dumps(reasons or []), note, resolved_by, created_at or now(),
            ),
        ))

    def current_resolutions(self, stage: Stage) -> dict[int, Resolution]:
        """The standing resolution of each work: the newest row over its records."""
        rows = self.conn.execute(
            "SELECT s.id, c.work, s.stage, s.decision, s.reasons, s.note, s.resolved_by, "
            f"s.created_at FROM resolutions s JOIN (SELECT {WORK_OF.format(t='x')} AS work, "
            "MAX(x.id) AS last FROM resolutions x LEFT JOIN records r ON r.id = x.work_id "
            f"WHERE x.stage = ? GROUP BY {WORK_OF.format(t='x')}) c ON c.last = s.id "
            "WHERE s.decision IS NOT NULL",
            (stage.value,),
        ).fetchall()
        return {
            r[1]: Resolution(
                id=r[0], work_id=r[1], stage=Stage(r[2]), decision=Choice(r[3]),
                reasons=json.loads(r[4]), note=r[5], resolved_by=r[6], time=r[7],
            )
            for r in rows
        }
