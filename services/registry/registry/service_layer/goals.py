"""Use cases for a cluster's strategy goals: set by its coordinator, each change a new version
(the earlier versions are kept and readable). Progress is the quality service's to compute."""

from dataclasses import replace

from registry import events
from registry.domain import access
from registry.domain import activities as rules
from registry.domain.commands import SetGoal
from registry.domain.model import Cluster, Goal
from registry.service_layer.activities import require_reader
from registry.service_layer.common import fetch, given
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import NotFound
from shared.platform.ids import new_id

# What a version states; a revision that changes none of it makes no new version.
TARGET_FIELDS = (
    "measure",
    "code",
    "field_code",
    "level",
    "comparator",
    "target",
    "by_year",
    "active",
)


async def set_goal(uow: AbstractRegistryUnitOfWork, identity: Identity, command: SetGoal) -> Goal:
    """A new goal (version 1), or the next version of ``command.goal_id``."""
    cluster = await fetch(uow.clusters, command.cluster_id, "cluster")
    access.can_set_goals(identity, coordinator_id=cluster.coordinator_id)
    current = None
    if command.goal_id is not None:
        current = await _of_cluster(uow, cluster, command.goal_id)
    at = now()
    rules.check_goal(
        measure=command.measure,
        code=command.code,
        field_code=command.field_code,
        level=command.level,
        target=command.target,
        by_year=None if current and current.by_year == command.by_year else command.by_year,
        this_year=at.year,
    )
    stated = {name: getattr(command, name) for name in TARGET_FIELDS}
    if current is None:
        goal = Goal(
            id=new_id(),
            cluster_id=cluster.id,
            version=1,
            set_by=identity.org or "",
            created_at=at,
            updated_at=at,
            **stated,
        )
        await uow.goals.add(goal)
    else:
        if replace(current, **stated) == current:
            return current  # nothing changed: no new version, no event
        goal = replace(
            current, **stated, version=current.version + 1, set_by=identity.org or "", updated_at=at
        )
        await uow.goals.update(goal, fields=[*TARGET_FIELDS, "version", "set_by", "updated_at"])
    uow.publish(events.goal_set(goal))
    return goal


async def get(
    uow: AbstractRegistryUnitOfWork, identity: Identity, cluster_id: str, goal_id: str
) -> Goal:
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    await require_reader(uow, identity, cluster)
    return await _of_cluster(uow, cluster, goal_id)


async def list_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    active: bool | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Goal]:
    """The cluster's goals as they stand (their latest versions)."""
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    await require_reader(uow, identity, cluster)
    where = {"cluster_id": cluster.id, **given(active=active)}
    return await uow.goals.page(where=where, limit=limit, cursor=cursor)


async def versions_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    goal_id: str,
    *,
    limit: int,
    cursor: str | None,
) -> Page[Goal]:
    """Every version of the goal, the first first."""
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    await require_reader(uow, identity, cluster)
    await _of_cluster(uow, cluster, goal_id)
    return await uow.goals.versions(goal_id, limit=limit, cursor=cursor)


async def _of_cluster(uow: AbstractRegistryUnitOfWork, cluster: Cluster, goal_id: str) -> Goal:
    goal = await uow.goals.get(goal_id)
    if goal is None or goal.cluster_id != cluster.id:
        raise NotFound("goal", goal_id)
    return goal
