"""Use cases for study programs (owned by an education organization)."""

from typing import Any

from sqlalchemy import select

from registry import events
from registry.adapters.tables import programs
from registry.domain import access, rules
from registry.service_layer.common import save_changes
from registry.service_layer.organizations import require_organization
from shared.platform.auth import Identity
from shared.platform.db.queries import fetch_one, now
from shared.platform.errors import Conflict
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork


async def register(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    access.acts_for_institution(identity, data["institution_id"])
    rules.check_program_classification(level=data["level"], field_code=data["field_code"])
    await require_organization(
        uow, data["institution_id"], field="institution_id", kind="education"
    )
    taken = await uow.session.scalar(
        select(programs.c.id).where(
            programs.c.institution_id == data["institution_id"], programs.c.code == data["code"]
        )
    )
    if taken is not None:
        raise Conflict(f"this institution already has program {data['code']}", field="code")
    row = {**data, "id": new_id(), "active": True, "created_at": now(), "updated_at": now()}
    await uow.session.execute(programs.insert().values(**row))
    uow.publish(events.program(row, created=True))
    return row


async def update(
    uow: UnitOfWork, identity: Identity, program_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await fetch_one(uow.session, programs, program_id, "program")
    access.acts_for_institution(identity, row["institution_id"])
    rules.check_program_classification(
        level=changes.get("level"), field_code=changes.get("field_code")
    )
    return await save_changes(
        uow,
        programs,
        row,
        changes,
        to_event=lambda new: events.program(new, created=False),
        key=row["institution_id"],
        subject=f"programs/{program_id}",
    )
