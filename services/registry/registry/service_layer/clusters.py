"""Use cases for clusters and their membership (history kept: leaving sets left_on)."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from registry import events
from registry.domain import access, rules
from registry.domain.commands import CreateCluster, JoinCluster, LeaveCluster
from registry.domain.model import Cluster, Membership, Organization
from registry.service_layer.common import (
    check_region,
    fetch,
    given,
    require_organization,
    save_changes,
)
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, NotFound, RuleViolation
from shared.platform.ids import new_id


async def create(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: CreateCluster
) -> Cluster:
    access.can_manage_in_region(identity, command.region_code, "clusters")
    rules.check_sectors(command.sectors)
    await check_region(uow, command.region_code)
    coordinator = await require_organization(uow, command.coordinator_id, field="coordinator_id")
    cluster_id = new_id()
    _admit(
        uow,
        identity,
        cluster_id,
        command.region_code,
        coordinator,
        field="coordinator_id",
        reason=command.cross_region_reason,
    )
    at = now()
    cluster = Cluster(
        id=cluster_id,
        name=command.name,
        region_code=command.region_code,
        sectors=list(command.sectors),
        coordinator_id=command.coordinator_id,
        status="active",
        created_at=at,
        updated_at=at,
    )
    await uow.clusters.add(cluster)
    uow.publish(events.cluster_created(cluster))
    await _join(uow, cluster.id, coordinator, role="coordinator", joined_on=date.today())
    return cluster


async def update(
    uow: AbstractRegistryUnitOfWork, identity: Identity, cluster_id: str, changes: Mapping[str, Any]
) -> Cluster:
    current = await fetch(uow.clusters, cluster_id, "cluster")
    access.can_manage_in_region(identity, current.region_code, "this cluster")
    changes = dict(changes)
    reason = changes.pop("cross_region_reason", None)
    if "sectors" in changes:
        rules.check_sectors(changes["sectors"])
    if "coordinator_id" in changes and changes["coordinator_id"] != current.coordinator_id:
        coordinator = await require_organization(
            uow, changes["coordinator_id"], field="coordinator_id"
        )
        _admit(
            uow,
            identity,
            cluster_id,
            current.region_code,
            coordinator,
            field="coordinator_id",
            reason=reason,
        )
        if await uow.memberships.current(cluster_id, coordinator.id) is None:
            await _join(uow, cluster_id, coordinator, role="coordinator", joined_on=date.today())
    return await save_changes(uow, uow.clusters, current, changes, to_event=events.cluster_updated)


async def join(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: JoinCluster
) -> Membership:
    cluster = await fetch(uow.clusters, command.cluster_id, "cluster")
    access.can_manage_in_region(identity, cluster.region_code, "this cluster's members")
    if cluster.status == "closed":
        raise Conflict("the cluster is closed", field="cluster_id")
    organization = await require_organization(uow, command.organization_id, field="organization_id")
    rules.check_member_role(command.role, organization.kind)
    _admit(
        uow,
        identity,
        cluster.id,
        cluster.region_code,
        organization,
        field="organization_id",
        reason=command.cross_region_reason,
    )
    if await uow.memberships.current(cluster.id, organization.id) is not None:
        raise Conflict("already a member of this cluster", field="organization_id")
    return await _join(
        uow,
        cluster.id,
        organization,
        role=command.role,
        joined_on=command.joined_on or date.today(),
    )


async def leave(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: LeaveCluster
) -> Membership:
    cluster = await fetch(uow.clusters, command.cluster_id, "cluster")
    access.can_manage_in_region(identity, cluster.region_code, "this cluster's members")
    member = await uow.memberships.current(cluster.id, command.organization_id)
    if member is None:
        raise NotFound("member of this cluster", command.organization_id)
    if command.organization_id == cluster.coordinator_id:
        raise Conflict(
            "the coordinator cannot leave; appoint another coordinator first",
            field="organization_id",
        )
    if command.left_on < member.joined_on:
        raise RuleViolation("left_on", "left_on is before the organization joined")
    member = replace(member, left_on=command.left_on)
    await uow.memberships.update(member, fields=["left_on"])
    uow.publish(events.member_left(member))
    return member


async def get(uow: AbstractRegistryUnitOfWork, identity: Identity, cluster_id: str) -> Cluster:
    access.can_read_registry(identity)
    return await fetch(uow.clusters, cluster_id, "cluster")


async def list_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    region_code: str | None = None,
    status: str | None = None,
    coordinator_id: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Cluster]:
    access.can_read_registry(identity)
    where = given(region_code=region_code, status=status, coordinator_id=coordinator_id)
    return await uow.clusters.page(where=where, limit=limit, cursor=cursor)


async def members_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    include_history: bool,
    limit: int,
    cursor: str | None,
) -> Page[Membership]:
    """The cluster's members; with ``include_history``, also those who left."""
    access.can_read_registry(identity)
    await fetch(uow.clusters, cluster_id, "cluster")
    where: dict[str, object] = {"cluster_id": cluster_id}
    if not include_history:
        where["left_on"] = None
    return await uow.memberships.page(where=where, limit=limit, cursor=cursor)


def _admit(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    region_code: str,
    organization: Organization,
    *,
    field: str,
    reason: str | None,
) -> None:
    """Members and coordinators belong to the cluster's region; one of another region only
    by the ministry's stated ``reason`` (kept in the audit trail)."""
    if organization.region_code == region_code:
        return
    if reason is None:
        raise RuleViolation(
            field,
            f"organization {organization.id} is in {organization.region_code}, not the "
            f"cluster's region {region_code} (only the ministry admits it, with a "
            "cross_region_reason)",
        )
    access.require(
        identity.is_("ministry"), "only the ministry admits an organization of another region"
    )
    uow.audit(
        "educluster.registry.cluster.cross_region",
        f"clusters/{cluster_id}",
        {
            "organization_id": organization.id,
            "region_code": organization.region_code,
            "reason": reason,
        },
    )


async def _join(
    uow: AbstractRegistryUnitOfWork,
    cluster_id: str,
    organization: Organization,
    *,
    role: str,
    joined_on: date,
) -> Membership:
    member = Membership(
        id=new_id(),
        cluster_id=cluster_id,
        organization_id=organization.id,
        role=role,
        joined_on=joined_on,
    )
    await uow.memberships.add(member)
    uow.publish(events.member_joined(member))
    return member
