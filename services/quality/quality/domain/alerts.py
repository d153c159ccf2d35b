"""When a changed yearly scorecard deserves an alert (pure rules; raising them: service_layer).

- ``index_below_threshold``: the index is surely below the methodology's threshold (its whole
  interval below it) and was not before; once per scope and period;
- ``significant_drop``: employer satisfaction is lower than the previous year's, the Newcombe
  interval of the difference (at the methodology's level) lying wholly below zero, and the drop
  surviving Benjamini–Hochberg control of the false discovery rate across the units of the
  publication (hundreds of units tested at once would otherwise alert on chance);
- ``competency_gap``: a competency of a cluster sits in "concentrate here" (important to the
  employers, rated below the cluster's other competencies), *and* falls short of its stated
  importance by at least ``GAP_MARGIN`` with the upper end of its mean's interval below the
  importance: the quadrant alone is relative (a cluster rated 4.90 and 4.95 has one too).
"""

from typing import Any

from quality.domain.intervals import difference_of_proportions_interval
from quality.domain.model import Card
from quality.domain.scorecard import interval_stated, successes

Detail = dict[str, Any]

# A gap worth an alert: importance − performance at least this (points on the 1–5 scale).
GAP_MARGIN = 0.5


def index_crossed(card: Card, before: Card | None, threshold: float) -> Detail | None:
    """The alert detail when the index is now surely below ``threshold`` and was not before.

    Surely: its whole interval lies below, so the probability of its being below is at least
    (1 + level) / 2 (95 % for a 90 % interval); an index with no interval makes no such claim.
    An index already surely below before a change says nothing new (hysteresis)."""
    index = card["index"]
    if not _surely_below(index, threshold) or (
        before is not None and _surely_below(before["index"], threshold)
    ):
        return None
    return {
        "index": index["value"],
        "ci_low": index["ci_low"],
        "ci_high": index["ci_high"],
        "threshold": threshold,
        "previous_index": before["index"]["value"] if before else None,
    }


def _surely_below(index: Detail, threshold: float) -> bool:
    high = index.get("ci_high")
    return index.get("value") is not None and high is not None and high < threshold


def dropped(card: Card, last_year: Card | None, *, level: float = 0.90) -> Detail | None:
    """The alert detail when employer satisfaction dropped significantly since last year: the
    Newcombe interval of this year's share minus last year's lies wholly below zero (two
    intervals that overlap can still differ significantly: 26/40 against 34/40 does)."""
    now_, then = (
        c["indicators"]["employer_satisfaction"] if c else None for c in (card, last_year)
    )
    if not (interval_stated(now_) and interval_stated(then)):
        return None
    assert now_ is not None and then is not None
    low, high = difference_of_proportions_interval(
        x1=successes(now_), n1=now_["n"], x2=successes(then), n2=then["n"], level=level
    )
    if high >= 0:
        return None
    return {
        "indicator": "employer_satisfaction",
        "value": now_["value"],
        "ci_low": now_["ci_low"],
        "ci_high": now_["ci_high"],
        "previous_value": then["value"],
        "previous_ci_low": then["ci_low"],
        "previous_ci_high": then["ci_high"],
        "difference_ci_low": low,
        "difference_ci_high": high,
    }


def material_gap(gap: dict[str, Any]) -> bool:
    """In "concentrate here", short of the importance by ``GAP_MARGIN`` or more, and
    significantly so: the mean's interval lies wholly below the importance."""
    high = gap.get("performance_ci_high")
    return (
        gap["quadrant"] == "concentrate_here"
        and gap["gap"] >= GAP_MARGIN
        and high is not None
        and high < gap["importance"]
    )


def drop_p_value(card: Card, last_year: Card | None) -> float | None:
    """The two-sided p-value of this year's employer satisfaction against last year's: one
    minus the highest level whose Newcombe difference interval still excludes zero (found by
    bisection); None unless both years state the figure and it fell."""
    now_, then = (
        c["indicators"]["employer_satisfaction"] if c else None for c in (card, last_year)
    )
    if not (interval_stated(now_) and interval_stated(then)):
        return None
    assert now_ is not None and then is not None
    counts = {
        "x1": successes(now_),
        "n1": now_["n"],
        "x2": successes(then),
        "n2": then["n"],
    }
    if counts["x1"] / counts["n1"] >= counts["x2"] / counts["n2"]:
        return None
    low, high = 0.0, 1 - 1e-9  # levels: the interval excludes zero at ``low``, maybe at ``high``
    if difference_of_proportions_interval(**counts, level=high)[1] < 0:
        return 1e-9
    for _ in range(50):
        middle = (low + high) / 2
        if difference_of_proportions_interval(**counts, level=middle)[1] < 0:
            low = middle
        else:
            high = middle
    return 1 - low


def benjamini_hochberg(p_values: dict[Any, float], *, q: float) -> set[Any]:
    """The keys whose p-values survive Benjamini–Hochberg at false discovery rate ``q``: the
    k smallest, for the largest k with p_(k) ≤ k·q/m."""
    ordered = sorted(p_values.items(), key=lambda item: item[1])
    m = len(ordered)
    passing = [k for k, (_, p) in enumerate(ordered, start=1) if p <= k * q / m]
    return {key for key, _ in ordered[: max(passing, default=0)]}


def gap_details(gaps: dict[str, Any], *, known: set[str]) -> list[Detail]:
    """One detail per competency with a material gap that has no alert yet (``known``)."""
    return [
        {
            "competency": code,
            "importance": gap["importance"],
            "performance": gap["performance"],
            "gap": gap["gap"],
        }
        for code, gap in gaps.items()
        if material_gap(gap) and code not in known
    ]


WITHHELD = "the figures this alert cited are no longer published"
# The values each kind of alert cites: the detail keys, and where they stand in a scorecard.
_CITED = {
    "index_below_threshold": ("index", "ci_low", "ci_high", "previous_index"),
    "significant_drop": (
        "value",
        "ci_low",
        "ci_high",
        "previous_value",
        "previous_ci_low",
        "previous_ci_high",
        "difference_ci_low",
        "difference_ci_high",
    ),
    "competency_gap": ("performance", "gap"),
}


def _published(figure: dict[str, Any] | None) -> bool:
    return figure is not None and not figure.get("suppressed", True)


def still_published(
    kind: str, detail: Detail, *, card: Card | None, last_year: Card | None
) -> bool:
    """Whether every figure an alert cites is published in the scorecards as they are now."""
    if card is None:
        return False
    if kind == "index_below_threshold":
        return card["index"].get("value") is not None
    if kind == "significant_drop":
        return last_year is not None and all(
            _published(c["indicators"].get("employer_satisfaction")) for c in (card, last_year)
        )
    if kind == "competency_gap":
        competency = card["competencies"].get(detail.get("competency", ""))
        return competency is not None and _published(competency.get("mean"))
    return False


def as_published(kind: str, detail: Detail, *, card: Card | None, last_year: Card | None) -> Detail:
    """The alert's detail with the values it cites withheld where the scorecards no longer
    publish them: an alert never keeps a value that was published once and is hidden now."""
    if still_published(kind, detail, card=card, last_year=last_year):
        return detail
    cited = _CITED.get(kind, ())
    return {**{k: (None if k in cited else v) for k, v in detail.items()}, "withheld": WITHHELD}
