"""/employments: an employer records and ends employments; readers see those in their scope."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from registry.domain.commands import EndEmployment, RecordEmployment
from registry.domain.model import Employment
from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import EmploymentCreate, EmploymentEnd, EmploymentPublic
from registry.service_layer import employments as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/employments", tags=["employments"])


@router.post("", status_code=201, response_model=EmploymentPublic, summary="Record an employment")
async def record_employment(
    body: EmploymentCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = RecordEmployment(**body.model_dump())
    return await create(
        body,
        public=EmploymentPublic,
        run=lambda uow: handlers.record(registry_unit_of_work(uow), identity, command),
    )


@router.post("/{employment_id}/end", response_model=EmploymentPublic, summary="End an employment")
async def end_employment(
    employment_id: str, body: EmploymentEnd, identity: CurrentIdentity, units: UnitsOfWork
) -> Employment:
    command = EndEmployment(employment_id=employment_id, end_date=body.end_date)
    async with units() as uow:
        employment = await handlers.end(uow, identity, command)
        await uow.commit()
        return employment


@router.get(
    "", response_model=Page[EmploymentPublic], summary="List employments (those you may see)"
)
async def list_employments(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    graduate_id: str | None = None,
    employer_id: str | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Employment]:
    async with units() as uow:
        return await handlers.list_visible(
            uow,
            identity,
            graduate_id=graduate_id,
            employer_id=employer_id,
            limit=limit,
            cursor=cursor,
        )


@router.get("/{employment_id}", response_model=EmploymentPublic, summary="One employment")
async def get_employment(
    employment_id: str, identity: CurrentIdentity, units: UnitsOfWork
) -> Employment:
    async with units() as uow:
        return await handlers.get_visible(uow, identity, employment_id)
