"""The order of one reviewer's queue: import, seeded random, or ranked."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

from screener.protocol import QueueOrder


def shuffled(work_ids: Sequence[int], reviewer: str) -> list[int]:
    """The reviewer's own random order: a hash of (reviewer, work) per work, so it is the
    same every time they open the queue, differs between reviewers, and a work imported
    later does not move the others."""
    salt = reviewer.encode("utf-8")

    def key(work_id: int) -> bytes:
        return hashlib.blake2b(str(work_id).encode(), key=salt[:64], digest_size=8).digest()

    return sorted(work_ids, key=key)


def reviewer_order(
    work_ids: Sequence[int], mode: QueueOrder, reviewer: str, decided: Collection[int]
) -> list[int]:
    """The queue as the reviewer first sees it. Ranked: the works they decided (in their
    random order) then the rest in random order, until the model's first ranking
    arrives; the model reorders only the undecided part."""
    if mode is QueueOrder.IMPORT:
        return list(work_ids)
    order = shuffled(work_ids, reviewer)
    if mode is QueueOrder.RANDOM:
        return order
    return [w for w in order if w in decided] + [w for w in order if w not in decided]
