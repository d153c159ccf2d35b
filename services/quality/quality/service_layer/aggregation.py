"""Assessment events → running aggregates, in constant time per event.

Each assessment's last counted state is kept, so a revision subtracts exactly what the previous
revision added and a withdrawal subtracts what it still counted. The inbox around every handler
makes a redelivered event a no-op; an event older than the state already applied (a lower
revision) changes nothing either. An assessment the ministry excluded (service_layer/exclusions.py)
is kept but never counted.
"""

from typing import Any

from quality.domain.cells import RATING_DOMAINS, ScopeTally
from quality.domain.model import CountedAssessment, Requirement
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.contracts.catalogue import assessment as ev

AssessmentChange = ev.AssessmentSubmitted | ev.AssessmentRevised | ev.AssessmentWithdrawn


async def change_cell(uow: AbstractQualityUnitOfWork, state: dict[str, Any], *, add: bool) -> None:
    """Add the assessment ``state`` to its (program, period) cell, or take it out; the cell
    is marked for rescoring and the change waits in the cell's release backlog."""
    program_id, period = state["program_id"], state["period"]
    tally = await uow.cells.get(program_id, period)
    if tally is None:
        tally = ScopeTally()
    if add:
        tally.add(state)
    else:
        tally.remove(state)
    await uow.cells.save(tally, program_id=program_id, period=period)
    await uow.marks.mark(program_id=program_id, period=period)
    # Waits there until its cell's changes are many enough to be published together.
    await uow.backlog.record(
        program_id=program_id,
        period=period,
        assessment_id=state["assessment_id"],
        employer_id=state["employer_id"],
    )


async def apply_assessment(uow: AbstractQualityUnitOfWork, change: AssessmentChange) -> None:
    """Count the assessment's new state in its (program, period) cell instead of the old one;
    a withdrawal only subtracts; an older revision than the one counted changes nothing."""
    state = change.model_dump(mode="json")
    # Its framework's domains as known now, kept with the state (domain/cells.py): an unknown
    # framework counts the assessment in the all-ratings group only.
    state[RATING_DOMAINS] = await uow.frameworks.domains_of(change.framework_id) or {}
    previous = await uow.assessments.get(change.assessment_id)
    if previous is not None and previous.revision >= change.revision:
        return  # older than what is already counted
    if previous is not None and previous.active:
        await change_cell(uow, previous.state, add=False)
    excluded = await uow.exclusions.covers(
        assessment_id=change.assessment_id, employer_id=change.employer_id
    )
    active = not isinstance(change, ev.AssessmentWithdrawn) and not excluded
    if active:
        await change_cell(uow, state, add=True)
    await uow.assessments.save(
        CountedAssessment(
            assessment_id=change.assessment_id,
            revision=change.revision,
            active=active,
            state=state,
        )
    )


async def apply_framework(uow: AbstractQualityUnitOfWork, published: ev.FrameworkPublished) -> None:
    """Keep which domain each competency belongs to; every scorecard is recomputed, since those
    computed before the framework arrived lack its domains."""
    domains = {c.code: d.code for d in published.domains for c in d.competencies}
    await uow.frameworks.save(
        framework_id=published.framework_id, version=published.version, domains=domains
    )
    await uow.marks.mark_scored()


async def apply_requirement(
    uow: AbstractQualityUnitOfWork, published: ev.RequirementPublished
) -> None:
    """Keep the latest version of each requirement series (owner + target)."""
    p = published
    owner = f"employer:{p.employer_id}" if p.employer_id else f"cluster:{p.cluster_id}"
    target = f"field:{p.field_code}" if p.field_code else f"program:{p.program_id}"
    series = f"{owner}/{target}"
    if await uow.requirements.has_version_from(series, p.version):
        return
    await uow.requirements.replace(
        Requirement(
            id=p.requirement_id,
            series=series,
            version=p.version,
            employer_id=p.employer_id,
            cluster_id=p.cluster_id,
            field_code=p.field_code,
            program_id=p.program_id,
            importance=p.importance,
        )
    )
