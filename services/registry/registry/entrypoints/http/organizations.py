"""/organizations: register, list, read and change organizations."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from registry.domain.commands import RegisterOrganization
from registry.domain.model import Organization
from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import (
    Kind,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationUpdate,
)
from registry.service_layer import organizations as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/organizations", tags=["organizations"])


@router.post(
    "", status_code=201, response_model=OrganizationPublic, summary="Register an organization"
)
async def register_organization(
    body: OrganizationCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = RegisterOrganization(**body.model_dump())
    return await create(
        body,
        public=OrganizationPublic,
        run=lambda uow: handlers.register(registry_unit_of_work(uow), identity, command),
    )


VIEW_NOTE = (
    "Contact and taxpayer id are null for readers who may not read them (docs/registry.md has "
    "the matrix)."
)


@router.get(
    "",
    response_model=Page[OrganizationPublic],
    summary="List organizations",
    description=VIEW_NOTE,
)
async def list_organizations(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    kind: Kind | None = None,
    region_code: Annotated[str | None, Query(alias="region")] = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    async with units() as uow:
        return await handlers.list_page(
            uow,
            identity,
            kind=kind,
            region_code=region_code or None,
            active=active,
            limit=limit,
            cursor=cursor,
        )


@router.get(
    "/{organization_id}",
    response_model=OrganizationPublic,
    summary="One organization",
    description=VIEW_NOTE,
)
async def get_organization(
    organization_id: str, identity: CurrentIdentity, units: UnitsOfWork
) -> dict[str, Any]:
    async with units() as uow:
        return await handlers.get(uow, identity, organization_id)


@router.patch(
    "/{organization_id}",
    response_model=OrganizationPublic,
    summary="Change an organization (deactivate instead of deleting)",
)
async def update_organization(
    organization_id: str,
    body: OrganizationUpdate,
    identity: CurrentIdentity,
    units: UnitsOfWork,
) -> Organization:
    async with units() as uow:
        organization = await handlers.update(
            uow, identity, organization_id, body.model_dump(exclude_unset=True)
        )
        await uow.commit()
        return organization
