"""/requirements: what employers and clusters need, each statement a new version."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assessment.adapters.repositories import RequirementFilter
from assessment.domain.model import Requirement
from assessment.entrypoints.deps import UowFactoryDep
from assessment.entrypoints.schemas import RequirementCreate, RequirementPublic
from assessment.service_layer import requirements as handlers
from assessment.service_layer.commands import PublishRequirement
from assessment.service_layer.unit_of_work import assessment_uow
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/requirements", tags=["requirements"])


@router.post(
    "",
    status_code=201,
    response_model=RequirementPublic,
    summary="Publish what an employer or a cluster needs (a new version of the series)",
)
async def publish_requirement(
    body: RequirementCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = PublishRequirement(**body.model_dump())
    return await create(
        body,
        public=RequirementPublic,
        run=lambda uow: handlers.publish(assessment_uow(uow), identity, command),
    )


@router.get("", response_model=Page[RequirementPublic], summary="Requirements you may see")
async def list_requirements(
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
    employer_id: str | None = None,
    cluster_id: str | None = None,
    field_code: str | None = None,
    program_id: str | None = None,
    include_superseded: bool = False,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Requirement]:
    where = RequirementFilter(
        employer_id=employer_id,
        cluster_id=cluster_id,
        field_code=field_code,
        program_id=program_id,
        include_superseded=include_superseded,
    )
    async with uow_factory() as uow:
        return await handlers.list_visible(uow, identity, where, limit=limit, cursor=cursor)


@router.get("/{requirement_id}", response_model=RequirementPublic, summary="One requirement")
async def get_requirement(
    requirement_id: str, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> Requirement:
    async with uow_factory() as uow:
        return await handlers.get_visible(uow, identity, requirement_id)
