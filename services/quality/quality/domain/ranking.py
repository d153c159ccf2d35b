"""League tables that never rank the raw share of a tiny sample.

Units are ranked by their empirical-Bayes estimate of employer satisfaction: the raw share shrunk
toward the pooled rate of the ranked units, by as much as the units really differ (shrinkage.py),
and never by less than ``MIN_RANKING_STRENGTH`` pseudo-observations, so 12 of 12 does not
outrank 185 of 200. Units that tie share a rank. Each rank comes with its interval: the ranks
the unit takes in draws from every unit's posterior (``RANK_DRAWS``, a fixed seed, so the same
data always give the same interval). A unit whose figure is suppressed is listed as "not enough
data", never ranked. Programs are ranked within comparable groups (level and broad field).
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from quality.domain.intervals import wilson_interval
from quality.domain.model import Scope, ScopeKey
from quality.domain.scorecard import interval_stated, successes
from quality.domain.shrinkage import prior_strength, shrunk_rate

NOT_ENOUGH_DATA = "not enough data"
# The least prior strength a ranking shrinks with: with fewer pseudo-observations a perfect
# small sample outranks a large strong unit (12/12 above 185/200 at about 4.5, the moment
# estimate beside 120/200 and 90/150).
MIN_RANKING_STRENGTH = 10.0
RANK_DRAWS = 4000


@dataclass(frozen=True)
class Ranked:
    unit_id: str
    rank: int | None  # 1 = best, shared by ties; None when not ranked
    estimate: float | None  # shrunk share; None when not ranked
    raw_share: float | None  # successes / n; None when not ranked (the figure is suppressed)
    n: int
    reason: str | None  # why the unit is not ranked
    # The ranks the unit takes in the central ``level`` of posterior draws (None: not ranked).
    rank_low: int | None = None
    rank_high: int | None = None


def rank(
    units: Mapping[str, tuple[int, int]],
    *,
    published: Collection[str],
    level: float = 0.90,
) -> list[Ranked]:
    """Ranked units (1, 2, …) by shrunk estimate, best first, then unranked units by id.

    Ties in the estimate go to the higher Wilson lower bound at `level`; units equal in both
    share a rank (1, 2, 2, 4) and are listed by id. Each rank carries its `level` interval.
    The pooled rate and the prior strength come from the published units only: a suppressed
    unit's counts would otherwise be recoverable from the estimates (the pooled rate is the
    published units' successes plus the suppressed ones', over a total n everybody sees).
    """
    unknown = set(published) - units.keys()
    if unknown:
        raise ValueError(f"published names units without counts: {sorted(unknown)}")
    if any(not 0 <= x <= n for x, n in units.values()):
        raise ValueError("successes must lie between 0 and n")
    ranked = {unit: units[unit] for unit in published if units[unit][1] > 0}
    estimates, strength, pooled = _estimates(ranked)

    def merit(unit: str) -> tuple[float, float]:
        lower = wilson_interval(*ranked[unit], level)[0]
        return (-round(estimates[unit], 12), -round(lower, 12))

    order = sorted(ranked, key=lambda unit: (merit(unit), unit))
    positions: dict[str, int] = {}
    for position, unit in enumerate(order, start=1):
        tied = position > 1 and merit(order[position - 2]) == merit(unit)
        positions[unit] = positions[order[position - 2]] if tied else position
    intervals = _rank_intervals(
        [ranked[unit] for unit in order], strength=strength, pooled=pooled, level=level
    )
    result = [
        Ranked(
            unit_id=unit,
            rank=positions[unit],
            estimate=estimates[unit],
            raw_share=ranked[unit][0] / ranked[unit][1],
            n=ranked[unit][1],
            reason=None,
            rank_low=low,
            rank_high=high,
        )
        for unit, (low, high) in zip(order, intervals, strict=True)
    ]
    return result + _not_ranked(units, ranked)


def _not_ranked(units: Mapping[str, tuple[int, int]], ranked: Collection[str]) -> list[Ranked]:
    """The units left out of ``ranked``, by id, as "not enough data"."""
    return [
        Ranked(unit_id=unit, rank=None, estimate=None, raw_share=None, n=n, reason=NOT_ENOUGH_DATA)
        for unit, (_, n) in sorted(units.items())
        if unit not in ranked
    ]


def _estimates(units: Mapping[str, tuple[int, int]]) -> tuple[dict[str, float], float, float]:
    """Each unit's shrunk estimate, and the prior strength and pooled rate behind them."""
    if not units:
        return {}, MIN_RANKING_STRENGTH, 0.0
    counts = list(units.values())
    pooled = sum(x for x, _ in counts) / sum(n for _, n in counts)
    strength = max(MIN_RANKING_STRENGTH, prior_strength(counts, parent_rate=pooled))
    estimates = {
        unit: shrunk_rate(x, n, parent_rate=pooled, strength=strength)
        for unit, (x, n) in units.items()
    }
    return estimates, strength, pooled


