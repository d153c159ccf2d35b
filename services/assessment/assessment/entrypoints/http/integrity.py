"""/assessments/integrity: the ministry's integrity checks over a period's assessments."""

from typing import Annotated

from fastapi import APIRouter, Query

from assessment.entrypoints.deps import UowFactoryDep
from assessment.service_layer.integrity import integrity_report
from shared.contracts.integrity import IntegrityReport
from shared.platform.names import API_PREFIX
from shared.platform.web.identity import CurrentIdentity

router = APIRouter(prefix=f"{API_PREFIX}/assessments", tags=["assessments"])


@router.get(
    "/integrity",
    response_model=IntegrityReport,
    summary="Integrity checks over one period's active assessments (the ministry)",
    description="Per program and per employer, each check's numbers and the checks that flag "
    "it: one employer's share of a program, self-confirmed employments, straight-lining, "
    "bursts, single-institution employers, rater severity. Shown, never applied: no flag "
    "changes any figure (docs/assessment.md, docs/methodology.md).",
)
async def check_integrity(
    period: Annotated[int, Query(ge=1990, le=2100, description="one year")],
    identity: CurrentIdentity,
    uow_factory: UowFactoryDep,
) -> IntegrityReport:
    async with uow_factory() as uow:
        return await integrity_report(uow, identity, period=period)
