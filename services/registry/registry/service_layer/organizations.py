"""Use cases for organizations: register, update (never deleted: deactivated)."""

from typing import Any

from sqlalchemy import select

from registry import events
from registry.adapters.tables import organizations, regions
from registry.domain import access, rules
from registry.service_layer.common import save_changes
from shared.platform.auth import Identity
from shared.platform.db.queries import fetch_one, now
from shared.platform.errors import Conflict, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork


async def check_region(uow: UnitOfWork, region_code: str) -> None:
    found = await uow.session.scalar(select(regions.c.code).where(regions.c.code == region_code))
    if found is None:
        raise RuleViolation("region_code", f"unknown region {region_code}")


async def register(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    access.can_manage_in_region(identity, data["region_code"], "organizations")
    rules.check_subtype(data["kind"], data["subtype"])
    rules.check_tax_id(data["tax_id"])
    await check_region(uow, data["region_code"])
    taken = await uow.session.scalar(
        select(organizations.c.id).where(organizations.c.tax_id == data["tax_id"])
    )
    if taken is not None:
        raise Conflict(f"taxpayer id already registered ({taken})", field="tax_id")
    row = {**data, "id": new_id(), "active": True, "created_at": now(), "updated_at": now()}
    await uow.session.execute(organizations.insert().values(**row))
    uow.publish(events.organization(row, created=True))
    return row


async def update(
    uow: UnitOfWork, identity: Identity, organization_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await fetch_one(uow.session, organizations, organization_id, "organization")
    access.can_edit_organization(
        identity, organization_id=row["id"], region_code=row["region_code"]
    )
    if "active" in changes:
        access.can_manage_in_region(identity, row["region_code"], "whether it is active")
    if "subtype" in changes:
        rules.check_subtype(row["kind"], changes["subtype"])
    return await save_changes(
        uow,
        organizations,
        row,
        changes,
        to_event=lambda new: events.organization(new, created=False),
        key=organization_id,
        subject=f"organizations/{organization_id}",
    )


async def require_organization(
    uow: UnitOfWork, organization_id: str, *, field: str, kind: str | None = None
) -> dict[str, Any]:
    """An active organization a request refers to (422 naming ``field`` otherwise)."""
    row = (
        (
            await uow.session.execute(
                select(organizations).where(organizations.c.id == organization_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise RuleViolation(field, f"unknown organization {organization_id}")
    if not row["active"]:
        raise RuleViolation(field, f"organization {organization_id} is not active")
    if kind is not None and row["kind"] != kind:
        raise RuleViolation(field, f"organization {organization_id} is not a {kind} organization")
    return dict(row)
