"""Analyses on top of the scores: alerts, competency gaps, the cluster comparison."""

from typing import Any

from fastapi import APIRouter, Query

from quality.adapters.repositories import AlertFilter
from quality.domain.model import AlertKind, Scope
from quality.domain.periods import years_of
from quality.entrypoints.deps import (
    NamedReader,
    OptionalPeriod,
    Period,
    Reader,
    UowFactoryDep,
    ViewDep,
)
from quality.entrypoints.schemas import AlertPublic
from quality.service_layer import reading
from quality.service_layer.gaps import competency_gaps, stated_importance
from shared.platform.names import API_PREFIX
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])


@router.get("/alerts", response_model=Page[AlertPublic], summary="Alerts, newest last")
async def list_alerts(
    _: NamedReader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    scope: Scope | None = None,
    scope_id: str | None = None,
    period: OptionalPeriod = None,
    kind: AlertKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    narrowed = AlertFilter(scope=scope, scope_id=scope_id, period=period, kind=kind)
    async with uow_factory() as uow:
        return await reading.published_alerts(uow, view, narrowed, limit=limit, cursor=cursor)


@router.get(
    "/{scope}/{scope_id}/competency-gaps",
    response_model=None,
    summary="Importance–performance per competency: what employers need against what they see",
)
async def get_competency_gaps(
    scope: Scope,
    scope_id: str,
    period: Period,
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    pooled: bool = False,
) -> dict[str, Any]:
    async with uow_factory() as uow:
        score = await reading.one_score(uow, view, (scope, scope_id), period=period, pooled=pooled)
        importance = await stated_importance(
            uow, scope=scope, scope_id=scope_id, years=years_of(period, pooled=pooled)
        )
    return {
        "scope": scope,
        "scope_id": scope_id,
        "period": period,
        "pooled": pooled,
        **competency_gaps(score.card, importance),
    }


@router.get(
    "/clusters/{cluster_id}/comparison",
    response_model=None,
    summary="Cluster members against non-members of the same region and fields",
)
async def compare(
    cluster_id: str,
    period: Period,
    _: Reader,
    view: ViewDep,
    uow_factory: UowFactoryDep,
    pooled: bool = False,
    level: float | None = Query(default=None, ge=0.5, le=0.999),
) -> dict[str, Any]:
    async with uow_factory() as uow:
        result = await reading.comparison(
            uow, view, cluster_id, period=period, pooled=pooled, level=level
        )
    return {"period": period, "pooled": pooled, **result}
