"""Use cases for a cluster's activities: what its members agreed to do together.

Only members may be named, inside their membership; what an outcome names (employers,
institutions, programs, graduates) must belong to the members involved. Graduates who took part
are shown to each reader only as far as the reader may see them (service_layer/visibility.py).
"""

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from registry import events
from registry.domain import access
from registry.domain import activities as rules
from registry.domain.commands import RecordActivity
from registry.domain.model import Activity, Cluster, Membership
from registry.service_layer import visibility
from registry.service_layer.common import fetch, given, save_changes
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.contracts.assessment_window import DEFAULT_WINDOW_MONTHS, months_before
from shared.contracts.catalogue.registry import ActivityOutcome
from shared.platform.auth import Identity
from shared.platform.db.keyset import MAX_LIMIT, Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, NotFound, RuleViolation
from shared.platform.ids import new_id


async def record(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    command: RecordActivity,
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Activity:
    cluster = await fetch(uow.clusters, command.cluster_id, "cluster")
    access.can_record_activity(
        identity, coordinator_id=cluster.coordinator_id, member_ids=command.member_ids
    )
    if cluster.status == "closed":
        raise Conflict("the cluster is closed")
    rules.check_activity(
        title=command.title,
        start_date=command.start_date,
        end_date=command.end_date,
        outcome=command.outcome,
    )
    await _check_members(
        uow, cluster.id, command.member_ids, command.start_date, command.end_date, joining=True
    )
    await _check_named(
        uow, identity, command.member_ids, command.outcome, since=_since(window_months)
    )
    at = now()
    activity = Activity(
        id=new_id(),
        cluster_id=cluster.id,
        kind=command.outcome.kind,
        title=command.title,
        status=command.status,
        start_date=command.start_date,
        end_date=command.end_date,
        member_ids=list(command.member_ids),
        outcome=command.outcome,
        created_at=at,
        updated_at=at,
    )
    await uow.activities.add(activity)
    uow.publish(events.activity_recorded(activity))
    return activity


async def update(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    activity_id: str,
    changes: Mapping[str, Any],
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Activity:
    """Change the title, status, end date or outcome (its kind stays). A caller sends back the
    graduates it was shown: those hidden from it stay named, and it is answered with the
    activity as it may see it."""
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    current = await _of_cluster(uow, cluster, activity_id)
    access.can_record_activity(
        identity, coordinator_id=cluster.coordinator_id, member_ids=current.member_ids
    )
    changes = dict(changes)
    if "status" in changes:
        rules.check_status_move(current.status, changes["status"])
    since = _since(window_months)
    stored = frozenset(key for _, key in rules.named_graduates(current.outcome))
    if "outcome" in changes:
        if changes["outcome"].kind != current.kind:
            raise RuleViolation(("outcome", "kind"), f"the activity stays a {current.kind}")
        shown = await visibility.visible_keys(
            uow.graduates, identity, stored, what="graduate", since=since
        )
        changes["outcome"] = rules.with_hidden_graduates(
            changes["outcome"], current.outcome, shown=shown
        )
    after = replace(current, **changes)
    rules.check_activity(
        title=after.title,
        start_date=after.start_date,
        end_date=after.end_date,
        outcome=after.outcome,
    )
    if after != current:
        await _check_members(
            uow, cluster.id, after.member_ids, after.start_date, after.end_date, joining=False
        )
        await _check_named(
            uow, identity, after.member_ids, after.outcome, since=since, known=stored
        )
    updated = await save_changes(
        uow, uow.activities, current, changes, to_event=events.activity_updated
    )
    [as_seen] = await _as_seen_by(uow, identity, [updated], window_months=window_months)
    return as_seen


async def get(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    activity_id: str,
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Activity:
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    activity = await _of_cluster(uow, cluster, activity_id)
    await require_reader(uow, identity, cluster, involved=activity.member_ids)
    [shown] = await _as_seen_by(uow, identity, [activity], window_months=window_months)
    return shown


async def list_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster_id: str,
    *,
    kind: str | None = None,
    status: str | None = None,
    limit: int,
    cursor: str | None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Page[Activity]:
    cluster = await fetch(uow.clusters, cluster_id, "cluster")
    await require_reader(uow, identity, cluster)
    where = {"cluster_id": cluster.id, **given(kind=kind, status=status)}
    page = await uow.activities.page(where=where, limit=limit, cursor=cursor)
    items = await _as_seen_by(uow, identity, page.items, window_months=window_months)
    return Page[Activity].model_construct(items=items, next_cursor=page.next_cursor)


async def require_reader(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    cluster: Cluster,
    *,
    involved: Collection[str] = (),
) -> None:
    """Forbidden unless ``identity`` reads the cluster's work: the ministry, the region's
    authority, a current member, or a member ``involved`` in what is read (who may have left)."""
    org = identity.org
    is_member = org is not None and (
        org in involved or await uow.memberships.current(cluster.id, org) is not None
    )
    access.can_read_cluster_work(identity, region_code=cluster.region_code, is_member=is_member)


async def _of_cluster(
    uow: AbstractRegistryUnitOfWork, cluster: Cluster, activity_id: str
) -> Activity:
    activity = await uow.activities.get(activity_id)
    if activity is None or activity.cluster_id != cluster.id:
        raise NotFound("activity", activity_id)
    return activity


async def _as_seen_by(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    activities: list[Activity],
    *,
    window_months: int,
) -> list[Activity]:
    """The activities naming only the graduates ``identity`` may see."""
    named = {key for a in activities for _, key in rules.named_graduates(a.outcome)}
    if not named:
        return activities
    shown = await visibility.visible_keys(
        uow.graduates,
        identity,
        named,
        what="graduate",
        since=_since(window_months),
    )
    return [replace(a, outcome=rules.with_graduates(a.outcome, shown)) for a in activities]


def _since(window_months: int) -> date:
    """An employer sees the graduates of its employments that end on or after this day."""
    return months_before(now().date(), window_months)


async def _check_members(
    uow: AbstractRegistryUnitOfWork,
    cluster_id: str,
    member_ids: list[str],
    start_date: date,
    end_date: date | None,
    *,
    joining: bool,
) -> None:
    """Each member involved has a membership covering the activity's dates; a new activity
    names current members only (one already recorded may outlive a member that has left, if
    it ends by the day the member left)."""
    if not member_ids:
        raise RuleViolation("member_ids", "name the members involved")
    for i, organization_id in enumerate(member_ids):
        if organization_id in member_ids[:i]:
            raise RuleViolation(("member_ids", i), f"{organization_id} is named twice")
        member = await _membership(uow, cluster_id, organization_id)
        if member is None or (joining and member.left_on is not None):
            raise RuleViolation(
                ("member_ids", i), f"{organization_id} is not a current member of the cluster"
            )
        if start_date < member.joined_on:
            raise RuleViolation(
                "start_date",
                f"the activity starts before {organization_id} joined ({member.joined_on})",
            )
        if member.left_on is not None and (end_date is None or end_date > member.left_on):
            raise RuleViolation(
                "end_date", f"{organization_id} left on {member.left_on}: end the activity by then"
            )


async def _membership(
    uow: AbstractRegistryUnitOfWork, cluster_id: str, organization_id: str
) -> Membership | None:
    """The organization's current membership of the cluster, else its latest, else None."""
    current = await uow.memberships.current(cluster_id, organization_id)
    if current is not None:
        return current
    where = {"cluster_id": cluster_id, "organization_id": organization_id}
    past = (await uow.memberships.page(where=where, limit=MAX_LIMIT, cursor=None)).items
    return max(past, key=lambda m: m.joined_on, default=None)


async def _check_named(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    member_ids: list[str],
    outcome: ActivityOutcome,
    *,
    since: date,
    known: frozenset[str] = frozenset(),
) -> None:
    """What the outcome names belongs to the members involved and is of the right kind; a
    graduate not ``known`` (named before) is one of the program's the caller may see."""
    for loc, organization_id, kinds in rules.named_organizations(outcome):
        if organization_id not in member_ids:
            raise RuleViolation(loc, f"{organization_id} is not among the members involved")
        organization = await uow.organizations.get(organization_id)
        if kinds is not None and (organization is None or organization.kind not in kinds):
            raise RuleViolation(loc, f"{loc[-1]} must be a {' or '.join(sorted(kinds))} member")
    program_id = rules.named_program(outcome)
    if program_id is None:
        return
    program = await uow.programs.get(program_id)
    if program is None:
        raise RuleViolation(("outcome", "program_id"), f"unknown program {program_id}")
    if program.institution_id not in member_ids:
        raise RuleViolation(
            ("outcome", "program_id"), "the program's institution is not among the members involved"
        )
    named = [(loc, key) for loc, key in rules.named_graduates(outcome) if key not in known]
    if not named:
        return
    visible = await visibility.visible_keys(
        uow.graduates, identity, {key for _, key in named}, what="graduate", since=since
    )
    for loc, graduate_id in named:
        graduate = await uow.graduates.get(graduate_id) if graduate_id in visible else None
        # The same answer for a graduate unknown, out of the caller's sight or of another
        # program: that a person is known here is itself personal data.
        if graduate is None or graduate.program_id != program_id:
            raise RuleViolation(loc, f"{graduate_id} is not a graduate of program {program_id}")
