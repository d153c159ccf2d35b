"""Difference in differences of a share: programs that joined an activity against comparable
programs that did not, each program's share before and after the year it joined.

Each program's change is its share after minus its share before (the same program in both
windows, so a program's own level cancels and a change of which programs report cannot move
the figure). A group's change is the weighted mean of its programs' changes, each weighted by
its effective size n_b·n_a/(n_b + n_a) (the inverse variance of a change at a common share);
the estimate is the treated group's change minus the controls'.

The interval is Newcombe's method generalised to a weighted sum of independent shares (MOVER,
Zou & Donner 2008): each share keeps its Wilson interval, and with c_k the share's coefficient

    low  = d − √(Σ_{c>0} c²(p − l)² + Σ_{c<0} c²(u − p)²)
    high = d + √(Σ_{c>0} c²(u − p)² + Σ_{c<0} c²(p − l)²)

(with two shares it is Newcombe's method 10, the comparison's interval). Programs may change
more than sampling explains (a new head of department, a bad year): φ, the Pearson dispersion
of the programs' changes around their group's change, widens the interval by √φ when above 1,
estimated from ``MIN_PROGRAMS_FOR_PHI`` programs or more (as the funnel plot's φ).
docs/methodology.md, "Cluster activities", states the assumptions.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from quality.domain.intervals import wilson_interval

MIN_PROGRAMS_FOR_PHI = 10
NO_TREATED = "no program that joined has a published figure in both windows"
NO_CONTROLS = "no comparable program has a published figure in both windows"


@dataclass(frozen=True)
class Counts:
    """A program's published counts over one window: successes of n."""

    successes: int
    n: int

    @property
    def share(self) -> float:
        return self.successes / self.n


@dataclass(frozen=True)
class Change:
    """One program's counts before and after (each with n > 0)."""

    program_id: str
    before: Counts
    after: Counts

    @property
    def value(self) -> float:
        return self.after.share - self.before.share

    @property
    def size(self) -> float:
        return self.before.n * self.after.n / (self.before.n + self.after.n)


@dataclass(frozen=True)
class Group:
    programs: int
    n_before: int
    n_after: int
    share_before: float | None  # weighted as the changes are
    share_after: float | None


@dataclass(frozen=True)
class Estimate:
    value: float | None
    ci_low: float | None
    ci_high: float | None
    dispersion: float  # φ (1 when not estimated)
    treated: Group
    controls: Group
    reason: str | None  # why there is no estimate


def _weights(changes: Sequence[Change]) -> list[float]:
    total = sum(c.size for c in changes)
    return [c.size / total for c in changes]


def _group(changes: Sequence[Change]) -> Group:
    weights = _weights(changes) if changes else []
    return Group(
        programs=len(changes),
        n_before=sum(c.before.n for c in changes),
        n_after=sum(c.after.n for c in changes),
        share_before=sum(w * c.before.share for w, c in zip(weights, changes, strict=True))
        if changes
        else None,
        share_after=sum(w * c.after.share for w, c in zip(weights, changes, strict=True))
        if changes
        else None,
    )


def dispersion(groups: Sequence[Sequence[Change]]) -> float:
    """φ: Σ z² / (m − g) over the m programs of g groups, z a program's change less its group's,
    in units of its sampling error at its pooled share; 1 below ``MIN_PROGRAMS_FOR_PHI``."""
    squares, programs = 0.0, 0
    for changes in groups:
        mean = sum(w * c.value for w, c in zip(_weights(changes), changes, strict=True))
        for c in changes:
            pooled = (c.before.successes + c.after.successes) / (c.before.n + c.after.n)
            variance = pooled * (1 - pooled) * (1 / c.before.n + 1 / c.after.n)
            if variance > 0:
                squares += (c.value - mean) ** 2 / variance
                programs += 1
    if programs < MIN_PROGRAMS_FOR_PHI:
        return 1.0
    return squares / (programs - len(groups))


def difference_in_differences(
    treated: Sequence[Change], controls: Sequence[Change], *, level: float
) -> Estimate:
    """The treated programs' change less the controls', with its interval at ``level``."""
    groups = _group(treated), _group(controls)
    if not treated or not controls:
        reason = NO_TREATED if not treated else NO_CONTROLS
        return Estimate(None, None, None, 1.0, *groups, reason=reason)
    # Each share with its coefficient in the estimate: +w after, −w before for the treated,
    # the opposite for the controls.
    terms: list[tuple[float, Counts]] = []
    for sign, changes in ((1.0, treated), (-1.0, controls)):
        for w, c in zip(_weights(changes), changes, strict=True):
            terms += [(sign * w, c.after), (-sign * w, c.before)]
    value = sum(coefficient * counts.share for coefficient, counts in terms)
    below = above = 0.0
    for coefficient, counts in terms:
        low, high = wilson_interval(counts.successes, counts.n, level)
        down, up = counts.share - low, high - counts.share
        if coefficient < 0:
            down, up = up, down
        below += (coefficient * down) ** 2
        above += (coefficient * up) ** 2
    phi = dispersion([treated, controls])
    widen = math.sqrt(max(phi, 1.0))
    return Estimate(
        value=value,
        ci_low=value - widen * math.sqrt(below),
        ci_high=value + widen * math.sqrt(above),
        dispersion=phi,
        treated=groups[0],
        controls=groups[1],
        reason=None,
    )
