"""The quality service's projection of registry facts (the ``q_*`` tables), latest state wins.

The rows come from the mapping every consuming service shares
(shared.contracts.registry_projection); each table keeps the columns it has.
"""

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import ClusterWorkRepository, RegistryProjectionRepository, Row
from quality.adapters.scoring_queries import _held_on, programs_in
from quality.adapters.tables import (
    q_cluster_activities,
    q_cluster_goals,
    q_clusters,
    q_employments,
    q_flow_releases,
    q_graduates,
    q_memberships,
    q_organizations,
    q_programs,
)
from quality.domain.flows import CensusJob, Employer
from quality.domain.model import ProgramKind
from quality.domain.outcomes import census_date
from shared.platform.db.queries import find_one, upsert


class SqlRegistryProjection(RegistryProjectionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _project(self, table: Table, row: Row) -> None:
        await upsert(self._session, table, {k: v for k, v in row.items() if k in table.c})

    async def save_organization(self, row: Row) -> None:
        await self._project(q_organizations, row)

    async def save_cluster(self, row: Row) -> None:
        await self._project(q_clusters, row)

    async def save_membership(self, row: Row) -> None:
        await self._project(q_memberships, row)

    async def save_program(self, row: Row) -> None:
        await self._project(q_programs, row)

    async def save_graduate(self, row: Row) -> None:
        await self._project(q_graduates, row)

    async def save_employment(self, row: Row) -> None:
        await self._project(q_employments, row)

    async def programs_of(self, institution_id: str) -> list[str]:
        ids = await self._session.scalars(
            select(q_programs.c.id).where(q_programs.c.institution_id == institution_id)
        )
        return list(ids)

    async def cohort_of(self, graduate_id: str) -> tuple[str, int] | None:
        row = (
            await self._session.execute(
                select(q_graduates.c.program_id, q_graduates.c.graduation_year).where(
                    q_graduates.c.id == graduate_id
                )
            )
        ).first()
        return None if row is None else (row.program_id, row.graduation_year)

    async def programs_of_cohort(self, cohort: int) -> list[str]:
        ids = await self._session.scalars(
            select(q_graduates.c.program_id)
            .where(q_graduates.c.graduation_year == cohort)
            .distinct()
        )
        return list(ids)

    async def program_kinds(self) -> dict[str, ProgramKind]:
        rows = await self._session.execute(
            select(
                q_programs.c.id,
                q_programs.c.institution_id,
                q_programs.c.level,
                q_programs.c.field_code,
            )
        )
        return {row.id: ProgramKind(row.institution_id, row.level, row.field_code) for row in rows}

    async def cluster(self, cluster_id: str) -> dict[str, Any] | None:
        return await find_one(self._session, q_clusters, cluster_id)

    async def census_jobs(
        self, cohort: int, *, scope: str, scope_id: str, counting: Collection[str]
    ) -> list[CensusJob]:
        # The census rule scoring counts outcomes by, with each job's employer beside it.
        employer = q_organizations
        query = (
            _held_on(census_date(cohort), cohort=cohort, counting=counting)
            .add_columns(
                q_employments.c.employer_id,
                employer.c.region_code.label("employer_region"),
                employer.c.kind.label("employer_kind"),
                employer.c.subtype.label("employer_subtype"),
            )
            .add_columns(q_programs.c.institution_id)
            .join(q_programs, q_programs.c.id == q_graduates.c.program_id)
            .outerjoin(employer, employer.c.id == q_employments.c.employer_id)
            .where(
                q_graduates.c.program_id.in_(
                    # A cluster's: its members' in the year of the census, as in the scorecard
                    # that reports the cohort's outcomes (period = cohort + 1).
                    programs_in(scope, scope_id, first_year=cohort + 1, last_year=cohort + 1)
                )
            )
        )
        return [
            CensusJob(
                graduate_id=row.graduate_id,
                kind=row.kind,
                employer_id=row.employer_id,
                employer_region=row.employer_region,
                # Only an employer's subtype is an ISIC section (the registry's rule).
                employer_sector=row.employer_subtype if row.employer_kind == "employer" else None,
                institution_id=row.institution_id,
            )
            for row in await self._session.execute(query)
        ]

    async def employers(self) -> list[Employer]:
        o = q_organizations
        rows = await self._session.execute(select(o.c.id, o.c.region_code, o.c.kind, o.c.subtype))
        # Only an employer's subtype is an ISIC section (the registry's rule).
        return [
            Employer(id_, region, subtype if kind == "employer" else None)
            for id_, region, kind, subtype in rows
        ]

    async def members_on(self, cluster_ids: Collection[str], day: date) -> set[str]:
        members = await self._session.scalars(
            select(q_memberships.c.organization_id).where(
                q_memberships.c.cluster_id.in_(cluster_ids),
                q_memberships.c.joined_on <= day,
                or_(q_memberships.c.left_on.is_(None), q_memberships.c.left_on >= day),
            )
        )
        return set(members)

    async def clusters_in(self, region_code: str) -> list[Row]:
        query = (
            select(q_clusters)
            .where(q_clusters.c.region_code == region_code, q_clusters.c.status == "active")
            .order_by(q_clusters.c.id)
        )
        return [dict(row) for row in (await self._session.execute(query)).mappings()]


class SqlClusterWork(ClusterWorkRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save_activity(self, row: Row) -> None:
        await upsert(self._session, q_cluster_activities, row)

    async def save_goal(self, row: Row) -> None:
        await upsert(self._session, q_cluster_goals, row)

    async def activities(
        self, *, cluster_id: str | None = None, kind: str | None = None
    ) -> list[Row]:
        query = select(q_cluster_activities).order_by(q_cluster_activities.c.id)
        if cluster_id is not None:
            query = query.where(q_cluster_activities.c.cluster_id == cluster_id)
        if kind is not None:
            query = query.where(q_cluster_activities.c.kind == kind)
        return [dict(row) for row in (await self._session.execute(query)).mappings()]

    async def goals(self, cluster_id: str) -> list[Row]:
        goals = q_cluster_goals
        latest = (
            select(goals.c.goal_id, func.max(goals.c.version).label("version"))
            .where(goals.c.cluster_id == cluster_id)
            .group_by(goals.c.goal_id)
            .subquery()
        )
        query = (
            select(goals)
            .join(
                latest,
                (goals.c.goal_id == latest.c.goal_id) & (goals.c.version == latest.c.version),
            )
            .order_by(goals.c.goal_id)
        )
        return [dict(row) for row in (await self._session.execute(query)).mappings()]

    async def is_member(self, cluster_id: str, organization_id: str) -> bool:
        found = await self._session.scalar(
            select(q_memberships.c.joined_on).where(
                q_memberships.c.cluster_id == cluster_id,
                q_memberships.c.organization_id == organization_id,
                q_memberships.c.left_on.is_(None),
            )
        )
        return found is not None

    async def flow_release(self, cohort: int) -> dict[str, Any] | None:
        return await self._session.scalar(
            select(q_flow_releases.c.document).where(q_flow_releases.c.cohort == cohort)
        )
