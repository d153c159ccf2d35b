from fastapi import APIRouter, Request

from registry.adapters.tables import programs
from registry.domain import access
from registry.entrypoints.schemas import ProgramCreate, ProgramPublic, ProgramUpdate
from registry.service_layer import programs as handlers
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/programs", tags=["programs"])


@router.post("", status_code=201, response_model=ProgramPublic, summary="Register a program")
async def register_program(
    body: ProgramCreate,
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
        public=ProgramPublic,
        create=lambda uow: handlers.register(uow, identity, data),
    )


@router.get("", response_model=Page[ProgramPublic], summary="List programs")
async def list_programs(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    institution_id: str | None = None,
    field_code: str | None = None,
    level: str | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    access.can_read_registry(identity)
    filters = []
    for column, value in (
        (programs.c.institution_id, institution_id),
        (programs.c.field_code, field_code),
        (programs.c.level, level),
        (programs.c.active, active),
    ):
        if value is not None:
            filters.append(column == value)
    async with uow_factory() as uow:
        return await fetch_page(uow.session, programs, filters=filters, limit=limit, cursor=cursor)


@router.get("/{program_id}", response_model=ProgramPublic, summary="One program")
async def get_program(program_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory):
    access.can_read_registry(identity)
    async with uow_factory() as uow:
        return await fetch_one(uow.session, programs, program_id, "program")


@router.patch("/{program_id}", response_model=ProgramPublic, summary="Change a program")
async def update_program(
    program_id: str,
    body: ProgramUpdate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.update(
            uow, identity, program_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return row
