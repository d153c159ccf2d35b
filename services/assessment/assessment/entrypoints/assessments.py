from typing import Literal

from fastapi import APIRouter, Request
from sqlalchemy import select

from assessment.adapters.tables import assessment_revisions, assessments
from assessment.entrypoints.deps import Policy, Settings
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
from assessment.service_layer.summaries import program_summary
from shared.platform.auth import forbidden
from shared.platform.db.queries import fetch_one, fetch_page
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/assessments", tags=["assessments"])


@router.post("", status_code=201, response_model=AssessmentPublic, summary="Assess a graduate")
async def submit_assessment(
    body: AssessmentCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    policy: Policy,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=AssessmentPublic,
        create=lambda uow: handlers.submit(uow, identity, body.model_dump(), policy=policy),
    )


@router.post(
    "/bulk",
    status_code=201,
    response_model=BulkAssessmentPublic,
    summary="Submit many assessments: all or none, with an error per refused item",
)
async def submit_assessments(
    body: BulkAssessmentCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    policy: Policy,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    async def create(uow):  # type: ignore[no-untyped-def]
        items = [item.model_dump() for item in body.items]
        return {"items": await handlers.submit_many(uow, identity, items, policy=policy)}

    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=BulkAssessmentPublic,
        create=create,
    )


@router.get("", response_model=Page[AssessmentPublic], summary="Your own assessments (employers)")
async def list_assessments(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    period: int | None = None,
    graduate_id: str | None = None,
    status: Literal["active", "withdrawn"] | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    if not identity.is_("employer"):
        raise forbidden("only employers see individual assessments, and only their own")
    filters = [assessments.c.employer_id == identity.org]
    for column, value in (
        (assessments.c.period, period),
        (assessments.c.graduate_id, graduate_id),
        (assessments.c.status, status),
    ):
        if value is not None:
            filters.append(column == value)
    async with uow_factory() as uow:
        return await fetch_page(
            uow.session, assessments, filters=filters, limit=limit, cursor=cursor
        )


@router.get(
    "/summary",
    response_model=ProgramSummary,
    summary="A program's assessments, de-identified, where at least min_cell_size exist",
)
async def summarize_program(
    program_id: str,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    settings: Settings,
    period: int | None = None,
):
    async with uow_factory() as uow:
        return await program_summary(
            uow, identity, program_id=program_id, period=period, min_cell=settings.min_cell_size
        )


@router.get("/{assessment_id}", response_model=AssessmentPublic, summary="One of your assessments")
async def get_assessment(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        row = await fetch_one(uow.session, assessments, assessment_id, "assessment")
    handlers.acts_for(identity, row["employer_id"])
    return row


@router.get(
    "/{assessment_id}/history",
    response_model=list[AssessmentRevisionPublic],
    summary="Every state the assessment has had",
)
async def assessment_history(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        row = await fetch_one(uow.session, assessments, assessment_id, "assessment")
        handlers.acts_for(identity, row["employer_id"])
        result = await uow.session.execute(
            select(assessment_revisions)
            .where(assessment_revisions.c.assessment_id == assessment_id)
            .order_by(assessment_revisions.c.revision)
        )
        return [dict(r) for r in result.mappings()]


@router.put("/{assessment_id}", response_model=AssessmentPublic, summary="Revise an assessment")
async def revise_assessment(
    assessment_id: str,
    body: AssessmentRevise,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
):
    async with uow_factory() as uow:
        row = await handlers.revise(uow, identity, assessment_id, body.model_dump())
        await uow.commit()
    return row


@router.delete(
    "/{assessment_id}", response_model=AssessmentPublic, summary="Withdraw an assessment"
)
async def withdraw_assessment(
    assessment_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        row = await handlers.withdraw(uow, identity, assessment_id)
        await uow.commit()
    return row
