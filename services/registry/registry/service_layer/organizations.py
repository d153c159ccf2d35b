"""Use cases for organizations: register, read, update (never deleted: deactivated)."""

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from registry import events
from registry.domain import access, rules
from registry.domain.commands import RegisterOrganization
from registry.domain.model import Organization
from registry.service_layer.common import check_region, fetch, given, save_changes
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict
from shared.platform.ids import new_id


async def register(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: RegisterOrganization
) -> Organization:
    access.can_manage_in_region(identity, command.region_code, "organizations")
    rules.check_subtype(command.kind, command.subtype)
    rules.check_tax_id(command.tax_id)
    await check_region(uow, command.region_code)
    taken = await uow.organizations.holder_of_tax_id(command.tax_id)
    if taken is not None:
        raise Conflict(f"taxpayer id already registered ({taken})", field="tax_id")
    at = now()
    organization = Organization(
        **asdict(command), id=new_id(), active=True, created_at=at, updated_at=at
    )
    await uow.organizations.add(organization)
    uow.publish(events.organization_registered(organization))
    return organization


async def update(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    organization_id: str,
    changes: Mapping[str, Any],
) -> Organization:
    current = await fetch(uow.organizations, organization_id, "organization")
    access.can_edit_organization(
        identity, organization_id=current.id, region_code=current.region_code
    )
    for decided_by_authority in ("active", "registered_on"):
        if decided_by_authority in changes:
            access.can_manage_in_region(
                identity, current.region_code, f"its {decided_by_authority.replace('_', ' ')}"
            )
    if "subtype" in changes:
        rules.check_subtype(current.kind, changes["subtype"])
    return await save_changes(
        uow, uow.organizations, current, changes, to_event=events.organization_updated
    )


async def get(
    uow: AbstractRegistryUnitOfWork, identity: Identity, organization_id: str
) -> dict[str, Any]:
    """One organization as ``identity`` reads it (the fields it may not read are None)."""
    access.can_read_registry(identity)
    organization = await fetch(uow.organizations, organization_id, "organization")
    return view_of(identity, organization, await _members_coordinated(uow, identity))


async def list_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    kind: str | None = None,
    region_code: str | None = None,
    active: bool | None = None,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    access.can_read_registry(identity)
    where = given(kind=kind, region_code=region_code, active=active)
    page = await uow.organizations.page(where=where, limit=limit, cursor=cursor)
    coordinated = await _members_coordinated(uow, identity)
    return Page[dict[str, Any]].model_construct(
        items=[view_of(identity, o, coordinated) for o in page.items],
        next_cursor=page.next_cursor,
    )


async def _members_coordinated(
    uow: AbstractRegistryUnitOfWork, identity: Identity
) -> frozenset[str]:
    """The current members of the clusters the caller's organization coordinates."""
    if identity.org is None:
        return frozenset()
    return await uow.memberships.members_coordinated_by(identity.org)


def view_of(
    identity: Identity, organization: Organization, coordinated: frozenset[str]
) -> dict[str, Any]:
    """``organization`` as ``identity`` reads it: the fields it may not read are None."""
    withheld = access.organization_withheld(
        identity, organization, coordinates_it=organization.id in coordinated
    )
    return {
        f.name: None if f.name in withheld else getattr(organization, f.name)
        for f in fields(organization)
    }
