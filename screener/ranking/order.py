"""The order of one reviewer's queue: import, seeded random, or ranked."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

import numpy as np

from screener.protocol import QueueOrder


def shuffled(work_ids: Sequence[int], reviewer: str) -> list[int]:
    """The reviewer's own random order: a hash of (reviewer, work) per work, so it is the
    same every time they open the queue, differs between reviewers, and a work imported
    later does not move the others. The hash is splitmix64 of the work id mixed with the
    reviewer's salt, in numpy: 100k works shuffle in milliseconds when the screen opens."""
    salt = int.from_bytes(hashlib.blake2b(reviewer.encode("utf-8"), digest_size=8).digest(), "little")
    ids = np.asarray(work_ids, dtype=np.uint64)
    z = (ids ^ np.uint64(salt)) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return [int(w) for w in ids[np.argsort(z, kind="stable")]]


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
