"""The published shape of one scope's scorecard: figures, their keys and indicator names.

Kept apart from `scoring` (which computes a card) and `disclosure` (which hides figures across
cards) so both can share these types without importing each other. docs/methodology.md gives
every definition.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quality.domain.index import IndexResult, IndicatorValue, Methodology, Scale, composite_index
from quality.domain.model import Card
from quality.domain.rounding import Rounding

SECONDARY_REASON = "suppressed to protect a smaller group (secondary suppression)"
NO_GRADUATES_REASON = "no graduates in scope"
NO_INTERVAL_REASON = "fewer than 2 ratings"
# On a published mean whose ratings are all equal: its interval rests on the variance floor, and
# a publication withholds it (it would state every answer).
EQUAL_RATINGS_NOTE = "all ratings equal: the interval rests on the variance floor"

EMPLOYER_SATISFACTION = "employer_satisfaction"
PREPAREDNESS = "preparedness"
WOULD_HIRE_AGAIN = "would_hire_again"
COMPETENCY_MEAN = "competency_mean"
# Employment outcomes at the census date (domain/outcomes.py).
EMPLOYED_12M = "employed_12m"  # employed, self-employed or in further study, of the known
OUTCOME_KNOWN = "outcome_known"  # graduates with a known outcome, of the cohort
GRADUATE_LEVEL = "graduate_level"  # in ISCO-08 major groups 1-3, of the working
EMPLOYED_IN_FIELD = "employed_in_field"  # in an occupation of the field (crosswalk), of the working
EMPLOYER_MARKED_IN_FIELD = "employer_marked_in_field"  # the employer's tick box, of the working
OUTCOME_INDICATORS = (
    EMPLOYED_12M,
    OUTCOME_KNOWN,
    GRADUATE_LEVEL,
    EMPLOYED_IN_FIELD,
    EMPLOYER_MARKED_IN_FIELD,
)
COVERAGE = "coverage"
MEAN_INDICATORS = (COMPETENCY_MEAN,)

FigureKey = tuple[str, ...]  # ("indicator", name) | ("domain"|"competency", code, measure)


@dataclass(frozen=True)
class Figure:
    value: float | None  # share 0..1 or mean 1..5; None when suppressed
    ci_low: float | None
    ci_high: float | None
    n: int  # observations behind the value, published even when the value is not
    suppressed: bool
    reason: str | None

    @classmethod
    def hidden(cls, *, n: int, reason: str) -> "Figure":
        return cls(value=None, ci_low=None, ci_high=None, n=n, suppressed=True, reason=reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "suppressed": self.suppressed,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class CoverageCounts:
    """Distinct graduates with an active assessment, out of the graduates in scope."""

    assessed: int
    graduates: int

    def __post_init__(self) -> None:
        if not 0 <= self.assessed <= self.graduates:
            raise ValueError("assessed graduates lie between 0 and the graduates in scope")


@dataclass(frozen=True)
class DomainFigures:
    mean: Figure
    satisfied: Figure
    n: int  # ratings pooled over the domain's competencies


@dataclass(frozen=True)
class CompetencyFigures:
    domain: str | None  # None for a competency the domain mapping does not name
    mean: Figure
    satisfied: Figure
    # "1".."5" and "not_rated"; None unless both the mean and the share are published, since
    # the distribution gives both away.
    distribution: dict[str, int] | None
    n: int


@dataclass(frozen=True)
class Scorecard:
    methodology: Methodology  # the version that produced every figure (and the index weights)
    indicators: dict[str, Figure]
    domains: dict[str, DomainFigures]
    competencies: dict[str, CompetencyFigures]
    index: IndexResult

    @property
    def methodology_version(self) -> int:
        return self.methodology.version

    def to_json(self) -> dict[str, Any]:
        return {
            "methodology_version": self.methodology.version,
            "indicators": {name: f.to_json() for name, f in self.indicators.items()},
            "index": {
                "value": self.index.value,
                "ci_low": self.index.ci_low,
                "ci_high": self.index.ci_high,
                "suppressed": self.index.value is None,
                "reason": self.index.reason,
                "published_weight_share": self.index.published_weight_share,
                "weights_used": dict(self.index.weights_used),
            },
            "domains": {
                code: {"mean": d.mean.to_json(), "satisfied": d.satisfied.to_json(), "n": d.n}
                for code, d in self.domains.items()
            },
            "competencies": {
                code: {
                    "domain": c.domain,
                    "mean": c.mean.to_json(),
                    "satisfied": c.satisfied.to_json(),
                    "distribution": c.distribution,
                    "n": c.n,
                }
                for code, c in self.competencies.items()
            },
        }


def published_index(indicators: Mapping[str, Figure], methodology: Methodology) -> IndexResult:
    # Built from published values only, so the index cannot leak a suppressed indicator.
    values = {
        name: IndicatorValue(
            figure.value,
            Scale.RATING if name in MEAN_INDICATORS else Scale.SHARE,
            ci_low=figure.ci_low,
            ci_high=figure.ci_high,
        )
        for name, figure in indicators.items()
    }
    return composite_index(values, methodology)


_NUDGE = 1e-9  # floating-point slack, so 0.29 × 100 floors to 29, not 28


def rounded_card(card: Card, rounding: Rounding) -> Card:
    """A scorecard as a publication states it: rounded, and with a share of answers that all
    fell in one category (0 % or 100 %) stated only as its interval, a bound, and a mean of
    identical ratings withheld: either would tell each respondent's answer. No distribution of
    ratings: a parent's less its children's would pin the hidden ones."""
    share, mean = rounding.share_decimals, rounding.mean_decimals

    def indicator(name: str, figure: Mapping[str, Any]) -> dict[str, Any]:
        if name == COMPETENCY_MEAN:
            return _unless_identical(round_figure(figure, mean))
        if name in ANSWER_SHARES:
            return _as_bound(round_figure(figure, share))
        return round_figure(figure, share)

    indicators = {name: indicator(name, f) for name, f in card["indicators"].items()}
    groups: dict[str, Any] = {}
    for group in ("domains", "competencies"):
        groups[group] = {}
        for code, item in card[group].items():
            stated = {
                **item,
                "mean": _unless_identical(round_figure(item["mean"], mean)),
                "satisfied": _as_bound(round_figure(item["satisfied"], share)),
            }
            if "distribution" in item:
                stated["distribution"] = None
            groups[group][code] = stated
    index = round_figure(card["index"], rounding.index_decimals)
    return {**card, "indicators": indicators, **groups, "index": index}


def round_figure(figure: Mapping[str, Any], decimals: int) -> dict[str, Any]:
    """A published figure's value to ``decimals``, its interval rounded outward."""
    scale = 10.0**decimals
    rounded = dict(figure)
    if figure.get("value") is not None:
        rounded["value"] = round(figure["value"], decimals)
    if figure.get("ci_low") is not None:
        rounded["ci_low"] = math.floor(figure["ci_low"] * scale + _NUDGE) / scale
    if figure.get("ci_high") is not None:
        rounded["ci_high"] = math.ceil(figure["ci_high"] * scale - _NUDGE) / scale
    return rounded


