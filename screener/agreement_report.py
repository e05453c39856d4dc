"""Agreement between two reviewers of a project: tables, statistics, reasons, pilot round.

Builds on ``agreement`` (pure statistics). The 2x2 table is include-vs-exclude with a
maybe counted as not excluded, i.e. with include (a maybe goes forward, as an include
does); the three-category table keeps include / exclude / maybe apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from screener.agreement import AgreementStats, agreement_stats, interpret_kappa, paradox_warning
from screener.conflicts import stage_reasons
from screener.errors import ScreenerError
from screener.models import Choice, Stage
from screener.protocol import ReviewProtocol
from screener.store import Store
from screener.store.agreement import StandingDecision

TWO_CATEGORIES = ["include", "exclude"]
THREE_CATEGORIES = [Choice.INCLUDE.value, Choice.EXCLUDE.value, Choice.MAYBE.value]
MAYBE_NOTE = "maybe counts with include, i.e. as not excluded"
UNSPECIFIED = "unspecified"
"""The reason code of an exclusion recorded without a reason."""
_UNSPECIFIED_SET = frozenset({UNSPECIFIED})
_TWO_BY_TWO_ONLY = ("prevalence_index", "bias_index", "positive_agreement", "negative_agreement")


@dataclass
class ReasonAgreement:
    """Agreement on one exclusion reason among the works both reviewers excluded."""

    reason: str
    label: str
    by_a: int
    by_b: int
    both: int
    specific_agreement: float | None
    """2 * both / (by_a + by_b): how often a citation of the reason is matched."""
    cohen_kappa: float | None
    """Kappa of citing vs not citing the reason, over the works both excluded."""


@dataclass
class AgreementReport:
    stage: Stage
    reviewers: tuple[str, str]
    first: int | None
    two: AgreementStats
    three: AgreementStats
    both_excluded: int = 0
    same_reasons: int = 0
    """Works both excluded citing exactly the same reasons."""
    by_reason: list[ReasonAgreement] = field(default_factory=list)

    @property
    def interpretation(self) -> str:
        return interpret_kappa(self.two.cohen_kappa)

    @property
    def warning(self) -> str | None:
        return paradox_warning(self.two)

    def to_json(self) -> dict[str, Any]:
        """The ``screener agreement --json`` object (its keys are a fixed interface)."""
        out: dict[str, Any] = {
            "stage": self.stage.value,
            "reviewers": list(self.reviewers),
            "first": self.first,
            "note": MAYBE_NOTE,
            "categories": TWO_CATEGORIES,
            **_stats_json(self.two, TWO_CATEGORIES),
            "interpretation": self.interpretation,
            "warning": self.warning,
            "three_category": {
                "categories": THREE_CATEGORIES,
                **_stats_json(self.three, THREE_CATEGORIES),
                "interpretation": interpret_kappa(self.three.cohen_kappa),
            },
            "both_excluded": self.both_excluded,
            "same_reasons": self.same_reasons,
            "by_reason": [vars(r) for r in self.by_reason],
        }
        return out


def _stats_json(stats: AgreementStats, categories: list[str]) -> dict[str, Any]:
    data = stats.to_dict()
    specific = data.pop("specific_agreement")
    data["specific_agreement"] = dict(zip(categories, specific, strict=False))
    if len(categories) > 2:
        data["messages"].append(
            "prevalence and bias indices and positive/negative agreement are 2x2 figures: "
            "see the 2x2 table, and specific_agreement per category"
        )
        for key in _TWO_BY_TWO_ONLY:
            data[key] = None
    return data


def choose_reviewers(store: Store, stage: Stage, given: list[str] | None) -> tuple[str, str]:
    """The two reviewers to compare: the given pair, else the stage's only two reviewers."""
    known = store.reviewers(stage)
    if given:
        a, b = given
        if a == b:
            raise ScreenerError(f"--reviewers needs two different names, got {a!r} twice")
        missing = [r for r in (a, b) if r not in known]
        if missing:
            have = ", ".join(known) or "none yet"
            raise ScreenerError(
                f"no {stage.value} decisions by {', '.join(missing)} (reviewers: {have})"
            )
        return a, b
    if len(known) == 2:
        return known[0], known[1]
    if len(known) < 2:
        have = ", ".join(known) or "none"
        raise ScreenerError(
            f"agreement needs two reviewers' {stage.value} decisions; reviewers so far: {have}"
        )
    raise ScreenerError(
        f"{len(known)} reviewers ({', '.join(known)}): choose two with --reviewers A B"
    )


def pilot_works(decisions: dict[int, StandingDecision], first: int) -> set[int]:
    """The works of a reviewer's first ``first`` decisions (in the order first decided)."""
    ordered = sorted(decisions.values(), key=lambda d: d.first_row)
    return {d.work_id for d in ordered[:first]}


def _two(choice: Choice) -> int:
    return 1 if choice is Choice.EXCLUDE else 0


def _reasons(d: StandingDecision) -> frozenset[str]:
    return frozenset(d.reasons) or _UNSPECIFIED_SET


