"""Forming duplicate groups from pair links without chaining errors.

Links are applied strongest first. Two groups join only when no member of one is known
(by a user's rejection) or evidently (by ``contradicts``) a different work from a member
of the other, so A~B and B~C never pull in a C that contradicts A.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Contradicts = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class Link:
    a: int
    b: int
    score: float
    forced: bool = False
    """A user's confirmation (or an earlier run's merge): joined unless a rejection forbids."""


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def group(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def join(self, ra: int, rb: int) -> None:
        ga, gb = self.group(ra), self.group(rb)
        if len(ga) < len(gb):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        self.members[ra] = ga + gb
        self.members.pop(rb, None)


def form_groups(
    links: Iterable[Link],
    rejected: set[tuple[int, int]],
    contradicts: Contradicts | None = None,
) -> tuple[list[list[int]], list[Link]]:
    """Groups (sorted ids, size >= 2, sorted by first id) and the links that were refused.

    ``rejected`` holds ``(min, max)`` pairs that must never share a group.
    """
    groups = _Groups()
    refused: list[Link] = []
    ordered = sorted(links, key=lambda link: (not link.forced, -link.score, link.a, link.b))
    for link in ordered:
        ra, rb = groups.find(link.a), groups.find(link.b)
        if ra == rb:
            continue
        ga, gb = groups.group(ra), groups.group(rb)
        if _blocked(ga, gb, rejected, None if link.forced else contradicts):
            refused.append(link)
            continue
        groups.join(ra, rb)
    result = [sorted(m) for m in groups.members.values() if len(m) > 1]
    result.sort(key=lambda m: m[0])
    return result, refused


def _blocked(ga: list[int], gb: list[int], rejected: set[tuple[int, int]],
             contradicts: Contradicts | None) -> bool:
    for x in ga:
        for y in gb:
            pair = (x, y) if x < y else (y, x)
            if pair in rejected:
                return True
            # A single pair is already known compatible (it is the link itself).
            if contradicts is not None and (len(ga) > 1 or len(gb) > 1) and contradicts(*pair):
                return True
    return False
