"""Published scores: lists, rankings, one scope's scorecard and its history."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from quality.adapters.repositories import ScoreFilter
from quality.domain.model import Scope
from quality.domain.ranking import RANKED_BY
from quality.entrypoints.deps import OptionalPeriod, Period, Reader, UowFactoryDep, ViewDep
from quality.entrypoints.schemas import Benchmarks, FunnelPublic, Rankings, ScorePublic
from quality.service_layer import reading
from quality.service_layer.benchmarks import benchmarks
from quality.service_layer.reading import Document
from shared.platform.names import API_PREFIX
from shared.platform.web.pagination import Cursor, Limit, Page, page_of

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])

Level = Annotated[float, Query(description="interval level of rankings", ge=0.5, le=0.999)]


@router.get("/scores", response_model=Page[ScorePublic], summary="Scores of one kind of scope")
async def list_scores(
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    scope: Scope,
    period: Period,
    pooled: bool = False,
    region: str | None = None,
    cluster: str | None = None,
    field: str | None = Query(default=None, pattern=r"^\d{4}$"),
    level: str | None = Query(default=None, pattern=r"^[0-8]$"),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Document]:
    narrowed = ScoreFilter(region=region, cluster=cluster, field=field, level=level)
    async with uow_factory() as uow:
        return await reading.listing(
            uow,
            view,
            scope,
            period=period,
            pooled=pooled,
            narrowed=narrowed,
            limit=limit,
            cursor=cursor,
        )


@router.get("/rankings", response_model=Rankings, summary="A league table that is honest")
async def get_rankings(
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    scope: Scope,
    period: Period,
    pooled: bool = False,
    region: str | None = None,
    level: Level = 0.90,
    across_groups: Annotated[
        bool,
        Query(description="rank programs of every level and field together (not comparable)"),
    ] = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        items = await reading.rankings(
            uow,
            view,
            scope=scope,
            period=period,
            pooled=pooled,
            region=region,
            level=level,
            across_groups=across_groups,
        )
    return {
        "scope": scope,
        "period": period,
        "pooled": pooled,
        "ranked_by": f"{RANKED_BY} (empirical-Bayes estimate)",
        **page_of(items, key=reading.ranking_key, limit=limit, cursor=cursor).model_dump(),
    }


@router.get(
    "/funnel",
    response_model=FunnelPublic,
    summary="A funnel plot of employer satisfaction: exact limits, widened for over-dispersion",
)
async def get_funnel(
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    scope: Scope,
    period: Period,
    pooled: bool = False,
    region: str | None = None,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        drawn = await reading.funnel_of(
            uow, view, scope=scope, period=period, pooled=pooled, region=region
        )
    return {"scope": scope, "period": period, "pooled": pooled, **drawn}


@router.get(
    "/benchmarks",
    response_model=Benchmarks,
    summary="Programs and institutions against the national rates of their mix of fields and "
    "levels (indirect standardisation)",
)
async def get_benchmarks(
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    scope: Scope,
    period: Period,
    pooled: bool = False,
    region: str | None = None,
    level: Level = 0.90,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        items = await benchmarks(
            uow, view, scope=scope, period=period, pooled=pooled, region=region, level=level
        )
    return {
        "scope": scope,
        "period": period,
        "pooled": pooled,
        "indicator": RANKED_BY,
        "level": level,
        "items": items,
    }


@router.get("/{scope}/{scope_id}", response_model=ScorePublic, summary="One scope's scorecard")
async def get_score(
    scope: Scope,
    scope_id: str,
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    period: OptionalPeriod = None,
    pooled: bool = False,
    level: float | None = Query(
        default=None, ge=0.5, le=0.999, description="another interval level, e.g. 0.95"
    ),
) -> Document:
    async with uow_factory() as uow:
        return await reading.scorecard(
            uow, view, (scope, scope_id), period=period, pooled=pooled, level=level
        )


@router.get(
    "/{scope}/{scope_id}/history",
    response_model=list[ScorePublic],
    summary="A scope's scorecards over the years",
)
async def get_history(
    scope: Scope,
    scope_id: str,
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    pooled: bool = False,
) -> list[Document]:
    async with uow_factory() as uow:
        return await reading.history(uow, view, (scope, scope_id), pooled=pooled)
