"""``find_duplicates`` (pure) and running it against a project store."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from screener.dedup.blocking import candidate_pairs
from screener.dedup.grouping import Link, form_groups
from screener.dedup.keys import DedupItem, MatchKeys, match_keys
from screener.dedup.merge import Member, merge_records
from screener.dedup.scoring import PairScore, Verdict, compare
from screener.models import Record

if TYPE_CHECKING:
    from screener.store import Store

MERGING = frozenset({"auto", "confirmed"})
"""Stored pair statuses that join two records into one work."""
SEPARATING = frozenset({"rejected", "undone"})
"""Stored pair statuses that keep two records apart for good."""


@dataclass
class DedupResult:
    """What one dedup pass found."""

    records: int
    candidates: int
    pairs: list[PairScore]
    """New auto-merged and review pairs (pairs decided earlier are left as they were)."""
    groups: list[list[int]]
    refused: int = 0
    """Auto pairs kept apart because they contradict their group (sent to review)."""
    keys: dict[int, MatchKeys] = field(default_factory=dict, repr=False)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Dedup allocates millions of small acyclic objects; cyclic GC passes over them only
    cost time (a third of a 200k-record run), so collection waits until the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Progress = Callable[[int, int, int], None]
"""``progress(records done, records in all, candidate pairs so far)``."""

PROGRESS_EVERY = 5000
"""Records between two progress reports."""


def find_duplicates(
    items: Sequence[DedupItem], decided: Mapping[tuple[int, int], str] | None = None,
    progress: Progress | None = None,
) -> DedupResult:
    """Find duplicate groups among ``items``, respecting earlier pair decisions.

    ``decided`` maps ``(min id, max id)`` to a stored status; ``auto``/``confirmed`` pairs
    stay joined and ``rejected``/``undone`` pairs stay apart, whatever the scores say.
    ``progress`` is called every ``PROGRESS_EVERY`` records and once at the end.
    """
    with _no_gc_pauses():
        return _find_duplicates(items, decided or {}, progress)


def _find_duplicates(items: Sequence[DedupItem], decided: Mapping[tuple[int, int], str],
                     progress: Progress | None) -> DedupResult:
    keys = [match_keys(item) for item in items]
    by_id = {k.id: k for k in keys}
    scored: list[PairScore] = []
    candidates = 0
    report_at = PROGRESS_EVERY
    for i, j in candidate_pairs(keys):
        if progress is not None and i >= report_at:
            progress(i, len(keys), candidates)
            report_at = i + PROGRESS_EVERY
        candidates += 1
        pair = compare(keys[i], keys[j])
        if pair.verdict in (Verdict.AUTO, Verdict.REVIEW):
            scored.append(pair)
    if progress is not None:
        progress(len(keys), len(keys), candidates)
    links = [Link(a, b, 1.0, forced=True) for (a, b), s in decided.items()
             if s in MERGING and a in by_id and b in by_id]
    links += [Link(p.a, p.b, p.score) for p in scored
              if p.verdict is Verdict.AUTO and (p.a, p.b) not in decided]
    rejected = {pair for pair, s in decided.items() if s in SEPARATING}

    def contradicts(x: int, y: int) -> bool:
        return compare(by_id[x], by_id[y]).contradicts

    groups, refused = form_groups(links, rejected, contradicts)
    refused_pairs = {(link.a, link.b) for link in refused if not link.forced}
    new_pairs: list[PairScore] = []
    for p in scored:
        if (p.a, p.b) in decided:
            continue
        if (p.a, p.b) in refused_pairs:
            p.verdict = Verdict.REVIEW
            p.details["refused"] = "contradicts another record of the group"
        new_pairs.append(p)
    return DedupResult(len(items), candidates, new_pairs, groups, len(refused_pairs), by_id)


def canonical_records(groups: Iterable[list[int]], items: Mapping[int, DedupItem]) -> dict[int, Record]:
    """work id (lowest record id of the group) -> merged canonical record."""
    return {
        g[0]: merge_records([Member(i, items[i].record, items[i].method) for i in g])
        for g in groups
    }


@dataclass
class DedupSummary:
    records: int
    candidates: int
    new_auto: int
    new_review: int
    review_queue: int
    groups: int
    unique_works: int
    duplicates_removed: int
    screened_works_merged: int = 0
    """Works with screening decisions this pass joined into another work (see
    ``screened_merges``)."""


def run_dedup(store: Store, progress: Progress | None = None) -> DedupSummary:
    """Score every record of the project, store new pairs and (re)form the works."""
    screened = store.screened_works()
    items = store.dedup_items()
    decided = store.pair_statuses()
    result = find_duplicates(items, decided, progress)
    works = canonical_records(result.groups, {item.id: item for item in items})
    expected = dict(decided)
    for p in result.pairs:
        expected.setdefault((p.a, p.b), p.verdict.value)
    groups = result.groups
    with store.transaction():
        store.lock("works")
        store.add_pairs(result.pairs)
        if store.pair_statuses() != expected:
            # A user confirmed, rejected or undid a merge (or another dedup pass stored
            # pairs) while this pass was computing: the stored decisions win, so the works
            # are formed from them instead of from this pass's snapshot.
            groups = regroup(store)
        else:
            store.set_groups(groups, works)
    auto = sum(1 for p in result.pairs if p.verdict is Verdict.AUTO)
    return DedupSummary(
        records=result.records, candidates=result.candidates, new_auto=auto,
        new_review=len(result.pairs) - auto, review_queue=store.review_queue_count(),
        groups=len(groups), unique_works=store.work_count(),
        duplicates_removed=store.record_count() - store.work_count(),
        screened_works_merged=screened_merges(store.work_links(), screened) if screened else 0,
    )


def regroup(store: Store) -> list[list[int]]:
    """Re-form the works from stored pair decisions alone (after a confirm, reject, undo)."""
    decided = store.pair_statuses()
    links = [Link(a, b, 1.0, forced=True) for (a, b), s in decided.items() if s in MERGING]
    rejected = {pair for pair, s in decided.items() if s in SEPARATING}
    groups, _ = form_groups(links, rejected)
    ids = sorted({i for g in groups for i in g})
    items = {item.id: item for item in store.dedup_items(ids)}
    with store.transaction():
        store.set_groups(groups, canonical_records(groups, items))
    return groups


def screened_merges(after: Mapping[int, int], screened: set[int]) -> int:
    """How many works with screening decisions a regroup merged into another work.

    ``after`` maps record id -> work id after the regroup; ``screened`` holds the ids of
    the works (as they were before it) with decisions. A screened work counts when its id is no
    longer a work (its decisions now count for another) or when its new work also holds
    another screened work (the reviewers' decisions may now disagree). A record newly
    imported into a screened work changes nothing for its decisions and does not count.
    """
    screened_in: dict[int, int] = {}
    for work in screened:
        new = after.get(work, work)
        screened_in[new] = screened_in.get(new, 0) + 1
    return sum(
        1 for work in screened
        if after.get(work, work) != work or screened_in[after.get(work, work)] > 1
    )


def screened_merge_message(merged: int) -> str:
    """What to tell the lead after a merge moved ``merged`` (> 0) screened works."""
    many = merged != 1
    return (f"{merged} work{'s' if many else ''} with screening decisions "
            f"{'were' if many else 'was'} merged; their decisions now count for the merged "
            "work (see `screener conflicts`)")
