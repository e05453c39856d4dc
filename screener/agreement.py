"""Two-rater agreement statistics on a square contingency table, in plain Python.

Rows are rater A, columns rater B. Every figure is ``None`` when it is undefined for the
table (kappa when expected agreement is 1, a standard error from fewer than two works...),
and ``messages`` says why, so no caller ever sees a NaN.

Formulas: Cohen (1960) kappa; Fleiss, Cohen & Everitt (1969) large-sample SE and the SE
under the null; Byrt, Bishop & Carlin (1993) PABAK, prevalence and bias indices (PABAK
generalised to k categories as (k*po - 1)/(k - 1), i.e. Brennan-Prediger); Scott (1955)
pi; Gwet (2008) AC1 and its SE as in the irrCAC package; Krippendorff's alpha (nominal,
two raters, no missing values).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

Table = list[list[int]]

Z_95 = 1.959963984540054
"""The normal 97.5% quantile, for the large-sample 95% confidence intervals."""

_EPS = 1e-12

# Landis & Koch (1977): below 0 poor, up to .20 slight, .40 fair, .60 moderate,
# .80 substantial, above almost perfect.
_BANDS = [(0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"),
          (0.8, "substantial")]


@dataclass
class AgreementStats:
    """Every figure for one table; the field names are the JSON keys of ``agreement``."""

    n: int
    table: Table
    percent_agreement: float | None = None
    expected_agreement: float | None = None
    cohen_kappa: float | None = None
    kappa_se: float | None = None
    kappa_ci_low: float | None = None
    kappa_ci_high: float | None = None
    kappa_ci_t_low: float | None = None
    kappa_ci_t_high: float | None = None
    kappa_se0: float | None = None
    kappa_z: float | None = None
    kappa_max: float | None = None
    pabak: float | None = None
    prevalence_index: float | None = None
    bias_index: float | None = None
    positive_agreement: float | None = None
    negative_agreement: float | None = None
    specific_agreement: list[float | None] = field(default_factory=list)
    """Per category: 2 * n_kk / (n_k. + n_.k) (positive/negative agreement for 2x2)."""
    scott_pi: float | None = None
    gwet_ac1: float | None = None
    gwet_ac1_pe: float | None = None
    gwet_ac1_se: float | None = None
    gwet_ac1_ci_low: float | None = None
    gwet_ac1_ci_high: float | None = None
    gwet_ac1_ci_t_low: float | None = None
    gwet_ac1_ci_t_high: float | None = None
    krippendorff_alpha: float | None = None
    messages: list[str] = field(default_factory=list)
    """Why a figure is None (one line each)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_table(table: Table) -> None:
    k = len(table)
    if k < 2 or any(len(row) != k for row in table):
        raise ValueError("agreement needs a square table with at least two categories")
    if any(c < 0 for row in table for c in row):
        raise ValueError("contingency table counts must not be negative")


def _ci(value: float, se: float, q: float) -> tuple[float, float]:
    # Kappa-type coefficients live in [-1, 1]; irrCAC caps the upper bound the same way.
    return max(-1.0, value - q * se), min(1.0, value + q * se)


def _sqrt_var(var: float) -> float:
    # Rounding leaves a tiny (even negative) variance when the true value is 0.
    return math.sqrt(var) if var > 1e-14 else 0.0


