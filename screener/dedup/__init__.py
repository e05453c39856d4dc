"""Deduplication: find the records that are one work, group them, merge their fields."""

from __future__ import annotations

from screener.dedup.keys import DedupItem, MatchKeys, match_keys
from screener.dedup.run import DedupResult, find_duplicates

__all__ = ["DedupItem", "DedupResult", "MatchKeys", "find_duplicates", "match_keys"]
