"""Assessment events → running aggregates, in constant time per event.

Each assessment's last counted state is kept, so a revision subtracts exactly what the previous
revision added and a withdrawal subtracts what it still counted. The inbox around every handler
makes a redelivered event a no-op; an event older than the state already applied (a lower
revision) changes nothing either.
"""

from typing import Any

from sqlalchemy import delete, select

from quality.adapters.tables import assessment_states, cells, q_frameworks, q_requirements
from quality.domain.cells import ScopeTally
from quality.service_layer.dirty import mark_dirty, mark_scored
from shared.contracts.catalogue import assessment as ev
from shared.platform.db.queries import upsert
from shared.platform.messaging.consumer import EventHandler
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.unit_of_work import UnitOfWork


async def _load_cell(uow: UnitOfWork, program_id: str, period: int) -> ScopeTally | None:
    stored = await uow.session.scalar(
        select(cells.c.tally).where(cells.c.program_id == program_id, cells.c.period == period)
    )
    return None if stored is None else ScopeTally.from_json(stored)


async def _change_cell(uow: UnitOfWork, state: dict[str, Any], *, add: bool) -> None:
    program_id, period = state["program_id"], state["period"]
    tally = await _load_cell(uow, program_id, period)
    if tally is None:
        tally = ScopeTally()
    if add:
        tally.add(state)
    else:
        tally.remove(state)
    await upsert(
        uow.session, cells, {"program_id": program_id, "period": period, "tally": tally.to_json()}
    )
    await mark_dirty(uow, program_id=program_id, period=period)


async def apply_assessment(event: CloudEvent, uow: UnitOfWork) -> None:
    state = event.payload().model_dump(mode="json")
    previous = (
        (
            await uow.session.execute(
                select(assessment_states).where(
                    assessment_states.c.assessment_id == state["assessment_id"]
                )
            )
        )
        .mappings()
        .first()
    )
    if previous is not None and previous["revision"] >= state["revision"]:
        return  # older than what is already counted
    if previous is not None and previous["active"]:
        await _change_cell(uow, previous["state"], add=False)
    active = event.type != ev.AssessmentWithdrawn.event_type
    if active:
        await _change_cell(uow, state, add=True)
    await upsert(
        uow.session,
        assessment_states,
        {
            "assessment_id": state["assessment_id"],
            "revision": state["revision"],
            "active": active,
            "state": state,
        },
    )


async def apply_framework(event: CloudEvent, uow: UnitOfWork) -> None:
    p: ev.FrameworkPublished = event.payload()
    domains = {c.code: d.code for d in p.domains for c in d.competencies}
    await upsert(
        uow.session, q_frameworks, {"id": p.framework_id, "version": p.version, "domains": domains}
    )
    await mark_scored(uow)  # scorecards computed before it arrived lack its domains


async def apply_requirement(event: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the latest version of each requirement series (owner + target)."""
    p: ev.RequirementPublished = event.payload()
    owner = f"employer:{p.employer_id}" if p.employer_id else f"cluster:{p.cluster_id}"
    target = f"field:{p.field_code}" if p.field_code else f"program:{p.program_id}"
    series = f"{owner}/{target}"
    newer = await uow.session.scalar(
        select(q_requirements.c.id).where(
            q_requirements.c.series == series, q_requirements.c.version >= p.version
        )
    )
    if newer is not None:
        return
    await uow.session.execute(delete(q_requirements).where(q_requirements.c.series == series))
    await uow.session.execute(
        q_requirements.insert().values(
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


ASSESSMENT_HANDLERS: dict[str, EventHandler] = {
    ev.FrameworkPublished.event_type: apply_framework,
    ev.RequirementPublished.event_type: apply_requirement,
    **{
        t.event_type: apply_assessment
        for t in (ev.AssessmentSubmitted, ev.AssessmentRevised, ev.AssessmentWithdrawn)
    },
}
