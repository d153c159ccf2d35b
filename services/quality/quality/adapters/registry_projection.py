"""The quality service's projection of registry events (latest state wins, inbox-guarded).

A change that moves an employment outcome or a cluster's membership marks the affected cells
dirty, so their scores are recomputed at the next publication window.
"""

from collections.abc import Callable
from typing import Any

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
from shared.db.queries import upsert
from shared.db.unit_of_work import UnitOfWork
from shared.events.catalogue import registry as ev
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventHandler

Row = dict[str, Any]


def _organization(p: ev.OrganizationRegistered) -> Row:
    return {
        "id": p.organization_id,
        "kind": p.kind,
        "region_code": p.region_code,
        "active": p.active,
    }


def _cluster(p: ev.ClusterCreated) -> Row:
    return {"id": p.cluster_id, "region_code": p.region_code, "status": p.status}


def _program(p: ev.ProgramRegistered) -> Row:
    return {
        "id": p.program_id,
        "institution_id": p.institution_id,
        "field_code": p.field_code,
        "level": p.level,
        "active": p.active,
    }


def _graduate(p: ev.GraduateRegistered) -> Row:
    return {
        "id": p.graduate_id,
        "program_id": p.program_id,
        "graduation_year": p.graduation_year,
        "active": p.active,
    }


def _employment(p: ev.EmploymentRecorded) -> Row:
    return {
        "id": p.employment_id,
        "graduate_id": p.graduate_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "in_field": p.in_field,
    }


def _projector(table, to_row: Callable[[Any], Row]) -> EventHandler:  # type: ignore[no-untyped-def]
    async def handle(event: CloudEvent, uow: UnitOfWork) -> None:
        await upsert(uow, table, to_row(event.payload()))

    return handle


async def _organization_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = _organization(event.payload())
    await upsert(uow, q_organizations, row)
    own = select(q_programs.c.id).where(q_programs.c.institution_id == row["id"])
    await mark_scored(uow, own)


async def _program_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = _program(event.payload())
    await upsert(uow, q_programs, row)
    await mark_scored(uow, select(q_programs.c.id).where(q_programs.c.id == row["id"]))


async def _graduate_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = _graduate(event.payload())
    before = await uow.session.execute(
        select(q_graduates.c.program_id, q_graduates.c.graduation_year).where(
            q_graduates.c.id == row["id"]
        )
    )
    for old in before:  # a moved graduate leaves its old cohort too
        await mark_dirty(uow, program_id=old.program_id, period=old.graduation_year)
    await upsert(uow, q_graduates, row)
    await mark_dirty(uow, program_id=row["program_id"], period=row["graduation_year"])


async def _employment_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    row = _employment(event.payload())
    await upsert(uow, q_employments, row)
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
    await upsert(
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
        t.event_type: _projector(q_clusters, _cluster)
        for t in (ev.ClusterCreated, ev.ClusterUpdated)
    },
    **{t.event_type: _membership_changed for t in (ev.ClusterMemberJoined, ev.ClusterMemberLeft)},
    **{t.event_type: _program_changed for t in (ev.ProgramRegistered, ev.ProgramUpdated)},
    **{t.event_type: _graduate_changed for t in (ev.GraduateRegistered, ev.GraduateUpdated)},
    **{t.event_type: _employment_changed for t in (ev.EmploymentRecorded, ev.EmploymentEnded)},
}
