"""Agreement statistics against published vectors, and their edge cases."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from screener.agreement import (
    AgreementStats,
    agreement_stats,
    interpret_kappa,
    paradox_warning,
    t_quantile,
)

VECTORS_PATH = Path(__file__).parent.parent.parent / "shared" / "agreement-vectors.json"
# Derived values are printed to 6 decimals (z to 5): allow the rounding and a little more.
DERIVED_TOLERANCE = 2e-6


def _vectors() -> list[dict[str, Any]]:
    if not VECTORS_PATH.exists():
        return []
    vectors: list[dict[str, Any]] = json.loads(VECTORS_PATH.read_text())["vectors"]
    return vectors


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(v, key, id=f"{v['name']}-{key}")
        for v in _vectors()
        for key in v[kind]
    ]


def _value(stats: AgreementStats, key: str) -> Any:
    return getattr(stats, key)


needs_vectors = pytest.mark.skipif(not VECTORS_PATH.exists(), reason="shared vectors absent")


@needs_vectors
def test_every_vector_is_checked() -> None:
    # Guards against a vector file that silently stops yielding cases.
    assert len(_cases("expected")) >= 30 and len(_cases("derived")) >= 100


@needs_vectors
@pytest.mark.parametrize(("vector", "key"), _cases("expected"))
def test_published_value(vector: dict[str, Any], key: str) -> None:
    stats = agreement_stats(vector["table"])
    got = _value(stats, key)
    assert got is not None
    assert abs(got - vector["expected"][key]) <= vector["expected_tolerance"][key]


@needs_vectors
@pytest.mark.parametrize(("vector", "key"), _cases("derived"))
def test_derived_value(vector: dict[str, Any], key: str) -> None:
    stats = agreement_stats(vector["table"])
    want = vector["derived"][key]
    got = _value(stats, key)
    if isinstance(want, list):
        assert got == pytest.approx(want, abs=DERIVED_TOLERANCE)
    else:
        assert got is not None
        assert abs(got - want) <= DERIVED_TOLERANCE * max(1.0, abs(want))


@needs_vectors
@pytest.mark.parametrize(
    "vector", [v for v in _vectors() if len(v["table"]) == 2], ids=lambda v: v["name"]
)
def test_byrt_identity_links_kappa_pabak_and_indices(vector: dict[str, Any]) -> None:
    """kappa = (PABAK - PI^2 + BI^2) / (1 - PI^2 + BI^2) for every 2x2 table."""
    s = agreement_stats(vector["table"])
    assert s.pabak is not None and s.prevalence_index is not None and s.bias_index is not None
    pi2, bi2 = s.prevalence_index**2, s.bias_index**2
    assert s.cohen_kappa == pytest.approx((s.pabak - pi2 + bi2) / (1 - pi2 + bi2))


@needs_vectors
@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: v["name"])
def test_cross_checks_from_other_packages(vector: dict[str, Any]) -> None:
    s = agreement_stats(vector["table"])
    checks = vector["cross_checks"]
    assert s.cohen_kappa == pytest.approx(checks["sklearn_kappa"], abs=1e-6)
    assert s.krippendorff_alpha == pytest.approx(checks["krippendorff_pkg_alpha"], abs=1e-6)
    assert s.gwet_ac1 == pytest.approx(checks["irrcac_py_ac1"], abs=1e-5)


@pytest.mark.parametrize(
    ("df", "quantile"),
    [(1, 12.7062047362), (2, 4.3026527297), (5, 2.5705818366), (18, 2.1009220402),
     (99, 1.9842169516), (10_000, 1.9602012)],
)
def test_t_quantile_matches_tables(df: int, quantile: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(quantile, abs=1e-7)
    assert t_quantile(0.025, df) == pytest.approx(-quantile, abs=1e-7)


def _finite(stats: AgreementStats) -> None:
    """No figure is ever NaN or infinite; undefined ones are None with a message."""
    for key, value in stats.to_dict().items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, float):
                assert math.isfinite(v), key


def test_no_works_gives_empty_figures_and_a_message() -> None:
    s = agreement_stats([[0, 0], [0, 0]])
    assert s.n == 0 and s.cohen_kappa is None and s.percent_agreement is None
    assert s.messages == ["no works were screened by both reviewers: nothing to compare"]
    assert json.dumps(s.to_dict())  # serialisable, no NaN


def test_one_work_has_agreement_but_no_kappa_or_standard_errors() -> None:
    s = agreement_stats([[1, 0], [0, 0]])
    _finite(s)
    assert s.percent_agreement == 1.0 and s.pabak == 1.0 and s.gwet_ac1 == 1.0
    assert s.cohen_kappa is None and s.kappa_se is None and s.gwet_ac1_se is None
    assert any("expected agreement 1" in m for m in s.messages)
    assert any("at least two works" in m for m in s.messages)


def test_one_disagreement_gives_kappa_zero_without_standard_error() -> None:
    s = agreement_stats([[0, 1], [0, 0]])
    _finite(s)
    assert s.cohen_kappa == 0.0 and s.percent_agreement == 0.0 and s.kappa_se is None


def test_perfect_agreement_over_two_categories() -> None:
    s = agreement_stats([[7, 0], [0, 3]])
    _finite(s)
    assert s.cohen_kappa == pytest.approx(1.0) and s.kappa_se == 0.0
    assert (s.kappa_ci_low, s.kappa_ci_high) == (pytest.approx(1.0), pytest.approx(1.0))
    assert s.scott_pi == pytest.approx(1.0) and s.krippendorff_alpha == pytest.approx(1.0)
    assert s.gwet_ac1 == pytest.approx(1.0) and s.kappa_max == pytest.approx(1.0)
    assert s.kappa_z is not None and s.kappa_z > 0
    assert interpret_kappa(s.cohen_kappa) == "almost perfect agreement (Landis & Koch)"


def test_all_works_in_one_cell_leave_kappa_pi_and_alpha_undefined() -> None:
    s = agreement_stats([[0, 0, 0], [0, 40, 0], [0, 0, 0]], ["include", "exclude", "maybe"])
    _finite(s)
    assert s.percent_agreement == 1.0 and s.pabak == 1.0 and s.gwet_ac1 == 1.0
    assert s.cohen_kappa is None and s.scott_pi is None and s.krippendorff_alpha is None
    assert s.kappa_max is None and s.kappa_z is None
    assert s.specific_agreement == [None, 1.0, None]
    assert "categories neither reviewer used: include, maybe" in " ".join(s.messages)
    assert interpret_kappa(s.cohen_kappa).startswith("agreement cannot be judged")


def test_zero_row_one_rater_constant_gives_kappa_zero() -> None:
    """Reviewer A always includes: kappa is 0 (no information), nothing crashes."""
    s = agreement_stats([[3, 2], [0, 0]])
    _finite(s)
    assert s.cohen_kappa == pytest.approx(0.0) and s.kappa_se == 0.0
    assert s.kappa_z is None and any("under the null is 0" in m for m in s.messages)
    assert s.negative_agreement == 0.0 and s.positive_agreement == pytest.approx(0.75)


def test_zero_row_and_column_of_a_three_category_table() -> None:
    s = agreement_stats([[5, 1, 0], [2, 9, 0], [0, 0, 0]])
    _finite(s)
    assert s.specific_agreement[2] is None
    assert s.cohen_kappa is not None and s.kappa_se is not None and s.kappa_se > 0
    assert s.prevalence_index is None and s.positive_agreement is None


@pytest.mark.parametrize("table", [[[1]], [[1, 2], [3]], [[-1, 0], [0, 1]], []])
def test_bad_tables_are_rejected_with_a_message(table: list[list[int]]) -> None:
    with pytest.raises(ValueError, match="table"):
        agreement_stats(table)


@pytest.mark.parametrize(
    ("kappa", "band"),
    [(-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
     (0.55, "moderate"), (0.61, "substantial"), (0.8, "substantial"), (0.81, "almost perfect")],
)
def test_landis_koch_bands(kappa: float, band: str) -> None:
    assert interpret_kappa(kappa) == f"{band} agreement (Landis & Koch)"


def test_prevalence_paradox_is_flagged_and_balanced_table_is_not() -> None:
    unbalanced = paradox_warning(agreement_stats([[80, 10], [5, 5]]))
    assert unbalanced is not None
    assert "high agreement (85%) but low kappa (0.32)" in unbalanced
    assert "prevalence" in unbalanced
    assert paradox_warning(agreement_stats([[40, 9], [6, 45]])) is None


def _random_tables(count: int) -> list[list[list[int]]]:
    import random

    rng = random.Random(20261123)
    tables = []
    for _ in range(count):
        k = rng.choice([2, 2, 3, 4])
        tables.append([[rng.choice([0, 0, 1, 2, 5, 9]) for _ in range(k)] for _ in range(k)])
    return tables


@pytest.mark.parametrize("table", _random_tables(300))
def test_identities_hold_on_random_tables(table: list[list[int]]) -> None:
    """Relations between the coefficients that any correct implementation satisfies, on
    tables with zero rows, zero columns, single cells and tiny n."""
    s = agreement_stats(table)
    _finite(s)
    json.dumps(s.to_dict(), allow_nan=False)
    if s.n == 0:
        return
    k = len(table)
    assert s.pabak == pytest.approx((k * s.percent_agreement - 1) / (k - 1))
    if s.cohen_kappa is not None:
        assert s.kappa_max is not None and s.cohen_kappa <= s.kappa_max + 1e-12
        if s.kappa_se is not None:
            assert s.kappa_ci_low <= s.cohen_kappa + 1e-12 <= s.kappa_ci_high + 2e-12
    if s.scott_pi is not None and s.krippendorff_alpha is not None:
        # Two coders, nominal, no missing values: alpha = pi + (1 - pi) / 2n.
        assert s.krippendorff_alpha == pytest.approx(s.scott_pi + (1 - s.scott_pi) / (2 * s.n))
    if k == 2 and s.cohen_kappa is not None:
        pi2, bi2 = s.prevalence_index**2, s.bias_index**2
        assert s.cohen_kappa == pytest.approx((s.pabak - pi2 + bi2) / (1 - pi2 + bi2))
    assert s.gwet_ac1 is not None and -1 - 1e-12 <= s.gwet_ac1 <= 1 + 1e-12
