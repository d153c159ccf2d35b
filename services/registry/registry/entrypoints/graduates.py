from typing import Annotated

from fastapi import APIRouter, Query, Request

from registry.adapters.tables import graduates
from registry.domain import access
from registry.entrypoints.people_schemas import (
    GraduateCreate,
    GraduateImportSummary,
    GraduatePublic,
    GraduateUpdate,
)
from registry.service_layer import graduate_import
from registry.service_layer import graduates as handlers
from registry.service_layer.organizations import require_organization
from shared.platform.auth import Identity
from shared.platform.errors import RuleViolation
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page
from shared.platform.web.problems import ProblemError

router = APIRouter(prefix=f"{API_PREFIX}/graduates", tags=["graduates"])

CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "student_ref,full_name,program_id,graduation_year\n"
                "S-0001,Dilnoza Karimova,<program id>,2024\n",
            }
        },
    }
}


@router.post("", status_code=201, response_model=GraduatePublic, summary="Register a graduate")
async def register_graduate(
    body: GraduateCreate,
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
        public=GraduatePublic,
        create=lambda uow: handlers.register(uow, identity, data),
    )


@router.post(
    "/import",
    response_model=GraduateImportSummary,
    summary="Import graduates from a CSV file (all rows or none; re-importing changes nothing)",
    description="Columns `student_ref,full_name,program_id,graduation_year` in any order, "
    "UTF-8. An institution imports into itself; the ministry names the institution.",
    openapi_extra=CSV_BODY,
)
async def import_graduates(
    request: Request,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    institution_id: Annotated[
        str | None, Query(max_length=36, description="required for the ministry")
    ] = None,
):
    _require_csv(request.headers.get("content-type", ""))
    target = _import_target(identity, institution_id)
    async with uow_factory() as uow:
        await _require_institution(uow, target)
        counts = await graduate_import.import_graduates(
            uow, institution_id=target, chunks=request.stream()
        )
        await uow.commit()
    return GraduateImportSummary(**vars(counts))


@router.get("", response_model=Page[GraduatePublic], summary="List graduates (those you may see)")
async def list_graduates(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    program_id: str | None = None,
    graduation_year: int | None = None,
    institution_id: str | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    filters = []
    for column, value in (
        (graduates.c.program_id, program_id),
        (graduates.c.graduation_year, graduation_year),
        (graduates.c.institution_id, institution_id),
        (graduates.c.active, active),
    ):
        if value is not None:
            filters.append(column == value)
    async with uow_factory() as uow:
        return await handlers.list_visible(
            uow, identity, filters=filters, limit=limit, cursor=cursor
        )


@router.get("/{graduate_id}", response_model=GraduatePublic, summary="One graduate")
async def get_graduate(graduate_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory):
    async with uow_factory() as uow:
        return await handlers.get_visible(uow, identity, graduate_id)


@router.patch(
    "/{graduate_id}",
    response_model=GraduatePublic,
    summary="Change a graduate (deactivate instead of deleting)",
)
async def update_graduate(
    graduate_id: str,
    body: GraduateUpdate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.update(
            uow, identity, graduate_id, body.model_dump(mode="json", exclude_unset=True)
        )
        await uow.commit()
        return row


def _require_csv(content_type: str) -> None:
    media_type, _, params = content_type.partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"') if params else "utf-8"
    if media_type.strip().lower() != "text/csv" or charset not in ("utf-8", "utf8"):
        raise ProblemError(
            415,
            "Unsupported Media Type",
            "Send the file as text/csv in UTF-8.",
            errors=[{"loc": ["header", "Content-Type"], "msg": "expected text/csv"}],
        )


def _import_target(identity: Identity, institution_id: str | None) -> str:
    """The institution the file is for: the caller's own, or the one the ministry names."""
    if identity.is_("institution") and identity.org:
        target = institution_id or identity.org
    elif identity.is_("ministry") and not institution_id:
        raise _bad_institution("the ministry must name the institution (?institution_id=)")
    else:
        target = institution_id or ""
    access.acts_for_institution(identity, target)
    return target


async def _require_institution(uow: UnitOfWork, institution_id: str) -> None:
    try:
        await require_organization(uow, institution_id, field="institution_id", kind="education")
    except RuleViolation as error:
        raise _bad_institution(str(error)) from error


def _bad_institution(message: str) -> ProblemError:
    return ProblemError(
        422,
        "Invalid request",
        message,
        errors=[{"loc": ["query", "institution_id"], "msg": message}],
    )
