"""The composite quality index 0–100, under a published, versioned methodology.

Every score names the methodology version that produced it, so a change of weights is visible
and recomputes rather than silently shifting the numbers.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import get_args

from quality.domain.rounding import Rounding
from quality.domain.running import RATING_MAX, RATING_MIN, SATISFIED_FROM
from quality.domain.suppression import DEFAULT_THRESHOLDS, SuppressionThresholds
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES, EmploymentStatus


class Scale(StrEnum):
    SHARE = "share"  # 0..1, used as is
    RATING = "rating"  # a mean on 1..5, rescaled by (x − 1) / 4


# The index is published only when every weighted indicator is (the share of the weight that
# must be published): stored in each methodology version for clients that read it; versions
# stored when it could be lower are read under this rule.
REQUIRED_PUBLISHED_WEIGHT_SHARE = 1.0


@dataclass(frozen=True)
class Methodology:
    """Weights, interval level and thresholds; a new version is a new object, never an edit."""

    version: int
    weights: Mapping[str, float] = field(hash=False)
    interval_level: float = 0.90
    thresholds: SuppressionThresholds = DEFAULT_THRESHOLDS
    # A rating at or above this counts as satisfied (employer satisfaction, preparedness, the
    # share satisfied per domain and competency): 4 = "agree" on the 1..5 scale.
    satisfied_threshold: int = SATISFIED_FROM
    # How publications round what they state (live figures are not rounded).
    rounding: Rounding = Rounding()
    # The registry states of the employments that count in the employment outcomes
    # (employed_12m, employed_in_field); a rejected employment never counts.
    counting_employment_states: tuple[EmploymentStatus, ...] = COUNTING_EMPLOYMENT_STATES
    # Outcome figures are published only when at least this share of the cohort's outcomes is
    # known (as surveys gate on their response rate).
    min_known_share: float = 0.5
    # Days after the census date before a cohort's outcomes are published: time for
    # employments and follow-ups to be recorded and confirmed.
    outcome_lag_days: int = 92

    def __post_init__(self) -> None:
        if any(w < 0 for w in self.weights.values()) or math.fsum(self.weights.values()) <= 0:
            raise ValueError("weights must be non-negative with a positive total")
        if not 0 < self.interval_level < 1:
            raise ValueError("the interval level must be strictly between 0 and 1")
        if not 0 <= self.min_known_share <= 1:
            raise MethodologyFieldError("min_known_share", "a share between 0 and 1")
        if not 0 <= self.outcome_lag_days <= 366:
            raise MethodologyFieldError("outcome_lag_days", "between 0 and 366 days")
        if not RATING_MIN < self.satisfied_threshold <= RATING_MAX:
            raise ValueError(f"the satisfied threshold lies in {RATING_MIN + 1}..{RATING_MAX}")
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        states = tuple(self.counting_employment_states)
        _check_counting_states(states)
        object.__setattr__(self, "counting_employment_states", states)


class MethodologyFieldError(ValueError):
    """A methodology value wrong in itself: ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _check_counting_states(states: tuple[str, ...]) -> None:
    field, known = "counting_employment_states", get_args(EmploymentStatus)
    if not states:
        raise MethodologyFieldError(field, "name at least one employment state")
    unknown = [s for s in states if s not in known]
    if unknown:
        raise MethodologyFieldError(
            field, f"unknown state {unknown[0]!r}; the states are {', '.join(known)}"
        )
    if len(set(states)) != len(states):
        raise MethodologyFieldError(field, "a state is named more than once")
    if "rejected" in states:
        raise MethodologyFieldError(field, "a rejected employment never counts")


DEFAULT_METHODOLOGY = Methodology(
    version=1,
    weights={
        "employer_satisfaction": 0.30,
        "preparedness": 0.20,
        "competency_mean": 0.20,
        "employed_12m": 0.20,
        "employed_in_field": 0.10,
    },
)


@dataclass(frozen=True)
class IndicatorValue:
    value: float | None  # None when the figure is suppressed
    scale: Scale = Scale.SHARE
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class IndexResult:
    value: float | None  # 0..100, None when suppressed
    reason: str | None
    published_weight_share: float
    weights_used: Mapping[str, float]  # the weights, as shares of their total
    methodology_version: int
    # The interval: None when suppressed or when a component was stated without one.
    ci_low: float | None = None
    ci_high: float | None = None


def normalise(value: float, scale: Scale) -> float:
    """Put an indicator on 0..1: shares as they are, 1..5 means by (x − 1) / 4."""
    if scale is Scale.RATING:
        if not 1 <= value <= 5:
            raise ValueError(f"a rating mean lies between 1 and 5, got {value}")
        return (value - 1) / 4
    if not 0 <= value <= 1:
        raise ValueError(f"a share lies between 0 and 1, got {value}")
    return value


def composite_index(
    indicators: Mapping[str, IndicatorValue], methodology: Methodology = DEFAULT_METHODOLOGY
) -> IndexResult:
    """index = 100 · Σ w_i·v_i / Σ w_i over every weighted indicator i (v_i on 0..1).

    Published only when every indicator with a weight is: renormalising over the published ones
    would change what the index measures with suppression (a unit withholding weak outcomes
    would score higher). Its interval is 100 · Σ w_i·bound_i / Σ w_i for each bound: the
    components share their assessments and cohorts, so their errors correlate, and this sum of
    weighted half-widths bounds the delta-method interval for any correlation between them.
    """
    total = math.fsum(methodology.weights.values())
    weighted = {name: w for name, w in methodology.weights.items() if w > 0}
    stated = {
        name: indicators[name]
        for name in weighted
        if name in indicators and indicators[name].value is not None
    }
    share = math.fsum(weighted[name] for name in stated) / total
    missing = [name for name in weighted if name not in stated]
    if missing:
        return IndexResult(
            value=None,
            reason=f"not every weighted indicator is published: {', '.join(missing)}",
            published_weight_share=share,
            weights_used=MappingProxyType({}),
            methodology_version=methodology.version,
        )
    weights_used = {name: w / total for name, w in weighted.items()}
    return IndexResult(
        value=_weighted_sum(stated, weights_used, lambda v: v.value),
        reason=None,
        published_weight_share=share,
        weights_used=MappingProxyType(weights_used),
        methodology_version=methodology.version,
        ci_low=_weighted_sum(stated, weights_used, lambda v: v.ci_low),
        ci_high=_weighted_sum(stated, weights_used, lambda v: v.ci_high),
    )


def _weighted_sum(
    stated: Mapping[str, IndicatorValue],
    weights: Mapping[str, float],
    pick: Callable[[IndicatorValue], float | None],
) -> float | None:
    """100 · Σ w_i·pick(v_i) on 0..1; None when any component lacks the picked value."""
    terms = []
    for name, indicator in stated.items():
        value = pick(indicator)
        if value is None:
            return None
        terms.append(weights[name] * normalise(value, indicator.scale))
    return 100 * math.fsum(terms)
