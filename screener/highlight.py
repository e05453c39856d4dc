"""Keyword highlighting: the protocol's include/exclude terms compiled to regexes, and the
non-overlapping spans they mark in a text (the TUI colours them, tests check them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from screener.protocol import Keywords

_JOINER = r"\s*[\-\u2010-\u2015]?\s*"
"""A hyphen or space in a term matches a hyphen, a dash, a space or nothing."""


class Hint(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    hint: Hint


def term_pattern(term: str) -> str:
    """Regex of one protocol term: ``*`` any letters, ``?`` one optional letter or hyphen,
    hyphen/space as a flexible joiner; matched at word starts, case-insensitively."""
    out: list[str] = []
    previous_joiner = False
    for ch in term.strip():
        if ch == "*":
            out.append(r"\w*")
        elif ch == "?":
            out.append(r"[\w\-]?")
        elif ch in " -":
            if not previous_joiner:
                out.append(_JOINER)
            previous_joiner = True
            continue
        else:
            out.append(re.escape(ch))
        previous_joiner = False
    # A term ending in * is a stem; others must end at a word boundary (``rat`` not ``rate``).
    tail = "" if term.rstrip().endswith("*") else r"\b"
    return r"\b" + "".join(out) + tail


def _compile(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest terms first: alternation takes the first alternative that matches.
    ordered = sorted({t.strip() for t in terms}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{term_pattern(t)})" for t in ordered), re.IGNORECASE)


class Highlighter:
    """Finds include/exclude keyword spans in a text."""

    def __init__(self, keywords: Keywords) -> None:
        self._patterns = [
            (hint, pattern)
            for hint, pattern in (
                (Hint.INCLUDE, _compile(keywords.include)),
                (Hint.EXCLUDE, _compile(keywords.exclude)),
            )
            if pattern is not None
        ]

    def spans(self, text: str) -> list[Span]:
        """Non-overlapping spans in text order; where an include and an exclude term
        overlap, the longer match wins (the include one on a tie)."""
        found: list[Span] = []
        for hint, pattern in self._patterns:
            found.extend(Span(m.start(), m.end(), hint) for m in pattern.finditer(text) if m.end() > m.start())
        found.sort(key=lambda s: (s.start, -(s.end - s.start), s.hint is Hint.EXCLUDE))
        kept: list[Span] = []
        for span in found:
            if kept and span.start < kept[-1].end:
                continue
            kept.append(span)
        return kept