def _rank_intervals(
    counts: list[tuple[int, int]], *, strength: float, pooled: float, level: float
) -> list[tuple[int, int]]:
    """The central ``level`` range of each unit's rank over draws of every unit's true rate
    from its Beta posterior (a fixed seed: the same counts give the same intervals)."""
    if not counts:
        return []
    x = np.array([c[0] for c in counts], dtype=float)
    n = np.array([c[1] for c in counts], dtype=float)
    a = x + pooled * strength + 1e-9
    b = n - x + (1 - pooled) * strength + 1e-9
    draws = np.random.default_rng(20261205).beta(a, b, size=(RANK_DRAWS, len(counts)))
    # Rank 1 = the highest draw: each draw's place in its row's descending order (the inverse
    # of the sorting permutation, scattered in one pass rather than sorted a second time).
    order = (-draws).argsort(axis=1)
    ranks = np.empty_like(order)
    places = np.broadcast_to(np.arange(1, len(counts) + 1), order.shape)
    np.put_along_axis(ranks, order, places, axis=1)
    tail = (1 - level) / 2 * 100
    low = np.percentile(ranks, tail, axis=0, method="lower")
    high = np.percentile(ranks, 100 - tail, axis=0, method="higher")
    return [(int(lo), int(hi)) for lo, hi in zip(low, high, strict=True)]


RANKED_BY = "employer_satisfaction"
# The interval level that breaks ties in the ranks stored with the scores.
RANK_LEVEL = 0.90


def rank_cards(
    cards: Mapping[str, Mapping[str, Any]], *, level: float = RANK_LEVEL
) -> list[Ranked]:
    """Rank units (scope id → scorecard JSON) by their employer satisfaction."""
    return rank_figures(
        {unit: card["indicators"][RANKED_BY] for unit, card in cards.items()}, level=level
    )


def rank_figures(
    figures: Mapping[str, Mapping[str, Any]], *, level: float = RANK_LEVEL
) -> list[Ranked]:
    """Rank units (scope id → its employer-satisfaction figure)."""
    units, published = _counted(figures)
    return rank(units, published=published, level=level)


def _counted(
    figures: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Each unit's (successes, n), and the units whose figure is stated."""
    units, published = {}, set()
    for unit_id, figure in figures.items():
        # A share stated only as its interval (all answers in one category) is ranked too.
        stated = interval_stated(figure)
        units[unit_id] = (successes(figure) if stated else 0, figure["n"])
        if stated:
            published.add(unit_id)
    return units, published


@dataclass(frozen=True)
class Place:
    """A unit's stored rank and its interval (all None: not ranked)."""

    rank: int | None
    low: int | None
    high: int | None


UNRANKED = Place(None, None, None)


def ranked_as_stored(
    figures: Mapping[str, Mapping[str, Any]], places: Mapping[str, Place]
) -> list[Ranked] | None:
    """``rank_figures`` at ``RANK_LEVEL`` from the ranks stored with the figures (``places``,
    drawn when they were stored), without drawing again; None when the stored ranks are not
    of these figures (a unit ranked there and not ranked by its figure now, or the reverse:
    live ranks are stored at their own cadence)."""
    units, published = _counted(figures)
    ranked = {unit: units[unit] for unit in published if units[unit][1] > 0}
    if {unit for unit, place in places.items() if place.rank is not None} != ranked.keys():
        return None
    estimates, _, _ = _estimates(ranked)
    listed = [
        Ranked(
            unit_id=unit,
            rank=places[unit].rank,
            estimate=estimates[unit],
            raw_share=x / n,
            n=n,
            reason=None,
            rank_low=places[unit].low,
            rank_high=places[unit].high,
        )
        for unit, (x, n) in ranked.items()
    ]
    # As ``rank`` lists them: by rank, tied units by id, then the unranked by id.
    listed.sort(key=lambda r: (r.rank or 0, r.unit_id))
    return listed + _not_ranked(units, ranked)


def comparable_group(level: str, field_code: str) -> str:
    """The group a program is ranked within: its level and ISCED-F broad field ("6/06"), since
    employers judge a bachelor's in ICT and a master's in nursing by different measures."""
    return f"{level}/{field_code[:2]}"


def ranks_by_scope(
    cards: Mapping[ScopeKey, Mapping[str, Any]], groups: Mapping[ScopeKey, str] | None = None
) -> dict[ScopeKey, Place]:
    """Each scope key's rank, with its interval, among the units of its kind of scope in its
    comparable group (``groups``: a unit's group; units without one form one group)."""
    grouped: dict[tuple[Scope, str | None], dict[str, Mapping[str, Any]]] = {}
    for key, card in cards.items():
        group = groups.get(key) if groups else None
        grouped.setdefault((key[0], group), {})[key[1]] = card
    ranks: dict[ScopeKey, Place] = {}
    for (scope, _), units in sorted(grouped.items(), key=lambda item: str(item[0])):
        ranks.update(
            {(scope, r.unit_id): Place(r.rank, r.rank_low, r.rank_high) for r in rank_cards(units)}
        )
    return ranks
