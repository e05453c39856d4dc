"""The stopping rule applied to a project: per reviewer, from their own decisions."""

from __future__ import annotations

from screener.models import Choice, Stage
from screener.protocol import ReviewProtocol
from screener.ranking.stopping import StopEstimate, estimate
from screener.store import Store


def reviewer_estimate(
    store: Store, protocol: ReviewProtocol, reviewer: str, total: int | None = None
) -> StopEstimate | None:
    """What the rule says for one reviewer's title/abstract screening, in the order they
    decided (include and maybe count as relevant); None when the protocol sets no rule."""
    screening = protocol.screening
    if screening.stop_recall is None:
        return None
    works = store.work_count() if total is None else total
    live = set(store.work_ids())
    labels = [int(c is not Choice.EXCLUDE)
              for w, c in store.decision_sequence(Stage.TITLE_ABSTRACT, reviewer) if w in live]
    return estimate(labels, works, screening.stop_recall, screening.stop_confidence)


def stop_estimates(store: Store, protocol: ReviewProtocol | None) -> dict[str, StopEstimate]:
    """The rule's verdict for every reviewer with title/abstract decisions."""
    if protocol is None or protocol.screening.stop_recall is None:
        return {}
    total = store.work_count()
    reviewers = sorted({d.reviewer for d in store.current_decisions(Stage.TITLE_ABSTRACT)})
    out: dict[str, StopEstimate] = {}
    for name in reviewers:
        found = reviewer_estimate(store, protocol, name, total)
        if found is not None:
            out[name] = found
    return out
