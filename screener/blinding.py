"""Blinding: what the acting reviewer may see. The one rule every command and screen follows.

While a stage is blinded (protocol ``blind``, by default every two-independent stage) a
reviewer who is not a lead sees only their own decisions at that stage, and no resolution.
Combined figures are the lead's, or everyone's once the lead has run ``screener unblind``.

The rule is enforced where the data is read, not in each report: ``open_as`` gives a
command or a screen a store restricted to what its reviewer may see (on SQLite, temporary
views in front of the decision tables; on PostgreSQL the database's row-level security does
the same for the reviewer's login). Status, decisions, conflicts, agreement, export, PRISMA
and the TUI panels then count from the visible rows only, so no code path can leak another
reviewer's decisions by forgetting a check.

A project without a roster is not a team: nothing is hidden (``screener.roster``).
"""

from __future__ import annotations

from dataclasses import dataclass

from screener.errors import RosterError
from screener.models import Stage
from screener.project import Project
from screener.protocol import ReviewProtocol
from screener.roster import acting_reviewer, is_lead, require_lead
from screener.store import Store
from screener.write_queue import PENDING_DIR, replay_journals


@dataclass(frozen=True)
class Visibility:
    """The acting reviewer and what they may see."""

    reviewer: str
    lead: bool
    """A lead by role (or the protocol's ``lead``): sees every decision."""
    team: bool
    """The project has a roster; without one nothing is hidden."""
    blinded: frozenset[Stage]
    """Stages blinded by the protocol and not yet unblinded by the lead."""

    def own_only(self, stage: Stage) -> bool:
        """True when the reviewer sees only their own decisions at ``stage``."""
        return self.team and not self.lead and stage in self.blinded

    @property
    def hidden_stages(self) -> frozenset[Stage]:
        return frozenset(s for s in Stage if self.own_only(s))

    def notice(self, stage: Stage) -> str | None:
        """One line saying what is hidden, for commands to print on stderr."""
        if not self.own_only(stage):
            return None
        return (f"blinded: {stage.value} shows only {self.reviewer}'s decisions; combined "
                "figures are the lead's until 'screener unblind --stage "
                f"{stage.value}'")

    def summary(self) -> str | None:
        """One line for a screen's header or PRISMA view: which stages show only one's own."""
        hidden = sorted(s.value for s in self.hidden_stages)
        if not hidden:
            return None
        return (f"Blinded: counts use only {self.reviewer}'s decisions at {' and '.join(hidden)} "
                "(combined figures are the lead's until the stage is unblinded)")

    def require_combined(self, stage: Stage, what: str) -> None:
        """Refuse a report that only means something with every reviewer's decisions."""
        if self.own_only(stage):
            raise RosterError(
                f"{what} at {stage.value} is the lead's while the stage is blinded "
                f"({self.reviewer} sees only their own decisions); the lead can run "
                f"'screener unblind --stage {stage.value}'"
            )


def protocol_blinded(protocol: ReviewProtocol | None) -> frozenset[Stage]:
    """Stages the protocol blinds (no protocol: the default two-independent, blinded)."""
    return frozenset(
        s for s in Stage
        if (protocol.blind(s) if protocol is not None else s is Stage.TITLE_ABSTRACT)
    )


def blinded_stages(store: Store, protocol: ReviewProtocol | None) -> frozenset[Stage]:
    """Stages the protocol blinds minus those the lead has unblinded."""
    unblinded = store.unblinded_stages()
    return frozenset(s for s in protocol_blinded(protocol) if s not in unblinded)


def visibility(store: Store, reviewer: str, protocol: ReviewProtocol | None) -> Visibility:
    members = store.roster()
    lead_name = protocol.screening.lead if protocol is not None else None
    return Visibility(
        reviewer=reviewer,
        lead=is_lead(members, reviewer, lead_name),
        team=bool(members),
        blinded=blinded_stages(store, protocol),
    )


def restrict(store: Store, view: Visibility) -> Store:
    """Make ``store`` show only what ``view`` may see (and return it)."""
    if view.hidden_stages:
        store.restrict_to(view.reviewer, view.hidden_stages)
    return store


def open_as(project: Project, flag: str | None,
            protocol: ReviewProtocol | None = None) -> tuple[Store, Visibility]:
    """The project's store as the acting reviewer (``--reviewer`` / $SCREENER_REVIEWER /
    login) may see it, with their visibility. The caller closes the store."""
    store = project.open_store()
    try:
        if protocol is None:
            protocol = project.protocol
        # The database's own blinding (PostgreSQL row-level security) follows the protocol
        # as the project owner's commands see it.
        store.sync_blind_stages(frozenset(s.value for s in protocol_blinded(protocol)))
        reviewer = acting_reviewer(store, flag)
        # What a killed screen of this reviewer had queued is stored before anything is
        # read (before the restriction, which hides resolutions at blinded stages).
        replay_journals(store, project.root / PENDING_DIR, reviewer)
        view = visibility(store, reviewer, protocol)
        return restrict(store, view), view
    except BaseException:
        store.close()
        raise


def unblind(project: Project, flag: str | None, stage: Stage) -> tuple[str, bool]:
    """The lead unblinds ``stage`` for everyone, for good; returns (lead, newly unblinded)."""
    protocol = project.protocol
    store = project.open_store()
    try:
        lead = acting_reviewer(store, flag)
        require_lead(store, lead, protocol, f"unblind {stage.value}")
        return lead, store.unblind_stage(stage, lead)
    finally:
        store.close()
