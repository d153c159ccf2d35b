from datetime import date

from fastapi import APIRouter, Request

from registry.adapters.tables import cluster_members, clusters
from registry.domain import access
from registry.entrypoints.schemas import (
    ClusterCreate,
    ClusterPublic,
    ClusterStatus,
    ClusterUpdate,
    MemberJoin,
    MemberPublic,
)
from registry.service_layer import clusters as handlers
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/clusters", tags=["clusters"])


@router.post("", status_code=201, response_model=ClusterPublic, summary="Create a cluster")
async def create_cluster(
    body: ClusterCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    data = body.model_dump(mode="json")
    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, data),
        public=ClusterPublic,
        create=lambda uow: handlers.create(uow, identity, data),
    )


@router.get("", response_model=Page[ClusterPublic], summary="List clusters")
async def list_clusters(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    region: str | None = None,
    status: ClusterStatus | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    access.can_read_registry(identity)
    filters = []
    if region:
        filters.append(clusters.c.region_code == region)
    if status:
        filters.append(clusters.c.status == status)
    async with uow_factory() as uow:
        return await fetch_page(uow.session, clusters, filters=filters, limit=limit, cursor=cursor)


@router.get("/{cluster_id}", response_model=ClusterPublic, summary="One cluster")
async def get_cluster(cluster_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory):
    access.can_read_registry(identity)
    async with uow_factory() as uow:
        return await fetch_one(uow.session, clusters, cluster_id, "cluster")


@router.patch("/{cluster_id}", response_model=ClusterPublic, summary="Change a cluster")
async def update_cluster(
    cluster_id: str,
    body: ClusterUpdate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.update(
            uow, identity, cluster_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return row


@router.get(
    "/{cluster_id}/members",
    response_model=Page[MemberPublic],
    summary="Members (with include_history, also those who left)",
)
async def list_members(
    cluster_id: str,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    include_history: bool = False,
    limit: Limit = 100,
    cursor: Cursor = None,
):
    access.can_read_registry(identity)
    filters = [cluster_members.c.cluster_id == cluster_id]
    if not include_history:
        filters.append(cluster_members.c.left_on.is_(None))
    async with uow_factory() as uow:
        await fetch_one(uow.session, clusters, cluster_id, "cluster")
        return await fetch_page(
            uow.session, cluster_members, filters=filters, limit=limit, cursor=cursor
        )


@router.post(
    "/{cluster_id}/members",
    status_code=201,
    response_model=MemberPublic,
    summary="An organization joins the cluster",
)
async def join_cluster(
    cluster_id: str,
    body: MemberJoin,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.join(uow, identity, cluster_id, body.model_dump())
        await uow.commit()
        return row


@router.delete(
    "/{cluster_id}/members/{organization_id}",
    response_model=MemberPublic,
    summary="An organization leaves the cluster (its history is kept)",
)
async def leave_cluster(
    cluster_id: str,
    organization_id: str,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    left_on: date | None = None,
):
    async with uow_factory() as uow:
        row = await handlers.leave(
            uow, identity, cluster_id, organization_id, left_on or date.today()
        )
        await uow.commit()
        return row
