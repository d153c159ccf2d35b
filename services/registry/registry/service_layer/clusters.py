"""Use cases for clusters and their membership (history kept: leaving sets left_on)."""

from datetime import date
from typing import Any

from sqlalchemy import select

from registry import events
from registry.adapters.tables import cluster_members, clusters
from registry.domain import access, rules
from registry.service_layer.common import save_changes
from registry.service_layer.organizations import check_region, require_organization
from shared.platform.auth import Identity
from shared.platform.db.queries import fetch_one, now
from shared.platform.errors import Conflict, NotFound, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork


async def create(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    access.can_manage_in_region(identity, data["region_code"], "clusters")
    rules.check_sectors(data["sectors"])
    await check_region(uow, data["region_code"])
    coordinator = await require_organization(uow, data["coordinator_id"], field="coordinator_id")
    row = {**data, "id": new_id(), "status": "active", "created_at": now(), "updated_at": now()}
    await uow.session.execute(clusters.insert().values(**row))
    uow.publish(events.cluster(row, created=True))
    await _join(uow, row["id"], coordinator, role="coordinator", joined_on=date.today())
    return row


async def update(
    uow: UnitOfWork, identity: Identity, cluster_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await fetch_one(uow.session, clusters, cluster_id, "cluster")
    access.can_manage_in_region(identity, row["region_code"], "this cluster")
    if "sectors" in changes:
        rules.check_sectors(changes["sectors"])
    if "coordinator_id" in changes and changes["coordinator_id"] != row["coordinator_id"]:
        coordinator = await require_organization(
            uow, changes["coordinator_id"], field="coordinator_id"
        )
        if await _active_membership(uow, cluster_id, coordinator["id"]) is None:
            await _join(uow, cluster_id, coordinator, role="coordinator", joined_on=date.today())
    return await save_changes(
        uow,
        clusters,
        row,
        changes,
        to_event=lambda new: events.cluster(new, created=False),
        key=cluster_id,
        subject=f"clusters/{cluster_id}",
    )


async def join(
    uow: UnitOfWork, identity: Identity, cluster_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    cluster = await fetch_one(uow.session, clusters, cluster_id, "cluster")
    access.can_manage_in_region(identity, cluster["region_code"], "this cluster's members")
    if cluster["status"] == "closed":
        raise Conflict("the cluster is closed", field="cluster_id")
    organization = await require_organization(uow, data["organization_id"], field="organization_id")
    rules.check_member_role(data["role"], organization["kind"])
    if await _active_membership(uow, cluster_id, organization["id"]) is not None:
        raise Conflict("already a member of this cluster", field="organization_id")
    return await _join(
        uow,
        cluster_id,
        organization,
        role=data["role"],
        joined_on=data.get("joined_on") or date.today(),
    )


async def leave(
    uow: UnitOfWork, identity: Identity, cluster_id: str, organization_id: str, left_on: date
) -> dict[str, Any]:
    cluster = await fetch_one(uow.session, clusters, cluster_id, "cluster")
    access.can_manage_in_region(identity, cluster["region_code"], "this cluster's members")
    member = await _active_membership(uow, cluster_id, organization_id)
    if member is None:
        raise NotFound("member of this cluster", organization_id)
    if organization_id == cluster["coordinator_id"]:
        raise Conflict(
            "the coordinator cannot leave; appoint another coordinator first",
            field="organization_id",
        )
    if left_on < member["joined_on"]:
        raise RuleViolation("left_on", "left_on is before the organization joined")
    await uow.session.execute(
        cluster_members.update().where(cluster_members.c.id == member["id"]).values(left_on=left_on)
    )
    member = {**member, "left_on": left_on}
    uow.publish(events.member_left(member))
    return member


async def _active_membership(
    uow: UnitOfWork, cluster_id: str, organization_id: str
) -> dict[str, Any] | None:
    row = (
        (
            await uow.session.execute(
                select(cluster_members).where(
                    cluster_members.c.cluster_id == cluster_id,
                    cluster_members.c.organization_id == organization_id,
                    cluster_members.c.left_on.is_(None),
                )
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


async def _join(
    uow: UnitOfWork, cluster_id: str, organization: dict[str, Any], *, role: str, joined_on: date
) -> dict[str, Any]:
    row = {
        "id": new_id(),
        "cluster_id": cluster_id,
        "organization_id": organization["id"],
        "role": role,
        "joined_on": joined_on,
        "left_on": None,
    }
    await uow.session.execute(cluster_members.insert().values(**row))
    uow.publish(events.member_joined(row))
    return row
