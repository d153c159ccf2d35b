"""Funnel plots of a share (Spiegelhalter 2005): control limits around the units' overall rate
that are exact for small samples and allow for real differences between units.

- **Exact binomial limits.** For a unit of size n, the limit at tail probability α is the
  binomial quantile interpolated so the limits run smoothly in n (Spiegelhalter 2005,
  appendix A.1.1): with F the Binomial(n, p0) distribution function and r the smallest count
  with F(r) ≥ 1 − α, the upper limit is (r − a)/n, a = (F(r) − (1 − α)) / (F(r) − F(r − 1));
  the lower limit is the same at α from the other side.
- **Over-dispersion.** With more variation between units than sampling alone gives, normal
  limits flag half the units. φ = mean of the squared z-scores of the units, winsorised at the
  10th and 90th percentiles (Spiegelhalter 2005, section 3.2.2); when φ exceeds 1 the limits
  are widened by √φ about p0 (the multiplicative model). Estimated from ten units or more only.

Positions: above or below the 99.8 % limits, between the 95 % and 99.8 % ones, or within.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import binom

TAILS = {"95": 0.025, "998": 0.001}
WINSOR = 0.10
# Fewer units than this give no usable estimate of φ: one outlier among three would widen the
# limits until it hid itself. Below it the exact limits stand alone.
MIN_UNITS_FOR_PHI = 10


@dataclass(frozen=True)
class Unit:
    unit_id: str
    value: float  # the share
    n: int


@dataclass(frozen=True)
class Limits:
    n: int
    low95: float
    high95: float
    low998: float
    high998: float


def _quantile(p0: float, n: int, prob: float) -> float:
    """The interpolated binomial quantile, as a share: (r − a)/n."""
    r = int(binom.ppf(prob, n, p0))
    at, below = binom.cdf(r, n, p0), binom.cdf(r - 1, n, p0)
    a = (at - prob) / (at - below) if at > below else 0.0
    return min(1.0, max(0.0, (r - a) / n))


def exact_limits(p0: float, n: int, tail: float) -> tuple[float, float]:
    """The exact binomial (low, high) limits of a share of n at tail probability ``tail``."""
    if p0 <= 0.0 or p0 >= 1.0:
        return p0, p0
    return _quantile(p0, n, tail), _quantile(p0, n, 1 - tail)


def overdispersion(units: Sequence[Unit], p0: float) -> float:
    """φ: the mean squared z-score of the units, winsorised at the 10th and 90th percentiles
    (1 with fewer than ``MIN_UNITS_FOR_PHI`` units)."""
    if len(units) < MIN_UNITS_FOR_PHI or p0 <= 0.0 or p0 >= 1.0:
        return 1.0
    z = sorted((u.value - p0) / math.sqrt(p0 * (1 - p0) / u.n) for u in units if u.n > 0)
    k = int(math.floor(WINSOR * len(z)))
    if k:
        z = [min(max(v, z[k]), z[-k - 1]) for v in z]
    return sum(v * v for v in z) / len(z)


@dataclass(frozen=True)
class Funnel:
    p0: float
    phi: float
    inflated: bool
    positions: dict[str, str]
    limits: list[Limits]


def _widened(p0: float, limit: float, phi: float) -> float:
    return min(1.0, max(0.0, p0 + (limit - p0) * math.sqrt(phi)))


def limits_at(p0: float, n: int, phi: float) -> Limits:
    """The 95 % and 99.8 % limits at n, widened by √φ when φ > 1."""
    widen = max(phi, 1.0)
    (l95, h95), (l998, h998) = (exact_limits(p0, n, TAILS[k]) for k in ("95", "998"))
    return Limits(
        n=n,
        low95=_widened(p0, l95, widen),
        high95=_widened(p0, h95, widen),
        low998=_widened(p0, l998, widen),
        high998=_widened(p0, h998, widen),
    )


def position(unit: Unit, limits: Limits) -> str:
    if unit.value > limits.high998:
        return "above998"
    if unit.value < limits.low998:
        return "below998"
    if unit.value > limits.high95:
        return "above95"
    if unit.value < limits.low95:
        return "below95"
    return "within"


def funnel(units: Sequence[Unit], *, points: int = 60) -> Funnel | None:
    """The funnel of ``units`` around their pooled rate; None without units."""
    shown = [u for u in units if u.n > 0]
    if not shown:
        return None
    p0 = sum(u.value * u.n for u in shown) / sum(u.n for u in shown)
    phi = overdispersion(shown, p0)
    top = max(u.n for u in shown)
    grid = sorted({max(1, round(top ** (i / (points - 1)))) for i in range(points)} | {top})
    return Funnel(
        p0=p0,
        phi=phi,
        inflated=phi > 1.0,
        positions={u.unit_id: position(u, limits_at(p0, u.n, phi)) for u in shown},
        limits=[limits_at(p0, n, phi) for n in grid],
    )
