from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from quality.adapters.tables import alerts
from quality.entrypoints.scores import Reader, Scope
from quality.service_layer import reading
from quality.service_layer.comparison import compare_cluster
from quality.service_layer.gaps import competency_gaps, stated_importance
from quality.service_layer.methodology import current_content, from_json
from quality.service_layer.scoreboard import years_of
from shared.platform.db.queries import fetch_page
from shared.platform.errors import NotFound
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/quality", tags=["quality"])

AlertKind = Literal["index_below_threshold", "significant_drop", "competency_gap"]


class AlertPublic(BaseModel):
    id: str
    scope: Scope
    scope_id: str
    period: int
    kind: AlertKind
    detail: dict
    raised_at: object


@router.get("/alerts", response_model=Page[AlertPublic], summary="Alerts, newest last")
async def list_alerts(
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    scope: Scope | None = None,
    scope_id: str | None = None,
    period: int | None = None,
    kind: AlertKind | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    filters = [
        column == value
        for column, value in (
            (alerts.c.scope, scope),
            (alerts.c.scope_id, scope_id),
            (alerts.c.period, period),
            (alerts.c.kind, kind),
        )
        if value is not None
    ]
    async with uow_factory() as uow:
        return await fetch_page(uow.session, alerts, filters=filters, limit=limit, cursor=cursor)


@router.get(
    "/{scope}/{scope_id}/competency-gaps",
    summary="Importance–performance per competency: what employers need against what they see",
)
async def get_competency_gaps(
    scope: Scope,
    scope_id: str,
    period: int,
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    pooled: bool = False,
):
    async with uow_factory() as uow:
        row = await reading.one_score(uow, scope, scope_id, period=period, pooled=pooled)
        if row is None:
            raise NotFound(f"no {period} score for {scope}", scope_id)
        importance = await stated_importance(
            uow, scope=scope, scope_id=scope_id, years=years_of(period, pooled=pooled)
        )
    return {
        "scope": scope,
        "scope_id": scope_id,
        "period": period,
        "pooled": pooled,
        **competency_gaps(row["card"], importance),
    }


@router.get(
    "/clusters/{cluster_id}/comparison",
    summary="Cluster members against non-members of the same region and fields",
)
async def compare(
    cluster_id: str,
    period: int,
    _: Reader,
    uow_factory: UnitOfWorkFactory,
    pooled: bool = False,
    level: float | None = Query(default=None, ge=0.5, le=0.999),
):
    async with uow_factory() as uow:
        methodology = from_json(await current_content(uow))
        if level is not None:
            methodology = replace(methodology, interval_level=level)
        result = await compare_cluster(
            uow, cluster_id, years=years_of(period, pooled=pooled), methodology=methodology
        )
    return {"period": period, "pooled": pooled, **result}
