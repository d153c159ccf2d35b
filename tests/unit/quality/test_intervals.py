"""Intervals against hand formulas and published reference values."""

import math
from statistics import NormalDist

import pytest
from quality.domain.intervals import (
    difference_of_proportions_interval,
    mean_interval,
    t_critical,
    wilson_interval,
    z_critical,
)


def wilson_by_score_test_inversion(x: int, n: int, z: float) -> tuple[float, float]:
    """The interval is the set of π with (p − π)² ≤ z²·π(1 − π)/n: roots of a quadratic in π."""
    p = x / n
    a = 1 + z * z / n
    b = -(2 * p + z * z / n)
    c = p * p
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


def test_z_critical_is_the_familiar_table_value() -> None:
    assert z_critical(0.90) == pytest.approx(1.644854, abs=1e-6)
    assert z_critical(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_wilson_interval_equals_the_inverted_score_test_for_7_of_20() -> None:
    z = NormalDist().inv_cdf(0.95)
    expected = wilson_by_score_test_inversion(7, 20, z)
    assert wilson_interval(7, 20) == pytest.approx(expected, abs=1e-12)


def test_wilson_interval_of_8_of_10_at_95_percent_matches_the_published_value() -> None:
    low, high = wilson_interval(8, 10, level=0.95)
    assert low == pytest.approx(0.4902, abs=5e-5)
    assert high == pytest.approx(0.9433, abs=5e-5)


def test_wilson_interval_of_zero_successes_starts_at_zero() -> None:
    low, high = wilson_interval(0, 12)
    z2 = z_critical(0.90) ** 2
    assert low == 0.0
    # With p = 0 the upper bound simplifies to (z²/n) / (1 + z²/n).
    assert high == pytest.approx((z2 / 12) / (1 + z2 / 12), abs=1e-12)


def test_wilson_interval_of_all_successes_ends_at_one() -> None:
    low, high = wilson_interval(12, 12)
    z2 = z_critical(0.90) ** 2
    assert high == 1.0
    assert low == pytest.approx(12 / (12 + z2), abs=1e-12)


def test_wilson_interval_needs_at_least_one_observation() -> None:
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    with pytest.raises(ValueError):
        wilson_interval(1, 2, level=1.0)


def test_t_critical_of_one_degree_of_freedom_is_the_cauchy_quantile() -> None:
    assert t_critical(0.90, 1) == pytest.approx(math.tan(math.pi * (0.95 - 0.5)), rel=1e-12)


def test_t_critical_of_two_degrees_of_freedom_has_a_closed_form() -> None:
    p = 0.975
    assert t_critical(0.95, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-12)


def test_t_critical_of_three_degrees_of_freedom_inverts_the_textbook_distribution_function() -> (
    None
):
    def cdf(t: float) -> float:
        return 0.5 + (t / (math.sqrt(3) * (1 + t * t / 3)) + math.atan(t / math.sqrt(3))) / math.pi

    low, high = 0.0, 20.0
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if cdf(mid) < 0.95 else (low, mid)
    assert t_critical(0.90, 3) == pytest.approx(low, abs=1e-10)


@pytest.mark.parametrize(
    ("level", "df", "table"),
    [
        (0.90, 7, 1.895),
        (0.90, 10, 1.812),
        (0.95, 10, 2.228),
        (0.95, 30, 2.042),
        (0.99, 5, 4.032),
        (0.95, 120, 1.980),
        (0.90, 1000, 1.646),
    ],
)
def test_t_critical_matches_printed_tables(level: float, df: int, table: float) -> None:
    assert t_critical(level, df) == pytest.approx(table, abs=5e-4)


def test_t_critical_is_continuous_where_the_method_switches_at_300_df() -> None:
    before, at, after = (t_critical(0.95, df) for df in (299, 300, 301))
    assert before > at > after
    # A jump at the switch would show as unequal steps; the true second difference is ~1e-7.
    assert (before - at) - (at - after) == pytest.approx(0, abs=1e-6)


def test_t_critical_approaches_the_normal_value_for_many_degrees_of_freedom() -> None:
    assert t_critical(0.95, 1_000_000) == pytest.approx(z_critical(0.95), abs=1e-5)


def test_mean_interval_of_eight_ratings_uses_t_with_seven_degrees_of_freedom() -> None:
    ratings = [3, 4, 5, 4, 4, 3, 5, 4]
    # mean 4, squared deviations sum to 4, s² = 4/7, standard error √(4/7/8) = 1/√14,
    # t(0.95; 7) = 1.894579 from tables.
    half = 1.894579 / math.sqrt(14)
    low, high = mean_interval(
        sum_=sum(ratings), sum_sq=sum(r * r for r in ratings), n=len(ratings), level=0.90
    )
    assert (low, high) == pytest.approx((4 - half, 4 + half), abs=1e-6)


def test_mean_interval_of_identical_ratings_rests_on_the_variance_floor() -> None:
    # Ten 4s: s² at least 1/11 (ten equal ratings and one a point away), t(0.95; 9) = 1.833113.
    half = 1.833113 * math.sqrt(1 / 11 / 10)
    low, high = mean_interval(sum_=40, sum_sq=160, n=10)
    assert (low, high) == pytest.approx((4 - half, 4 + half), abs=1e-6)


def test_the_variance_floor_never_binds_once_two_ratings_differ() -> None:
    # Nine 4s and a 5: s² = 1/10 > 1/11, the plain t interval.
    half = 1.833113 * math.sqrt(0.1 / 10)
    assert mean_interval(sum_=41, sum_sq=169, n=10) == pytest.approx(
        (4.1 - half, 4.1 + half), abs=1e-6
    )


def test_mean_interval_needs_two_observations() -> None:
    with pytest.raises(ValueError):
        mean_interval(sum_=4, sum_sq=16, n=1)


def test_difference_of_proportions_matches_newcombes_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890: 56/70 − 48/80, method 10.
    low, high = difference_of_proportions_interval(x1=56, n1=70, x2=48, n2=80, level=0.95)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=5e-5)


def test_difference_of_proportions_combines_the_two_wilson_intervals() -> None:
    z = NormalDist().inv_cdf(0.95)
    l1, u1 = wilson_by_score_test_inversion(9, 12, z)
    l2, u2 = wilson_by_score_test_inversion(14, 30, z)
    p1, p2 = 9 / 12, 14 / 30
    expected = (
        p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )
    result = difference_of_proportions_interval(x1=9, n1=12, x2=14, n2=30)
    assert result == pytest.approx(expected, abs=1e-12)
