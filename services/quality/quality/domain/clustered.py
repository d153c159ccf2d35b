"""Intervals for figures that pool several ratings of one assessment (a domain's mean, the
competency mean, a domain's share satisfied): the assessment, not the rating, is the unit.

The ratings of one assessment are correlated (one employer's view of one graduate), so treating
them as independent makes intervals far too narrow. The figure stays the pooled ratio
ΣS_a / Σk_a over assessments a (S_a: the sum of its k_a ratings in the group; for a share, Y_a:
how many of them are at or above the threshold); its variance is the linearised (cluster-robust)
one of a ratio estimator:

    var = n/(n − 1) · Σ (S_a − ȳ·k_a)² / (Σ k_a)²

computed from integer moments that each assessment adds and removes exactly (`GroupMoments`).
docs/methodology.md gives the intervals built on it.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from quality.domain.intervals import Interval, t_critical, wilson_bounds
from quality.domain.running import RATING_MAX, RATING_MIN, MeanTally

THRESHOLDS = range(RATING_MIN + 1, RATING_MAX + 1)  # the methodology's satisfied threshold


def _zeros() -> list[int]:
    return [0] * len(THRESHOLDS)


@dataclass
class GroupMoments:
    """Σ over assessments of k, k², S, S², S·k, and per threshold Y, Y², Y·k (all integers)."""

    n: int = 0  # assessments with at least one rating in the group
    k: int = 0
    k2: int = 0
    s: int = 0
    s2: int = 0
    sk: int = 0
    y: list[int] = field(default_factory=_zeros)
    y2: list[int] = field(default_factory=_zeros)
    yk: list[int] = field(default_factory=_zeros)

    def step(self, ratings: Sequence[int], sign: int) -> None:
        """Add (sign +1) or remove (−1) one assessment's ratings in the group."""
        if not ratings:
            return
        k, s = len(ratings), sum(ratings)
        self.n += sign
        self.k += sign * k
        self.k2 += sign * k * k
        self.s += sign * s
        self.s2 += sign * s * s
        self.sk += sign * s * k
        for i, threshold in enumerate(THRESHOLDS):
            y = sum(r >= threshold for r in ratings)
            self.y[i] += sign * y
            self.y2[i] += sign * y * y
            self.yk[i] += sign * y * k

    def absorb(self, other: "GroupMoments", sign: int = +1) -> None:
        """Add ``other``'s assessments (sign +1) or take them away (−1)."""
        self.n += sign * other.n
        self.k += sign * other.k
        self.k2 += sign * other.k2
        self.s += sign * other.s
        self.s2 += sign * other.s2
        self.sk += sign * other.sk
        for mine, theirs in ((self.y, other.y), (self.y2, other.y2), (self.yk, other.yk)):
            for i, value in enumerate(theirs):
                mine[i] += sign * value

    @property
    def empty(self) -> bool:
        return self.n == 0

    def to_json(self) -> list[int]:
        return [self.n, self.k, self.k2, self.s, self.s2, self.sk, *self.y, *self.y2, *self.yk]

    @classmethod
    def from_json(cls, data: Any) -> Self:
        width = len(THRESHOLDS)
        if (
            not isinstance(data, list)
            or len(data) != 6 + 3 * width
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in data)
        ):
            raise ValueError("group moments are a list of integers")
        n, k, k2, s, s2, sk = data[:6]
        y, y2, yk = (list(data[6 + i * width : 6 + (i + 1) * width]) for i in range(3))
        return cls(n=n, k=k, k2=k2, s=s, s2=s2, sk=sk, y=y, y2=y2, yk=yk)


def combine(groups: Iterable[GroupMoments]) -> GroupMoments:
    total = GroupMoments()
    for group in groups:
        total.absorb(group)
    return total


def _ratio_variance(total: float, sq: float, cross: float, m: GroupMoments) -> float:
    """n/(n−1) · Σ (X_a − r·k_a)² / (Σk)², r = ΣX/Σk, from ΣX, ΣX² and ΣX·k."""
    ratio = total / m.k
    residual = max(0.0, sq - 2 * ratio * cross + ratio * ratio * m.k2)
    return m.n / (m.n - 1) * residual / (m.k * m.k)


def clustered_mean_interval(m: GroupMoments, level: float) -> Interval:
    """ȳ ± t(level, n − 1)·√var. The variance is at least that of ratings whose own variance is
    1/(N + 1) — N equal ratings and one a point away — all alike within an assessment:
    1/((N + 1)·n); so equal ratings (or assessments with equal means) never give a zero-width
    interval."""
    if m.n < 2:
        raise ValueError("a clustered interval needs at least two assessments")
    mean = m.s / m.k
    variance = max(_ratio_variance(m.s, m.s2, m.sk, m), 1 / ((m.k + 1) * m.n))
    half = t_critical(level, m.n - 1) * math.sqrt(variance)
    return mean - half, mean + half


def clustered_share_interval(m: GroupMoments, threshold: int, level: float) -> Interval:
    """Wilson's interval at the effective sample size p(1 − p)/var (Kish's design effect),
    never more than the ratings; a share of 0 or 1 has no variance to estimate it from and
    takes the number of assessments."""
    if m.n < 2:
        raise ValueError("a clustered interval needs at least two assessments")
    i = THRESHOLDS.index(threshold)
    p = m.y[i] / m.k
    variance = _ratio_variance(m.y[i], m.y2[i], m.yk[i], m)
    if 0 < p < 1:
        effective = m.k if variance == 0 else min(m.k, p * (1 - p) / variance)
    else:
        effective = m.n
    return wilson_bounds(p, effective, level)


def conservative_mean_interval(ratings: MeanTally, assessments: int, level: float) -> Interval:
    """Without moments: as if each assessment's ratings were one rating repeated (perfect
    correlation), ȳ ± t(level, a − 1)·s/√a over the a assessments of the most-rated competency,
    s² at least 1/(N + 1) as for one competency."""
    if assessments < 2 or ratings.n < 2:
        raise ValueError("a conservative interval needs at least two assessments")
    n = ratings.n
    variance = max(1 / (n + 1), (n * ratings.total_sq - ratings.total**2) / (n * (n - 1)))
    half = t_critical(level, assessments - 1) * math.sqrt(variance / assessments)
    mean = ratings.total / n
    return mean - half, mean + half
