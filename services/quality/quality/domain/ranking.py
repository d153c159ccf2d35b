"""League tables that never rank the raw share of a tiny sample.

Units are ranked by their empirical-Bayes estimate of employer satisfaction: the raw share shrunk
toward the pooled rate of the ranked units, by as much as the units really differ (shrinkage.py).
A unit whose figure is suppressed is listed as "not enough data", never ranked.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from quality.domain.intervals import wilson_interval
from quality.domain.model import ScopeKey
from quality.domain.shrinkage import prior_strength, shrunk_rate

NOT_ENOUGH_DATA = "not enough data"


@dataclass(frozen=True)
class Ranked:
    unit_id: str
    rank: int | None  # 1 = best; None when not ranked
    estimate: float | None  # shrunk share; None when not ranked
    raw_share: float | None  # successes / n; None when not ranked (the figure is suppressed)
    n: int
    reason: str | None  # why the unit is not ranked


def rank(
    units: Mapping[str, tuple[int, int]],
    *,
    published: Collection[str],
    level: float = 0.90,
) -> list[Ranked]:
    """Ranked units (1, 2, …) by shrunk estimate, best first, then unranked units by id.

    Ties in the estimate go to the higher Wilson lower bound at `level`, then to the unit id.
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
    estimates = _estimates(ranked)
    order = sorted(
        ranked,
        key=lambda unit: (-estimates[unit], -wilson_interval(*ranked[unit], level)[0], unit),
    )
    result = [
        Ranked(
            unit_id=unit,
            rank=position,
            estimate=estimates[unit],
            raw_share=ranked[unit][0] / ranked[unit][1],
            n=ranked[unit][1],
            reason=None,
        )
        for position, unit in enumerate(order, start=1)
    ]
    result.extend(
        Ranked(unit_id=unit, rank=None, estimate=None, raw_share=None, n=n, reason=NOT_ENOUGH_DATA)
        for unit, (_, n) in sorted(units.items())
        if unit not in ranked
    )
    return result


def _estimates(units: Mapping[str, tuple[int, int]]) -> dict[str, float]:
    if not units:
        return {}
    counts = list(units.values())
    pooled = sum(x for x, _ in counts) / sum(n for _, n in counts)
    strength = prior_strength(counts, parent_rate=pooled)
    return {
        unit: shrunk_rate(x, n, parent_rate=pooled, strength=strength)
        for unit, (x, n) in units.items()
    }


RANKED_BY = "employer_satisfaction"
# The interval level that breaks ties in the ranks stored with the scores.
RANK_LEVEL = 0.90


def rank_cards(
    cards: Mapping[str, Mapping[str, Any]], *, level: float = RANK_LEVEL
) -> list[Ranked]:
    """Rank units (scope id → scorecard JSON) by their employer satisfaction."""
    units, published = {}, set()
    for unit_id, card in cards.items():
        figure = card["indicators"][RANKED_BY]
        successes = round(figure["value"] * figure["n"]) if figure["value"] is not None else 0
        units[unit_id] = (successes, figure["n"])
        if not figure["suppressed"]:
            published.add(unit_id)
    return rank(units, published=published, level=level)


def ranks_by_scope(cards: Mapping[ScopeKey, Mapping[str, Any]]) -> dict[ScopeKey, int | None]:
    """Each scope key's rank among the units of its kind of scope (None: not ranked)."""
    ranks: dict[ScopeKey, int | None] = {}
    for scope in sorted({key[0] for key in cards}):
        units = {key[1]: card for key, card in cards.items() if key[0] == scope}
        ranks.update({(scope, r.unit_id): r.rank for r in rank_cards(units)})
    return ranks
