"""Store queries the screening screen needs: one reviewer's resume point, search, rows."""

from __future__ import annotations

import json

from screener.errors import StoreError
from screener.models import Choice, Decision, Stage
from screener.store.connection import Connection
from screener.store.decisions import MEMBERS, WORK_OF


class ScreeningStore(Connection):
    """Read-side helpers for screening; writes go through ``DecisionStore``."""

    def last_decided_work(self, stage: Stage, reviewer: str) -> int | None:
        """The work of the reviewer's most recent decision row (undos count): where they stopped."""
        row = self.conn.execute(
            f"SELECT {WORK_OF.format(t='d')} FROM decisions d LEFT JOIN records r "
            "ON r.id = d.work_id WHERE d.stage = ? AND d.reviewer = ? ORDER BY d.id DESC LIMIT 1",
            (stage.value, reviewer),
        ).fetchone()
        return int(row[0]) if row else None

    def current_choices(self, stage: Stage, reviewer: str) -> dict[int, Choice]:
        """Work id -> standing choice of one reviewer: the light form of
        ``current_decisions`` for a screen opening on 100k works (no JSON, no models)."""
        rows = self.conn.execute(
            f"SELECT c.work, d.decision FROM decisions d JOIN (SELECT {WORK_OF.format(t='x')} "
            "AS work, MAX(x.id) AS last FROM decisions x LEFT JOIN records r ON r.id = x.work_id "
            f"WHERE x.stage = ? AND x.reviewer = ? GROUP BY {WORK_OF.format(t='x')}) c "
            "ON c.last = d.id WHERE d.decision IS NOT NULL",
            (stage.value, reviewer),
        )
        return {int(w): Choice(c) for w, c in rows}

    def note_drafts(self, stage: Stage, reviewer: str) -> dict[int, str]:
        """Work id -> the note a reviewer wrote on a work they have not decided: their
        newest row on it has no decision but a note (kept across sessions)."""
        rows = self.conn.execute(
            f"SELECT c.work, d.note FROM decisions d JOIN (SELECT {WORK_OF.format(t='x')} "
            "AS work, MAX(x.id) AS last FROM decisions x LEFT JOIN records r ON r.id = x.work_id "
            f"WHERE x.stage = ? AND x.reviewer = ? GROUP BY {WORK_OF.format(t='x')}) c "
            "ON c.last = d.id WHERE d.decision IS NULL AND d.note IS NOT NULL",
            (stage.value, reviewer),
        )
        return {int(w): str(n) for w, n in rows}

    def current_decision(self, work_id: int, reviewer: str, stage: Stage) -> Decision | None:
        """One reviewer's standing decision on one work (None: never decided, or undone)."""
        row = self.conn.execute(
            "SELECT id, decision FROM decisions WHERE stage = ? AND reviewer = ? AND work_id IN "
            f"({MEMBERS}) ORDER BY id DESC LIMIT 1",
            (stage.value, reviewer, work_id, work_id, work_id),
        ).fetchone()
        return None if row is None or row[1] is None else self.get_decision(int(row[0]))

    def get_decision(self, decision_id: int) -> Decision:
        row = self.conn.execute(
            f"SELECT d.id, {WORK_OF.format(t='d')}, d.reviewer, d.stage, d.decision, d.reasons, "
            "d.note, d.created_at, d.protocol_version FROM decisions d LEFT JOIN records r "
            "ON r.id = d.work_id WHERE d.id = ?",
            (decision_id,),
        ).fetchone()
        if row is None or row[4] is None:
            raise StoreError(f"no decision with id {decision_id}")
        return Decision(
            id=row[0], work_id=row[1], reviewer=row[2], stage=Stage(row[3]),
            decision=Choice(row[4]), reasons=json.loads(row[5]), note=row[6], time=row[7],
            protocol_version=row[8],
        )

    def search_work_ids(self, text: str) -> set[int]:
        """Canonical works whose title, abstract, authors, keywords, journal or DOI contain
        ``text`` (case-insensitive for ASCII letters)."""
        needle = text.strip()
        if not needle:
            return set()
        # Match the needle as the JSON column stores it (quotes and backslashes escaped),
        # then escape LIKE's own wildcards.
        stored = json.dumps(needle, ensure_ascii=False)[1:-1]
        pattern = "%" + stored.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
        rows = self.conn.execute(
            "SELECT r.id FROM records r LEFT JOIN works w ON w.work_id = r.id "
            f"WHERE r.work_id = r.id AND COALESCE(w.data, r.data) {self.conn.like_ci} ? ESCAPE '!'",
            (pattern,),
        )
        return {int(r[0]) for r in rows}
