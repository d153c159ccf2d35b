"""Conservative estimates for ranking, so three glowing assessments never outrank two hundred.

Empirical-Bayes (beta-binomial) shrinkage pulls a unit's rate toward a prior mean (in rankings,
the pooled rate of the published units ranked together: ranking.py) by an amount learnt from how
much those units really differ; the Wilson lower bound is the simpler alternative.
"""

import math
from collections.abc import Sequence

from quality.domain.intervals import wilson_interval

# Between-unit variance is never taken below this (a between-unit SD of 1 percentage point), so a
# scope whose units look identical shrinks strongly but not infinitely toward the prior mean.
MIN_BETWEEN_VARIANCE = 1e-4
# Prior strength (pseudo-observations) when the variance cannot be estimated: fewer than two
# siblings, siblings of one observation each, or a parent rate of exactly 0 or 1.
FALLBACK_PRIOR_STRENGTH = 10.0
# At least one pseudo-observation, so a unit without data sits at the parent rate.
MIN_PRIOR_STRENGTH = 1.0


def between_unit_variance(siblings: Sequence[tuple[int, int]]) -> float | None:
    """Method-of-moments estimate of τ², the variance of the true rates across sibling units.

    With units (x_i, n_i), N = Σn_i, K units, p̂ = Σx_i/N and Q = Σ n_i (x_i/n_i − p̂)²:
    E[Q] = (K−1)·p(1−p) + τ²·(N − Σn_i²/N − (K−1)) under the beta-binomial model, so
    τ² = (Q − (K−1)·p̂(1−p̂)) / (N − Σn_i²/N − (K−1)). None when the denominator is not
    positive (fewer than two units, or no unit with two observations). May be ≤ 0: clamp it.
    """
    units = [(x, n) for x, n in siblings if n > 0]
    if any(not 0 <= x <= n for x, n in units):
        raise ValueError("successes must lie between 0 and n")
    k = len(units)
    total = sum(n for _, n in units)
    if k < 2:
        return None
    denominator = total - sum(n * n for _, n in units) / total - (k - 1)
    if denominator <= 0:
        return None
    pooled = sum(x for x, _ in units) / total
    q = math.fsum(n * (x / n - pooled) ** 2 for x, n in units)
    return (q - (k - 1) * pooled * (1 - pooled)) / denominator


def prior_strength(
    siblings: Sequence[tuple[int, int]],
    *,
    parent_rate: float,
    min_variance: float = MIN_BETWEEN_VARIANCE,
    fallback: float = FALLBACK_PRIOR_STRENGTH,
) -> float:
    """k = a + b of the Beta(a, b) prior, from Var(true rate) = m(1−m)/(k+1) with m the parent rate.

    k = m(1−m)/τ² − 1, with τ² clamped to at least `min_variance` and k to at least 1.
    """
    if not 0 <= parent_rate <= 1:
        raise ValueError("the parent rate is a share between 0 and 1")
    tau2 = between_unit_variance(siblings)
    spread = parent_rate * (1 - parent_rate)
    if tau2 is None or spread == 0:
        return fallback
    return max(MIN_PRIOR_STRENGTH, spread / max(tau2, min_variance) - 1)


def shrunk_rate(successes: int, n: int, *, parent_rate: float, strength: float) -> float:
    """Posterior mean (x + a) / (n + a + b), a = m·k, b = (1−m)·k.

    The same as (n/(n+k))·x/n + (k/(n+k))·m: the raw rate weighted by its sample size against the
    parent rate weighted by the prior strength.
    """
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    if strength <= 0:
        raise ValueError("the prior strength must be positive")
    a = parent_rate * strength
    b = (1 - parent_rate) * strength
    return (successes + a) / (n + a + b)


def conservative_score(successes: int, n: int, level: float = 0.90) -> float | None:
    """The Wilson lower bound: a rate the unit reaches with confidence, None without data."""
    if n == 0:
        return None
    return wilson_interval(successes, n, level)[0]
