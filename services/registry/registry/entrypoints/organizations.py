from typing import Annotated

from fastapi import APIRouter, Query, Request

from registry.adapters.tables import organizations
from registry.domain import access
from registry.entrypoints.schemas import (
    Kind,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationUpdate,
)
from registry.service_layer import organizations as handlers
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/organizations", tags=["organizations"])


@router.post(
    "", status_code=201, response_model=OrganizationPublic, summary="Register an organization"
)
async def register_organization(
    body: OrganizationCreate,
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
        public=OrganizationPublic,
        create=lambda uow: handlers.register(uow, identity, data),
    )


@router.get("", response_model=Page[OrganizationPublic], summary="List organizations")
async def list_organizations(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    kind: Kind | None = None,
    region_code: Annotated[str | None, Query(alias="region")] = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    access.can_read_registry(identity)
    filters = []
    if kind:
        filters.append(organizations.c.kind == kind)
    if region_code:
        filters.append(organizations.c.region_code == region_code)
    if active is not None:
        filters.append(organizations.c.active == active)
    async with uow_factory() as uow:
        return await fetch_page(
            uow.session, organizations, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{organization_id}", response_model=OrganizationPublic, summary="One organization")
async def get_organization(
    organization_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    access.can_read_registry(identity)
    async with uow_factory() as uow:
        return await fetch_one(uow.session, organizations, organization_id, "organization")


@router.patch(
    "/{organization_id}",
    response_model=OrganizationPublic,
    summary="Change an organization (deactivate instead of deleting)",
)
async def update_organization(
    organization_id: str,
    body: OrganizationUpdate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.update(
            uow, identity, organization_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return row
