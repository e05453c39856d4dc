"""A work's outcome at a screening stage, from its reviewers' decisions and resolutions."""

from __future__ import annotations

from enum import StrEnum

from screener.models import Choice, Decision, Stage
from screener.protocol import Policy
from screener.store import Store


class Outcome(StrEnum):
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CONFLICT = "conflict"
    PENDING = "pending"


def outcome_of(decisions: list[Decision], policy: Policy, resolution: Choice | None) -> Outcome:
    """Combine one work's current decisions (one per reviewer) under the policy."""
    if resolution is not None:
        return Outcome.INCLUDED if resolution is Choice.INCLUDE else Outcome.EXCLUDED
    choices = [d.decision for d in decisions]
    needed = 1 if policy is Policy.SINGLE else 2
    if policy is Policy.SECOND_FOR_EXCLUDES and choices and choices[0] is Choice.INCLUDE:
        needed = 1
    if len(choices) < needed:
        return Outcome.PENDING
    first = choices[:needed]
    if all(c is Choice.INCLUDE for c in first):
        return Outcome.INCLUDED
    if all(c is Choice.EXCLUDE for c in first):
        return Outcome.EXCLUDED
    return Outcome.CONFLICT


def work_outcomes(store: Store, stage: Stage, policy: Policy) -> dict[int, Outcome]:
    """Outcome of every work at ``stage`` (works without decisions are pending)."""
    by_work: dict[int, list[Decision]] = {}
    for d in store.current_decisions(stage):
        by_work.setdefault(d.work_id, []).append(d)
    resolved = store.current_resolutions(stage)
    out: dict[int, Outcome] = {}
    for work_id in store.work_ids():
        res = resolved.get(work_id)
        out[work_id] = outcome_of(by_work.get(work_id, []), policy, res.decision if res else None)
    return out
