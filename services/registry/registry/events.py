"""The registry's outgoing integration events: one mapping per event type, state → payload.

Events carry ids and codes, never people's names. Each payload declares its own partition key
(an institution's programs, graduates and employments are keyed by the institution).
"""

from typing import Any

from registry.domain.model import (
    Activity,
    Cluster,
    Employment,
    Goal,
    Graduate,
    Membership,
    Organization,
    Program,
)
from shared.contracts.catalogue import registry as ev
from shared.contracts.reference import Region


def region_upserted(region: Region) -> ev.RegionUpserted:
    return ev.RegionUpserted(
        code=region.code,
        country=region.country,
        name_uz=region.name_uz,
        name_ru=region.name_ru,
        name_en=region.name_en,
    )


def organization_registered(organization: Organization) -> ev.OrganizationRegistered:
    return ev.OrganizationRegistered(**_organization(organization))


def organization_updated(organization: Organization) -> ev.OrganizationUpdated:
    return ev.OrganizationUpdated(**_organization(organization))


def cluster_created(cluster: Cluster) -> ev.ClusterCreated:
    return ev.ClusterCreated(**_cluster(cluster))


def cluster_updated(cluster: Cluster) -> ev.ClusterUpdated:
    return ev.ClusterUpdated(**_cluster(cluster))


def member_joined(member: Membership) -> ev.ClusterMemberJoined:
    return ev.ClusterMemberJoined(
        cluster_id=member.cluster_id,
        organization_id=member.organization_id,
        role=member.role,
        joined_on=member.joined_on,
    )


def member_left(member: Membership) -> ev.ClusterMemberLeft:
    return ev.ClusterMemberLeft(
        cluster_id=member.cluster_id,
        organization_id=member.organization_id,
        role=member.role,
        joined_on=member.joined_on,
        left_on=member.left_on,
    )


def activity_recorded(activity: Activity) -> ev.ClusterActivityRecorded:
    return ev.ClusterActivityRecorded(**_activity(activity))


def activity_updated(activity: Activity) -> ev.ClusterActivityUpdated:
    return ev.ClusterActivityUpdated(**_activity(activity))


def goal_set(goal: Goal) -> ev.ClusterGoalSet:
    return ev.ClusterGoalSet(
        goal_id=goal.id,
        cluster_id=goal.cluster_id,
        version=goal.version,
        measure=goal.measure,
        code=goal.code,
        field_code=goal.field_code,
        level=goal.level,
        comparator=goal.comparator,
        target=goal.target,
        by_year=goal.by_year,
        active=goal.active,
        set_by=goal.set_by,
    )


def program_registered(program: Program) -> ev.ProgramRegistered:
    return ev.ProgramRegistered(**_program(program))


def program_updated(program: Program) -> ev.ProgramUpdated:
    return ev.ProgramUpdated(**_program(program))


def graduate_registered(graduate: Graduate) -> ev.GraduateRegistered:
    return ev.GraduateRegistered(**_graduate(graduate))


def graduate_updated(graduate: Graduate) -> ev.GraduateUpdated:
    return ev.GraduateUpdated(**_graduate(graduate))


def employment_recorded(employment: Employment, graduate: Graduate) -> ev.EmploymentRecorded:
    return ev.EmploymentRecorded(**_employment(employment, graduate))


def employment_ended(employment: Employment, graduate: Graduate) -> ev.EmploymentEnded:
    return ev.EmploymentEnded(**_employment(employment, graduate))


def employment_state_changed(
    employment: Employment,
    graduate: Graduate,
    *,
    previous: ev.EmploymentStatus,
    changed_by: ev.EmploymentChanger,
) -> ev.EmploymentStateChanged:
    return ev.EmploymentStateChanged(
        **_employment(employment, graduate),
        previous_state=previous,
        changed_by=changed_by,
        reason=employment.state_reason,
    )


# The state each pair of "created"/"changed" events shares.


def _organization(organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.id,
        "kind": organization.kind,
        "subtype": organization.subtype,
        "name": organization.name,
        "region_code": organization.region_code,
        "tax_id": organization.tax_id,
        "active": organization.active,
    }


def _cluster(cluster: Cluster) -> dict[str, Any]:
    return {
        "cluster_id": cluster.id,
        "name": cluster.name,
        "region_code": cluster.region_code,
        "sectors": list(cluster.sectors),
        "coordinator_id": cluster.coordinator_id,
        "status": cluster.status,
    }


def _activity(activity: Activity) -> dict[str, Any]:
    return {
        "activity_id": activity.id,
        "cluster_id": activity.cluster_id,
        "kind": activity.kind,
        "title": activity.title,
        "status": activity.status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "member_ids": list(activity.member_ids),
        "outcome": activity.outcome,
    }


def _program(program: Program) -> dict[str, Any]:
    return {
        "program_id": program.id,
        "institution_id": program.institution_id,
        "code": program.code,
        "name": program.name,
        "level": program.level,
        "field_code": program.field_code,
        "language": program.language,
        "active": program.active,
    }


def _graduate(graduate: Graduate) -> dict[str, Any]:
    return {
        "graduate_id": graduate.id,
        "institution_id": graduate.institution_id,
        "program_id": graduate.program_id,
        "graduation_year": graduate.graduation_year,
        "active": graduate.active,
        "follow_up_outcome": graduate.follow_up_outcome,
        "follow_up_on": graduate.follow_up_on,
    }


def _employment(employment: Employment, graduate: Graduate) -> dict[str, Any]:
    return {
        "employment_id": employment.id,
        "graduate_id": employment.graduate_id,
        "institution_id": graduate.institution_id,
        "program_id": graduate.program_id,
        "employer_id": employment.employer_id,
        "start_date": employment.start_date,
        "end_date": employment.end_date,
        "isco_code": employment.isco_code,
        "in_field": employment.in_field,
        "state": employment.state,
        "source": employment.source,
        "kind": employment.kind,
    }
