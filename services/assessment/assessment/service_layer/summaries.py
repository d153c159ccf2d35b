"""The institution's view of its programs' assessments: de-identified, small cells withheld."""

from dataclasses import asdict
from typing import Any

from assessment.domain.access import may_see_program_summary
from assessment.domain.summary import SummaryRules, summarize
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.platform.auth import Identity
from shared.platform.errors import NotFound


async def program_summary(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    *,
    program_id: str,
    period: int,
    rules: SummaryRules,
) -> dict[str, Any]:
    """Distributions of the program's active assessments of ``period``, or only their number
    and why they are withheld (domain/summary.py)."""
    program = await uow.facts.program(program_id)
    if program is None:
        raise NotFound("program", program_id)
    institution = await uow.facts.organization(program.institution_id)
    may_see_program_summary(identity, program, institution)
    assessments = await uow.assessments.active_of_program(program_id, period=period)
    codes: set[str] = set()
    for framework_id in {a.framework_id for a in assessments}:
        framework = await uow.frameworks.get(framework_id)
        if framework is not None:
            codes |= framework.competency_codes()
    return {
        "program_id": program_id,
        "period": period,
        **summarize([asdict(a) for a in assessments], competencies=sorted(codes), rules=rules),
    }
