"""The full-text stage: which works enter it, retrieval of reports, and eligibility.

Works whose title/abstract outcome is *included* enter the stage. For each the team
records whether the report was retrieved, then eligibility (include / exclude with a
full-text reason from the protocol's ``fulltext_reasons``). Eligibility decisions are
ordinary decisions at stage ``fulltext``, so the protocol's ``screening.fulltext_policy``
(single reviewer by default, or two independent reviewers) and conflict resolution work
exactly as at the title/abstract stage. ``fulltext_works`` is what PRISMA counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from screener.errors import ScreenerError
from screener.models import Choice, Decision, Resolution, Retrieval, Stage
from screener.outcome import Outcome, outcome_of, work_outcomes
from screener.protocol import ReviewProtocol, Screening
from screener.store import Store
from screener.store.fulltext import RetrievalRecord

UNSPECIFIED = "unspecified"
"""Reason shown for a full-text exclusion recorded without one."""


@dataclass(frozen=True)
class FulltextWork:
    """One work at the full-text stage, as PRISMA counts it."""

    work_id: int
    retrieval: Retrieval | None
    """None while the report is still sought (nothing recorded yet). An eligibility
    decision without a recorded retrieval implies the report was retrieved."""
    outcome: Outcome | None
    """Eligibility outcome under the full-text policy; None when the report was not
    retrieved (it is never assessed); PENDING while retrieval or decisions are awaited."""
    reasons: list[str] = field(default_factory=list)
    """Exclusion reason codes (the resolution's, else the excluding reviewers'), first =
    primary; empty unless excluded."""
    decisions: list[Decision] = field(default_factory=list)
    resolution: Resolution | None = None

    @property
    def assessed(self) -> bool:
        """True when the report was retrieved (so it is assessed for eligibility)."""
        return self.retrieval is Retrieval.RETRIEVED

    @property
    def primary_reason(self) -> str | None:
        """The reason PRISMA counts this report under; None unless excluded."""
        if self.outcome is not Outcome.EXCLUDED:
            return None
        return self.reasons[0] if self.reasons else UNSPECIFIED


def _settings(protocol: ReviewProtocol | Screening | None) -> Screening:
    if isinstance(protocol, ReviewProtocol):
        return protocol.screening
    return protocol if protocol is not None else Screening()


def _exclusion_reasons(decisions: list[Decision], resolution: Resolution | None) -> list[str]:
    if resolution is not None and resolution.reasons:
        return list(resolution.reasons)
    reasons: list[str] = []
    for d in decisions:
        if d.decision is Choice.EXCLUDE:
            reasons.extend(r for r in d.reasons if r not in reasons)
    return reasons


def fulltext_works(
    store: Store, protocol: ReviewProtocol | Screening | None = None
) -> list[FulltextWork]:
    """Every work that entered the full-text stage, in work order, with its state.

    ``protocol`` gives the title/abstract and full-text policies (defaults when None).
    """
    settings = _settings(protocol)
    ta = work_outcomes(store, Stage.TITLE_ABSTRACT, settings.policy)
    retrievals = store.current_retrievals()
    by_work: dict[int, list[Decision]] = {}
    for d in store.current_decisions(Stage.FULLTEXT):
        by_work.setdefault(d.work_id, []).append(d)
    resolutions = store.current_resolutions(Stage.FULLTEXT)
    out: list[FulltextWork] = []
    for work_id, ta_outcome in ta.items():
        if ta_outcome is not Outcome.INCLUDED:
            continue
        decisions = by_work.get(work_id, [])
        resolution = resolutions.get(work_id)
        standing = retrievals.get(work_id)
        status = standing.status if standing else None
        if status is None and (decisions or resolution):
            status = Retrieval.RETRIEVED
        outcome: Outcome | None
        if status is Retrieval.NOT_RETRIEVED:
            outcome = None
        elif status is None:
            outcome = Outcome.PENDING
        else:
            outcome = outcome_of(
                decisions, settings.fulltext_policy, resolution.decision if resolution else None
            )
        reasons = _exclusion_reasons(decisions, resolution) if outcome is Outcome.EXCLUDED else []
        out.append(FulltextWork(work_id, status, outcome, reasons, decisions, resolution))
    return out


def fulltext_summary(works: list[FulltextWork]) -> dict[str, Any]:
    """Counts for ``screener status`` and the demo (PRISMA does its own counting)."""
    reasons = Counter(w.primary_reason for w in works if w.outcome is Outcome.EXCLUDED)
    return {
        "sought": len(works),
        "awaiting_retrieval": sum(w.retrieval is None for w in works),
        "not_retrieved": sum(w.retrieval is Retrieval.NOT_RETRIEVED for w in works),
        "assessed": sum(w.assessed for w in works),
        "pending": sum(w.assessed and w.outcome is Outcome.PENDING for w in works),
        "conflicts": sum(w.outcome is Outcome.CONFLICT for w in works),
        "included": sum(w.outcome is Outcome.INCLUDED for w in works),
        "excluded": sum(w.outcome is Outcome.EXCLUDED for w in works),
        "excluded_by_reason": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], str(kv[0])))),
    }


def _ta_outcome(store: Store, work_id: int, settings: Screening) -> Outcome:
    decisions = store.work_decisions(Stage.TITLE_ABSTRACT, work_id)
    resolution = store.current_resolutions(Stage.TITLE_ABSTRACT).get(work_id)
    return outcome_of(decisions, settings.policy, resolution.decision if resolution else None)


def check_in_stage(
    store: Store, work_id: int, protocol: ReviewProtocol | Screening | None = None
) -> None:
    """Raise unless the work exists and its title/abstract outcome is included."""
    store.get_work(work_id)
    outcome = _ta_outcome(store, work_id, _settings(protocol))
    if outcome is not Outcome.INCLUDED:
        raise ScreenerError(
            f"work {work_id} is not at the full-text stage: its title/abstract outcome is "
            f"{outcome.value} (only included works go to full text)"
        )


def record_retrieval(
    store: Store,
    work_id: int,
    status: Retrieval,
    recorded_by: str,
    protocol: ReviewProtocol | Screening | None = None,
    note: str | None = None,
) -> int:
    """Record whether the report of a work at the full-text stage was retrieved."""
    check_in_stage(store, work_id, protocol)
    return store.record_retrieval(work_id, status, recorded_by, note=note)


def check_reasons(protocol: ReviewProtocol | None, reasons: list[str]) -> None:
    """Raise unless every code is one of the protocol's full-text reasons."""
    if protocol is None:
        return
    known = [r.reason for r in protocol.fulltext_reasons]
    unknown = [r for r in reasons if r not in known]
    if unknown:
        listed = ", ".join(known) if known else "none: add [[fulltext_reasons]] to the protocol"
        raise ScreenerError(
            f"unknown full-text reason {unknown[0]!r} (the protocol's reasons: {listed})"
        )


