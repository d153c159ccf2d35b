"""/employments: an employer records and ends employments; readers see those in their scope."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from registry.domain.commands import EndEmployment, RecordEmployment
from registry.domain.model import Employment
from registry.domain.register_extract import COLUMNS
from registry.domain.rules import MOVES_NEEDING_A_REASON
from registry.entrypoints.deps import SettingsDep, UnitsOfWork
from registry.entrypoints.schemas import (
    CodeConfirmation,
    ConfirmationCode,
    EmploymentCreate,
    EmploymentEnd,
    EmploymentPublic,
    EmploymentReason,
    RegisterImportReport,
)
from registry.service_layer import employment_import
from registry.service_layer import employments as handlers
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.contracts.catalogue.registry import EmploymentStatus
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page
from shared.platform.web.uploads import received_in_full, upload_media_type

router = APIRouter(prefix=f"{API_PREFIX}/employments", tags=["employments"])


JSON_LINES = ("application/x-ndjson", "application/jsonl")
EXTRACT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "employer_tax_id,institution_tax_id,student_ref,start_date,"
                "end_date,isco_code,type\n301234567,201234567,S-0001,2024-09-01,,2512,employee\n",
            },
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/import",
    response_model=RegisterImportReport,
    summary="Import a labour-register or tax extract (all rows or none; again changes nothing)",
    description="CSV (columns "
    + ", ".join(f"`{c}`" for c in COLUMNS)
    + "; the graduate as `person_id` (PINFL), or `institution_tax_id` and `student_ref`; "
    "optional `in_field`) or JSON Lines with the same fields, UTF-8. The ministry or an "
    "operator. Matching employers' records become verified, employments only the register "
    "knew are recorded verified, and the rest is reported (docs/registry.md).",
    openapi_extra=EXTRACT_BODY,
)
async def import_register(
    request: Request, identity: CurrentIdentity, units: UnitsOfWork, settings: SettingsDep
) -> RegisterImportReport:
    accepted = ("text/csv", *JSON_LINES)
    media_type = upload_media_type(request.headers.get("content-type", ""), accepted)
    # The whole file first: no transaction (no SQLite write lock) waits on a slow upload.
    async with received_in_full(request.stream()) as chunks, units() as uow:
        report = await employment_import.import_register(
            uow,
            identity,
            chunks=chunks,
            csv=media_type == "text/csv",
            person_keys=settings.person_keys(),
        )
        await uow.commit()
    return RegisterImportReport(**vars(report))


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


def _mover(move: str, summary: str, description: str) -> None:
    """A route moving an employment to another state (domain/rules.py has the moves)."""

    async def run(
        employment_id: str, body: EmploymentReason, identity: CurrentIdentity, units: UnitsOfWork
    ) -> Employment:
        async with units() as uow:
            employment = await handlers.move(
                uow, identity, employment_id, move=move, reason=body.reason
            )
            await uow.commit()
            return employment

    async def run_without_reason(
        employment_id: str, identity: CurrentIdentity, units: UnitsOfWork
    ) -> Employment:
        async with units() as uow:
            employment = await handlers.move(uow, identity, employment_id, move=move)
            await uow.commit()
            return employment

    router.add_api_route(
        f"/{{employment_id}}/{move}",
        run if move in MOVES_NEEDING_A_REASON else run_without_reason,
        methods=["POST"],
        response_model=EmploymentPublic,
        summary=summary,
        description=description,
    )


_mover(
    "confirm",
    "Confirm an employment (the graduate's institution)",
    "A claimed or disputed employment becomes confirmed: its employer may assess the graduate "
    "and it counts in employment outcomes.",
)
_mover(
    "dispute",
    "Dispute an employment (the graduate's institution)",
    "The employer may no longer assess the graduate until it is confirmed again; assessments "
    "already made stay counted meanwhile.",
)
_mover(
    "reject",
    "Reject an employment (the graduate's institution or the ministry)",
    "Final: the employer's assessments of the graduate that it alone made eligible are "
    "withdrawn and leave the figures.",
)


@router.post(
    "/{employment_id}/confirmation-code",
    status_code=201,
    response_model=ConfirmationCode,
    summary="Issue a one-time code for the graduate to confirm the employment",
)
async def issue_confirmation_code(
    employment_id: str, identity: CurrentIdentity, units: UnitsOfWork
) -> ConfirmationCode:
    async with units() as uow:
        code, expires_at = await handlers.issue_code(uow, identity, employment_id)
        await uow.commit()
    return ConfirmationCode(code=code, expires_at=expires_at)


@router.post(
    "/confirmations",
    response_model=EmploymentPublic,
    summary="Confirm an employment with a code (the graduate; no account needed)",
)
async def confirm_with_code(body: CodeConfirmation, units: UnitsOfWork) -> Employment:
    async with units() as uow:
        employment = await handlers.confirm_with_code(uow, body.code)
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
    state: Annotated[
        EmploymentStatus | None,
        Query(description="only employments in this state (e.g. the claims awaiting confirmation)"),
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Employment]:
    async with units() as uow:
        return await handlers.list_visible(
            uow,
            identity,
            graduate_id=graduate_id,
            employer_id=employer_id,
            state=state,
            limit=limit,
            cursor=cursor,
        )


@router.get("/{employment_id}", response_model=EmploymentPublic, summary="One employment")
async def get_employment(
    employment_id: str, identity: CurrentIdentity, units: UnitsOfWork
) -> Employment:
    async with units() as uow:
        return await handlers.get_visible(uow, identity, employment_id)
