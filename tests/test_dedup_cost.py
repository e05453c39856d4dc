"""Dedup reads a bounded part of each title: a damaged record cannot stall it."""

from __future__ import annotations

import random
import time

from screener.dedup.keys import TITLE_CHARS, DedupItem, match_keys
from screener.dedup.run import find_duplicates
from screener.models import Author, Method, Record

WORDS = ["partnership", "care", "health", "alliance", "network", "trust", "governance", "of"]


def _huge_title(seed: int, words: int = 200_000) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))  # about 1.3 MB


def _item(rid: int, title: str, journal: str | None = None) -> DedupItem:
    record = Record(title=title, year=2020, journal=journal,
                    authors=[Author(family="Smith", initials="J")])
    return DedupItem(rid, record, None, Method.DATABASE)


def test_two_megabyte_titles_are_compared_in_a_blink() -> None:
    a, b = _huge_title(1), _huge_title(2)
    items = [_item(1, a), _item(2, b), _item(3, a, journal="J " * 500_000)]
    started = time.monotonic()
    result = find_duplicates(items)
    assert time.monotonic() - started < 2.0
    assert result.groups == [[1, 3]]


def test_the_title_key_is_capped_at_a_word_boundary() -> None:
    keys = match_keys(_item(1, _huge_title(3)))
    assert 0 < len(keys.title) <= TITLE_CHARS
    assert keys.title.split()[-1] in WORDS
