"""Store queries for the team: roster entries and the stages the lead has unblinded."""

from __future__ import annotations

from screener.models import Member, Role, Stage
from screener.store.connection import Connection, now


class RosterStore(Connection):
    """Who is on the team, in which role, and which stages are no longer blinded."""

    def roster(self) -> list[Member]:
        """Every roster entry, removed ones included, in the order added."""
        rows = self.conn.execute(
            "SELECT name, role, added_at, removed_at FROM reviewers ORDER BY added_at, name"
        ).fetchall()
        return [Member(name=r[0], role=Role(r[1]), added_at=r[2], removed_at=r[3]) for r in rows]

    def put_member(self, name: str, role: str) -> None:
        """Add a reviewer, or re-activate one (with the role given)."""
        with self.transaction() as conn:
            updated = conn.execute(
                "UPDATE reviewers SET role = ?, removed_at = NULL WHERE name = ?", (role, name)
            ).rowcount
            if not updated:
                conn.execute(
                    "INSERT INTO reviewers (name, role, added_at) VALUES (?, ?, ?)",
                    (name, role, now()),
                )

    def retire_member(self, name: str) -> None:
        """Mark a reviewer removed; the row stays so their decisions keep a roster entry."""
        with self.transaction() as conn:
            conn.execute("UPDATE reviewers SET removed_at = ? WHERE name = ?", (now(), name))

    def create_login(self, name: str, password: str) -> bool:
        """Create the database login a reviewer connects with; False when the backend has
        none (``Database.create_login``: the PostgreSQL adapter creates the role)."""
        return self.conn.create_login(name, password)

    def enrol_deciders(self) -> list[str]:
        """Put everyone who has decided or resolved on the roster (the same rule as the
        schema migration: resolvers are leads); returns the names added."""
        with self.transaction() as conn:
            before = {r[0] for r in conn.execute("SELECT name FROM reviewers")}
            conn.execute(
                "INSERT INTO reviewers (name, role, added_at) SELECT resolved_by, 'lead', "
                "MIN(created_at) FROM resolutions WHERE resolved_by NOT IN "
                "(SELECT name FROM reviewers) GROUP BY resolved_by"
            )
            conn.execute(
                "INSERT INTO reviewers (name, role, added_at) SELECT reviewer, 'reviewer', "
                "MIN(created_at) FROM decisions WHERE reviewer NOT IN "
                "(SELECT name FROM reviewers) GROUP BY reviewer"
            )
            rows = conn.execute("SELECT name FROM reviewers ORDER BY added_at, name").fetchall()
        return [r[0] for r in rows if r[0] not in before]

    def unblinded_stages(self) -> dict[Stage, tuple[str, str]]:
        """Stage -> (who unblinded it, when)."""
        rows = self.conn.execute(
            "SELECT stage, unblinded_by, unblinded_at FROM unblinded_stages"
        ).fetchall()
        return {Stage(r[0]): (r[1], r[2]) for r in rows}

    def unblind_stage(self, stage: Stage, by: str) -> bool:
        """Record that the lead unblinded ``stage``; False when it already was."""
        with self.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM unblinded_stages WHERE stage = ?", (stage.value,)
            ).fetchone():
                return False
            conn.execute(
                "INSERT INTO unblinded_stages (stage, unblinded_by, unblinded_at) VALUES (?, ?, ?)",
                (stage.value, by, now()),
            )
        return True
