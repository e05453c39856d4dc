"""Conflicts between reviewers and the lead's resolutions.

A conflict is a work whose reviewers' decisions combine to ``conflict`` under the stage's
policy (a disagreement, or a maybe). The lead records the final include/exclude; the
reviewers' own decisions are never touched, and a new resolution supersedes the last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from screener.errors import ScreenerError
from screener.models import Choice, Decision, Resolution, Stage, Work
from screener.outcome import Outcome, combine_choices, reviewers_outcome, stage_policy
from screener.protocol import ReviewProtocol
from screener.store import Store
from screener.store.connection import now
from screener.write_queue import PENDING_DIR, PendingWrite, WriteQueue, replay_journals


@dataclass
class Conflict:
    """A work the reviewers disagree on, with every reviewer's decision (unblinded)."""

    work_id: int
    decisions: list[Decision]
    """One standing decision per reviewer, in the order they were recorded."""
    resolution: Resolution | None

    @property
    def resolved(self) -> bool:
        return self.resolution is not None


def list_conflicts(
    store: Store,
    stage: Stage,
    protocol: ReviewProtocol | None,
    *,
    include_resolved: bool = False,
) -> list[Conflict]:
    """The stage's conflicts in work order; resolved ones too if ``include_resolved``."""
    policy = stage_policy(protocol, stage)
    resolutions = store.current_resolutions(stage)
    canonical = set(store.work_ids())
    ids = {
        work_id
        for work_id, choices in store.standing_choices(stage).items()
        if work_id in canonical and combine_choices(choices, policy) is Outcome.CONFLICT
        and (include_resolved or work_id not in resolutions)
    }
    decisions = store.decisions_of_works(stage, ids)
    return [Conflict(w, decisions[w], resolutions.get(w)) for w in sorted(ids)]


def get_conflict(
    store: Store, stage: Stage, protocol: ReviewProtocol | None, work_id: int
) -> Conflict:
    """One work's conflict; an error naming the work's outcome when it is not one."""
    work: Work = store.get_work(work_id)  # raises for an unknown work
    decisions = store.work_decisions(stage, work.work_id)
    outcome = reviewers_outcome(decisions, stage_policy(protocol, stage))
    if outcome is not Outcome.CONFLICT:
        what = {
            Outcome.PENDING: "is still pending (not yet screened by the reviewers it needs)",
            Outcome.INCLUDED: "is not a conflict: the reviewers agree to include it",
            Outcome.EXCLUDED: "is not a conflict: the reviewers agree to exclude it",
        }[outcome]
        raise ScreenerError(f"work {work_id} {what} at {stage.value}")
    return Conflict(work_id, decisions, store.current_resolutions(stage).get(work_id))


def stage_reasons(protocol: ReviewProtocol | None, stage: Stage) -> list[tuple[str, str]]:
    """(code, label) of the exclusion reasons of a stage, in protocol order."""
    if protocol is None:
        return []
    if stage is Stage.FULLTEXT:
        return [(r.reason, r.label) for r in protocol.fulltext_reasons]
    return protocol.exclusion_reasons


def check_reasons(
    protocol: ReviewProtocol | None, stage: Stage, decision: Choice, reasons: list[str]
) -> None:
    """Reasons go with an exclusion only, and must be the protocol's codes for the stage."""
    if decision is Choice.MAYBE:
        raise ScreenerError("a resolution is final: include or exclude, not maybe")
    if reasons and decision is not Choice.EXCLUDE:
        raise ScreenerError("--reason goes with exclude only")
    if protocol is None or not reasons:
        return
    known = [code for code, _ in stage_reasons(protocol, stage)]
    for code in reasons:
        if code not in known:
            raise ScreenerError(
                f"unknown {stage.value} exclusion reason {code!r}; "
                f"the protocol's reasons: {', '.join(known) or 'none'}"
            )


def resolve_conflict(
    store: Store,
    protocol: ReviewProtocol | None,
    work_id: int,
    decision: Choice,
    resolved_by: str,
    *,
    stage: Stage = Stage.TITLE_ABSTRACT,
    reasons: list[str] | None = None,
    note: str | None = None,
) -> Resolution:
    """Record the lead's final decision on a conflict (in its own transaction)."""
    if not resolved_by.strip():
        raise ScreenerError("a resolution needs the resolver's name (--by)")
    reasons = list(dict.fromkeys(reasons or []))
    check_reasons(protocol, stage, decision, reasons)
    get_conflict(store, stage, protocol, work_id)
    store.record_resolution(
        work_id, stage, decision, resolved_by.strip(), reasons=reasons, note=note or None
    )
    return store.current_resolutions(stage)[work_id]


