"""Funnel limits: exact binomial for small samples, widened for over-dispersion (hand-computed
values and simulations under the null)."""

import math
import random

import pytest
from quality.domain.funnel import Unit, exact_limits, funnel, limits_at, overdispersion, position
from scipy.stats import binom


def test_the_exact_limit_interpolates_the_binomial_quantile():
    # n = 10, p0 = 0.8: F(4) = 0.00637, F(5) = 0.03279, so r = 5 and
    # a = (F(5) − 0.025)/(F(5) − F(4)); the lower 95 % limit is (5 − a)/10.
    f4, f5 = binom.cdf(4, 10, 0.8), binom.cdf(5, 10, 0.8)
    low, _ = exact_limits(0.8, 10, 0.025)
    assert low == pytest.approx((5 - (f5 - 0.025) / (f5 - f4)) / 10)


def test_five_of_ten_against_eighty_percent_is_not_below_the_95_percent_limit():
    # Found: the normal approximation (0.8 − 1.96·√(0.016) = 0.552) put 5/10 below the 95 %
    # limit although P(X ≤ 5) = 0.033 > 0.025.
    assert binom.cdf(5, 10, 0.8) == pytest.approx(0.0328, abs=1e-4)
    assert position(Unit("u", 0.5, 10), limits_at(0.8, 10, phi=1.0)) == "within"
    assert position(Unit("u", 0.3, 10), limits_at(0.8, 10, phi=1.0)) == "below998"


def units_with_real_differences(seed: int) -> list[Unit]:
    """30 units whose true rates spread from 0.50 to 0.95, 20–300 assessments each."""
    rng = random.Random(seed)
    units = []
    for i in range(30):
        p, n = 0.5 + 0.45 * i / 29, rng.randint(20, 300)
        units.append(Unit(f"u{i}", sum(rng.random() < p for _ in range(n)) / n, n))
    return units


def normal_outside(units: list[Unit]) -> int:
    """How many units fall outside the normal-approximation 99.8 % limits (the old plot)."""
    p0 = sum(u.value * u.n for u in units) / sum(u.n for u in units)
    return sum(abs(u.value - p0) > 3.090232 * math.sqrt(p0 * (1 - p0) / u.n) for u in units)


def test_over_dispersion_widens_the_limits_where_units_really_differ():
    # Found: 14.5 of 30 units outside the 99.8 % limits on average (0.06 expected).
    old = new = 0
    for seed in range(10):
        units = units_with_real_differences(seed)
        drawn = funnel(units)
        assert drawn is not None and drawn.inflated and drawn.phi > 3
        old += normal_outside(units)
        new += sum(p in ("above998", "below998") for p in drawn.positions.values())
    assert old / 10 > 8  # the old plot flags a third of the units or more
    assert new / 10 < 3


def test_few_false_alarms_under_the_null_with_over_dispersion():
    # Units whose true rates vary at random around 0.8 (no unit special): with the widened
    # limits, well under 1 % of units fall outside the 99.8 % limits... on average, by chance.
    rng = random.Random(7)
    outside = total = 0
    for _ in range(40):
        units = []
        for i in range(30):
            p = min(0.99, max(0.01, rng.gauss(0.8, 0.05)))
            n = rng.randint(20, 300)
            units.append(Unit(f"u{i}", sum(rng.random() < p for _ in range(n)) / n, n))
        drawn = funnel(units)
        assert drawn is not None
        outside += sum(p in ("above998", "below998") for p in drawn.positions.values())
        total += len(units)
    assert outside / total < 0.02


def test_a_few_units_keep_the_exact_limits_so_an_outlier_cannot_hide_itself():
    units = [Unit("a", 0.70, 60), Unit("b", 0.72, 50), Unit("falling", 2 / 12, 12)]
    drawn = funnel(units)
    assert drawn is not None and drawn.phi == 1.0
    assert drawn.positions["falling"] == "below998"


def test_units_that_agree_with_each_other_keep_the_exact_limits():
    units = [Unit(f"u{i}", 0.8, 50) for i in range(10)]
    assert overdispersion(units, 0.8) == 0.0
    drawn = funnel(units)
    assert drawn is not None and not drawn.inflated
    assert drawn.limits[-1].low95 == pytest.approx(exact_limits(0.8, 50, 0.025)[0])
