"""/quality/exclusions: the ministry takes an assessment, or an employer's, out of the figures."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quality.domain.access import ensure_may_exclude
from quality.domain.model import Exclusion
from quality.entrypoints.deps import UowFactoryDep
from quality.service_layer import exclusions as handlers
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity

router = APIRouter(prefix=f"{API_PREFIX}/quality/exclusions", tags=["exclusions"])

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class ExclusionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assessment_id: Id | None = Field(default=None, description="one assessment, or")
    employer_id: Id | None = Field(default=None, description="every assessment of an employer")
    reason: str = Field(min_length=1, max_length=500, description="why, for the record")


class ExclusionPublic(BaseModel):
    id: str
    assessment_id: str | None
    employer_id: str | None
    reason: str
    excluded_by: str
    excluded_at: datetime


class ExclusionRecorded(ExclusionPublic):
    excluded_assessments: int = Field(description="active assessments taken out now")


@router.post(
    "",
    status_code=201,
    response_model=ExclusionRecorded,
    summary="Exclude an assessment, or every assessment of an employer, from the figures",
    description="The ministry, with a reason (recorded and audited). Live figures and every "
    "later publication leave them out; earlier publications stay (restate to show it).",
)
async def exclude(
    body: ExclusionCreate, identity: CurrentIdentity, uow_factory: UowFactoryDep
) -> ExclusionRecorded:
    async with uow_factory() as uow:
        exclusion, excluded = await handlers.exclude(
            uow,
            identity,
            assessment_id=body.assessment_id,
            employer_id=body.employer_id,
            reason=body.reason,
        )
        await uow.commit()
    return ExclusionRecorded(**vars(exclusion), excluded_assessments=excluded)


@router.get("", response_model=list[ExclusionPublic], summary="Every exclusion (the ministry)")
async def list_exclusions(identity: CurrentIdentity, uow_factory: UowFactoryDep) -> list[Exclusion]:
    ensure_may_exclude(identity)
    async with uow_factory() as uow:
        return await uow.exclusions.all()