class ConflictSession:
    """The lead's walk through the conflicts of a stage (the TUI drives it; no Textual)."""

    def __init__(
        self, store: Store, lead: str, stage: Stage, protocol: ReviewProtocol | None
    ) -> None:
        lead = lead.strip()
        if not lead:
            raise ScreenerError("give the lead's name (--reviewer LEAD)")
        self.store = store
        self.lead = lead
        self.stage = stage
        self.protocol = protocol
        self.conflicts = list_conflicts(store, stage, protocol, include_resolved=True)
        self.pending_notes: dict[int, str] = {}
        """Notes typed before the resolution; stored with it."""
        self.position = next((i for i, c in enumerate(self.conflicts) if not c.resolved), 0)
        self.writes: WriteQueue | None = None
        """The writing thread's queue (``queue_writes``); None: every write commits at once."""
        self.journal_dir: Path | None = None
        """Where the queue journals its writes against a kill (``use_journal``)."""

    def use_journal(self, project_root: Path) -> None:
        """Journal queued resolutions in the project folder (``screener.write_queue``), after
        storing what a killed conflicts screen of this lead had queued."""
        self.journal_dir = project_root / PENDING_DIR
        if replay_journals(self.store, self.journal_dir, self.lead, ("resolution",)):
            self.conflicts = list_conflicts(self.store, self.stage, self.protocol,
                                            include_resolved=True)

    def queue_writes(self, on_change: Callable[[], None] | None = None) -> WriteQueue:
        """From now on resolutions are stored by a thread of their own, in order, so the
        screen moves on while another process holds the write lock (see
        ``screener.write_queue``)."""
        if self.writes is None:
            self.writes = WriteQueue(self.store.worker_store, self.journal_dir, on_change)
        return self.writes

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return stage_reasons(self.protocol, self.stage)

    @property
    def current(self) -> Conflict | None:
        return self.conflicts[self.position] if self.conflicts else None

    @property
    def open_count(self) -> int:
        return sum(1 for c in self.conflicts if not c.resolved)

    def current_work(self) -> Work | None:
        c = self.current
        return self.store.get_work(c.work_id) if c else None

    def move(self, step: int) -> bool:
        target = self.position + step
        if not self.conflicts or not 0 <= target < len(self.conflicts):
            return False
        self.position = target
        return True

    def go_to(self, position: int) -> None:
        if 0 <= position < len(self.conflicts):
            self.position = position

    def next_open(self) -> int | None:
        """Position of the next unresolved conflict after the current one (wrapping)."""
        n = len(self.conflicts)
        for step in range(1, n + 1):
            i = (self.position + step) % n
            if not self.conflicts[i].resolved:
                return i
        return None

    def resolve(self, decision: Choice, reasons: list[str] | None = None) -> Resolution:
        """Record the final decision on the current conflict (committed before returning)."""
        c = self.current
        if c is None:
            raise ScreenerError("no conflict to resolve")
        note = self.pending_notes.get(c.work_id)
        if note is None and c.resolution is not None:
            note = c.resolution.note
        if self.writes is None:
            res = resolve_conflict(
                self.store, self.protocol, c.work_id, decision, self.lead,
                stage=self.stage, reasons=reasons, note=note,
            )
        else:
            res = self._queue_resolution(c.work_id, decision, reasons, note)
        self.pending_notes.pop(c.work_id, None)
        c.resolution = res
        return res

    def set_note(self, text: str) -> Resolution | None:
        """Keep a note for the resolution; on a resolved conflict, re-record it with the note."""
        c = self.current
        if c is None:
            return None
        if c.resolution is None:
            self.pending_notes[c.work_id] = text.strip()
            return None
        res = c.resolution
        self.pending_notes[c.work_id] = text.strip()
        return self.resolve(res.decision, res.reasons)

    def withdraw(self) -> bool:
        """Withdraw the current conflict's resolution (a new row; history is kept)."""
        c = self.current
        if c is None or c.resolution is None:
            return False
        if self.writes is None:
            self.store.record_resolution(c.work_id, self.stage, None, self.lead)
        else:
            self.writes.put(PendingWrite("resolution", c.work_id, self.stage.value, None,
                                         self.lead, now()))
        c.resolution = None
        return True

    def _queue_resolution(self, work_id: int, decision: Choice, reasons: list[str] | None,
                          note: str | None) -> Resolution:
        """Check as ``resolve_conflict`` does (reads never wait), then queue the write."""
        reasons = list(dict.fromkeys(reasons or []))
        check_reasons(self.protocol, self.stage, decision, reasons)
        get_conflict(self.store, self.stage, self.protocol, work_id)
        decided, stage, lead, note = now(), self.stage, self.lead, note or None
        res = Resolution(id=0, work_id=work_id, stage=stage, decision=decision, reasons=reasons,
                         note=note, resolved_by=lead, time=decided)

        def done(row_id: int) -> None:
            res.id = row_id

        assert self.writes is not None
        self.writes.put(PendingWrite("resolution", work_id, stage.value, decision.value, lead,
                                     decided, reasons, note), done)
        return res