def agreement_stats(table: Table, categories: list[str] | None = None) -> AgreementStats:
    """All statistics for a k x k table of counts (k >= 2); ``categories`` name messages."""
    _check_table(table)
    k = len(table)
    n = sum(sum(row) for row in table)
    s = AgreementStats(n=n, table=[list(row) for row in table])
    if n == 0:
        s.messages.append("no works were screened by both reviewers: nothing to compare")
        return s
    p = [[c / n for c in row] for row in table]
    # Margins and agreement from the integer counts, so 9 of 10 is exactly 0.9.
    row_n = [sum(row) for row in table]
    col_n = [sum(table[i][j] for i in range(k)) for j in range(k)]
    rows = [r / n for r in row_n]
    cols = [c / n for c in col_n]
    po = sum(table[i][i] for i in range(k)) / n
    pe = sum(row_n[i] * col_n[i] for i in range(k)) / (n * n)
    s.percent_agreement = po
    s.expected_agreement = pe
    s.pabak = (k * po - 1) / (k - 1)
    s.specific_agreement = [
        (2 * table[i][i] / (row_n[i] + col_n[i])) if row_n[i] + col_n[i] > 0 else None
        for i in range(k)
    ]
    unused = [
        categories[i] if categories else str(i + 1)
        for i, v in enumerate(s.specific_agreement) if v is None
    ]
    if unused:
        s.messages.append(
            f"specific agreement undefined for categories neither reviewer used: "
            f"{', '.join(unused)}"
        )
    if k == 2:
        s.positive_agreement, s.negative_agreement = s.specific_agreement
        s.prevalence_index = (table[0][0] - table[1][1]) / n
        s.bias_index = (table[0][1] - table[1][0]) / n
    _cohen(s, p, rows, cols, po, pe, n)
    _scott(s, rows, cols, po)
    _gwet(s, p, rows, cols, po, n)
    _krippendorff(s, table, n)
    return s


def _cohen(
    s: AgreementStats, p: list[list[float]], rows: list[float], cols: list[float],
    po: float, pe: float, n: int,
) -> None:
    k = len(p)
    if pe >= 1 - _EPS:
        s.messages.append(
            "Cohen's kappa undefined: both reviewers used a single category "
            "(expected agreement 1)"
        )
        return
    kappa = (po - pe) / (1 - pe)
    s.cohen_kappa = kappa
    po_max = sum(min(rows[i], cols[i]) for i in range(k))
    s.kappa_max = (po_max - pe) / (1 - pe)
    if n < 2:
        s.messages.append("kappa standard error needs at least two works")
        return
    # Fleiss, Cohen & Everitt (1969), eq. 13.
    total = sum(p[i][i] * (1 - (rows[i] + cols[i]) * (1 - kappa)) ** 2 for i in range(k))
    total += (1 - kappa) ** 2 * sum(
        p[i][j] * (cols[i] + rows[j]) ** 2 for i in range(k) for j in range(k) if i != j
    )
    total -= (kappa - pe * (1 - kappa)) ** 2
    se = _sqrt_var(total / (n * (1 - pe) ** 2))
    s.kappa_se = se
    s.kappa_ci_low, s.kappa_ci_high = _ci(kappa, se, Z_95)
    s.kappa_ci_t_low, s.kappa_ci_t_high = _ci(kappa, se, t_quantile(0.975, n - 1))
    # Fleiss, Cohen & Everitt (1969), eq. 14: the SE when the true kappa is 0.
    var0 = pe + pe**2 - sum(rows[i] * cols[i] * (rows[i] + cols[i]) for i in range(k))
    se0 = _sqrt_var(var0 / (n * (1 - pe) ** 2))
    if se0 > _EPS:
        s.kappa_se0 = se0
        s.kappa_z = kappa / se0
    else:
        s.messages.append("kappa z undefined: the standard error under the null is 0")


def _scott(s: AgreementStats, rows: list[float], cols: list[float], po: float) -> None:
    pe = sum(((r + c) / 2) ** 2 for r, c in zip(rows, cols, strict=True))
    if pe >= 1 - _EPS:
        s.messages.append("Scott's pi undefined: every decision fell in one category")
        return
    s.scott_pi = (po - pe) / (1 - pe)


