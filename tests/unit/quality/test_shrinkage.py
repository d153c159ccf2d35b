"""Empirical-Bayes shrinkage and the conservative score, against hand-computed fractions."""

import pytest
from quality.domain.intervals import z_critical
from quality.domain.shrinkage import (
    FALLBACK_PRIOR_STRENGTH,
    between_unit_variance,
    conservative_score,
    prior_strength,
    shrunk_rate,
)

SIBLINGS = [(2, 10), (5, 10), (8, 10)]


def test_between_unit_variance_of_three_programs_by_the_method_of_moments() -> None:
    # N = 30, p̂ = 0.5, Q = 10·0.09 + 0 + 10·0.09 = 1.8, (K−1)·p̂(1−p̂) = 0.5,
    # denominator 30 − 300/30 − 2 = 18, so τ² = 1.3 / 18 = 13/180.
    assert between_unit_variance(SIBLINGS) == pytest.approx(13 / 180, rel=1e-12)


def test_prior_strength_follows_from_the_parent_rate_and_the_variance() -> None:
    # k = m(1−m)/τ² − 1 = 0.25 · 180/13 − 1 = 32/13.
    assert prior_strength(SIBLINGS, parent_rate=0.5) == pytest.approx(32 / 13, rel=1e-12)


def test_shrunk_rate_of_the_weakest_program_moves_toward_the_parent() -> None:
    # a = b = 16/13: (2 + 16/13) / (10 + 32/13) = 42/162.
    assert shrunk_rate(2, 10, parent_rate=0.5, strength=32 / 13) == pytest.approx(42 / 162)


def test_shrunk_rate_is_the_credibility_weighted_average_of_raw_and_parent_rates() -> None:
    n, k, raw, parent = 40, 15.0, 31 / 40, 0.6
    expected = n / (n + k) * raw + k / (n + k) * parent
    assert shrunk_rate(31, 40, parent_rate=parent, strength=k) == pytest.approx(expected)


def test_a_unit_without_data_sits_at_the_parent_rate() -> None:
    assert shrunk_rate(0, 0, parent_rate=0.7, strength=4.0) == pytest.approx(0.7)


def test_identical_siblings_clamp_the_variance_and_shrink_hard() -> None:
    siblings = [(5, 10), (5, 10), (5, 10)]
    # Q = 0 makes τ² negative; clamped to 1e-4, k = 0.25 / 1e-4 − 1.
    assert between_unit_variance(siblings) < 0
    assert prior_strength(siblings, parent_rate=0.5) == pytest.approx(2499.0)


def test_very_different_siblings_still_keep_one_pseudo_observation() -> None:
    assert prior_strength([(0, 50), (50, 50)], parent_rate=0.5) == 1.0


def test_prior_strength_falls_back_when_the_variance_cannot_be_estimated() -> None:
    assert prior_strength([(3, 10)], parent_rate=0.3) == FALLBACK_PRIOR_STRENGTH
    assert prior_strength([(1, 1), (0, 1), (1, 1)], parent_rate=0.6) == FALLBACK_PRIOR_STRENGTH
    assert prior_strength(SIBLINGS, parent_rate=1.0) == FALLBACK_PRIOR_STRENGTH
    assert between_unit_variance([]) is None


def test_three_glowing_assessments_never_outrank_two_hundred_good_ones() -> None:
    k, parent = 10.0, 0.8
    # (3 + 8) / 13 ≈ 0.846 against (180 + 8) / 210 ≈ 0.895.
    assert shrunk_rate(3, 3, parent_rate=parent, strength=k) == pytest.approx(11 / 13)
    assert shrunk_rate(3, 3, parent_rate=parent, strength=k) < shrunk_rate(
        180, 200, parent_rate=parent, strength=k
    )
    assert conservative_score(3, 3) < conservative_score(180, 200)


def test_conservative_score_of_all_successes_is_n_over_n_plus_z_squared() -> None:
    z2 = z_critical(0.90) ** 2
    assert conservative_score(3, 3) == pytest.approx(3 / (3 + z2), rel=1e-12)


def test_conservative_score_without_data_is_none() -> None:
    assert conservative_score(0, 0) is None
