from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import select

from quality.adapters.tables import scores
from quality.service_layer import reading
from shared.platform.auth import Identity, forbidden
from shared.platform.errors import NotFound
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.identity import current_identity
from shared.platform.web.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])

Scope = Literal["program", "organization", "cluster", "region", "national"]
Level = Annotated[float, Query(description="interval level of rankings", ge=0.5, le=0.999)]


async def _reader(request: Request) -> Identity | None:
    """Scores are aggregates with small cells suppressed: readable by every role but operator,
    and by anyone when the service is configured for public scores."""
    public = request.app.state.runtime.spec.settings.public_scores
    if public and "authorization" not in request.headers:
        return None
    identity = await current_identity(request)
    if identity.is_("operator"):
        raise forbidden("operators have no access to quality scores")
    return identity


Reader = Annotated[Identity | None, Depends(_reader)]


class FigurePublic(BaseModel):
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool
    reason: str | None


class ScorePublic(BaseModel):
    scope: Scope
    scope_id: str
    period: int
    pooled: bool
    methodology_version: int
    index: dict[str, Any]
    indicators: dict[str, FigurePublic]
    domains: dict[str, Any]
    competencies: dict[str, Any]
    rank: int | None
    computed_at: Any


class RankedPublic(BaseModel):
    scope_id: str
    rank: int | None
    estimate: float | None
    share: float | None
    n: int
    reason: str | None


class Rankings(BaseModel):
    scope: Scope
    period: int
    pooled: bool
    ranked_by: str
    items: list[RankedPublic]


@router.get("/scores", response_model=Page[ScorePublic], summary="Scores of one kind of scope")
async def list_scores(
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    scope: Scope,
    period: int,
    pooled: bool = False,
    region: str | None = None,
    cluster: str | None = None,
    field: str | None = Query(default=None, pattern=r"^\d{4}$"),
    level: str | None = Query(default=None, pattern=r"^[0-8]$"),
    limit: Limit = 50,
    cursor: Cursor = None,
):
    filters = []
    if region is not None:
        filters.append(reading.in_region(scope, region))
    if cluster is not None:
        filters.append(reading.in_cluster(scope, cluster, period))
    if field is not None or level is not None:
        filters.append(reading.of_programs(field=field, level=level))
    after = decode_cursor(cursor)
    if after is not None:
        filters.append(scores.c.scope_id > after)
    statement = (
        reading.scores_of(scope, period=period, pooled=pooled, filters=filters)
        .order_by(scores.c.scope_id)
        .limit(limit + 1)
    )
    async with uow_factory() as uow:
        rows = list((await uow.session.execute(statement)).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        items=[reading.document(r) for r in rows],
        next_cursor=encode_cursor(rows[-1]["scope_id"]) if more else None,
    )


@router.get("/rankings", response_model=Rankings, summary="A league table that is honest")
async def get_rankings(
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    scope: Scope,
    period: int,
    pooled: bool = False,
    region: str | None = None,
    level: Level = 0.90,
):
    filters = [reading.in_region(scope, region)] if region is not None else []
    async with uow_factory() as uow:
        items = await reading.rankings(
            uow, scope=scope, period=period, pooled=pooled, filters=filters, level=level
        )
    return {
        "scope": scope,
        "period": period,
        "pooled": pooled,
        "ranked_by": f"{reading.SHARE_RANKED_BY} (empirical-Bayes estimate)",
        "items": items,
    }


@router.get("/{scope}/{scope_id}", response_model=ScorePublic, summary="One scope's scorecard")
async def get_score(
    scope: Scope,
    scope_id: str,
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    period: int | None = None,
    pooled: bool = False,
    level: float | None = Query(
        default=None, ge=0.5, le=0.999, description="another interval level, e.g. 0.95"
    ),
):
    async with uow_factory() as uow:
        period = period or await reading.latest_period(uow, scope, scope_id)
        row = await reading.one_score(uow, scope, scope_id, period=period, pooled=pooled)
        if row is None:
            raise NotFound(f"no {period} score for {scope}", scope_id)
        if level is not None:
            row = await reading.at_level(uow, row, level=level)
        ranked = await reading.rankings(
            uow, scope=scope, period=period, pooled=pooled, filters=[], level=0.90
        )
    return reading.document(row, rank_of={r["scope_id"]: r["rank"] for r in ranked})


@router.get(
    "/{scope}/{scope_id}/history",
    response_model=list[ScorePublic],
    summary="A scope's scorecards over the years",
)
async def get_history(
    scope: Scope, scope_id: str, _: Reader, uow_factory: UnitOfWorkFactory, pooled: bool = False
):
    statement = (
        select(scores)
        .where(scores.c.scope == scope, scores.c.scope_id == scope_id, scores.c.pooled.is_(pooled))
        .order_by(scores.c.period)
    )
    async with uow_factory() as uow:
        return [reading.document(r) for r in (await uow.session.execute(statement)).mappings()]
