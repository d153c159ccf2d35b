"""The ministry's integrity checks over one period's active assessments: read in two queries,
checked by pure rules (shared/contracts/integrity.py), shown and never applied."""

from collections import defaultdict

from assessment.domain.access import may_see_integrity_checks
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.contracts.integrity import (
    Assessed,
    Confirmation,
    IntegrityReport,
    IntegrityRules,
    check_period,
    provenance,
)
from shared.platform.auth import Identity


async def integrity_report(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    *,
    period: int,
    rules: IntegrityRules | None = None,
) -> IntegrityReport:
    """Every integrity check over the period's active assessments, with the numbers behind
    each flag; each assessment's provenance from its employer's counting employments of the
    graduate that overlap the period."""
    may_see_integrity_checks(identity)
    assessments = await uow.assessments.active_of_period(period)
    confirmations: dict[tuple[str, str], list[Confirmation]] = defaultdict(list)
    for c in await uow.facts.confirmations(period=period):
        confirmations[(c.employer_id, c.graduate_id)].append(c)
    rows = [
        Assessed(
            employer_id=a.employer_id,
            graduate_id=a.graduate_id,
            program_id=a.program_id,
            institution_id=a.institution_id,
            ratings=a.ratings,
            overall_satisfaction=a.overall_satisfaction,
            submitted_at=a.submitted_at,
            provenance=provenance(confirmations[(a.employer_id, a.graduate_id)]),
        )
        for a in assessments
    ]
    return check_period(rows, period=period, rules=rules or IntegrityRules())
