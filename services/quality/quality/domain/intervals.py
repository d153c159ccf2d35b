"""Confidence intervals for published figures: every share and mean carries one.

Plain math only (no scipy): the normal quantile comes from `statistics.NormalDist`, the Student t
quantile from the exact closed-form t distribution function for integer degrees of freedom.
"""

import math
from statistics import NormalDist

Interval = tuple[float, float]

# Above this many degrees of freedom the Cornish-Fisher expansion alone is accurate to better
# than 1e-9 at the levels we publish, and the exact finite series (one term per two df) gets long.
_CORNISH_FISHER_MIN_DF = 300


def z_critical(level: float) -> float:
    """Two-sided normal critical value: 1.645 for 90%, 1.960 for 95%."""
    _check_level(level)
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def t_critical(level: float, df: int) -> float:
    """Two-sided Student t critical value: P(|T| <= t) = level, T with `df` degrees of freedom.

    df 1 and 2 have closed forms; up to 300 df Newton's method solves the exact integer-df
    distribution function (Abramowitz & Stegun 26.7.3-4); beyond, Cornish-Fisher (A&S 26.7.5).
    """
    _check_level(level)
    if df < 1:
        raise ValueError("the t distribution needs at least one degree of freedom")
    if df == 1:
        return math.tan(math.pi * level / 2)
    if df == 2:
        return level * math.sqrt(2 / (1 - level * level))
    t = _cornish_fisher(z_critical(level), df)
    if df > _CORNISH_FISHER_MIN_DF:
        return t
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    for _ in range(50):
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = (_t_two_sided_cdf(t, df) - level) / (2 * density)
        t = max(t - step, t / 2)  # never jump to a negative value from a poor start
        if abs(step) < 1e-14 * t:
            break
    return t


def wilson_interval(successes: int, n: int, level: float = 0.90) -> Interval:
    """Wilson score interval for successes/n: unlike p ± z·se it stays inside [0, 1] and keeps
    its coverage for small n and shares near 0 or 1."""
    _check_counts(successes, n)
    return wilson_bounds(successes / n, n, level)


def wilson_bounds(p: float, n: float, level: float = 0.90) -> Interval:
    """Wilson's interval for a share ``p`` observed on ``n`` (which may be an effective sample
    size, not a whole number); a share of 0 or 1 keeps its own end."""
    if n <= 0 or not 0 <= p <= 1:
        raise ValueError("a Wilson interval needs a share in [0, 1] and a positive n")
    z = z_critical(level)
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    low = 0.0 if p == 0 else max(0.0, centre - half)
    high = 1.0 if p == 1 else min(1.0, centre + half)
    return low, high


def mean_interval(*, sum_: float, sum_sq: float, n: int, level: float = 0.90) -> Interval:
    """t interval for a mean from running sums: mean ± t(level, n−1)·s/√n.

    s² = (n·Σx² − (Σx)²) / (n(n−1)), which is exact when the sums are integers (ratings are).
    s² is at least 1/(n + 1), the variance of n equal ratings and one a point away, so equal
    ratings never give a zero-width interval (any two different ratings already vary more).
    """
    if n < 2:
        raise ValueError("a mean interval needs at least two observations")
    mean = sum_ / n
    variance = max(1 / (n + 1), (n * sum_sq - sum_ * sum_) / (n * (n - 1)))
    half = t_critical(level, n - 1) * math.sqrt(variance / n)
    return mean - half, mean + half


def difference_of_proportions_interval(
    *, x1: int, n1: int, x2: int, n2: int, level: float = 0.90
) -> Interval:
    """Interval for p1 − p2 of two independent samples (e.g. cluster members vs non-members).

    Newcombe (1998) method 10, the hybrid score interval: with Wilson intervals (l1, u1), (l2, u2)
    and d = p1 − p2, low = d − √((p1−l1)² + (u2−p2)²), high = d + √((u1−p1)² + (p2−l2)²).
    """
    p1, p2 = _share(x1, n1), _share(x2, n2)
    l1, u1 = wilson_interval(x1, n1, level)
    l2, u2 = wilson_interval(x2, n2, level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return low, high


def _t_two_sided_cdf(t: float, df: int) -> float:
    """A(t|df) = P(|T| <= t), exact for integer df (A&S 26.7.3 odd df, 26.7.4 even df)."""
    theta = math.atan(t / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if df % 2 == 0:
        term = total = 1.0  # 1 + (1/2)c² + (1·3)/(2·4)c⁴ + … up to c^(df−2)
        for j in range(1, (df - 2) // 2 + 1):
            term *= c2 * (2 * j - 1) / (2 * j)
            total += term
        return s * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = c  # c + (2/3)c³ + (2·4)/(3·5)c⁵ + … up to c^(df−2)
    for j in range(1, (df - 3) // 2 + 1):
        term *= c2 * (2 * j) / (2 * j + 1)
        total += term
    return 2 / math.pi * (theta + s * total)


def _cornish_fisher(x: float, df: int) -> float:
    """t quantile from the normal quantile x, A&S 26.7.5 (terms up to df⁻⁴)."""
    x2 = x * x
    g1 = (x2 + 1) * x / 4
    g2 = ((5 * x2 + 16) * x2 + 3) * x / 96
    g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384
    g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160
    return x + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError("the confidence level must be strictly between 0 and 1")


def _check_counts(successes: int, n: int) -> None:
    if n < 1:
        raise ValueError("an interval for a share needs at least one observation")
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")


def _share(successes: int, n: int) -> float:
    _check_counts(successes, n)
    return successes / n
