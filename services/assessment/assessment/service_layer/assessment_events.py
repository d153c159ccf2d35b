"""Turn an assessment's state into the event scoring needs (one mapping per action)."""

from typing import Any

from sqlalchemy import select

from assessment.adapters.tables import frameworks, projected_graduates, projected_programs
from shared.contracts.catalogue.assessment import (
    AssessmentRevised,
    AssessmentSubmitted,
    AssessmentWithdrawn,
)
from shared.platform.messaging.unit_of_work import UnitOfWork

EVENTS = {
    "submitted": AssessmentSubmitted,
    "revised": AssessmentRevised,
    "withdrawn": AssessmentWithdrawn,
}


async def _scoring_context(uow: UnitOfWork, row: dict[str, Any]) -> dict[str, Any]:
    """What the event carries besides the assessment itself, from the projection."""
    result = await uow.session.execute(
        select(
            projected_programs.c.field_code,
            projected_programs.c.level,
            projected_graduates.c.graduation_year,
            frameworks.c.version.label("framework_version"),
        )
        .select_from(projected_graduates)
        .join(projected_programs, projected_programs.c.id == projected_graduates.c.program_id)
        .join(frameworks, frameworks.c.id == row["framework_id"])
        .where(projected_graduates.c.id == row["graduate_id"])
    )
    return dict(result.mappings().one())


async def publish_state(uow: UnitOfWork, row: dict[str, Any], *, action: str) -> None:
    """Queue the event for ``action``, keyed by the institution so its scoring stays in order."""
    context = await _scoring_context(uow, row)
    event = EVENTS[action](
        assessment_id=row["id"],
        revision=row["revision"],
        employer_id=row["employer_id"],
        graduate_id=row["graduate_id"],
        program_id=row["program_id"],
        institution_id=row["institution_id"],
        period=row["period"],
        framework_id=row["framework_id"],
        ratings=row["ratings"],
        overall_satisfaction=row["overall_satisfaction"],
        preparedness=row["preparedness"],
        would_hire_again=row["would_hire_again"],
        **context,
    )
    uow.publish(event)
