"""The stopping rule: Callaghan & Müller-Hansen (2020), hypergeometric test of recall.

Null hypothesis: recall is below the target (some includes are still unread). The last
``n`` works the reviewer read, for every ``n``, are treated as a sample drawn from an
"urn" made of themselves and every unread work. If so few includes turned up in a sample
that, had the urn held enough includes to put recall below the target, seeing so few
would have had probability below ``1 - confidence``, the null is rejected and it is safe
to stop. This is the variant of the paper's rule that needs no separate random-sampling
phase (the ``calculate_h0`` of the authors' buscar code); it is exact when the reviewer
reads in random order and conservative when the ranking puts includes earlier than random
order would (the recent sample is then richer in includes than the unread rest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class StopEstimate:
    """What the rule says after a reviewer's decisions (in the order they were made)."""

    screened: int
    includes: int
    total: int
    recall_target: float
    confidence: float
    p_value: float
    """Probability of so few includes in the recent reads if recall were below target."""
    recall_bound: float | None
    """Recall reached with the rule's confidence (None: not yet any include)."""

    @property
    def safe_to_stop(self) -> bool:
        return self.p_value < 1 - self.confidence

    def to_json(self) -> dict[str, object]:
        return {
            "screened": self.screened,
            "includes": self.includes,
            "works": self.total,
            "recall_target": self.recall_target,
            "confidence": self.confidence,
            "p_value": round(self.p_value, 6),
            "recall_bound": None if self.recall_bound is None else round(self.recall_bound, 4),
            "safe_to_stop": self.safe_to_stop,
        }


def p_missed_target(labels: Sequence[int] | np.ndarray, total: int, recall_target: float) -> float:
    """p-value of "recall < ``recall_target``" after reading ``labels`` (1 = include, in
    reading order) out of ``total`` works; the smallest over the recent samples."""
    seen = np.asarray(labels, dtype=np.int64)
    n_seen = len(seen)
    if n_seen == 0 or total <= 0:
        return 1.0
    if n_seen >= total:
        return 0.0
    r_seen = int(seen.sum())
    sizes = sample_sizes(n_seen)
    recent = seen[::-1].cumsum()[sizes - 1]
    # Fewest includes the urn must hold for recall to be below target: total includes
    # above r_seen / target, minus those read before the sample.
    needed = np.floor(r_seen / recall_target - (r_seen - recent)) + 1
    urn = total - n_seen + sizes
    # An urn too small to hold that many includes cannot hide them: recall is reached.
    impossible = needed > urn
    p = hypergeom_cdf(recent, urn, np.minimum(needed, urn).astype(np.int64), sizes)
    p[impossible] = 0.0
    return float(p.min())


def hypergeom_cdf(k: np.ndarray, total: np.ndarray, good: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """P(X <= k) for X ~ Hypergeometric(total, good, draws), element-wise.

    Below the mean it sums the pmf downwards from ``k``, above it sums the upper tail
    upwards from ``k + 1``; both stop once the terms are negligible. In the rule's region
    a few terms suffice, where scipy.stats sums every term (seconds on a long history).
    """
    from scipy.special import gammaln

    good_f, draws_f, total_f = (a.astype(np.float64) for a in (good, draws, total))
    bad = total_f - good_f
    low = np.maximum(0.0, draws_f - bad)
    high = np.minimum(good_f, draws_f)
    k = np.clip(k.astype(np.float64), low - 1, high)
    lower = k < draws_f * good_f / np.maximum(total_f, 1.0)

    def pmf(i: np.ndarray) -> np.ndarray:
        def log_choose(n: np.ndarray, r: np.ndarray) -> np.ndarray:
            return np.asarray(gammaln(n + 1) - gammaln(r + 1) - gammaln(n - r + 1))

        inside = (i >= low) & (i <= high)
        j = np.clip(i, low, high)
        value = np.exp(log_choose(good_f, j) + log_choose(bad, draws_f - j)
                       - log_choose(total_f, draws_f))
        return np.where(inside, value, 0.0)

    # Lower tail: i = k, k-1, ...; upper tail: i = k+1, k+2, ...
    i = np.where(lower, k, k + 1)
    term = pmf(i)
    tail = term.copy()
    while True:
        active = np.where(lower, i > low, i < high) & (term > tail * 1e-15) & (term > 0)
        if not active.any():
            break
        down = i * (bad - draws_f + i) / np.maximum((good_f - i + 1) * (draws_f - i + 1), 1.0)
        up = (good_f - i) * (draws_f - i) / np.maximum((i + 1) * (bad - draws_f + i + 1), 1.0)
        term = np.where(active, term * np.where(lower, down, up), 0.0)
        tail += term
        i = np.where(active, np.where(lower, i - 1, i + 1), i)
    return np.asarray(np.clip(np.where(lower, tail, 1.0 - tail), 0.0, 1.0))


EVERY_SIZE_UP_TO = 50
SIZE_GROWTH = 1.03


def sample_sizes(n_seen: int) -> np.ndarray:
    """The recent-sample sizes tested: every size up to 50, then sizes 3 % apart, and the
    whole history. Testing every size of a long history costs much for a near-identical
    minimum (a sparser grid can only make the rule fire later, never earlier)."""
    sizes = set(range(1, min(n_seen, EVERY_SIZE_UP_TO) + 1))
    size = float(EVERY_SIZE_UP_TO)
    while size < n_seen:
        sizes.add(int(size))
        size *= SIZE_GROWTH
    sizes.add(n_seen)
    return np.array(sorted(sizes), dtype=np.int64)


def estimate(
    labels: Sequence[int], total: int, recall_target: float, confidence: float
) -> StopEstimate:
    """The rule's verdict and the recall bound reached with ``confidence``."""
    p = p_missed_target(labels, total, recall_target)
    includes = int(sum(labels))
    return StopEstimate(
        screened=len(labels), includes=includes, total=total, recall_target=recall_target,
        confidence=confidence, p_value=p,
        recall_bound=recall_bound(labels, total, confidence) if includes else None,
    )


def recall_bound(labels: Sequence[int], total: int, confidence: float) -> float:
    """The highest recall target for which the rule rejects "recall below target", to
    0.001. The p-value grows with the target, so a bisection finds where it crosses."""
    alpha = 1 - confidence
    if p_missed_target(labels, total, 1.0 - 1e-9) < alpha:
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(10):
        mid = (low + high) / 2
        if p_missed_target(labels, total, mid) < alpha:
            low = mid
        else:
            high = mid
    return low


def advice_line(s: Mapping[str, Any]) -> str:
    """The rule's advice in one line, from ``StopEstimate.to_json()`` (status and TUI)."""
    bound = "no include yet" if s["recall_bound"] is None else f"recall >= {s['recall_bound']:.2f}"
    return (
        f"stopping rule (recall {s['recall_target']:g}, confidence {s['confidence']:g}): "
        f"{s['screened']} screened, {s['includes']} includes found, {bound}; "
        f"safe to stop: {'yes' if s['safe_to_stop'] else 'no'}"
    )
