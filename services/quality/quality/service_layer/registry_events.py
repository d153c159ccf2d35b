"""Registry facts → the service's projection (latest state wins, inbox-guarded).

A change that moves an employment outcome or a cluster's membership marks the affected cells
dirty, so their scores are recomputed at the next publication window. A cluster's activities
and goals move no score: the activity figures read them as they are.
"""

from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.contracts.catalogue import registry as ev
from shared.contracts.registry_projection import (
    cluster_row,
    employment_row,
    graduate_row,
    organization_row,
    program_row,
)

OrganizationChange = ev.OrganizationChange
ClusterChange = ev.ClusterChange
MembershipChange = ev.MembershipChange
ProgramChange = ev.ProgramChange
GraduateChange = ev.GraduateChange
EmploymentChange = ev.EmploymentChange
ActivityChange = ev.ActivityChange


async def organization_changed(uow: AbstractQualityUnitOfWork, change: OrganizationChange) -> None:
    """Its region may have changed: every scored period of its programs is recomputed."""
    row = organization_row(change)
    await uow.projection.save_organization(row)
    await uow.marks.mark_scored(await uow.projection.programs_of(row["id"]))


async def cluster_changed(uow: AbstractQualityUnitOfWork, change: ClusterChange) -> None:
    row = cluster_row(change)
    await uow.projection.save_cluster(row)


async def membership_changed(uow: AbstractQualityUnitOfWork, change: MembershipChange) -> None:
    """Every scored period of the member's programs may now count for the cluster or not."""
    await uow.projection.save_membership(
        {
            "cluster_id": change.cluster_id,
            "organization_id": change.organization_id,
            "joined_on": change.joined_on,
            "left_on": getattr(change, "left_on", None),
        }
    )
    await uow.marks.mark_scored(await uow.projection.programs_of(change.organization_id))


async def program_changed(uow: AbstractQualityUnitOfWork, change: ProgramChange) -> None:
    row = program_row(change)
    await uow.projection.save_program(row)
    await uow.marks.mark_scored([row["id"]])


async def graduate_changed(uow: AbstractQualityUnitOfWork, change: GraduateChange) -> None:
    row = graduate_row(change)
    before = await uow.projection.cohort_of(row["id"])
    if before is not None:  # a moved graduate leaves its old cohort too
        await uow.marks.mark(program_id=before[0], period=before[1])
    await uow.projection.save_graduate(row)
    await uow.marks.mark(program_id=row["program_id"], period=row["graduation_year"])


async def employment_changed(uow: AbstractQualityUnitOfWork, change: EmploymentChange) -> None:
    row = employment_row(change)
    await uow.projection.save_employment(row)
    cohort = await uow.projection.cohort_of(row["graduate_id"])
    if cohort is not None:
        await uow.marks.mark(program_id=cohort[0], period=cohort[1])


async def activity_changed(uow: AbstractQualityUnitOfWork, change: ActivityChange) -> None:
    await uow.cluster_work.save_activity(
        {
            "id": change.activity_id,
            "cluster_id": change.cluster_id,
            "kind": change.kind,
            "status": change.status,
            "start_date": change.start_date,
            "end_date": change.end_date,
            "member_ids": list(change.member_ids),
            "outcome": change.outcome.model_dump(mode="json"),
        }
    )


async def goal_set(uow: AbstractQualityUnitOfWork, change: ev.ClusterGoalSet) -> None:
    await uow.cluster_work.save_goal(
        {
            "goal_id": change.goal_id,
            "version": change.version,
            "cluster_id": change.cluster_id,
            "measure": change.measure,
            "code": change.code,
            "field_code": change.field_code,
            "level": change.level,
            "comparator": change.comparator,
            "target": str(change.target),
            "by_year": change.by_year,
            "active": change.active,
        }
    )
