"""The difference in differences behind the activity effect (domain/did.py): a hand-computed
case, and seeded simulations of synthetic programs (each with its own level, a common trend and
binomial sampling) over many replications: a planted effect is recovered within its interval,
no effect gives an interval covering zero, both at about the nominal 90 %; with programs that
also move on their own (over-dispersion) the √φ widening keeps the coverage."""

import math

import numpy as np
import pytest
from quality.domain.did import (
    NO_CONTROLS,
    NO_TREATED,
    Change,
    Counts,
    difference_in_differences,
)
from quality.domain.intervals import difference_of_proportions_interval, wilson_interval

LEVEL, REPLICATIONS, REQUIRED = 0.90, 600, 0.86


def test_one_program_against_one_is_the_difference_of_their_changes_with_the_mover_interval():
    treated = [Change("t", before=Counts(10, 20), after=Counts(15, 20))]
    controls = [Change("c", before=Counts(10, 20), after=Counts(11, 20))]
    estimate = difference_in_differences(treated, controls, level=LEVEL)
    assert estimate.value == pytest.approx((0.75 - 0.50) - (0.55 - 0.50))
    # By hand: + after_t − before_t − after_c + before_c, each share with its Wilson interval.
    (lta, uta), (ltb, utb) = wilson_interval(15, 20, LEVEL), wilson_interval(10, 20, LEVEL)
    (lca, uca), (lcb, ucb) = wilson_interval(11, 20, LEVEL), wilson_interval(10, 20, LEVEL)
    below = math.sqrt((0.75 - lta) ** 2 + (utb - 0.5) ** 2 + (uca - 0.55) ** 2 + (0.5 - lcb) ** 2)
    above = math.sqrt((uta - 0.75) ** 2 + (0.5 - ltb) ** 2 + (0.55 - lca) ** 2 + (ucb - 0.5) ** 2)
    assert estimate.ci_low == pytest.approx(0.20 - below)
    assert estimate.ci_high == pytest.approx(0.20 + above)
    assert estimate.dispersion == 1.0  # two programs: not estimated
    assert estimate.treated.programs == estimate.controls.programs == 1
    assert (estimate.treated.share_before, estimate.treated.share_after) == (0.5, 0.75)


def test_with_two_shares_the_interval_is_newcombes():
    """A control group with no sampling error in either window leaves two terms: the
    treated after and before, whose MOVER interval is Newcombe's method 10."""
    treated = [Change("t", before=Counts(9, 30), after=Counts(21, 30))]
    exact = 10**9  # a control so large its shares carry no error
    controls = [Change("c", before=Counts(exact // 2, exact), after=Counts(exact // 2, exact))]
    estimate = difference_in_differences(treated, controls, level=LEVEL)
    low, high = difference_of_proportions_interval(x1=21, n1=30, x2=9, n2=30, level=LEVEL)
    assert estimate.ci_low == pytest.approx(low, abs=1e-4)
    assert estimate.ci_high == pytest.approx(high, abs=1e-4)


def test_a_group_without_programs_gives_no_estimate_and_says_why():
    some = [Change("t", before=Counts(1, 2), after=Counts(2, 2))]
    assert difference_in_differences([], some, level=LEVEL).reason == NO_TREATED
    nothing = difference_in_differences(some, [], level=LEVEL)
    assert (nothing.value, nothing.ci_low, nothing.reason) == (None, None, NO_CONTROLS)


def test_a_program_counts_by_its_effective_size_so_a_tiny_one_moves_little():
    large = Change("a", before=Counts(50, 100), after=Counts(60, 100))  # +0.10
    tiny = Change("b", before=Counts(0, 2), after=Counts(2, 2))  # +1.00
    control = [Change("c", before=Counts(50, 100), after=Counts(50, 100))]
    estimate = difference_in_differences([large, tiny], control, level=LEVEL)
    assert estimate.value == pytest.approx((50 * 0.10 + 1 * 1.00) / 51)


def simulate(seed: int, *, effect: float, shock: float = 0.0) -> tuple[float, float]:
    """Coverage of the true effect, and how often the interval excludes zero (above it)."""
    rng = np.random.default_rng(seed)
    covered = above_zero = 0
    for _ in range(REPLICATIONS):
        groups = []
        for size, planted in ((6, effect), (20, 0.0)):
            base = rng.uniform(0.45, 0.80, size)  # each program's own level
            after = np.clip(base + 0.03 + planted + rng.normal(0, shock, size), 0.01, 0.99)
            n_before, n_after = rng.integers(15, 60, size), rng.integers(15, 60, size)
            hits_before, hits_after = rng.binomial(n_before, base), rng.binomial(n_after, after)
            groups.append(
                [
                    Change(f"p{i}", Counts(int(hb), int(nb)), Counts(int(ha), int(na)))
                    for i, (hb, nb, ha, na) in enumerate(
                        zip(hits_before, n_before, hits_after, n_after, strict=True)
                    )
                ]
            )
        estimate = difference_in_differences(*groups, level=LEVEL)
        assert estimate.ci_low is not None and estimate.ci_high is not None
        covered += estimate.ci_low <= effect <= estimate.ci_high
        above_zero += estimate.ci_low > 0
    return covered / REPLICATIONS, above_zero / REPLICATIONS


def test_a_planted_effect_is_recovered_within_its_interval():
    coverage, detected = simulate(1701, effect=0.15)
    print(f"planted +0.15: coverage {coverage:.3f}, interval above zero {detected:.3f}")
    assert coverage >= REQUIRED
    assert detected >= 0.75  # and it is seen: the interval clears zero in most samples


def test_with_no_effect_the_interval_covers_zero():
    coverage, false_alarms = simulate(1702, effect=0.0)
    print(f"no effect: coverage of zero {coverage:.3f}, interval above zero {false_alarms:.3f}")
    assert coverage >= REQUIRED
    assert false_alarms <= 0.08  # one-sided 5 % at a 90 % interval, with slack


def test_programs_moving_on_their_own_widen_the_interval_and_keep_the_coverage():
    coverage, _ = simulate(1703, effect=0.0, shock=0.08)
    print(f"no effect, program shocks sd 0.08: coverage of zero {coverage:.3f}")
    assert coverage >= REQUIRED
