"""/clusters: create, list, read and change clusters; members join and leave."""

from datetime import date

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from registry.domain.commands import CreateCluster, JoinCluster, LeaveCluster
from registry.domain.model import Cluster, Membership
from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import (
    ClusterCreate,
    ClusterPublic,
    ClusterStatus,
    ClusterUpdate,
    MemberJoin,
    MemberPublic,
)
from registry.service_layer import clusters as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/clusters", tags=["clusters"])


@router.post("", status_code=201, response_model=ClusterPublic, summary="Create a cluster")
async def create_cluster(
    body: ClusterCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = CreateCluster(**body.model_dump())
    return await create(
        body,
        public=ClusterPublic,
        run=lambda uow: handlers.create(registry_unit_of_work(uow), identity, command),
    )


@router.get("", response_model=Page[ClusterPublic], summary="List clusters")
async def list_clusters(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    region: str | None = None,
    status: ClusterStatus | None = None,
    # An id's characters only: a NUL byte reaching PostgreSQL would be a 500, not a 422.
    coordinator_id: str | None = Query(
        default=None,
        max_length=36,
        pattern=r"^[0-9A-Za-z-]*$",
        description="only the clusters this organization (an id) coordinates",
    ),
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Cluster]:
    async with units() as uow:
        return await handlers.list_page(
            uow,
            identity,
            region_code=region or None,
            status=status,
            coordinator_id=coordinator_id or None,
            limit=limit,
            cursor=cursor,
        )


@router.get("/{cluster_id}", response_model=ClusterPublic, summary="One cluster")
async def get_cluster(cluster_id: str, identity: CurrentIdentity, units: UnitsOfWork) -> Cluster:
    async with units() as uow:
        return await handlers.get(uow, identity, cluster_id)


@router.patch("/{cluster_id}", response_model=ClusterPublic, summary="Change a cluster")
async def update_cluster(
    cluster_id: str, body: ClusterUpdate, identity: CurrentIdentity, units: UnitsOfWork
) -> Cluster:
    async with units() as uow:
        cluster = await handlers.update(
            uow, identity, cluster_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return cluster


@router.get(
    "/{cluster_id}/members",
    response_model=Page[MemberPublic],
    summary="Members (with include_history, also those who left)",
)
async def list_members(
    cluster_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    include_history: bool = False,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[Membership]:
    async with units() as uow:
        return await handlers.members_page(
            uow,
            identity,
            cluster_id,
            include_history=include_history,
            limit=limit,
            cursor=cursor,
        )


@router.post(
    "/{cluster_id}/members",
    status_code=201,
    response_model=MemberPublic,
    summary="An organization joins the cluster",
)
async def join_cluster(
    cluster_id: str, body: MemberJoin, identity: CurrentIdentity, units: UnitsOfWork
) -> Membership:
    command = JoinCluster(cluster_id=cluster_id, **body.model_dump())
    async with units() as uow:
        member = await handlers.join(uow, identity, command)
        await uow.commit()
        return member


@router.delete(
    "/{cluster_id}/members/{organization_id}",
    response_model=MemberPublic,
    summary="An organization leaves the cluster (its history is kept)",
)
async def leave_cluster(
    cluster_id: str,
    organization_id: str,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    left_on: date | None = None,
) -> Membership:
    command = LeaveCluster(
        cluster_id=cluster_id, organization_id=organization_id, left_on=left_on or date.today()
    )
    async with units() as uow:
        member = await handlers.leave(uow, identity, command)
        await uow.commit()
        return member
