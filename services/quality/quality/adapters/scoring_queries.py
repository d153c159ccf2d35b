"""The read side of scoring, counted by the database: which programs make up a scope, the
employment outcomes and coverage of every program, and who owns and groups them.

A program belongs to its institution, the institution's region, the nation, and every cluster
the institution was a member of at some time in the period (joined on or before 31 December,
not left before 1 January).

A cohort is the active graduates of one graduation year; graduation is taken as 30 June of that
year (the registry keeps the year only). A graduate is "employed within 12 months" when one of
their employments started by 30 June of the next year and had not ended before graduation;
"in field" when such an employment is marked as in the graduate's field. Only employments in
the methodology's counting states count (by default confirmed and verified; never a claim
alone, a disputed or a rejected one).
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, Select, Table, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from quality.adapters.repositories import ScoringQueries
from quality.adapters.tables import (
    q_clusters,
    q_employments,
    q_graduates,
    q_memberships,
    q_organizations,
    q_programs,
)
from quality.domain.model import Scope, ScopeKey
from quality.domain.scorecard import OutcomeCounts


def member_during(first_year: int, last_year: int) -> ColumnElement[bool]:
    """Memberships overlapping the years ``first_year``..``last_year``."""
    return and_(
        q_memberships.c.joined_on <= date(last_year, 12, 31),
        or_(q_memberships.c.left_on.is_(None), q_memberships.c.left_on >= date(first_year, 1, 1)),
    )


def programs_in(
    scope: str, scope_id: str, *, first_year: int, last_year: int
) -> Select[tuple[str]]:
    """A query of the ids of the programs a scope is made of."""
    ids = select(q_programs.c.id)
    if scope == "program":
        return ids.where(q_programs.c.id == scope_id)
    if scope == "organization":
        return ids.where(q_programs.c.institution_id == scope_id)
    if scope == "region":
        in_region = select(q_organizations.c.id).where(q_organizations.c.region_code == scope_id)
        return ids.where(q_programs.c.institution_id.in_(in_region))
    if scope == "cluster":
        members = select(q_memberships.c.organization_id).where(
            q_memberships.c.cluster_id == scope_id, member_during(first_year, last_year)
        )
        return ids.where(q_programs.c.institution_id.in_(members))
    if scope == "national":
        return ids
    raise ValueError(f"unknown scope {scope!r}")


def _employed_within_a_year(
    cohort: int, *, in_field: bool, counting: Collection[str]
) -> ColumnElement[bool]:
    conditions = [
        q_employments.c.graduate_id == q_graduates.c.id,
        q_employments.c.state.in_(counting),
        q_employments.c.start_date <= date(cohort + 1, 6, 30),
        or_(q_employments.c.end_date.is_(None), q_employments.c.end_date >= date(cohort, 6, 30)),
    ]
    if in_field:
        conditions.append(q_employments.c.in_field.is_(True))
    return exists().where(and_(*conditions))


class SqlScoringQueries(ScoringQueries):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def scope_names(self) -> dict[ScopeKey, str]:
        names: dict[ScopeKey, str] = {}
        scopes: tuple[tuple[Scope, Table], ...] = (
            ("organization", q_organizations),
            ("cluster", q_clusters),
            ("program", q_programs),
        )
        for scope, table in scopes:
            result = await self._session.execute(
                select(table.c.id, table.c.name).where(table.c.name.is_not(None))
            )
            names.update({(scope, scope_id): name for scope_id, name in result})
        return names

    async def cohort_outcomes(
        self, cohorts: range, *, counting: Collection[str]
    ) -> dict[str, OutcomeCounts]:
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for cohort in cohorts:  # each cohort has its own 12-month window
            employed = _employed_within_a_year(cohort, in_field=False, counting=counting)
            in_field = _employed_within_a_year(cohort, in_field=True, counting=counting)
            result = await self._session.execute(
                select(
                    q_graduates.c.program_id,
                    func.count(),
                    func.count().filter(employed),
                    func.count().filter(in_field),
                )
                .where(q_graduates.c.graduation_year == cohort, q_graduates.c.active.is_(True))
                .group_by(q_graduates.c.program_id)
            )
            for program_id, *counts in result:
                totals[program_id] = [
                    a + b for a, b in zip(totals[program_id], counts, strict=True)
                ]
        return {
            program_id: OutcomeCounts(graduates=g, employed_12m=e, employed_in_field=f)
            for program_id, (g, e, f) in totals.items()
        }

    async def covered_graduates(self, cohorts: range) -> dict[str, set[str]]:
        result = await self._session.execute(
            select(q_graduates.c.program_id, q_graduates.c.id).where(
                q_graduates.c.graduation_year.between(cohorts[0], cohorts[-1]),
                q_graduates.c.active.is_(True),
            )
        )
        covered: dict[str, set[str]] = defaultdict(set)
        for program_id, graduate_id in result:
            covered[program_id].add(graduate_id)
        return covered

    async def program_owners(self) -> dict[str, str]:
        result = await self._session.execute(select(q_programs.c.id, q_programs.c.institution_id))
        return {program_id: owner for program_id, owner in result}

    async def organization_regions(self) -> dict[str, str]:
        result = await self._session.execute(
            select(q_organizations.c.id, q_organizations.c.region_code)
        )
        return {organization_id: region for organization_id, region in result}

    async def cluster_members(self, years: range) -> list[tuple[str, str]]:
        result = await self._session.execute(
            select(q_memberships.c.cluster_id, q_memberships.c.organization_id).where(
                member_during(years[0], years[-1])
            )
        )
        return [(cluster_id, organization_id) for cluster_id, organization_id in result]

    async def comparison_groups(
        self, cluster_id: str, *, region_code: str, years: range
    ) -> tuple[set[str], set[str]]:
        members = programs_in("cluster", cluster_id, first_year=years[0], last_year=years[-1])
        member_institutions = select(q_programs.c.institution_id).where(
            q_programs.c.id.in_(members)
        )
        fields = select(q_programs.c.field_code).where(q_programs.c.id.in_(members))
        region = select(q_organizations.c.id).where(
            q_organizations.c.region_code == region_code,
            q_organizations.c.kind == "education",
        )
        others = select(q_programs.c.id).where(
            q_programs.c.institution_id.in_(region),
            q_programs.c.institution_id.not_in(member_institutions),
            q_programs.c.field_code.in_(fields),
        )
        return (
            set(await self._session.scalars(members)),
            set(await self._session.scalars(others)),
        )
