"""SQL implementations of the registry's repositories (adapters/repositories.py) on one session.

Lists page with the one keyset helper (``shared.platform.db.keyset.fetch_page``); the
graduates' bulk methods use executemany, the fast path of the CSV import.
"""

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Table, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.adapters import tables
from registry.adapters.repositories import (
    ActivityRepository,
    AuditLog,
    ClusterRepository,
    EmploymentRepository,
    GoalRepository,
    GraduateRepository,
    MembershipRepository,
    OrganizationRepository,
    ProgramRepository,
    RegionRepository,
    Repository,
    VisibleRepository,
)
from registry.domain.access import ReadScope
from registry.domain.activities import outcome_of
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
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES
from shared.contracts.reference import Region
from shared.platform.db.keyset import Page, fetch_page
from shared.platform.db.queries import find_one, now

E = TypeVar("E")


class SqlRepository(Repository[E], Generic[E]):
    """Entities of ``entity`` stored as rows of ``table`` (same field and column names)."""

    table: Table
    entity: type[E]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> E | None:
        row = await find_one(self.session, self.table, key)
        return None if row is None else self._entity(row)

    async def add(self, item: E) -> None:
        await self.session.execute(self.table.insert().values(**self._row(item)))

    async def update(self, item: E, *, fields: Collection[str]) -> None:
        row = self._row(item)
        primary = self._primary()
        await self.session.execute(
            self.table.update()
            .where(primary == row[primary.name])
            .values({name: row[name] for name in fields})
        )

    async def page(self, *, where: Mapping[str, object], limit: int, cursor: str | None) -> Page[E]:
        return await self._page(self._matching(where), limit=limit, cursor=cursor)

    def _row(self, item: E) -> dict[str, Any]:
        return {column.name: getattr(item, column.name) for column in self.table.columns}

    def _entity(self, row: Mapping[str, Any]) -> E:
        return self.entity(**row)

    def _primary(self) -> Any:
        return next(iter(self.table.primary_key.columns))

    def _matching(self, where: Mapping[str, object]) -> list[ColumnElement[bool]]:
        return [
            self.table.c[name].is_(None) if value is None else self.table.c[name] == value
            for name, value in where.items()
        ]

    async def _page(
        self, filters: list[ColumnElement[bool]], *, limit: int, cursor: str | None
    ) -> Page[E]:
        page = await fetch_page(
            self.session, self.table, filters=filters, limit=limit, cursor=cursor
        )
        return Page[E].model_construct(
            items=[self._entity(row) for row in page.items], next_cursor=page.next_cursor
        )


class SqlVisibleRepository(SqlRepository[E], VisibleRepository[E]):
    """People data: a subclass says, in ``_within``, which rows a ``ReadScope`` covers."""

    def _within(self, scope: ReadScope) -> list[ColumnElement[bool]]:
        raise NotImplementedError

    async def page_within(
        self, scope: ReadScope, *, where: Mapping[str, object], limit: int, cursor: str | None
    ) -> Page[E]:
        filters = [*self._within(scope), *self._matching(where)]
        return await self._page(filters, limit=limit, cursor=cursor)

    async def is_within(self, key: str, scope: ReadScope) -> bool:
        if scope.everything:
            return True
        primary = self._primary()
        found = await self.session.scalar(
            select(primary).where(primary == key, *self._within(scope))
        )
        return found is not None

    async def among_within(self, keys: Collection[str], scope: ReadScope) -> frozenset[str]:
        if not keys:
            return frozenset()
        primary = self._primary()
        found = await self.session.scalars(
            select(primary).where(primary.in_(keys), *self._within(scope))
        )
        return frozenset(found)


def _institutions_in(region_code: str) -> Any:
    return select(tables.organizations.c.id).where(
        tables.organizations.c.region_code == region_code
    )


class SqlRegionRepository(RegionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> Region | None:
        row = await find_one(self.session, tables.regions, code)
        return None if row is None else _region(row)

    async def listed(self, *, country: str | None) -> list[Region]:
        statement = select(tables.regions).order_by(tables.regions.c.code)
        if country:
            statement = statement.where(tables.regions.c.country == country)
        return [_region(row) for row in (await self.session.execute(statement)).mappings()]

    async def add(self, region: Region) -> None:
        at = now()
        await self.session.execute(
            tables.regions.insert().values(**_region_row(region), created_at=at, updated_at=at)
        )

    async def rename(self, region: Region) -> None:
        await self.session.execute(
            tables.regions.update()
            .where(tables.regions.c.code == region.code)
            .values(**_region_row(region), updated_at=now())
        )

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(tables.regions)) or 0


def _region(row: Mapping[Any, Any]) -> Region:
    return Region(**{f.name: row[f.name] for f in fields(Region)})


def _region_row(region: Region) -> dict[str, Any]:
    return {f.name: getattr(region, f.name) for f in fields(Region)}


