"""/assessments: employers assess the graduates they employ; institutions see summaries."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assessment.adapters.repositories import AssessmentFilter
from assessment.domain.model import Assessment, AssessmentRevision
from assessment.domain.summary import SummaryRules
from assessment.entrypoints.deps import PolicyDep, SettingsDep, UowFactoryDep
from assessment.entrypoints.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentRevise,
    AssessmentRevisionPublic,
    BulkAssessmentCreate,
    BulkAssessmentPublic,
    ProgramSummary,
)
from assessment.service_layer import assessments as handlers
from assessment.service_layer import bulk_submissions
from assessment.service_layer.commands import ReviseAssessment, SubmitAssessment
from assessment.service_layer.summaries import program_summary
from assessment.service_layer.unit_of_work import assessment_uow
from shared.platform.db.keyset import Page
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import ReadUnitOfWorkFactory
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit

router = APIRouter(prefix=f"{API_PREFIX}/assessments", tags=["assessments"])


@router.post("", status_code=201, response_model=AssessmentPublic, summary="Assess a graduate")
async def submit_assessment(
    body: AssessmentCreate,
    identity: CurrentIdentity,
    policy: PolicyDep,
    create: CreateOnce,
    reads: ReadUnitOfWorkFactory,
) -> JSONResponse:
    if (replay := await create.replayed(body)) is not None:
        return replay
    command = SubmitAssessment(**body.model_dump())
    # Checked first, without the write lock (SQLite): the write transaction then only inserts,
    # so concurrent submissions wait less for the one writer (and less often past its timeout).
    async with reads() as uow:
        checked = await handlers.prepare_one(assessment_uow(uow), identity, command, policy=policy)

    async def run(uow: UnitOfWork) -> Assessment:
        (stored,) = await handlers.store(assessment_uow(uow), [checked])
        return stored

    return await create(body, public=AssessmentPublic, run=run)


@router.post(
    "/bulk",
    status_code=201,
    response_model=BulkAssessmentPublic,
    summary="Submit many assessments: all or none, with an error per refused item",
    description="Send an `Idempotency-Key` with every bulk submission. If the answer is lost "
    "(a timeout, a dropped connection, a 504), retrying with the same key returns the first "
    "outcome and saves nothing twice; a 503 with `Retry-After` means nothing was saved.",
)
async def submit_assessments(
    body: BulkAssessmentCreate,
    identity: CurrentIdentity,
    policy: PolicyDep,
    create: CreateOnce,
    reads: ReadUnitOfWorkFactory,
) -> JSONResponse:
    if (replay := await create.replayed(body)) is not None:
        return replay
    commands = [SubmitAssessment(**item.model_dump()) for item in body.items]
    # Checked first, without the write lock (SQLite) that the batched inserts then take briefly.
    async with reads() as uow:
        checked = await bulk_submissions.prepare_many(
            assessment_uow(uow), identity, commands, policy=policy
        )

    async def run(uow: UnitOfWork) -> dict[str, Any]:
        return {"items": await handlers.store(assessment_uow(uow), checked)}

    return await create(body, public=BulkAssessmentPublic, run=run)


@router.get("", response_model=Page[AssessmentPublic], summary="Your own assessments (employers)")
async def list_assessments(
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
    # The years an assessment can be about (a number past what the database holds was a 500).
    period: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    graduate_id: str | None = None,
    status: Literal["active", "withdrawn"] | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Assessment]:
    where = AssessmentFilter(period=period, graduate_id=graduate_id, status=status)
    async with uow_factory() as uow:
        return await handlers.list_own(uow, identity, where, limit=limit, cursor=cursor)


@router.get(
    "/summary",
    response_model=ProgramSummary,
    summary="A program's assessments of one period, de-identified, where enough stand behind",
)
async def summarize_program(
    program_id: str,
    period: Annotated[int, Query(ge=2000, le=2100, description="one year: never pooled")],
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
    settings: SettingsDep,
) -> dict[str, Any]:
    rules = SummaryRules(
        min_assessments=settings.min_cell_size, min_employers=settings.min_employers
    )
    async with uow_factory() as uow:
        return await program_summary(
            uow, identity, program_id=program_id, period=period, rules=rules
        )


@router.get("/{assessment_id}", response_model=AssessmentPublic, summary="One of your assessments")
async def get_assessment(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> Assessment:
    async with uow_factory() as uow:
        return await handlers.own(uow, identity, assessment_id)


@router.get(
    "/{assessment_id}/history",
    response_model=list[AssessmentRevisionPublic],
    summary="Every state the assessment has had",
)
async def assessment_history(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> list[AssessmentRevision]:
    async with uow_factory() as uow:
        return await handlers.history(uow, identity, assessment_id)


@router.put("/{assessment_id}", response_model=AssessmentPublic, summary="Revise an assessment")
async def revise_assessment(
    assessment_id: str,
    body: AssessmentRevise,
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
) -> Assessment:
    command = ReviseAssessment(assessment_id=assessment_id, **body.model_dump())
    async with uow_factory() as uow:
        return await handlers.revise(uow, identity, command)


@router.delete(
    "/{assessment_id}", response_model=AssessmentPublic, summary="Withdraw an assessment"
)
async def withdraw_assessment(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> Assessment:
    async with uow_factory() as uow:
        return await handlers.withdraw(uow, identity, assessment_id)
