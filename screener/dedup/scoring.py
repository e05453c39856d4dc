"""Scoring one candidate pair: the rules that say same work, maybe, or never.

Identifiers decide first (a shared DOI or PMID, unless the titles clearly differ, which
happens with conference supplements that share one DOI); different DOIs never merge
automatically. Otherwise the normalised title must match closely and authors, year,
volume and pages must agree. Errata, comments, other parts, ``2007a``/``2007b`` and a
record's own reference-list entries never merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from screener.dedup.keys import MatchKeys
from screener.dedup.similarity import (
    author_agreement,
    extends,
    title_similarity,
    venue_agreement,
    word_swapped,
)

AUTO_TITLE = 95.0
"""Title similarity (0-100) above which authors + year agreement merge automatically."""
REVIEW_TITLE = 85.0
"""Lowest title similarity that can put a pair in the review queue."""
CONTRADICT_TITLE = 70.0
"""Two titles below this are different works: such a pair blocks chaining in a group."""
ID_TITLE = 80.0
"""A shared DOI/PMID merges automatically when the titles are at least this close."""
ID_REVIEW_TITLE = 60.0


class Verdict(StrEnum):
    AUTO = "auto"
    REVIEW = "review"
    DISTINCT = "distinct"
    NEVER = "never"


@dataclass(slots=True)
class PairScore:
    """The outcome of comparing two records (``a < b`` by id)."""

    a: int
    b: int
    verdict: Verdict
    score: float
    rule: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def contradicts(self) -> bool:
        """True when the two records are evidently different works."""
        return self.verdict is Verdict.NEVER or (
            self.verdict is Verdict.DISTINCT and bool(self.details.get("contradiction"))
        )


def _same(x: str | None, y: str | None) -> bool | None:
    if x is None or y is None:
        return None
    return x == y


def compare(a: MatchKeys, b: MatchKeys) -> PairScore:
    """Score one pair of records; ``a`` and ``b`` in any order."""
    if a.id > b.id:
        a, b = b, a
    never = _never_reason(a, b)
    if never:
        return PairScore(a.id, b.id, Verdict.NEVER, 0.0, never)
    t = title_similarity(a, b)
    authors, overlap = author_agreement(a, b)
    ydiff = abs(a.year - b.year) if a.year is not None and b.year is not None else None
    venue = venue_agreement(a.venue, b.venue)
    volume, page, issue = _same(a.volume, b.volume), _same(a.page, b.page), _same(a.issue, b.issue)
    details: dict[str, Any] = {
        "title": None if t is None else round(t, 1), "authors": authors,
        "author_overlap": round(overlap, 2), "year_diff": ydiff, "venue": venue,
        "volume": volume, "issue": issue, "pages": page,
    }
    agree = sum(1 for v in (venue, volume, page, issue) if v is True)
    # Issue numbers are often mangled (``13/14``, ``Pt 3``): they only count against a
    # pair whose pages do not already agree.
    conflict = sum(1 for v in (volume, page) if v is False) + (issue is False and page is not True)
    numbers_differ = bool(a.numbers and b.numbers and a.numbers != b.numbers)
    if t is not None and 90 <= t < 100 and word_swapped(a.title, b.title):
        # ``in adult patients`` vs ``in pediatric patients``: one word for another is
        # another work (trial arms, sister papers), not a spelling variant.
        numbers_differ = True
        details["word_differs"] = True
    if numbers_differ:
        details["numbers_differ"] = True
    score = _score(t, authors, ydiff, agree, conflict)
    pair = PairScore(a.id, b.id, Verdict.DISTINCT, score, "title", details)

    if a.doi and b.doi and a.doi != b.doi:
        details["doi"] = "different"
        pair.rule = "different-doi"
        if t is not None and t >= 97 and authors != "conflict" and (ydiff or 0) <= 1:
            pair.verdict = Verdict.REVIEW
        else:
            details["contradiction"] = True
        return pair
    if a.pmid and b.pmid and a.pmid != b.pmid:
        details["pmid"] = "different"
        pair.rule = "different-pmid"
        details["contradiction"] = True
        return pair
    shared = "doi" if a.doi and a.doi == b.doi else "pmid" if a.pmid and a.pmid == b.pmid else None
    if shared:
        details[shared] = "same"
        pair.rule = shared
        pair.score = max(score, 0.99)
        if t is None or (t >= ID_TITLE and not (numbers_differ and t < AUTO_TITLE)) or (
                extends(a.title, b.title) and authors != "conflict"):
            pair.verdict = Verdict.AUTO
        elif t >= ID_REVIEW_TITLE:
            pair.verdict = Verdict.REVIEW
        else:
            # Conference supplements give every abstract the supplement's DOI.
            details["contradiction"] = True
        return pair
    if t is None:
        return pair
    shared_authors = len(set(a.surnames) & set(b.surnames))
    if (a.page_range and a.page_range == b.page_range and ydiff == 0 and venue
            and volume is not False and issue is not False and a.surnames == b.surnames
            and not a.generic and not b.generic):
        # Same authors, year, venue (and volume) and page range: one article or paper,
        # whatever the title says (a translation, a reworded title in another index).
        pair.verdict, pair.rule = Verdict.AUTO, "citation"
        return pair
    if (authors == "ok" and ydiff == 0 and conflict == 0 and not numbers_differ
            and (shared_authors >= 2 or page) and extends(a.title, b.title)):
        # One title is the other plus a subtitle or series name.
        pair.verdict, pair.rule = Verdict.AUTO, "title-prefix+authors+year"
        return pair
    if t < CONTRADICT_TITLE:
        details["contradiction"] = True
        return pair
    if a.generic or b.generic:
        pair.rule = "generic-title"
        if (t >= AUTO_TITLE and ydiff == 0 and volume and page and venue is not False
                and issue is not False and authors != "conflict"):
            pair.rule = "generic-title+volume+pages"
            pair.verdict = Verdict.AUTO
        return pair
    # First author, year, volume and first page: the classic citation-matching key.
    fingerprint = bool(a.surnames and b.surnames and a.surnames[0] == b.surnames[0]
                       and overlap >= 0.5 and ydiff == 0 and volume and page)
    pair.verdict = _title_verdict(t, authors, ydiff, agree, conflict, numbers_differ, fingerprint)
    if (pair.verdict is not Verdict.AUTO and t >= 98 and min(len(a.title), len(b.title)) >= 50
            and ydiff == 0 and volume and page and venue is not False and not numbers_differ):
        # A long title in the same volume at the same page is one work, however the
        # author names were transliterated or ordered.
        pair.verdict, pair.rule = Verdict.AUTO, "title+volume+pages"
        return pair
    if pair.verdict is Verdict.AUTO:
        pair.rule = "title+authors+year" if authors == "ok" else "title+year+venue"
        return pair
    # A long, identical title by the same three or more authors in the same year, venue,
    # volume and issue is one work even when the pages differ (an abstract printed twice);
    # another issue is how an erratum repeating the title looks.
    if (t >= 98 and ydiff == 0 and venue is not False and volume is not False
            and issue is not False and not numbers_differ
            and min(len(a.title), len(b.title)) >= 50
            and (shared_authors >= 3 or (shared_authors >= 2 and overlap == 1.0))):
        pair.verdict, pair.rule = Verdict.AUTO, "title+authors+year"
        return pair
    # Two or more shared authors vouch for a long title when the rest is missing (a paper
    # page without year).
    if (authors == "ok" and shared_authors >= 2 and conflict == 0 and not numbers_differ
            and t >= 97 and ydiff is None and min(len(a.title), len(b.title)) >= 40):
        pair.verdict, pair.rule = Verdict.AUTO, "title+authors"
    return pair


def _title_verdict(t: float, authors: str, ydiff: int | None, agree: int, conflict: int,
                   numbers_differ: bool, fingerprint: bool) -> Verdict:
    if not numbers_differ and conflict == 0:
        if t >= AUTO_TITLE:
            if authors == "ok" and (ydiff == 0 or (agree >= 1 and (ydiff is None or ydiff == 1))):
                return Verdict.AUTO
            if authors == "unknown" and ydiff == 0 and agree >= 2:
                return Verdict.AUTO
        elif t >= 90 and authors == "ok" and ydiff == 0 and agree >= 2 or t >= 80 and fingerprint:
            return Verdict.AUTO
    if t >= AUTO_TITLE and authors != "conflict":
        return Verdict.REVIEW
    if t >= REVIEW_TITLE and authors in ("ok", "unknown") and (ydiff is None or ydiff <= 2):
        return Verdict.REVIEW
    return Verdict.DISTINCT


def _never_reason(a: MatchKeys, b: MatchKeys) -> str | None:
    if a.parent_id == b.id or b.parent_id == a.id:
        return "own-reference-list"
    if a.parent_id is not None and a.parent_id == b.parent_id:
        return "same-reference-list"
    if a.kind != b.kind:
        return f"{a.kind}-vs-{b.kind}"
    if a.part and b.part and a.part != b.part:
        return "different-part"
    if a.suffix and b.suffix and a.suffix != b.suffix and a.year == b.year:
        return "different-year-suffix"
    return None


def _score(t: float | None, authors: str, ydiff: int | None, agree: int, conflict: int) -> float:
    title = (t or 0.0) / 100
    author = {"ok": 1.0, "weak": 0.5, "unknown": 0.5, "conflict": 0.0}[authors]
    year = 1.0 if ydiff == 0 else 0.5 if ydiff in (None, 1) else 0.0
    bib = max(0.0, min(1.0, 0.5 + 0.25 * agree - 0.5 * conflict))
    return round(0.6 * title + 0.2 * author + 0.1 * year + 0.1 * bib, 4)