def check_assessable(store: Store, work_id: int) -> RetrievalRecord | None:
    """Raise if the work's report is recorded as not retrieved; returns its retrieval."""
    standing = store.current_retrieval(work_id)
    if standing is not None and standing.status is Retrieval.NOT_RETRIEVED:
        raise not_assessable(work_id)
    return standing


def not_assessable(work_id: int) -> ScreenerError:
    return ScreenerError(f"work {work_id} is recorded as not retrieved; record 'retrieved' first")


def record_eligibility(
    store: Store,
    work_id: int,
    choice: Choice,
    reviewer: str,
    protocol: ReviewProtocol | None = None,
    reasons: list[str] | None = None,
    note: str | None = None,
    protocol_version: str | None = None,
) -> int:
    """Record a reviewer's full-text eligibility decision; returns the decision id.

    An exclusion needs a reason when the protocol lists full-text reasons. A decision on
    a work whose retrieval is not recorded records it as retrieved in the same
    transaction; a work recorded as not retrieved cannot be assessed.
    """
    reasons = list(reasons or [])
    if choice is not Choice.EXCLUDE and reasons:
        raise ScreenerError("a reason goes with 'exclude' only")
    check_reasons(protocol, reasons)
    if choice is Choice.EXCLUDE and not reasons and protocol and protocol.fulltext_reasons:
        codes = ", ".join(r.reason for r in protocol.fulltext_reasons)
        raise ScreenerError(f"a full-text exclusion needs --reason (one of: {codes})")
    check_in_stage(store, work_id, protocol)
    standing = check_assessable(store, work_id)
    with store.transaction():
        if standing is None:
            store.record_retrieval(work_id, Retrieval.RETRIEVED, reviewer)
        return store.record_decision(
            work_id, reviewer, Stage.FULLTEXT, choice, reasons, note, protocol_version
        )
