from fastapi import APIRouter, Request
from sqlalchemy import select

from assessment.adapters.tables import requirements
from assessment.entrypoints.schemas import RequirementCreate, RequirementPublic
from assessment.service_layer import requirements as handlers
from shared.platform.auth import forbidden
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
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
    body: RequirementCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=RequirementPublic,
        create=lambda uow: handlers.publish(uow, identity, body.model_dump()),
    )


@router.get("", response_model=Page[RequirementPublic], summary="Requirements you may see")
async def list_requirements(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    employer_id: str | None = None,
    cluster_id: str | None = None,
    field_code: str | None = None,
    program_id: str | None = None,
    include_superseded: bool = False,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    filters = handlers.visible_requirements(identity)
    for column, value in (
        (requirements.c.employer_id, employer_id),
        (requirements.c.cluster_id, cluster_id),
        (requirements.c.field_code, field_code),
        (requirements.c.program_id, program_id),
    ):
        if value is not None:
            filters.append(column == value)
    if not include_superseded:
        filters.append(requirements.c.current.is_(True))
    async with uow_factory() as uow:
        return await fetch_page(
            uow.session, requirements, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{requirement_id}", response_model=RequirementPublic, summary="One requirement")
async def get_requirement(
    requirement_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    scope = handlers.visible_requirements(identity)
    async with uow_factory() as uow:
        row = await fetch_one(uow.session, requirements, requirement_id, "requirement")
        if scope and not await uow.session.scalar(
            select(requirements.c.id).where(requirements.c.id == requirement_id, *scope)
        ):
            raise forbidden("this requirement is another employer's")
    return row
