"""/clusters/{id}/goals: a cluster's strategy goals, set by its coordinator, versioned."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from registry.domain.commands import SetGoal
from registry.domain.model import Goal
from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import GoalPublic, GoalSet
from registry.service_layer import goals as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/clusters", tags=["cluster goals"])


@router.post(
    "/{cluster_id}/goals",
    status_code=201,
    response_model=GoalPublic,
    summary="Set a new strategy goal (the coordinator)",
)
async def create_goal(
    cluster_id: str, body: GoalSet, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = SetGoal(cluster_id=cluster_id, **body.model_dump())
    return await create(
        body,
        public=GoalPublic,
        run=lambda uow: handlers.set_goal(registry_unit_of_work(uow), identity, command),
    )


@router.get(
    "/{cluster_id}/goals",
    response_model=Page[GoalPublic],
    summary="The cluster's goals as they stand",
)
async def list_goals(
    cluster_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Goal]:
    async with units() as uow:
        return await handlers.list_page(
            uow, identity, cluster_id, active=active, limit=limit, cursor=cursor
        )


@router.get("/{cluster_id}/goals/{goal_id}", response_model=GoalPublic, summary="One goal")
async def get_goal(
    cluster_id: str, goal_id: str, identity: CurrentIdentity, units: UnitsOfWork
) -> Goal:
    async with units() as uow:
        return await handlers.get(uow, identity, cluster_id, goal_id)


@router.put(
    "/{cluster_id}/goals/{goal_id}",
    response_model=GoalPublic,
    summary="Revise a goal: its next version (the earlier ones are kept)",
)
async def revise_goal(
    cluster_id: str, goal_id: str, body: GoalSet, identity: CurrentIdentity, units: UnitsOfWork
) -> Goal:
    command = SetGoal(cluster_id=cluster_id, goal_id=goal_id, **body.model_dump())
    async with units() as uow:
        goal = await handlers.set_goal(uow, identity, command)
        await uow.commit()
        return goal


@router.get(
    "/{cluster_id}/goals/{goal_id}/versions",
    response_model=Page[GoalPublic],
    summary="Every version of a goal, the first first",
)
async def list_goal_versions(
    cluster_id: str,
    goal_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Goal]:
    async with units() as uow:
        return await handlers.versions_page(
            uow, identity, cluster_id, goal_id, limit=limit, cursor=cursor
        )
