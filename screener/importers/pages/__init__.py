"""Readers for pages copied from literature databases and for papers converted to text.

One module per kind of page; each yields the page's own record first (index 0) and then
one ``citation`` record per entry of its reference or related-papers list, linked to it.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# First lines that belong to standard export formats: a page reader never claims them.
_FOREIGN = re.compile(
    r"^(?:TY  ?-|PMID-|FN |PT [A-Z]|@\w+\s*[{(]|<\?xml|<xml|%0 |\{\s*\"items\"|\[\s*\{)",
)


def has_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese (or Japanese kanji) characters."""
    return bool(_CJK.search(text))


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK.match(c)) / len(letters)


def first_line(text: str) -> str:
    return next((ln for ln in text.split("\n", 50) if ln.strip()), "")


def is_foreign(text: str) -> bool:
    """True when the text opens like RIS, MEDLINE, WoS, BibTeX, XML or a CSV/TSV table."""
    head = first_line(text).strip()
    if _FOREIGN.match(head):
        return True
    # A CSV header: fields with no space after the separator (a title would have one).
    return head.count("\t") >= 2 or bool(re.fullmatch(r'"?\w[\w ]*"?(?:[,;]"?(?:\w[\w ]*)?"?){3,}', head))


def fold(lines: list[str]) -> str | None:
    """Join text lines into one paragraph-free string (None when empty)."""
    text = " ".join(ln.strip() for ln in lines if ln.strip())
    return re.sub(r"\s+", " ", text).strip() or None
