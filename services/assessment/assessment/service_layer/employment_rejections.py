"""A rejected employment takes back the assessments it alone made eligible.

When the registry rejects an employment (final: the employer's claim was false), every active
assessment of the graduate by that employer whose period no other confirmed or verified
employment between them overlaps is withdrawn, as the employer's own withdrawal would be: a
revision in the history (with the reason) and an assessment.withdrawn event, so it leaves the
quality figures. A disputed employment withdraws nothing: its assessments stay counted until
the dispute is resolved.

Runs in the consumer's transaction, after the projection took the new state; the inbox makes a
redelivered event a no-op, and a later rejection finds nothing active left to withdraw.
"""

from assessment.domain.eligibility import counting, overlaps_period
from assessment.domain.model import Assessment
from assessment.service_layer.assessments import withdrawn
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork
from shared.contracts.catalogue.registry import EmploymentStateChanged

# Who the history says brought the withdrawal about.
RECORDED_BY = "registry"


async def employment_state_changed(
    uow: AbstractAssessmentUnitOfWork, change: EmploymentStateChanged
) -> list[Assessment]:
    """Withdraw what a rejection leaves without an eligible employment (the caller commits);
    the assessments withdrawn, none for any other state."""
    if change.state != "rejected":
        return []
    remaining = counting(
        await uow.facts.employments(employer_id=change.employer_id, graduate_id=change.graduate_id)
    )
    active = await uow.assessments.active_of_employee(
        employer_id=change.employer_id, graduate_id=change.graduate_id
    )
    reason = f"employment rejected (employment {change.employment_id})"
    return [
        await withdrawn(uow, assessment, by=RECORDED_BY, reason=reason)
        for assessment in sorted(active, key=lambda a: (a.period, a.id))
        if not overlaps_period(remaining, period=assessment.period)
    ]
