"""Source overlap: how many works each pair of sources found in common."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations


def source_overlap(work_sources: Mapping[int, set[str]]) -> tuple[list[str], dict[tuple[str, str], int]]:
    """Sorted sources and counts: ``(s, s)`` = works found by ``s``; ``(s, t)`` = by both."""
    counts: dict[tuple[str, str], int] = {}
    names: set[str] = set()
    for sources in work_sources.values():
        names |= sources
        ordered = sorted(sources)
        for s in ordered:
            counts[(s, s)] = counts.get((s, s), 0) + 1
        for s, t in combinations(ordered, 2):
            counts[(s, t)] = counts.get((s, t), 0) + 1
            counts[(t, s)] = counts.get((t, s), 0) + 1
    return sorted(names), counts
