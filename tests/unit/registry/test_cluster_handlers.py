"""Clusters and their membership, on the fake unit of work."""

from datetime import date

import pytest
from registry.domain.commands import CreateCluster, JoinCluster, LeaveCluster
from registry.domain.model import Cluster, Organization
from registry.service_layer import clusters

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.registry.world import MINISTRY, World, as_authority


async def a_cluster(world: World, coordinator: Organization) -> Cluster:
    uow = world.uow()
    command = CreateCluster(
        name="Samarkand IT", region_code="UZ-SA", sectors=["J"], coordinator_id=coordinator.id
    )
    cluster = await clusters.create(uow, MINISTRY, command)
    await uow.commit()
    return cluster


def joining(cluster: Cluster, organization: Organization, role: str) -> JoinCluster:
    return JoinCluster(cluster_id=cluster.id, organization_id=organization.id, role=role)


def leaving(cluster: Cluster, organization: Organization, left_on: date) -> LeaveCluster:
    return LeaveCluster(cluster_id=cluster.id, organization_id=organization.id, left_on=left_on)


async def test_creating_a_cluster_publishes_it_and_its_coordinator_joining():
    world = World()
    coordinator = await world.organization()
    uow = world.uow()
    command = CreateCluster(
        name="Samarkand IT", region_code="UZ-SA", sectors=["J", "M"], coordinator_id=coordinator.id
    )
    cluster = await clusters.create(uow, as_authority("UZ-SA"), command)
    await uow.commit()
    created, joined = uow.published
    assert isinstance(created, ev.ClusterCreated) and created.sectors == ["J", "M"]
    assert isinstance(joined, ev.ClusterMemberJoined)
    assert (joined.organization_id, joined.role) == (coordinator.id, "coordinator")
    assert {e.partition_key() for e in uow.published} == {cluster.id}


async def test_a_cluster_elsewhere_or_with_unknown_sectors_is_refused():
    world = World()
    coordinator = await world.organization()
    command = CreateCluster(
        name="X", region_code="UZ-SA", sectors=["J"], coordinator_id=coordinator.id
    )
    with pytest.raises(Forbidden):
        await clusters.create(world.uow(), as_authority("UZ-TK"), command)
    with pytest.raises(RuleViolation) as refused:
        await clusters.create(
            world.uow(),
            MINISTRY,
            CreateCluster(name="X", region_code="UZ-SA", sectors=["Z"], coordinator_id="x"),
        )
    assert refused.value.field == "sectors"


async def test_an_organization_joins_in_a_role_that_fits_its_kind():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    employer = await world.employer()
    uow = world.uow()
    with pytest.raises(RuleViolation) as refused:
        await clusters.join(uow, MINISTRY, joining(cluster, employer, "education"))
    assert refused.value.field == "role"
    member = await clusters.join(uow, MINISTRY, joining(cluster, employer, "employer"))
    await uow.commit()
    assert member.left_on is None and member.joined_on == date.today()
    [event] = uow.published
    assert isinstance(event, ev.ClusterMemberJoined) and event.role == "employer"


async def test_joining_twice_is_a_conflict():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    employer = await world.employer()
    uow = world.uow()
    await clusters.join(uow, MINISTRY, joining(cluster, employer, "employer"))
    with pytest.raises(Conflict) as refused:
        await clusters.join(uow, MINISTRY, joining(cluster, employer, "employer"))
    assert refused.value.loc == ["body", "organization_id"]


async def test_no_one_joins_a_closed_cluster():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    employer = await world.employer()
    uow = world.uow()
    await clusters.update(uow, MINISTRY, cluster.id, {"status": "closed"})
    with pytest.raises(Conflict) as refused:
        await clusters.join(uow, MINISTRY, joining(cluster, employer, "employer"))
    assert refused.value.loc == ["body", "cluster_id"]


async def test_the_coordinator_cannot_leave():
    world = World()
    coordinator = await world.organization()
    cluster = await a_cluster(world, coordinator)
    with pytest.raises(Conflict) as refused:
        await clusters.leave(world.uow(), MINISTRY, leaving(cluster, coordinator, date.today()))
    assert refused.value.loc == ["body", "organization_id"]


async def test_an_organization_that_is_not_a_member_cannot_leave():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    stranger = await world.employer()
    with pytest.raises(NotFound):
        await clusters.leave(world.uow(), MINISTRY, leaving(cluster, stranger, date.today()))


async def test_leaving_keeps_the_membership_in_the_history_and_publishes_it():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    employer = await world.employer()
    await clusters.join(world.uow(), MINISTRY, joining(cluster, employer, "employer"))
    uow = world.uow()
    with pytest.raises(RuleViolation) as refused:
        await clusters.leave(uow, MINISTRY, leaving(cluster, employer, date(2000, 1, 1)))
    assert refused.value.field == "left_on"
    left = await clusters.leave(uow, MINISTRY, leaving(cluster, employer, date.today()))
    await uow.commit()
    [event] = uow.published
    assert isinstance(event, ev.ClusterMemberLeft) and event.left_on == left.left_on

    def members(include_history: bool):
        return clusters.members_page(
            uow, MINISTRY, cluster.id, include_history=include_history, limit=10, cursor=None
        )

    assert len((await members(False)).items) == 1  # the coordinator
    assert len((await members(True)).items) == 2


async def test_a_new_coordinator_who_is_not_yet_a_member_joins_as_coordinator():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    successor = await world.organization()
    uow = world.uow()
    changed = await clusters.update(uow, MINISTRY, cluster.id, {"coordinator_id": successor.id})
    await uow.commit()
    joined, updated = uow.published
    assert isinstance(joined, ev.ClusterMemberJoined) and joined.organization_id == successor.id
    assert isinstance(updated, ev.ClusterUpdated) and changed.coordinator_id == successor.id


async def test_a_cluster_update_that_changes_nothing_publishes_nothing():
    world = World()
    cluster = await a_cluster(world, await world.organization())
    uow = world.uow()
    await clusters.update(uow, MINISTRY, cluster.id, {"sectors": ["J"], "name": cluster.name})
    await uow.commit()
    assert uow.published == []
