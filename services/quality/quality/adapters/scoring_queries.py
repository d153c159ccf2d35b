"""The read side of scoring, counted by the database: which programs make up a scope, the
employment outcomes and coverage of every program, and who owns and groups them.

A program belongs to its institution, the institution's region, the nation, and every cluster
the institution was a member of at some time in the period (joined on or before 31 December,
not left before 1 January).

A cohort is the active graduates of one graduation year; their outcomes are taken on the
census date 12 months after graduation (domain/outcomes.py says how each graduate is
classified). Only employments in the methodology's counting states count (by default confirmed
and verified; never a claim alone, a disputed or a rejected one).
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, or_, select
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
from quality.domain.outcomes import (
    GraduateOutcome,
    HeldJob,
    OutcomeCounts,
    census_date,
    classify,
    reported_not_employed,
)


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


def _held_on(census: date, *, cohort: int, counting: Collection[str]) -> Select[Any]:
    """The employments in a counting state that graduates of ``cohort`` held on ``census``."""
    return (
        select(
            q_employments.c.graduate_id,
            q_employments.c.kind,
            q_employments.c.isco_code,
            q_employments.c.in_field,
        )
        .join(q_graduates, q_graduates.c.id == q_employments.c.graduate_id)
        .where(
            q_graduates.c.graduation_year == cohort,
            q_graduates.c.active.is_(True),
            q_employments.c.state.in_(counting),
            q_employments.c.start_date <= census,
            or_(q_employments.c.end_date.is_(None), q_employments.c.end_date >= census),
        )
    )


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
        self,
        cohorts: range,
        *,
        counting: Collection[str],
        programs: Collection[str] | None = None,
    ) -> dict[str, OutcomeCounts]:
        by_program: dict[str, list[GraduateOutcome]] = defaultdict(list)
        of_programs = [] if programs is None else [q_graduates.c.program_id.in_(programs)]
        for cohort in cohorts:  # each cohort has its own census date
            jobs: dict[str, list[HeldJob]] = defaultdict(list)
            held = await self._session.execute(
                _held_on(census_date(cohort), cohort=cohort, counting=counting).where(*of_programs)
            )
            for graduate_id, kind, isco_code, in_field in held:
                jobs[graduate_id].append(HeldJob(kind, isco_code, in_field))
            graduates = await self._session.execute(
                select(
                    q_graduates.c.id,
                    q_graduates.c.program_id,
                    q_graduates.c.follow_up_outcome,
                    q_graduates.c.follow_up_on,
                    q_programs.c.field_code,
                )
                .outerjoin(q_programs, q_programs.c.id == q_graduates.c.program_id)
                .where(
                    q_graduates.c.graduation_year == cohort,
                    q_graduates.c.active.is_(True),
                    *of_programs,
                )
            )
            for graduate_id, program_id, follow_up, followed_on, field_code in graduates:
                by_program[program_id].append(
                    classify(
                        jobs.get(graduate_id, ()),
                        field_code=field_code or "",
                        not_employed_follow_up=reported_not_employed(
                            follow_up, followed_on, cohort=cohort
                        ),
                    )
                )
        return {program_id: OutcomeCounts.of(found) for program_id, found in by_program.items()}

    async def covered_graduates(
        self, cohorts: range, programs: Collection[str] | None = None
    ) -> dict[str, set[str]]:
        of_programs = [] if programs is None else [q_graduates.c.program_id.in_(programs)]
        result = await self._session.execute(
            select(q_graduates.c.program_id, q_graduates.c.id).where(
                q_graduates.c.graduation_year.between(cohorts[0], cohorts[-1]),
                q_graduates.c.active.is_(True),
                *of_programs,
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