def _gwet(
    s: AgreementStats, p: list[list[float]], rows: list[float], cols: list[float],
    po: float, n: int,
) -> None:
    k = len(p)
    pi = [(r + c) / 2 for r, c in zip(rows, cols, strict=True)]
    # sum pi(1 - pi) <= 1 - 1/k, so pe <= 1/k < 1: AC1 is always defined.
    pe = sum(x * (1 - x) for x in pi) / (k - 1)
    ac1 = (po - pe) / (1 - pe)
    s.gwet_ac1_pe = pe
    s.gwet_ac1 = ac1
    if n < 2:
        s.messages.append("AC1 standard error needs at least two works")
        return
    # Gwet (2008) variance with unit weights and no finite-population correction (irrCAC).
    total = 0.0
    for i in range(k):
        for j in range(k):
            weight = 1.0 if i == j else 0.0
            term = weight - 2 * (1 - ac1) * (1 - (pi[i] + pi[j]) / 2) / (k - 1)
            total += p[i][j] * term**2
    total -= (po - 2 * (1 - ac1) * pe) ** 2
    se = _sqrt_var(total / (n * (1 - pe) ** 2))
    s.gwet_ac1_se = se
    s.gwet_ac1_ci_low, s.gwet_ac1_ci_high = _ci(ac1, se, Z_95)
    s.gwet_ac1_ci_t_low, s.gwet_ac1_ci_t_high = _ci(ac1, se, t_quantile(0.975, n - 1))


def _krippendorff(s: AgreementStats, table: Table, n: int) -> None:
    # Coincidence matrix of 2n pairable values: o_cc = 2 * n_cc, n_c = n_c. + n_.c.
    k = len(table)
    values = 2 * n
    margins = [sum(table[i]) + sum(table[j][i] for j in range(k)) for i in range(k)]
    agree = 2 * sum(table[i][i] for i in range(k))
    chance = sum(m * (m - 1) for m in margins)
    denominator = values * (values - 1) - chance
    if denominator == 0:
        s.messages.append("Krippendorff's alpha undefined: the decisions do not vary")
        return
    s.krippendorff_alpha = ((values - 1) * agree - chance) / denominator


def kappa_band(kappa: float) -> str:
    """The Landis & Koch (1977) band of a kappa: ``poor`` ... ``almost perfect``."""
    for upper, label in _BANDS:
        if kappa < upper or (upper > 0 and kappa <= upper):
            return label
    return "almost perfect"


def interpret_kappa(kappa: float | None) -> str:
    """One line: ``substantial agreement (Landis & Koch)``."""
    if kappa is None:
        return "agreement cannot be judged (kappa undefined)"
    return f"{kappa_band(kappa)} agreement (Landis & Koch)"


def paradox_warning(s: AgreementStats) -> str | None:
    """A warning when prevalence or bias makes a low kappa misleading (Feinstein-Cicchetti)."""
    if s.cohen_kappa is None or s.percent_agreement is None or s.pabak is None:
        return None
    gap = s.pabak - s.cohen_kappa
    if s.percent_agreement < 0.8 or s.cohen_kappa > 0.6 or gap < 0.15:
        return None
    causes = []
    if s.prevalence_index is not None and abs(s.prevalence_index) >= 0.5:
        causes.append(f"unbalanced prevalence (index {s.prevalence_index:+.2f})")
    if s.bias_index is not None and abs(s.bias_index) >= 0.2:
        causes.append(f"reviewer bias (index {s.bias_index:+.2f})")
    why = " and ".join(causes) or "unbalanced category use"
    return (
        f"high agreement ({s.percent_agreement:.0%}) but low kappa ({s.cohen_kappa:.2f}) "
        f"because of {why}: read PABAK ({s.pabak:.2f}) and AC1 beside kappa"
    )


# --- Student's t quantile (for t(n-1) confidence intervals) ---------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(prob: float, df: int) -> float:
    """The ``prob`` quantile of Student's t (bisection on the CDF; prob in (0, 1))."""
    if df < 1 or not 0.0 < prob < 1.0:
        raise ValueError("t quantile needs df >= 1 and 0 < prob < 1")
    if prob < 0.5:
        return -t_quantile(1.0 - prob, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < prob:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2
        if t_cdf(mid, df) < prob:
            low = mid
        else:
            high = mid
        if high - low < 1e-13:
            break
    return (low + high) / 2
