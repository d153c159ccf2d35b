from fastapi import APIRouter, Request

from registry.adapters.tables import employments
from registry.entrypoints.people_schemas import EmploymentCreate, EmploymentEnd, EmploymentPublic
from registry.service_layer import employments as handlers
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/employments", tags=["employments"])


@router.post("", status_code=201, response_model=EmploymentPublic, summary="Record an employment")
async def record_employment(
    body: EmploymentCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    data = body.model_dump()
    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=EmploymentPublic,
        create=lambda uow: handlers.record(uow, identity, data),
    )


@router.post("/{employment_id}/end", response_model=EmploymentPublic, summary="End an employment")
async def end_employment(
    employment_id: str,
    body: EmploymentEnd,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.end(uow, identity, employment_id, body.end_date)
        await uow.commit()
        return row


@router.get(
    "", response_model=Page[EmploymentPublic], summary="List employments (those you may see)"
)
async def list_employments(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    graduate_id: str | None = None,
    employer_id: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    filters = []
    if graduate_id is not None:
        filters.append(employments.c.graduate_id == graduate_id)
    if employer_id is not None:
        filters.append(employments.c.employer_id == employer_id)
    async with uow_factory() as uow:
        return await handlers.list_visible(
            uow, identity, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{employment_id}", response_model=EmploymentPublic, summary="One employment")
async def get_employment(
    employment_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        return await handlers.get_visible(uow, identity, employment_id)
