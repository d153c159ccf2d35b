"""/clusters/{id}/activities: what a cluster's members agreed to do together."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from registry.domain.activities import outcome_of
from registry.domain.commands import RecordActivity
from registry.domain.model import Activity
from registry.entrypoints.deps import SettingsDep, UnitsOfWork
from registry.entrypoints.schemas import ActivityCreate, ActivityPublic, ActivityUpdate
from registry.service_layer import activities as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.contracts.catalogue.registry import ActivityKind, ActivityStatus
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/clusters", tags=["cluster activities"])


@router.post(
    "/{cluster_id}/activities",
    status_code=201,
    response_model=ActivityPublic,
    summary="Record an activity (the coordinator or a member involved)",
)
async def record_activity(
    cluster_id: str,
    body: ActivityCreate,
    identity: CurrentIdentity,
    create: CreateOnce,
    settings: SettingsDep,
) -> JSONResponse:
    fields = body.model_dump(exclude={"outcome"})
    command = RecordActivity(
        cluster_id=cluster_id, outcome=outcome_of(body.outcome.model_dump()), **fields
    )
    return await create(
        body,
        public=ActivityPublic,
        run=lambda uow: handlers.record(
            registry_unit_of_work(uow),
            identity,
            command,
            window_months=settings.employment_window_months,
        ),
    )


@router.get(
    "/{cluster_id}/activities",
    response_model=Page[ActivityPublic],
    summary="The cluster's activities",
)
async def list_activities(
    cluster_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
    kind: ActivityKind | None = None,
    status: ActivityStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Activity]:
    async with units() as uow:
        return await handlers.list_page(
            uow,
            identity,
            cluster_id,
            kind=kind,
            status=status,
            limit=limit,
            cursor=cursor,
            window_months=settings.employment_window_months,
        )


@router.get(
    "/{cluster_id}/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="One activity",
)
async def get_activity(
    cluster_id: str,
    activity_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
) -> Activity:
    async with units() as uow:
        return await handlers.get(
            uow, identity, cluster_id, activity_id, window_months=settings.employment_window_months
        )


@router.patch(
    "/{cluster_id}/activities/{activity_id}",
    response_model=ActivityPublic,
    summary="Change an activity's title, status, end date or outcome",
)
async def update_activity(
    cluster_id: str,
    activity_id: str,
    body: ActivityUpdate,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
) -> Activity:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "outcome" in changes:
        changes["outcome"] = outcome_of(changes["outcome"])
    async with units() as uow:
        activity = await handlers.update(
            uow,
            identity,
            cluster_id,
            activity_id,
            changes,
            window_months=settings.employment_window_months,
        )
        await uow.commit()
        return activity
