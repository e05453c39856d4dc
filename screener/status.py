"""Project status figures, shared by ``screener status`` and the TUI."""

from __future__ import annotations

from typing import Any

from screener.agreement_report import pilot_status
from screener.fulltext import fulltext_summary, fulltext_works
from screener.models import Stage
from screener.outcome import outcome_counts, stage_policy, work_outcomes
from screener.prisma import count_flow
from screener.prisma.flow import Flow
from screener.project import Project
from screener.protocol import Policy, QueueOrder
from screener.ranking.advice import stop_estimates
from screener.screening import screening_status
from screener.store import Store


def project_status(project: Project, store: Store) -> dict[str, Any]:
    """Counts of every stage so far; later stages add their keys here."""
    records = store.record_count()
    works = store.work_count()
    flow = count_flow(store, project.protocol)
    return {
        "project": str(project.root),
        "title": project.config.title,
        "files": len(store.source_files()),
        "records": records,
        "by_source": store.counts_by("source"),
        "by_method": store.counts_by("method"),
        "records_with_warnings": store.records_with_warnings(),
        "unique_works": works,
        "duplicates_removed": records - works,
        # PRISMA's "Duplicate records removed" counts the databases-and-registers column
        # only; other-methods duplicates are a note under the diagram. Both are shown so
        # the two numbers never silently disagree.
        "prisma_duplicates_removed": flow.duplicates,
        "dedup_review_queue": store.review_queue_count(),
        "screening": _screening(project, store),
        "fulltext": _fulltext(project, store),
        **_outcomes_and_pilot(project, store),
        "prisma": _prisma(flow),
    }


def _prisma(flow: Flow) -> dict[str, Any]:
    """Whether the PRISMA diagram adds up yet, and which checks do not (``screener prisma``)."""
    return {
        "studies_included": flow.new_studies,
        "consistent": flow.consistent,
        "unmet_checks": [c.message() for c in flow.failed_checks],
    }


def _screening(project: Project, store: Store) -> dict[str, Any]:
    """Title/abstract progress: works awaiting a second reviewer, counts per reviewer."""
    protocol = project.protocol
    status = screening_status(store, protocol.screening.policy if protocol else Policy.TWO_INDEPENDENT)
    status["order"] = protocol.screening.order.value if protocol else QueueOrder.RANKED.value
    stop = store.active_stop()
    status["stop"] = None if stop is None else {
        "stopped_by": stop.stopped_by, "stopped_at": stop.stopped_at, "rule": stop.rule,
        "recall_target": stop.recall_target, "confidence": stop.confidence, "works": stop.works,
    }
    # The stopping rule's advice, per reviewer from their own decisions only.
    for name, found in stop_estimates(store, protocol).items():
        if name in status["reviewers"]:
            status["reviewers"][name]["stopping"] = found.to_json()
    return status


def _fulltext(project: Project, store: Store) -> dict[str, Any]:
    """Full-text stage: reports sought, retrieved, assessed, included, excluded by reason."""
    return fulltext_summary(fulltext_works(store, project.protocol))


def _outcomes_and_pilot(project: Project, store: Store) -> dict[str, Any]:
    """Title/abstract outcomes (included/excluded/conflict/pending) and the pilot round's
    state against the protocol's kappa threshold (None when the protocol sets none)."""
    protocol = project.protocol
    stage = Stage.TITLE_ABSTRACT
    pilot = pilot_status(store, protocol, stage)
    return {
        "outcomes": outcome_counts(work_outcomes(store, stage, stage_policy(protocol, stage))),
        "pilot": pilot.to_json() if pilot else None,
    }
