"""Simulated reviewers for the demo: deterministic, protocol-driven screening decisions.

A work's "true" title/abstract label comes from the protocol's keywords (an include term
in the title, or two different ones anywhere, and no exclude term = relevant). The
reviewers then disagree on a fixed share of the works (``DISAGREEMENT_RATE``, picked by a
seeded shuffle; one reviewer goes the other way or says 'maybe'), so they agree on about
88% of works whatever the size of the project: realistic enough to show kappa, conflicts
and their resolution. Same seed and same data
give the same decisions on every machine (``random.Random`` seeded with a string).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from screener.conflicts import resolve_conflict
from screener.fulltext import fulltext_works, record_eligibility, record_retrieval
from screener.highlight import Highlighter, Hint
from screener.models import Choice, Retrieval, Stage, Work
from screener.outcome import Outcome, work_outcomes
from screener.protocol import Policy, ReviewProtocol
from screener.store import Store

REVIEWERS = ("ana", "ben")
"""The two simulated reviewers."""
LEAD = "carla"
"""The simulated lead who resolves conflicts."""
DEFAULT_SEED = 2020

DISAGREEMENT_RATE = 0.12
"""Share of works on which the two reviewers disagree (some of them over a 'maybe')."""
NOT_RETRIEVED_RATE = 0.08
FULLTEXT_EXCLUDE_RATE = 0.35


@dataclass
class SimulationResult:
    """What the simulation recorded."""

    works: int = 0
    decisions: int = 0
    conflicts_resolved: int = 0
    fulltext_sought: int = 0
    not_retrieved: int = 0
    fulltext_included: int = 0
    fulltext_excluded: int = 0
    fulltext_conflicts_resolved: int = 0
    reviewers: tuple[str, str] = REVIEWERS
    lead: str = LEAD
    notes: list[str] = field(default_factory=list)


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def _text(work: Work) -> str:
    r = work.record
    parts = [r.title or "", r.abstract or "", " ".join(r.keywords), " ".join(r.mesh)]
    parts += [t.text for t in r.alt_titles]
    return "\n".join(parts)


def relevant(work: Work, highlighter: Highlighter) -> bool:
    """The simulation's ground truth: no exclude term, and an include term in the title
    or two different include terms anywhere (one passing mention is not enough)."""
    text = _text(work)
    spans = highlighter.spans(text)
    if any(span.hint is Hint.EXCLUDE for span in spans):
        return False
    terms = {text[s.start:s.end].lower() for s in spans if s.hint is Hint.INCLUDE}
    in_title = any(s.hint is Hint.INCLUDE for s in highlighter.spans(work.record.title or ""))
    return in_title or len(terms) >= 2


def _weighted(rng: random.Random, codes: list[str]) -> str:
    """Earlier reasons in the protocol are the commoner ones (weights n, n-1, ..., 1)."""
    return rng.choices(codes, weights=range(len(codes), 0, -1))[0]


def _ta_reason(work: Work, highlighter: Highlighter, codes: list[str], rng: random.Random) -> str:
    hints = {span.hint for span in highlighter.spans(_text(work))}
    clinical = [c for c in codes if "clinical" in c]
    if Hint.EXCLUDE in hints and clinical:
        return clinical[0]
    return _weighted(rng, codes)


def _disagreements(work_ids: list[int], seed: int, stage: str) -> dict[int, int]:
    """The works the reviewers disagree on, each with its slot (0, 1, 2...) in a seeded
    order: the slot says which reviewer departs from the label and how."""
    order = sorted(work_ids, key=lambda w: _rng(seed, "disagree", stage, w).random())
    count = round(len(order) * DISAGREEMENT_RATE)
    return {work_id: slot for slot, work_id in enumerate(order[:count])}


def simulate_title_abstract(
    store: Store, protocol: ReviewProtocol, version: str | None, seed: int = DEFAULT_SEED
) -> SimulationResult:
    """Two reviewers decide every work; the lead resolves every conflict."""
    result = SimulationResult()
    highlighter = Highlighter(protocol.keywords)
    codes = [code for code, _ in protocol.exclusion_reasons]
    truth: dict[int, tuple[bool, str]] = {}
    works = list(store.iter_works())
    disagree = _disagreements([w.work_id for w in works], seed, "title_abstract")
    for work in works:
        result.works += 1
        label = relevant(work, highlighter)
        reason = _ta_reason(work, highlighter, codes, _rng(seed, "reason", work.work_id))
        truth[work.work_id] = (label, reason)
        for reviewer in REVIEWERS:
            rng = _rng(seed, reviewer, work.work_id)
            choice = Choice.INCLUDE if label else Choice.EXCLUDE
            slot = disagree.get(work.work_id)
            if slot is not None and REVIEWERS[slot % 2] == reviewer:
                # A 'maybe' only against an exclusion: the 2x2 table counts it with include,
                # so it is a disagreement there too.
                choice = Choice.MAYBE if slot % 4 == 3 and not label else (
                    Choice.EXCLUDE if label else Choice.INCLUDE)
            reasons: list[str] = []
            if choice is Choice.EXCLUDE:
                # Reviewers who both exclude mostly, not always, name the same reason.
                reasons = [reason if rng.random() < 0.8 else _weighted(rng, codes)]
            store.record_decision(
                work.work_id, reviewer, Stage.TITLE_ABSTRACT, choice, reasons,
                protocol_version=version,
            )
            result.decisions += 1
    outcomes = work_outcomes(store, Stage.TITLE_ABSTRACT, protocol.policy(Stage.TITLE_ABSTRACT))
    for work_id, outcome in outcomes.items():
        if outcome is Outcome.CONFLICT:
            label, reason = truth[work_id]
            resolve_conflict(
                store, protocol, work_id, Choice.INCLUDE if label else Choice.EXCLUDE, LEAD,
                reasons=[] if label else [reason], note="simulated resolution",
            )
            result.conflicts_resolved += 1
    return result


def simulate_fulltext(
    store: Store,
    protocol: ReviewProtocol,
    version: str | None,
    result: SimulationResult,
    seed: int = DEFAULT_SEED,
) -> SimulationResult:
    """Retrieval and eligibility for every work included at title/abstract."""
    codes = [r.reason for r in protocol.fulltext_reasons]
    dual = protocol.policy(Stage.FULLTEXT) is not Policy.SINGLE
    deciders = REVIEWERS if dual else REVIEWERS[:1]
    entered = fulltext_works(store, protocol)
    disagree = _disagreements([ft.work_id for ft in entered], seed, "fulltext")
    for ft in entered:
        result.fulltext_sought += 1
        rng = _rng(seed, "fulltext", ft.work_id)
        if rng.random() < NOT_RETRIEVED_RATE:
            record_retrieval(store, ft.work_id, Retrieval.NOT_RETRIEVED, REVIEWERS[0], protocol)
            continue
        record_retrieval(store, ft.work_id, Retrieval.RETRIEVED, REVIEWERS[0], protocol)
        eligible = not codes or rng.random() >= FULLTEXT_EXCLUDE_RATE
        reason = _weighted(rng, codes) if codes else None
        slot = disagree.get(ft.work_id)
        for reviewer in deciders:
            departs = dual and slot is not None and REVIEWERS[slot % 2] == reviewer
            include = not eligible if departs else eligible
            if include or reason is None:
                choice, reasons = Choice.INCLUDE, []
            else:
                choice, reasons = Choice.EXCLUDE, [reason]
            record_eligibility(
                store, ft.work_id, choice, reviewer, protocol, reasons, protocol_version=version
            )
            result.decisions += 1
        if dual:
            outcome = next(w for w in fulltext_works(store, protocol) if w.work_id == ft.work_id)
            if outcome.outcome is Outcome.CONFLICT:
                choice = Choice.INCLUDE if eligible or reason is None else Choice.EXCLUDE
                resolve_conflict(
                    store, protocol, ft.work_id, choice, LEAD, stage=Stage.FULLTEXT,
                    reasons=[] if choice is Choice.INCLUDE else [str(reason)],
                    note="simulated resolution",
                )
                result.fulltext_conflicts_resolved += 1
    for ft in fulltext_works(store, protocol):
        if ft.retrieval is Retrieval.NOT_RETRIEVED:
            result.not_retrieved += 1
        elif ft.outcome is Outcome.INCLUDED:
            result.fulltext_included += 1
        elif ft.outcome is Outcome.EXCLUDED:
            result.fulltext_excluded += 1
    return result


def simulate_review(
    store: Store, protocol: ReviewProtocol, version: str | None, seed: int = DEFAULT_SEED
) -> SimulationResult:
    """The whole simulated review: title/abstract, conflicts, full text."""
    result = simulate_title_abstract(store, protocol, version, seed)
    return simulate_fulltext(store, protocol, version, result, seed)
