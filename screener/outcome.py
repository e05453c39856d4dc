"""A work's outcome at a screening stage, from its reviewers' decisions and resolutions.

Policies (from the protocol's ``[screening]``):

- ``two-independent`` (default): both include -> included; both exclude -> excluded; any
  disagreement or a maybe from either -> conflict; fewer than two reviewers -> pending.
- ``single``: one reviewer's include/exclude decides; a maybe -> conflict.
- ``single-second-for-excludes``: an include from the first reviewer decides; an exclude
  waits for a second reviewer, whose exclude confirms it and whose include -> conflict.

Whatever the policy, a maybe is never decided without the lead, reviewers who disagree
always make a conflict, and the lead's resolution overrides the reviewers' decisions
(which stay stored as they were). Every rule is independent of the order of decisions.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from screener.models import Choice, Decision, Resolution, Stage
from screener.protocol import Policy, ReviewProtocol
from screener.store import Store


class Outcome(StrEnum):
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CONFLICT = "conflict"
    PENDING = "pending"
    EXCLUDED_AUTOMATIC = "excluded_automatic"
    """Title/abstract only: nobody had screened the work when the lead stopped screening
    under the stopping rule (``screener stop``)."""


def stage_policy(protocol: ReviewProtocol | None, stage: Stage) -> Policy:
    """The protocol's policy for a stage (two independent reviewers without a protocol)."""
    if protocol is None:
        return Policy.TWO_INDEPENDENT if stage is Stage.TITLE_ABSTRACT else Policy.SINGLE
    if stage is Stage.FULLTEXT:
        return protocol.screening.fulltext_policy
    return protocol.screening.policy


def reviewers_outcome(decisions: list[Decision], policy: Policy) -> Outcome:
    """Combine one work's current decisions (one per reviewer), ignoring any resolution."""
    return combine_choices([d.decision for d in decisions], policy)


def combine_choices(choices: list[Choice], policy: Policy) -> Outcome:
    """The rules of ``reviewers_outcome`` on the bare choices (one per reviewer)."""
    if not choices:
        return Outcome.PENDING
    if Choice.MAYBE in choices or len(set(choices)) > 1:
        # With two independent reviewers, a maybe still waits for the second opinion.
        if policy is Policy.TWO_INDEPENDENT and len(choices) < 2:
            return Outcome.PENDING
        return Outcome.CONFLICT
    choice = choices[0]
    needed = 1
    if policy is Policy.TWO_INDEPENDENT or (
        policy is Policy.SECOND_FOR_EXCLUDES and choice is Choice.EXCLUDE
    ):
        needed = 2
    if len(choices) < needed:
        return Outcome.PENDING
    return Outcome.INCLUDED if choice is Choice.INCLUDE else Outcome.EXCLUDED


def outcome_of(
    decisions: list[Decision], policy: Policy, resolution: Choice | None = None
) -> Outcome:
    """A work's outcome: the lead's resolution if any, else the reviewers' combined."""
    if resolution is Choice.INCLUDE:
        return Outcome.INCLUDED
    if resolution is Choice.EXCLUDE:
        return Outcome.EXCLUDED
    return reviewers_outcome(decisions, policy)


def decisions_by_work(store: Store, stage: Stage) -> dict[int, list[Decision]]:
    """Current decisions grouped by work (each list in order of recording)."""
    by_work: dict[int, list[Decision]] = {}
    for d in store.current_decisions(stage):
        by_work.setdefault(d.work_id, []).append(d)
    return by_work


def work_outcomes(store: Store, stage: Stage, policy: Policy) -> dict[int, Outcome]:
    """Outcome of every work at ``stage`` (works without decisions are pending)."""
    by_work = store.standing_choices(stage)
    resolved: dict[int, Resolution] = store.current_resolutions(stage)
    stopped = store.stopped_work_ids() if stage is Stage.TITLE_ABSTRACT else set()
    out: dict[int, Outcome] = {}
    for work_id in store.work_ids():
        res = resolved.get(work_id)
        if res is not None and res.decision is not Choice.MAYBE:
            out[work_id] = Outcome.INCLUDED if res.decision is Choice.INCLUDE else Outcome.EXCLUDED
        else:
            out[work_id] = combine_choices(by_work.get(work_id, []), policy)
            if work_id in stopped and out[work_id] is Outcome.PENDING:
                out[work_id] = Outcome.EXCLUDED_AUTOMATIC
    return out


def outcome_counts(outcomes: dict[int, Outcome]) -> dict[str, int]:
    """``{"included": .., "excluded": .., "conflict": .., "pending": ..,
    "excluded_automatic": ..}``, every key."""
    counts = Counter(outcomes.values())
    return {o.value: counts.get(o, 0) for o in Outcome}
