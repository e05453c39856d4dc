"""Blocking: which record pairs are worth comparing at all.

Each record gets a handful of cheap keys (identifiers, title prefix and suffix, first
author with year, year with volume and first page). Only records that share a key are compared,
so the work grows with the number of records, not with its square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from screener.dedup.keys import MatchKeys

MAX_BLOCK = 400
"""Blocks larger than this carry no signal (``vol 1 p 1``); pairs in them are skipped."""
_PREFIX = 24


def block_keys(k: MatchKeys) -> set[str]:
    """The blocking keys of one record."""
    keys: set[str] = set()
    if k.doi:
        keys.add("d" + k.doi)
    if k.pmid:
        keys.add("m" + k.pmid)
    if not k.generic:
        for title in k.titles:
            compact = title.replace(" ", "")
            if len(compact) >= 12:
                keys.add("t" + compact[:_PREFIX])
                keys.add("e" + compact[-_PREFIX:])
    if k.surnames and k.year:
        keys.add(f"a{k.surnames[0]}|{k.year}")
    if k.volume and k.page:
        keys.add(f"v{k.year}|{k.volume}|{k.page}")
    return keys


def candidate_pairs(keys: Sequence[MatchKeys], max_block: int = MAX_BLOCK) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of records sharing a blocking key; each pair once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, k in enumerate(keys):
        for key in block_keys(k):
            blocks[key].append(index)
    n = len(keys)
    seen: set[int] = set()
    for members in blocks.values():
        size = len(members)
        if size < 2 or size > max_block:
            continue
        for x in range(size):
            i = members[x]
            for y in range(x + 1, size):
                j = members[y]
                code = i * n + j
                if code in seen:
                    continue
                seen.add(code)
                yield i, j
