"""Field similarity for dedup: titles, author lists, venues (with abbreviations)."""

from __future__ import annotations

from rapidfuzz import fuzz

from screener.dedup.keys import MatchKeys

_CLOSE_TITLE = 95.0
"""Below this, word order is also tried (``token_sort_ratio``)."""


def title_similarity(a: MatchKeys, b: MatchKeys) -> float | None:
    """Best similarity over both records' titles (main and alternative), or None."""
    if not a.titles or not b.titles:
        return None
    best = 0.0
    for ta in a.titles:
        for tb in b.titles:
            if ta == tb:
                return 100.0
            best = max(best, fuzz.ratio(ta, tb))
    if best < _CLOSE_TITLE:
        best = max(best, fuzz.token_sort_ratio(a.title, b.title) - 2.0)
    return float(best)


def author_agreement(a: MatchKeys, b: MatchKeys) -> tuple[str, float]:
    """(``ok`` | ``weak`` | ``conflict`` | ``unknown``, overlap of surname sets)."""
    if not a.surnames or not b.surnames:
        return "unknown", 0.0
    if not any(a.initials) and not any(b.initials):
        # Names without initials are mostly corporate (a sponsor, a group): they do not
        # tell one work of theirs from another.
        return "unknown", 0.0
    sa, sb = set(a.surnames), set(b.surnames)
    overlap = len(sa & sb) / min(len(sa), len(sb))
    fa, fb = a.surnames[0], b.surnames[0]
    first = fa == fb or fa in sb or fb in sa or fuzz.ratio(fa, fb) >= 85
    if first and a.initial and b.initial and a.initial != b.initial and overlap < 0.5:
        return "weak", overlap
    if first or overlap >= 0.5:
        return "ok", overlap
    if overlap > 0:
        return "weak", overlap
    if _swapped(a, b):
        return "ok", overlap
    return "conflict", overlap


def _swapped(a: MatchKeys, b: MatchKeys) -> bool:
    """Given and family names swapped on one side (``Andrea C`` for ``Carignani A``)."""
    n = len(a.surnames)
    if n != len(b.surnames):
        return False
    return all(
        a.initials[i] and b.initials[i] and a.surnames[i][0] == b.initials[i]
        and b.surnames[i][0] == a.initials[i]
        for i in range(min(n, 5))
    )


def venue_agreement(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """Same venue, allowing abbreviations (``J Manage`` = ``Journal of Management``)."""
    if not a or not b:
        return None
    if a == b:
        return True
    if len(a) == len(b) and all(_abbreviates(x, y) for x, y in zip(a, b, strict=True)):
        return True
    # ``ICIS`` = International Conference on Information Systems.
    if "".join(w[0] for w in a) in b or "".join(w[0] for w in b) in a:
        return True
    return fuzz.token_set_ratio(" ".join(a), " ".join(b)) >= 90


def _abbreviates(x: str, y: str) -> bool:
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if long.startswith(short):
        return True
    # ``mgmt`` for ``management``: same first letter, letters in order.
    if short[0] != long[0]:
        return False
    pos = 0
    for ch in short:
        pos = long.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def word_swapped(x: str, y: str) -> bool:
    """Each title has a word of 4+ letters with no look-alike in the other title."""
    wx, wy = set(x.split()), set(y.split())
    only_x, only_y = wx - wy, wy - wx

    def unmatched(words: set[str], others: set[str]) -> bool:
        return any(
            len(w) >= 4 and not any(fuzz.ratio(w, o) >= 75 or o.startswith(w) or w.startswith(o)
                                    for o in others if len(o) >= 2)
            for w in words
        )

    return bool(only_x and only_y) and unmatched(only_x, only_y) and unmatched(only_y, only_x)


def extends(x: str, y: str) -> bool:
    """One title is the other plus more words (a subtitle or series name)."""
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    return len(short.split()) >= 4 and long.startswith(short + " ")
