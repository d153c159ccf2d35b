"""The quality service's projection of registry events (latest state wins, inbox-guarded).

A change that moves an employment outcome or a cluster's membership marks the affected cells
dirty, so their scores are recomputed at the next publication window.
"""

from sqlalchemy import select

from quality.adapters.tables import (
    q_clusters,
    q_employments,
    q_graduates,
    q_memberships,
    q_organizations,
    q_programs,
)
from quality.service_layer.dirty import mark_dirty, mark_scored
from shared.contracts.catalogue import registry as ev
from shared.contracts.registry_projection import (
    cluster_row,
    employment_row,
    graduate_row,
    organization_row,
    program_row,
    project,
    projector,
)
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.inbox_apply import EventHandler
from shared.platform.messaging.unit_of_work import UnitOfWork


async def _organization_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = organization_row(event.payload())
    await project(uow, q_organizations, row)
    own = select(q_programs.c.id).where(q_programs.c.institution_id == row["id"])
    await mark_scored(uow, own)


async def _program_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = program_row(event.payload())
    await project(uow, q_programs, row)
    await mark_scored(uow, select(q_programs.c.id).where(q_programs.c.id == row["id"]))


async def _graduate_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = graduate_row(event.payload())
    before = await uow.session.execute(
        select(q_graduates.c.program_id, q_graduates.c.graduation_year).where(
            q_graduates.c.id == row["id"]
        )
    )
    for old in before:  # a moved graduate leaves its old cohort too
        await mark_dirty(uow, program_id=old.program_id, period=old.graduation_year)
    await project(uow, q_graduates, row)
    await mark_dirty(uow, program_id=row["program_id"], period=row["graduation_year"])


async def _employment_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = employment_row(event.payload())
    await project(uow, q_employments, row)
    graduate = (
        await uow.session.execute(
            select(q_graduates.c.program_id, q_graduates.c.graduation_year).where(
                q_graduates.c.id == row["graduate_id"]
            )
        )
    ).first()
    if graduate is not None:
        await mark_dirty(uow, program_id=graduate.program_id, period=graduate.graduation_year)


async def _membership_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    p = event.payload()
    await project(
        uow,
        q_memberships,
        {
            "cluster_id": p.cluster_id,
            "organization_id": p.organization_id,
            "joined_on": p.joined_on,
            "left_on": getattr(p, "left_on", None),
        },
    )
    # Every scored period of the member's programs may now count for the cluster or not.
    own = select(q_programs.c.id).where(q_programs.c.institution_id == p.organization_id)
    await mark_scored(uow, own)


REGISTRY_HANDLERS: dict[str, EventHandler] = {
    **{
        t.event_type: _organization_changed
        for t in (ev.OrganizationRegistered, ev.OrganizationUpdated)
    },
    **{
        t.event_type: projector(q_clusters, cluster_row)
        for t in (ev.ClusterCreated, ev.ClusterUpdated)
    },
    **{t.event_type: _membership_changed for t in (ev.ClusterMemberJoined, ev.ClusterMemberLeft)},
    **{t.event_type: _program_changed for t in (ev.ProgramRegistered, ev.ProgramUpdated)},
    **{t.event_type: _graduate_changed for t in (ev.GraduateRegistered, ev.GraduateUpdated)},
    **{t.event_type: _employment_changed for t in (ev.EmploymentRecorded, ev.EmploymentEnded)},
}
