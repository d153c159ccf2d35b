"""The institution's view of its programs' assessments: de-identified, small cells withheld."""

from typing import Any

from sqlalchemy import select

from assessment.adapters.tables import (
    assessments,
    frameworks,
    projected_organizations,
    projected_programs,
)
from assessment.domain.framework_rules import competency_codes
from assessment.domain.summary import summarize
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import fetch_one
from shared.platform.messaging.unit_of_work import UnitOfWork


async def _check_may_see(uow: UnitOfWork, identity: Identity, program: dict[str, Any]) -> None:
    if identity.is_("ministry"):
        return
    if identity.is_("institution") and identity.org == program["institution_id"]:
        return
    if identity.is_("regional_authority"):
        region = await uow.session.scalar(
            select(projected_organizations.c.region_code).where(
                projected_organizations.c.id == program["institution_id"]
            )
        )
        if region == identity.region:
            return
    raise forbidden("an institution sees the assessments of its own programs only")


async def program_summary(
    uow: UnitOfWork,
    identity: Identity,
    *,
    program_id: str,
    period: int | None,
    min_cell: int,
) -> dict[str, Any]:
    program = await fetch_one(uow.session, projected_programs, program_id, "program")
    await _check_may_see(uow, identity, program)
    filters = [assessments.c.program_id == program_id, assessments.c.status == "active"]
    if period is not None:
        filters.append(assessments.c.period == period)
    result = await uow.session.execute(
        select(assessments, frameworks.c.content)
        .join(frameworks, frameworks.c.id == assessments.c.framework_id)
        .where(*filters)
    )
    rows = [dict(r) for r in result.mappings()]
    codes = sorted(set().union(*(competency_codes(r["content"]) for r in rows)))
    return {
        "program_id": program_id,
        "period": period,
        **summarize(rows, competencies=codes, min_cell=min_cell),
    }
