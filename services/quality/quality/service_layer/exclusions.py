"""The ministry excludes an assessment, or every assessment of an employer, from the figures.

An exclusion is the ministry's decision after reviewing integrity flags (the assessment
service's checks): recorded with its reason, announced (``exclusion.recorded``, which the
audit trail keeps), and applied at once: every active assessment it names leaves its cell, as
a withdrawal would, and an assessment it names that arrives or is revised later is kept but
never counted. Publications already made stay as they are (a restatement shows the change);
the live figures and every later publication leave them out. An exclusion is not lifted.
"""

from quality import events
from quality.domain import access
from quality.domain.model import CountedAssessment, Exclusion
from quality.service_layer.aggregation import change_cell
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.errors import RuleViolation
from shared.platform.ids import new_id


async def exclude(
    uow: AbstractQualityUnitOfWork,
    identity: Identity,
    *,
    assessment_id: str | None,
    employer_id: str | None,
    reason: str,
) -> tuple[Exclusion, int]:
    """Record the exclusion and take what it names out of the cells (the caller commits);
    the exclusion and how many active assessments left their cells."""
    access.ensure_may_exclude(identity)
    if (assessment_id is None) == (employer_id is None):
        raise RuleViolation("assessment_id", "name an assessment_id or an employer_id (one)")
    if not reason.strip():
        raise RuleViolation("reason", "say why, for the record")
    exclusion = Exclusion(
        id=new_id(),
        assessment_id=assessment_id,
        employer_id=employer_id,
        reason=reason.strip(),
        excluded_by=identity.sub,
        excluded_at=now(),
    )
    await uow.exclusions.add(exclusion)
    if assessment_id is not None:
        counted = await uow.assessments.get(assessment_id)
        named = [counted] if counted is not None and counted.active else []
    else:
        assert employer_id is not None
        named = [c async for c in uow.assessments.active_of_employer(employer_id)]
    for counted in named:
        await change_cell(uow, counted.state, add=False)
        await uow.assessments.save(
            CountedAssessment(
                assessment_id=counted.assessment_id,
                revision=counted.revision,
                active=False,
                state=counted.state,
            )
        )
    uow.publish(events.exclusion_recorded(exclusion, excluded=len(named)))
    return exclusion, len(named)
