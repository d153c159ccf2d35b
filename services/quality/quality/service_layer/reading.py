"""Read published scores: one scope, its history, lists with filters, and rankings."""

from dataclasses import replace
from typing import Any

from quality.adapters.repositories import AlertFilter, ScoreFilter
from quality.domain.alerts import as_published
from quality.domain.methodology import from_json
from quality.domain.model import ScopeKey, StoredScore
from quality.domain.ranking import rank_cards
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import compute_scorecards
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.db.keyset import Page
from shared.platform.errors import NotFound

Document = dict[str, Any]


def document(score: StoredScore) -> Document:
    """A stored score as the API shows it, with the rank stored at publication."""
    card = score.card
    return {
        "scope": score.scope,
        "scope_id": score.scope_id,
        "period": score.period,
        "pooled": score.pooled,
        "methodology_version": score.methodology_version,
        "index": card["index"],
        "indicators": card["indicators"],
        "domains": card["domains"],
        "competencies": card["competencies"],
        "rank": score.rank,
        "computed_at": score.computed_at,
    }


async def one_score(
    uow: AbstractQualityUnitOfWork, key: ScopeKey, *, period: int, pooled: bool
) -> StoredScore:
    """The stored score of a scope; NotFound when it has none for ``period``."""
    score = await uow.scores.get(key, period=period, pooled=pooled)
    if score is None:
        raise NotFound(f"no {period} score for {key[0]}", key[1])
    return score


async def latest_period(uow: AbstractQualityUnitOfWork, key: ScopeKey) -> int:
    period = await uow.scores.latest_period(key)
    if period is None:
        raise NotFound(f"no score yet for {key[0]}", key[1])
    return period


async def scorecard(
    uow: AbstractQualityUnitOfWork,
    key: ScopeKey,
    *,
    period: int | None,
    pooled: bool,
    level: float | None,
) -> Document:
    """A scope's scorecard (the latest period unless one is named) with its rank; with
    ``level``, its intervals recomputed at that level (same counts, same rules)."""
    period = period or await latest_period(uow, key)
    score = await one_score(uow, key, period=period, pooled=pooled)
    if level is not None:
        methodology = replace(from_json(await current_content(uow)), interval_level=level)
        cards = await compute_scorecards(uow, period=period, pooled=pooled, methodology=methodology)
        score = replace(score, card=cards[key].to_json())
    return document(score)


async def history(uow: AbstractQualityUnitOfWork, key: ScopeKey, *, pooled: bool) -> list[Document]:
    return [document(score) for score in await uow.scores.history(key, pooled=pooled)]


async def listing(
    uow: AbstractQualityUnitOfWork,
    scope: str,
    *,
    period: int,
    pooled: bool,
    narrowed: ScoreFilter,
    limit: int,
    cursor: str | None,
) -> Page[Document]:
    page = await uow.scores.page(
        scope, period=period, pooled=pooled, narrowed=narrowed, limit=limit, cursor=cursor
    )
    return Page(items=[document(score) for score in page.items], next_cursor=page.next_cursor)


async def rankings(
    uow: AbstractQualityUnitOfWork,
    *,
    scope: str,
    period: int,
    pooled: bool,
    level: float,
    region: str | None = None,
) -> list[dict[str, Any]]:
    """Units of ``scope`` ranked by the empirical-Bayes estimate of employer satisfaction."""
    stored = await uow.scores.of_scope(scope, period=period, pooled=pooled, region=region)
    ranked = rank_cards({score.scope_id: score.card for score in stored}, level=level)
    return [
        {
            "scope_id": r.unit_id,
            "rank": r.rank,
            "estimate": r.estimate,
            "share": r.raw_share,
            "n": r.n,
            "reason": r.reason,
        }
        for r in ranked
    ]


async def published_alerts(
    uow: AbstractQualityUnitOfWork, narrowed: AlertFilter, *, limit: int, cursor: str | None
) -> Page[dict[str, Any]]:
    """A page of alerts, each citing only values its scorecards still publish."""
    page = await uow.alerts.page(narrowed, limit=limit, cursor=cursor)
    items = []
    for alert in page.items:
        key = (alert["scope"], alert["scope_id"])
        card = await uow.scores.get(key, period=alert["period"], pooled=False)
        last_year = await uow.scores.get(key, period=alert["period"] - 1, pooled=False)
        detail = as_published(
            alert["kind"],
            alert["detail"],
            card=card.card if card else None,
            last_year=last_year.card if last_year else None,
        )
        items.append({**alert, "detail": detail})
    return Page(items=items, next_cursor=page.next_cursor)
