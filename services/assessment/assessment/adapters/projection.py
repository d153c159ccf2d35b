"""The registry projection: each registry state event overwrites its row (latest state wins).

Events of one institution arrive in order (they share a Kafka key), and the inbox around every
handler makes a redelivered event a no-op, so a plain upsert is exact.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table

from assessment.adapters.tables import (
    projected_clusters,
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
)
from shared.db.queries import upsert
from shared.db.unit_of_work import UnitOfWork
from shared.events.catalogue import registry as ev
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventHandler


def _projector(table: Table, to_row: Callable[[Any], dict[str, Any]]) -> EventHandler:
    async def handle(event: CloudEvent, uow: UnitOfWork) -> None:
        await upsert(uow, table, to_row(event.payload()))

    return handle


def _organization(p: ev.OrganizationRegistered) -> dict[str, Any]:
    return {
        "id": p.organization_id,
        "kind": p.kind,
        "region_code": p.region_code,
        "active": p.active,
    }


def _cluster(p: ev.ClusterCreated) -> dict[str, Any]:
    return {
        "id": p.cluster_id,
        "coordinator_id": p.coordinator_id,
        "region_code": p.region_code,
        "status": p.status,
    }


def _program(p: ev.ProgramRegistered) -> dict[str, Any]:
    return {
        "id": p.program_id,
        "institution_id": p.institution_id,
        "field_code": p.field_code,
        "level": p.level,
        "active": p.active,
    }


def _graduate(p: ev.GraduateRegistered) -> dict[str, Any]:
    return {
        "id": p.graduate_id,
        "institution_id": p.institution_id,
        "program_id": p.program_id,
        "graduation_year": p.graduation_year,
        "active": p.active,
    }


def _employment(p: ev.EmploymentRecorded) -> dict[str, Any]:
    return {
        "id": p.employment_id,
        "graduate_id": p.graduate_id,
        "employer_id": p.employer_id,
        "institution_id": p.institution_id,
        "program_id": p.program_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "in_field": p.in_field,
    }


REGISTRY_HANDLERS: dict[str, EventHandler] = {
    **{
        t.event_type: _projector(projected_organizations, _organization)
        for t in (ev.OrganizationRegistered, ev.OrganizationUpdated)
    },
    **{
        t.event_type: _projector(projected_clusters, _cluster)
        for t in (ev.ClusterCreated, ev.ClusterUpdated)
    },
    **{
        t.event_type: _projector(projected_programs, _program)
        for t in (ev.ProgramRegistered, ev.ProgramUpdated)
    },
    **{
        t.event_type: _projector(projected_graduates, _graduate)
        for t in (ev.GraduateRegistered, ev.GraduateUpdated)
    },
    **{
        t.event_type: _projector(projected_employments, _employment)
        for t in (ev.EmploymentRecorded, ev.EmploymentEnded)
    },
}