def agreement_report(
    store: Store,
    stage: Stage,
    reviewers: tuple[str, str],
    first: int | None = None,
    protocol: ReviewProtocol | None = None,
    version: str | None = None,
) -> AgreementReport:
    """Agreement of two reviewers on the works both decided (optionally a pilot round:
    their ``first`` decisions, among those made under protocol ``version``)."""
    if first is not None and first < 1:
        raise ScreenerError("--first needs a positive number of decisions")
    a, b = reviewers
    da = store.standing_decisions(stage, a, version)
    db = store.standing_decisions(stage, b, version)
    shared = set(da) & set(db)
    if first is not None:
        shared &= pilot_works(da, first) & pilot_works(db, first)
    pairs = Counter((da[w].decision, db[w].decision) for w in shared)
    order = [Choice.INCLUDE, Choice.EXCLUDE, Choice.MAYBE]
    three = [[pairs[(x, y)] for y in order] for x in order]
    two = [[0] * 2 for _ in range(2)]
    for (x, y), count in pairs.items():
        two[_two(x)][_two(y)] += count
    excluded = [
        (_reasons(da[w]), _reasons(db[w])) for w in shared
        if da[w].decision is Choice.EXCLUDE and db[w].decision is Choice.EXCLUDE
    ]
    report = AgreementReport(
        stage=stage, reviewers=(a, b), first=first,
        two=agreement_stats(two, ["include or maybe", "exclude"]),
        three=agreement_stats(three, THREE_CATEGORIES),
        both_excluded=len(excluded),
        same_reasons=sum(1 for ra, rb in excluded if ra == rb),
    )
    report.by_reason = _by_reason(excluded, protocol, stage)
    return report


def _by_reason(
    excluded: list[tuple[frozenset[str], frozenset[str]]], protocol: ReviewProtocol | None, stage: Stage
) -> list[ReasonAgreement]:
    known = stage_reasons(protocol, stage)
    codes = [code for code, _ in known]
    cited_a = Counter(c for ra, _ in excluded for c in ra)
    cited_b = Counter(c for _, rb in excluded for c in rb)
    cited_both = Counter(c for ra, rb in excluded for c in ra & rb)
    seen = sorted((set(cited_a) | set(cited_b)) - set(codes))
    labels = dict(known)
    out = []
    for code in [*codes, *seen]:
        by_a, by_b = cited_a[code], cited_b[code]
        if not excluded or by_a + by_b == 0:
            # A reason neither cited: nothing to agree on (and kappa would be undefined).
            if code in codes:
                out.append(ReasonAgreement(code, labels[code], 0, 0, 0, None, None))
            continue
        both = cited_both[code]
        table = [[both, by_a - both], [by_b - both, len(excluded) - by_a - by_b + both]]
        kappa = agreement_stats(table).cohen_kappa
        label = labels.get(code, "no reason given" if code == UNSPECIFIED else code)
        out.append(ReasonAgreement(code, label, by_a, by_b, both, 2 * both / (by_a + by_b), kappa))
    return out


@dataclass
class PilotStatus:
    """Where the calibration round stands against the protocol's kappa threshold."""

    size: int
    threshold: float
    reviewers: tuple[str, str] | None
    n: int
    kappa: float | None
    complete: bool
    """Both reviewers have made ``size`` decisions."""
    reached: bool

    @property
    def message(self) -> str:
        if self.reviewers is None:
            return f"pilot of {self.size}: waiting for two reviewers"
        if not self.complete:
            return f"pilot of {self.size}: in progress ({self.n} compared so far)"
        k = "undefined" if self.kappa is None else f"{self.kappa:.2f}"
        if self.reached:
            return f"pilot reached: kappa {k} >= {self.threshold:g} on {self.n} works"
        return (
            f"pilot NOT reached: kappa {k} < {self.threshold:g} on {self.n} works; "
            "discuss, refine the criteria, then 'screener pilot restart' for a new round"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size, "kappa_threshold": self.threshold,
            "reviewers": list(self.reviewers) if self.reviewers else None, "n": self.n,
            "kappa": self.kappa, "complete": self.complete, "reached": self.reached,
            "message": self.message,
        }


def pilot_status(
    store: Store, protocol: ReviewProtocol | None, stage: Stage = Stage.TITLE_ABSTRACT
) -> PilotStatus | None:
    """The pilot's state when the protocol sets ``pilot_size`` and ``kappa_threshold``."""
    if protocol is None:
        return None
    size, threshold = protocol.screening.pilot_size, protocol.screening.kappa_threshold
    if size is None or threshold is None:
        return None
    known = store.reviewers(stage)
    if len(known) < 2:
        return PilotStatus(size, threshold, None, 0, None, False, False)
    pair = (known[0], known[1])
    # A round counts the decisions made under the protocol's declared version: refining
    # the criteria (a new version) or `screener pilot restart` starts a new round.
    version = protocol.review.version
    report = agreement_report(store, stage, pair, first=size, protocol=protocol, version=version)
    complete = all(len(store.standing_decisions(stage, r, version)) >= size for r in pair)
    kappa = report.two.cohen_kappa
    # Perfect agreement on a single category leaves kappa undefined: do not block on it.
    reached = complete and (
        (kappa is not None and kappa >= threshold)
        or (kappa is None and report.two.percent_agreement == 1.0)
    )
    return PilotStatus(size, threshold, pair, report.two.n, kappa, complete, reached)


@dataclass
class LiveAgreement:
    """What the lead's agreement panel shows: the figures so far and the pilot's state."""

    report: AgreementReport | None
    pilot: PilotStatus | None
    problem: str | None = None
    """Why there are no figures yet (fewer than two reviewers, ...)."""


def live_agreement(
    store: Store, stage: Stage, protocol: ReviewProtocol | None
) -> LiveAgreement:
    pilot = pilot_status(store, protocol, stage)
    try:
        pair = choose_reviewers(store, stage, None)
    except ScreenerError as exc:
        return LiveAgreement(None, pilot, exc.message)
    return LiveAgreement(agreement_report(store, stage, pair, protocol=protocol), pilot)
