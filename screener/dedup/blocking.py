"""Blocking: which record pairs are worth comparing at all.

Each record gets a handful of cheap keys (identifiers, title prefix and suffix, first
author with year, year with volume and first page); only records that share a key are
compared. A small block is compared in full. A large one (a common surname in a busy
year, "Anonymous", a generic title, ``vol 1 p 1``) is sorted by title and each record is
compared with its ``WINDOW`` neighbours on either side only (the sorted-neighbourhood
method): duplicates have near-identical titles, so they sort next to each other. Each
record thus meets at most ``2 * WINDOW`` others per key, and the work stays linear in the
number of records whatever the key distribution.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from screener.dedup.keys import MatchKeys

WINDOW = 3
"""Neighbours compared on each side of a record in a large block, in title order. On the
labelled sets in ../shared/dedup-benchmarks precision and recall are the same with 2 (and 4)
as with every pair of blocks up to 400 records; 3 leaves a margin."""
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


def candidate_pairs(keys: Sequence[MatchKeys], window: int = WINDOW) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of records sharing a blocking key; each pair once.

    Pairs come in order of ``i``, so a caller can report progress from it. Memory holds
    the blocks and one record's partners, never the set of all pairs.
    """
    full = 2 * window + 1
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, k in enumerate(keys):
        for key in block_keys(k):
            blocks[key].append(index)
    # Each record's blocks with its place in them, so its partners are found record by
    # record (a pair met in several blocks is yielded once, without a global seen-set).
    places: list[list[tuple[list[int], int]]] = [[] for _ in keys]
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) > full:
            # A title-suffix block shares the end of the title: order by the reversed title
            # so that variants at the start still sort together.
            if key[0] == "e":
                members.sort(key=lambda i: (keys[i].title[::-1], i))
            else:
                members.sort(key=lambda i: (keys[i].title, i))
        for place, index in enumerate(members):
            places[index].append((members, place))
    blocks.clear()
    for i, memberships in enumerate(places):
        partners: set[int] = set()
        for members, place in memberships:
            if len(members) <= full:
                partners.update(members)
            else:
                partners.update(members[max(0, place - window):place + window + 1])
        for j in sorted(p for p in partners if p > i):
            yield i, j
        memberships.clear()
