"""/graduates: register, import from CSV, list, count, read and change graduates; an employer
looks up the graduate it employs by national identifier."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from registry.config import RegistrySettings
from registry.domain.commands import RegisterGraduate
from registry.domain.model import Graduate
from registry.domain.person_key import PersonKeys
from registry.domain.rules import FIRST_GRADUATION_YEAR
from registry.entrypoints.deps import SettingsDep, UnitsOfWork
from registry.entrypoints.schemas import (
    GraduateCount,
    GraduateCounts,
    GraduateCreate,
    GraduateImportSummary,
    GraduateLookup,
    GraduateMatch,
    GraduateMatches,
    GraduatePublic,
    GraduateUpdate,
)
from registry.service_layer import graduate_import, graduate_lookup
from registry.service_layer import graduates as handlers
from registry.service_layer.graduate_import import ImportPreview
from registry.service_layer.unit_of_work import registry_unit_of_work
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page
from shared.platform.web.problem_texts import CONTENT_LANGUAGE, request_language, translate
from shared.platform.web.problems import ProblemError
from shared.platform.web.uploads import received_in_full, upload_media_type

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
    body: GraduateCreate, identity: CurrentIdentity, create: CreateOnce, settings: SettingsDep
) -> JSONResponse:
    fields = body.model_dump(exclude={"national_id"})
    if body.national_id is not None:
        fields["person_key"] = _person_keys(settings).of(body.national_id)
        # Not even the idempotency fingerprint sees the identifier: only its keyed hash.
        body = body.model_copy(update={"national_id": fields["person_key"]})
    command = RegisterGraduate(**fields)
    return await create(
        body,
        public=GraduatePublic,
        run=lambda uow: handlers.register(registry_unit_of_work(uow), identity, command),
    )


class ImportRefusedLine(BaseModel):
    line: int = Field(description="the file's line (the header is line 1)")
    column: str | None = Field(description="null: the line as a whole")
    reason: str


class GraduateImportPreview(GraduateImportSummary):
    """What the import would do (`?dry_run=true`): nothing is written."""

    created: int = Field(description="good lines that would create a graduate")
    updated: int = Field(description="good lines that would change one")
    unchanged: int = Field(description="good lines that would change nothing")
    would_import: bool = Field(description="no line refused: the import would take the file")
    error_count: int = Field(description="every error of the file (the import refuses it if > 0)")
    errors: list[ImportRefusedLine] = Field(description="the first 100 errors, by line and column")


@router.post(
    "/import",
    response_model=GraduateImportSummary | GraduateImportPreview,
    summary="Import graduates from a CSV file (all rows or none; re-importing changes nothing)",
    description="Columns `student_ref,full_name,program_id,graduation_year` (optional "
    "`national_id`: kept only as a keyed hash) in any order, "
    "UTF-8. An institution imports into itself; the ministry names the institution. "
    "`?dry_run=true` previews it through the same checks: what the import would do and every "
    "refused line (200 even when lines are refused), nothing written; each line's `reason` "
    "in the language Accept-Language asks for (uz, ru or en), as the refused import's problem.",
    openapi_extra=CSV_BODY,
)
async def import_graduates(
    request: Request,
    response: Response,
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
    institution_id: Annotated[
        str | None, Query(max_length=36, description="required for the ministry")
    ] = None,
    dry_run: Annotated[
        bool, Query(description="only preview the import: nothing is written")
    ] = False,
) -> GraduateImportSummary | GraduateImportPreview:
    upload_media_type(request.headers.get("content-type", ""), ("text/csv",))
    # The whole file first: no transaction (no SQLite write lock) waits on a slow upload.
    async with received_in_full(request.stream()) as chunks, units() as uow:
        if dry_run:  # the unit of work is never committed: it rolls back
            preview = await graduate_import.preview_import(
                uow,
                identity,
                institution_id=institution_id,
                chunks=chunks,
                person_keys=settings.person_keys(),
            )
            language = request_language(request.scope)
            response.headers["Content-Language"] = CONTENT_LANGUAGE[language]
            return _preview_in(language, preview)
        counts = await graduate_import.import_graduates(
            uow,
            identity,
            institution_id=institution_id,
            chunks=chunks,
            person_keys=settings.person_keys(),
        )
        await uow.commit()
    return GraduateImportSummary(**vars(counts))


def _preview_in(language: str, preview: ImportPreview) -> GraduateImportPreview:
    """The preview, each refused line's reason in ``language``: a 200 body, which the problem
    handlers never see, says them as the refused import's problem would."""
    answer = GraduateImportPreview.model_validate(preview, from_attributes=True)
    for line in answer.errors:
        line.reason = translate(line.reason, language)
    return answer


