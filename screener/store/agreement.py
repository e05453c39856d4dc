"""Store queries for inter-rater agreement: two reviewers' paired current decisions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from screener.models import Choice, Decision, Stage
from screener.store.connection import Connection
from screener.store.decisions import MEMBERS, WORK_OF, _decision

# The standing (newest, not undone) decision of each work for one reviewer, with the id of
# the reviewer's first row on that work (the order in which they first decided it). Rows
# count for the work their record belongs to now (see ``WORK_OF``).
_STANDING = f"""
SELECT f.work, d.decision, d.reasons, f.first
FROM decisions d
JOIN (SELECT {WORK_OF.format(t="x")} AS work, MAX(x.id) AS last, MIN(x.id) AS first
      FROM decisions x LEFT JOIN records r ON r.id = x.work_id
      WHERE x.stage = ? AND x.reviewer = ? {{version}}
      GROUP BY {WORK_OF.format(t="x")}) f ON f.last = d.id
WHERE d.decision IS NOT NULL
"""
# Rows made under one declared protocol version (stored as ``1.1+<hash>``): a pilot round.
# A row without a version (written by a script through the store) counts in every round.
_IN_VERSION = (
    "AND (x.protocol_version = ? OR x.protocol_version LIKE ? OR x.protocol_version IS NULL)")

# Every reviewer's standing row on every work: (work, id of the row).
_LAST = f"""
SELECT {WORK_OF.format(t="x")} AS work, MAX(x.id) AS last
FROM decisions x LEFT JOIN records r ON r.id = x.work_id
WHERE x.stage = ? GROUP BY {WORK_OF.format(t="x")}, x.reviewer
"""


@dataclass(frozen=True)
class StandingDecision:
    """A reviewer's current decision on a work, light enough to load by the 100,000."""

    work_id: int
    decision: Choice
    reasons: tuple[str, ...]
    first_row: int
    """Id of the reviewer's first decision row on the work: orders a pilot round."""


_CHOICES = {c.value: c for c in Choice}


def _reasons(text: str) -> tuple[str, ...]:
    # Most decisions carry no reason: skip the JSON parser for them (100k-work projects).
    return () if text == "[]" else tuple(json.loads(text))


class AgreementStore(Connection):
    """Read-only queries behind ``screener agreement`` and the live agreement panel."""

    def standing_decisions(self, stage: Stage, reviewer: str, version: str | None = None
                           ) -> dict[int, StandingDecision]:
        """One reviewer's current decisions by work id; with ``version``, only among the
        rows made under that declared protocol version (a pilot round)."""
        if version is None:
            cursor = self.conn.execute(_STANDING.format(version=""), (stage.value, reviewer))
        else:
            cursor = self.conn.execute(_STANDING.format(version=_IN_VERSION),
                                       (stage.value, reviewer, version, f"{version}+%"))
        rows = cursor.fetchall()
        return {r[0]: StandingDecision(r[0], _CHOICES[r[1]], _reasons(r[2]), r[3]) for r in rows}

    def decision_count(self, stage: Stage, reviewer: str) -> int:
        """How many works the reviewer has a standing decision on."""
        row = self.conn.execute(
            f"SELECT COUNT(*) FROM ({_STANDING.format(version='')}) s", (stage.value, reviewer)
        ).fetchone()
        return int(row[0])

    def work_decisions(self, stage: Stage, work_id: int) -> list[Decision]:
        """Every reviewer's standing decision on one work, in the order recorded."""
        rows = self.conn.execute(
            "SELECT d.id, d.work_id, d.reviewer, d.stage, d.decision, d.reasons, d.note, "
            "d.created_at, d.protocol_version FROM decisions d JOIN (SELECT reviewer, "
            "MAX(id) AS last FROM decisions WHERE stage = ? AND work_id IN "
            f"({MEMBERS}) GROUP BY reviewer) c ON c.last = d.id WHERE d.decision IS NOT NULL "
            "ORDER BY d.id",
            (stage.value, work_id, work_id, work_id),
        ).fetchall()
        return [_decision((r[0], work_id) + tuple(r[2:])) for r in rows]

    def standing_choices(self, stage: Stage) -> dict[int, list[Choice]]:
        """Every work's standing choices (one per reviewer), without loading whole rows."""
        rows = self.conn.execute(
            f"SELECT c.work, d.decision FROM decisions d JOIN ({_LAST}) c ON c.last = d.id "
            "WHERE d.decision IS NOT NULL ORDER BY d.id",
            (stage.value,),
        )
        out: dict[int, list[Choice]] = {}
        for work_id, choice in rows:
            out.setdefault(work_id, []).append(_CHOICES[choice])
        return out

    def decisions_of_works(self, stage: Stage, work_ids: set[int]) -> dict[int, list[Decision]]:
        """Standing decisions of the given works only, grouped by work, oldest first."""
        rows = self.conn.execute(
            "SELECT d.id, c.work, d.reviewer, d.stage, d.decision, d.reasons, d.note, "
            f"d.created_at, d.protocol_version FROM decisions d JOIN ({_LAST}) c "
            "ON c.last = d.id WHERE d.decision IS NOT NULL ORDER BY d.id",
            (stage.value,),
        )
        out: dict[int, list[Decision]] = {}
        for row in rows:
            if row[1] in work_ids:
                out.setdefault(row[1], []).append(_decision(row))
        return out