class SqlOrganizationRepository(SqlRepository[Organization], OrganizationRepository):
    table, entity = tables.organizations, Organization

    async def holder_of_tax_id(self, tax_id: str) -> str | None:
        return await self.session.scalar(
            select(self.table.c.id).where(self.table.c.tax_id == tax_id)
        )

    async def ids_of_tax_ids(self, tax_ids: Collection[str]) -> dict[str, str]:
        c = self.table.c
        result = await self.session.execute(select(c.tax_id, c.id).where(c.tax_id.in_(tax_ids)))
        return {tax_id: id_ for tax_id, id_ in result}


class SqlClusterRepository(SqlRepository[Cluster], ClusterRepository):
    table, entity = tables.clusters, Cluster


class SqlMembershipRepository(SqlRepository[Membership], MembershipRepository):
    table, entity = tables.cluster_members, Membership

    async def current(self, cluster_id: str, organization_id: str) -> Membership | None:
        where = {"cluster_id": cluster_id, "organization_id": organization_id, "left_on": None}
        statement = select(self.table).where(*self._matching(where))
        row = (await self.session.execute(statement)).mappings().first()
        return None if row is None else Membership(**row)

    async def members_coordinated_by(self, organization_id: str) -> frozenset[str]:
        members, clusters = self.table.c, tables.clusters.c
        coordinated = select(clusters.id).where(clusters.coordinator_id == organization_id)
        result = await self.session.scalars(
            select(members.organization_id).where(
                members.cluster_id.in_(coordinated), members.left_on.is_(None)
            )
        )
        return frozenset(result)


class SqlActivityRepository(SqlRepository[Activity], ActivityRepository):
    table, entity = tables.cluster_activities, Activity

    def _row(self, item: Activity) -> dict[str, Any]:
        return {**super()._row(item), "outcome": item.outcome.model_dump(mode="json")}

    def _entity(self, row: Mapping[str, Any]) -> Activity:
        return Activity(**{**row, "outcome": outcome_of(row["outcome"])})


class SqlGoalRepository(SqlRepository[Goal], GoalRepository):
    """The goal as it stands in ``cluster_goals``; each version written also goes into
    ``cluster_goal_versions`` (the goal's id as ``goal_id``)."""

    table, entity = tables.cluster_goals, Goal
    history = tables.cluster_goal_versions

    async def add(self, item: Goal) -> None:
        await super().add(item)
        await self._keep_version(item)

    async def update(self, item: Goal, *, fields: Collection[str]) -> None:
        await super().update(item, fields=fields)
        await self._keep_version(item)

    async def versions(self, goal_id: str, *, limit: int, cursor: str | None) -> Page[Goal]:
        key = self.history.c.version
        page = await fetch_page(
            self.session,
            self.history,
            filters=[self.history.c.goal_id == goal_id],
            limit=limit,
            cursor=cursor,
            key=key,
            key_type=int,
        )
        for row in page.items:
            row["id"] = row.pop("goal_id")
        items = [self._entity(row) for row in page.items]
        return Page[Goal].model_construct(items=items, next_cursor=page.next_cursor)

    async def _keep_version(self, item: Goal) -> None:
        row = self._row(item)
        await self.session.execute(self.history.insert().values(goal_id=row.pop("id"), **row))

    def _row(self, item: Goal) -> dict[str, Any]:
        return {**super()._row(item), "target": str(item.target)}

    def _entity(self, row: Mapping[str, Any]) -> Goal:
        return Goal(**{**row, "target": Decimal(row["target"])})


class SqlProgramRepository(SqlRepository[Program], ProgramRepository):
    table, entity = tables.programs, Program

    async def id_of_code(self, institution_id: str, code: str) -> str | None:
        return await self.session.scalar(
            select(self.table.c.id).where(
                self.table.c.institution_id == institution_id, self.table.c.code == code
            )
        )

    async def activity(self, institution_id: str) -> dict[str, bool]:
        result = await self.session.execute(
            select(self.table.c.id, self.table.c.active).where(
                self.table.c.institution_id == institution_id
            )
        )
        return {row.id: row.active for row in result}