# Shares of assessment answers (the ones ``rounded_card`` states as a bound at 0 % or 100 %).
ANSWER_SHARES = (EMPLOYER_SATISFACTION, PREPAREDNESS, WOULD_HIRE_AGAIN)
ONE_CATEGORY_REASON = "all answers in one category: only the interval is published"


def _as_bound(figure: dict[str, Any]) -> dict[str, Any]:
    if figure["suppressed"] or figure.get("value") not in (0.0, 1.0) or not figure["n"]:
        return figure
    return {**figure, "value": None, "suppressed": True, "reason": ONE_CATEGORY_REASON}


def _unless_identical(figure: dict[str, Any]) -> dict[str, Any]:
    if figure["suppressed"] or figure.get("value") is None:
        return figure
    # Cards scored before the variance floor said so with a zero-width interval.
    equal = figure.get("reason") == EQUAL_RATINGS_NOTE or figure["ci_low"] == figure["ci_high"]
    if not equal:
        return figure
    return {
        **figure,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": True,
        "reason": ONE_CATEGORY_REASON,
    }


def interval_stated(figure: Mapping[str, Any] | None) -> bool:
    """Published, or stated as a bound (its interval only: all answers in one category)."""
    return figure is not None and (
        not figure["suppressed"] or figure["reason"] == ONE_CATEGORY_REASON
    )


def successes(figure: Mapping[str, Any]) -> int:
    """The count behind a published share: the nearest whole number to value × n (exact while
    n < 100 at whole-percent rounding), or, for a share stated only as its interval (every
    answer in one category), 0 or n as the interval says."""
    n: int = figure["n"]
    if figure["value"] is None:
        return n if figure["ci_high"] >= 1.0 else 0
    return int(round(figure["value"] * n))
