"""Registry state events as projection rows: the one mapping every consuming service shares.

A service keeps the columns it needs; ``project`` writes the row's values for those columns
only. Registry events carry full states, so the latest event of an id is the whole truth about
it, and the inbox around every handler makes a redelivery a no-op: a plain upsert is exact.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table

from shared.contracts.catalogue import registry as ev
from shared.platform.db.queries import upsert
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.inbox_apply import EventHandler
from shared.platform.messaging.unit_of_work import UnitOfWork

Row = dict[str, Any]


def organization_row(p: ev.OrganizationChange) -> Row:
    return {
        "id": p.organization_id,
        "name": p.name,
        "kind": p.kind,
        "subtype": p.subtype,
        "region_code": p.region_code,
        "active": p.active,
    }


def cluster_row(p: ev.ClusterChange) -> Row:
    return {
        "id": p.cluster_id,
        "name": p.name,
        "coordinator_id": p.coordinator_id,
        "region_code": p.region_code,
        "sectors": list(p.sectors),
        "status": p.status,
    }


def program_row(p: ev.ProgramChange) -> Row:
    return {
        "id": p.program_id,
        "name": p.name,
        "institution_id": p.institution_id,
        "field_code": p.field_code,
        "level": p.level,
        "active": p.active,
    }


def graduate_row(p: ev.GraduateChange) -> Row:
    return {
        "id": p.graduate_id,
        "institution_id": p.institution_id,
        "program_id": p.program_id,
        "graduation_year": p.graduation_year,
        "active": p.active,
        "follow_up_outcome": p.follow_up_outcome,
        "follow_up_on": p.follow_up_on,
    }


def employment_row(p: ev.EmploymentChange) -> Row:
    """The employment's state; who moved it there only from a state change, so that a later
    record or end (which do not say) keeps it."""
    who = {"changed_by": p.changed_by} if isinstance(p, ev.EmploymentStateChanged) else {}
    return {
        **who,
        "id": p.employment_id,
        "graduate_id": p.graduate_id,
        "employer_id": p.employer_id,
        "institution_id": p.institution_id,
        "program_id": p.program_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "in_field": p.in_field,
        "isco_code": p.isco_code,
        "state": p.state,
        "kind": p.kind,
    }


async def project(uow: UnitOfWork, table: Table, row: Row) -> None:
    """Upsert the part of ``row`` that ``table`` keeps."""
    await upsert(uow.session, table, {k: v for k, v in row.items() if k in table.c})


def projector(table: Table, to_row: Callable[[Any], Row]) -> EventHandler:
    """A handler keeping ``table`` at the latest state its events carry."""

    async def handle(event: CloudEvent, uow: UnitOfWork) -> None:
        await project(uow, table, to_row(event.payload()))

    return handle
