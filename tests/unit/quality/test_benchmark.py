"""Benchmarks by indirect standardisation, hand-computed."""

import pytest
from quality.domain.benchmark import benchmark, group_rates
from quality.domain.intervals import wilson_interval

RATES = {"6/06": 0.80, "7/09": 0.90}


def test_national_rates_pool_each_groups_programs() -> None:
    rates = group_rates([("6/06", 30, 40), ("6/06", 50, 60), ("7/09", 9, 10), ("5/04", 0, 0)])
    assert rates == {"6/06": 0.8, "7/09": 0.9}


def test_the_expected_rate_is_the_national_rate_of_the_units_mix() -> None:
    # 60 assessments in ICT (0.80) and 40 in nursing (0.90): (60·0.8 + 40·0.9)/100 = 0.84.
    result = benchmark("u", successes=86, n=100, mix={"6/06": 60, "7/09": 40}, rates=RATES)
    assert result.expected == pytest.approx(0.84)
    assert result.difference == pytest.approx(0.02)
    low, high = wilson_interval(86, 100, 0.90)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(low - 0.84),
        pytest.approx(high - 0.84),
    )
    assert result.flag is None  # 2 points, and not surely: no flag


def test_a_flag_needs_the_interval_to_clear_the_benchmark_by_the_material_margin() -> None:
    # Found: units were compared with the raw national rate, so a unit teaching mostly a
    # well-rated field looked good for its mix; and any significant difference was a flag.
    # 190/200 in ICT: Wilson 90 % low ≈ 0.916, minus 0.80: ≥ 2.5 points above.
    above = benchmark("u", successes=190, n=200, mix={"6/06": 200}, rates=RATES)
    assert above.flag == "materially_above" and above.ci_low >= 0.025
    # 150/200 in nursing: high ≈ 0.797, 0.103 below 0.90.
    below = benchmark("u", successes=150, n=200, mix={"7/09": 200}, rates=RATES)
    assert below.flag == "materially_below" and below.ci_high <= -0.025
    # Significant but not material: 1,760/2,000 (0.88) against 0.85, lower end ≈ +1.8 points.
    close = benchmark("u", successes=1760, n=2000, mix={"6/06": 1000, "7/09": 1000}, rates=RATES)
    assert close.expected == pytest.approx(0.85)
    assert 0 < close.ci_low < 0.025 and close.flag is None


def test_the_same_rate_is_average_for_one_mix_and_below_for_another() -> None:
    # 85 % is above the benchmark of an ICT-only institution and below a nursing-only one.
    ict = benchmark("a", successes=170, n=200, mix={"6/06": 200}, rates=RATES)
    nursing = benchmark("b", successes=170, n=200, mix={"7/09": 200}, rates=RATES)
    assert ict.difference == pytest.approx(0.05) and nursing.difference == pytest.approx(-0.05)


def test_units_that_cannot_be_benchmarked_say_why() -> None:
    withheld = benchmark("u", successes=None, n=8, mix={"6/06": 8}, rates=RATES)
    assert withheld.expected is None and withheld.reason == "not enough data"
    unknown = benchmark("u", successes=20, n=30, mix={"5/04": 30}, rates=RATES)
    assert unknown.reason == "no national rate for group 5/04" and unknown.value == pytest.approx(
        2 / 3
    )
    partial = benchmark("u", successes=20, n=30, mix={"6/06": 20}, rates=RATES)
    assert partial.reason == "assessments of programs whose group is unknown"
