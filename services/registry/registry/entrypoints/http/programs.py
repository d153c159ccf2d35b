"""/programs: register, list, read and change study programs."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from registry.domain.commands import RegisterProgram
from registry.domain.model import Program
from registry.entrypoints.deps import UnitsOfWork
from registry.entrypoints.schemas import ProgramCreate, ProgramPublic, ProgramUpdate
from registry.service_layer import programs as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/programs", tags=["programs"])


@router.post("", status_code=201, response_model=ProgramPublic, summary="Register a program")
async def register_program(
    body: ProgramCreate, identity: CurrentIdentity, create: CreateOnce
) -> JSONResponse:
    command = RegisterProgram(**body.model_dump())
    return await create(
        body,
        public=ProgramPublic,
        run=lambda uow: handlers.register(registry_unit_of_work(uow), identity, command),
    )


@router.get("", response_model=Page[ProgramPublic], summary="List programs")
async def list_programs(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    institution_id: str | None = None,
    field_code: str | None = None,
    level: str | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Program]:
    async with units() as uow:
        return await handlers.list_page(
            uow,
            identity,
            institution_id=institution_id,
            field_code=field_code,
            level=level,
            active=active,
            limit=limit,
            cursor=cursor,
        )


@router.get("/{program_id}", response_model=ProgramPublic, summary="One program")
async def get_program(program_id: str, identity: CurrentIdentity, units: UnitsOfWork) -> Program:
    async with units() as uow:
        return await handlers.get(uow, identity, program_id)


@router.patch("/{program_id}", response_model=ProgramPublic, summary="Change a program")
async def update_program(
    program_id: str, body: ProgramUpdate, identity: CurrentIdentity, units: UnitsOfWork
) -> Program:
    async with units() as uow:
        program = await handlers.update(
            uow, identity, program_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return program