@router.post(
    "/lookup",
    response_model=GraduateMatches,
    summary="Find the graduate you employ by national identifier (employers)",
    description="The exact PINFL in the body (never in a URL): each active graduate record of "
    "that person (one per degree), with nothing the employer did not give but the ids, "
    "program and year; no match is 200 with no items. Never a list or a prefix search. Each "
    "lookup is audited (the matches, never the identifier); an employer makes at most "
    "`EDUCLUSTER_REGISTRY_GRADUATE_LOOKUPS_PER_HOUR` (default 100) in any hour.",
    responses={
        429: {
            "description": "This employer's lookups of the last hour reached the "
            "quota; retry after Retry-After seconds"
        }
    },
)
async def look_up_graduate(
    body: GraduateLookup, identity: CurrentIdentity, units: UnitsOfWork, settings: SettingsDep
) -> GraduateMatches:
    async with units() as uow:
        try:
            matches = await graduate_lookup.look_up(
                uow,
                identity,
                body.national_id,
                person_keys=settings.person_keys(),
                per_hour=settings.graduate_lookups_per_hour,
            )
        except graduate_lookup.TooManyLookups as spent:
            wait_s = spent.retry_after_s
            raise ProblemError(
                429,
                "Too Many Requests",
                f"this employer made {spent.quota} graduate lookups in the last hour, the most "
                f"allowed; retry in {wait_s} s",
                headers={"Retry-After": str(wait_s)},
            ) from None
        await uow.commit()
    return GraduateMatches(
        items=[
            GraduateMatch(
                graduate_id=g.id,
                institution_id=g.institution_id,
                program_id=g.program_id,
                graduation_year=g.graduation_year,
            )
            for g in matches
        ]
    )


VIEW_NOTE = "Fields your role may not read are null (docs/registry.md has the matrix)."


@router.get(
    "",
    response_model=Page[GraduatePublic],
    summary="List graduates (those you may see)",
    description=VIEW_NOTE,
)
async def list_graduates(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
    program_id: str | None = None,
    # Bounded: a number past what the database holds was a 500.
    graduation_year: Annotated[int | None, Query(ge=FIRST_GRADUATION_YEAR, le=2100)] = None,
    institution_id: str | None = None,
    active: bool | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    async with units() as uow:
        page = await handlers.list_visible(
            uow,
            identity,
            program_id=program_id,
            graduation_year=graduation_year,
            institution_id=institution_id,
            active=active,
            limit=limit,
            cursor=cursor,
            window_months=settings.employment_window_months,
        )
    return {
        "items": [handlers.view_of(identity, g) for g in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/counts",
    response_model=GraduateCounts,
    summary="Count an institution's graduates per program and graduation year",
    description="Counted over the graduates the caller may list (`GET /graduates`), "
    "deactivated ones included: none of another institution's, an employer only those it "
    "employs.",
)
async def count_graduates(
    identity: CurrentIdentity,
    units: UnitsOfWork,
    settings: SettingsDep,
    institution_id: Annotated[str, Query(min_length=1, max_length=36)],
) -> GraduateCounts:
    async with units() as uow:
        counts = await handlers.count_visible(
            uow,
            identity,
            institution_id=institution_id,
            window_months=settings.employment_window_months,
        )
    return GraduateCounts(
        institution_id=institution_id,
        items=[GraduateCount.model_validate(c, from_attributes=True) for c in counts],
        total=sum(c.count for c in counts),
    )


@router.get(
    "/{graduate_id}", response_model=GraduatePublic, summary="One graduate", description=VIEW_NOTE
)
async def get_graduate(
    graduate_id: str, identity: CurrentIdentity, units: UnitsOfWork, settings: SettingsDep
) -> dict[str, Any]:
    async with units() as uow:
        graduate = await handlers.get_visible(
            uow, identity, graduate_id, window_months=settings.employment_window_months
        )
    return handlers.view_of(identity, graduate)


@router.patch(
    "/{graduate_id}",
    response_model=GraduatePublic,
    summary="Change a graduate (deactivate instead of deleting)",
)
async def update_graduate(
    graduate_id: str, body: GraduateUpdate, identity: CurrentIdentity, units: UnitsOfWork
) -> Graduate:
    async with units() as uow:
        graduate = await handlers.update(
            uow, identity, graduate_id, body.model_dump(exclude_unset=True)
        )
        await uow.commit()
        return graduate


def _person_keys(settings: RegistrySettings) -> PersonKeys:
    return graduate_lookup.require_person_keys(settings.person_keys())