class SqlGraduateRepository(SqlVisibleRepository[Graduate], GraduateRepository):
    table, entity = tables.graduates, Graduate

    def _within(self, scope: ReadScope) -> list[ColumnElement[bool]]:
        graduates, employments = self.table, tables.employments
        if scope.by == "institution":
            return [graduates.c.institution_id == scope.key]
        if scope.by == "region":
            return [graduates.c.institution_id.in_(_institutions_in(scope.key))]
        if scope.by == "employer":
            employed = select(employments.c.graduate_id).where(
                employments.c.employer_id == scope.key,
                employments.c.state.in_(COUNTING_EMPLOYMENT_STATES),
                or_(employments.c.end_date.is_(None), employments.c.end_date >= scope.since),
            )
            return [graduates.c.id.in_(employed)]
        return []

    async def by_student_refs(
        self, institution_id: str, student_refs: Collection[str]
    ) -> dict[str, Graduate]:
        c = self.table.c
        statement = select(self.table).where(
            c.institution_id == institution_id, c.student_ref.in_(student_refs)
        )
        rows = (await self.session.execute(statement)).mappings()
        return {row["student_ref"]: Graduate(**row) for row in rows}

    async def by_person_keys(self, person_keys: Collection[str]) -> dict[str, list[Graduate]]:
        found: dict[str, list[Graduate]] = {}
        if person_keys:
            statement = select(self.table).where(self.table.c.person_key.in_(person_keys))
            for row in (await self.session.execute(statement)).mappings():
                found.setdefault(row["person_key"], []).append(Graduate(**row))
        return found

    async def id_of_student_ref(self, institution_id: str, student_ref: str) -> str | None:
        return await self.session.scalar(
            select(self.table.c.id).where(
                self.table.c.institution_id == institution_id,
                self.table.c.student_ref == student_ref,
            )
        )

    async def counts_within(
        self, scope: ReadScope, *, institution_id: str
    ) -> dict[tuple[str, int], int]:
        # ix_graduates_cohorts holds all three columns: the count reads the index alone.
        c = self.table.c
        statement = (
            select(c.program_id, c.graduation_year, func.count())
            .where(c.institution_id == institution_id, *self._within(scope))
            .group_by(c.program_id, c.graduation_year)
        )
        result = await self.session.execute(statement)
        return {(program_id, year): count for program_id, year, count in result}

    async def of_institution(self, institution_id: str) -> AsyncIterator[Graduate]:
        statement = select(self.table).where(self.table.c.institution_id == institution_id)
        stream = await self.session.stream(statement.execution_options(yield_per=5000))
        async for partition in stream.mappings().partitions():
            for row in partition:
                yield Graduate(**row)

    async def add_many(self, items: Sequence[Graduate]) -> None:
        if items:
            await self.session.execute(self.table.insert(), [self._row(g) for g in items])

    async def update_many(self, items: Sequence[Graduate]) -> None:
        if not items:
            return
        await self.session.execute(
            self.table.update()
            .where(self.table.c.id == bindparam("gid"))
            .values(
                program_id=bindparam("pid"),
                graduation_year=bindparam("year"),
                full_name=bindparam("name"),
                person_key=bindparam("pkey"),
                updated_at=bindparam("at"),
            ),
            [
                {
                    "gid": g.id,
                    "pid": g.program_id,
                    "year": g.graduation_year,
                    "name": g.full_name,
                    "pkey": g.person_key,
                    "at": g.updated_at,
                }
                for g in items
            ],
        )


class SqlEmploymentRepository(SqlVisibleRepository[Employment], EmploymentRepository):
    table, entity = tables.employments, Employment

    def _within(self, scope: ReadScope) -> list[ColumnElement[bool]]:
        employments, graduates = self.table, tables.graduates
        if scope.by == "employer":
            return [employments.c.employer_id == scope.key]
        if scope.by == "institution":
            own = select(graduates.c.id).where(graduates.c.institution_id == scope.key)
            return [employments.c.graduate_id.in_(own)]
        if scope.by == "region":
            own = select(graduates.c.id).where(
                graduates.c.institution_id.in_(_institutions_in(scope.key))
            )
            return [employments.c.graduate_id.in_(own)]
        return []

    async def save_code(self, employment_id: str, code_hash: str, expires_at: datetime) -> None:
        await self.session.execute(
            tables.employment_codes.insert().values(
                code_hash=code_hash, employment_id=employment_id, expires_at=expires_at
            )
        )

    async def redeem_code(self, code_hash: str, at: datetime) -> str | None:
        codes = tables.employment_codes
        # One statement: of two requests spending the same code, only one updates its row.
        spent = await self.session.execute(
            codes.update()
            .where(
                codes.c.code_hash == code_hash, codes.c.used_at.is_(None), codes.c.expires_at > at
            )
            .values(used_at=at)
            .returning(codes.c.employment_id)
        )
        employment_id: str | None = spent.scalar_one_or_none()
        return employment_id

    async def between(self, graduate_id: str, employer_id: str) -> list[Employment]:
        where = {"graduate_id": graduate_id, "employer_id": employer_id}
        statement = select(self.table).where(*self._matching(where))
        return [Employment(**row) for row in (await self.session.execute(statement)).mappings()]

    async def of_graduates(self, graduate_ids: Collection[str]) -> list[Employment]:
        statement = select(self.table).where(self.table.c.graduate_id.in_(graduate_ids))
        return [Employment(**row) for row in (await self.session.execute(statement)).mappings()]

    async def add_many(self, items: Sequence[Employment]) -> None:
        if items:
            await self.session.execute(self.table.insert(), [self._row(e) for e in items])


class SqlAuditLog(AuditLog):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_times(self, subject: str, *, limit: int) -> list[datetime]:
        c = tables.audit_trail.c  # ix_audit_trail_subject (subject, seq): reads ``limit`` rows
        statement = select(c.at).where(c.subject == subject).order_by(c.seq.desc()).limit(limit)
        return list(await self.session.scalars(statement))
