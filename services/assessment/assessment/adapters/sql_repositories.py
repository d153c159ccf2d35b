"""The repositories on SQLAlchemy (SQLite or PostgreSQL), one session per unit of work."""

from collections.abc import Callable, Collection, Sequence
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, CursorResult, Table, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assessment.adapters.read_ahead import ReadAhead
from assessment.adapters.repositories import (
    AssessmentFilter,
    AssessmentRepository,
    FrameworkRepository,
    RegistryFactsRepository,
    RequirementFilter,
    RequirementRepository,
)
from assessment.adapters.tables import (
    assessment_revisions,
    assessments,
    frameworks,
    projected_clusters,
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
    requirements,
)
from assessment.domain.access import RequirementScope
from assessment.domain.eligibility import Employment
from assessment.domain.model import (
    Assessment,
    AssessmentRevision,
    Cluster,
    Framework,
    Graduate,
    Organization,
    Program,
    Requirement,
)
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES
from shared.contracts.integrity import Confirmation
from shared.platform.db.keyset import Page, fetch_page
from shared.platform.db.queries import find_one

T = TypeVar("T")


async def _by_id(
    session: AsyncSession, table: Table, ids: Collection[str], make: Callable[..., T]
) -> dict[str, T | None]:
    """Each of ``ids`` → its row of ``table`` made into a record, or None: one query."""
    found: dict[str, T | None] = dict.fromkeys(ids)
    rows = await session.execute(select(table).where(table.c.id.in_(sorted(found))))
    for row in rows.mappings():
        found[row["id"]] = make(**row)
    return found


def _values(record: Any) -> dict[str, Any]:
    """A record's fields as a row's values. Shallow: ``asdict`` deep-copies every rating dict
    and history state, a hot spot of a submission."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _equal(pairs: tuple[tuple[Any, Any], ...]) -> list[ColumnElement[bool]]:
    """``column == value`` for each pair whose value is given."""
    return [column == value for column, value in pairs if value is not None]


class SqlFrameworkRepository(FrameworkRepository):
    def __init__(self, session: AsyncSession, ahead: ReadAhead | None = None) -> None:
        self.session = session
        # A published framework never changes: one read per unit of work (a bulk submission
        # checks each of its items against the same one).
        self._known = (ahead or ReadAhead()).frameworks

    async def add(self, framework: Framework) -> None:
        await self.session.execute(frameworks.insert().values(**_values(framework)))

    async def get(self, framework_id: str) -> Framework | None:
        if framework_id in self._known:
            return self._known[framework_id]
        row = await find_one(self.session, frameworks, framework_id)
        if row is None:
            return None
        framework = self._known[framework_id] = Framework(**row)
        return framework

    async def find_version(self, code: str, version: int) -> Framework | None:
        query = select(frameworks).where(frameworks.c.code == code, frameworks.c.version == version)
        row = (await self.session.execute(query)).mappings().first()
        return Framework(**row) if row is not None else None

    async def latest_version(self, code: str) -> int:
        query = select(func.max(frameworks.c.version)).where(frameworks.c.code == code)
        return await self.session.scalar(query) or 0

    async def page(self, *, limit: int, cursor: str | None) -> Page[Framework]:
        page = await fetch_page(self.session, frameworks, filters=[], limit=limit, cursor=cursor)
        return Page(items=[Framework(**r) for r in page.items], next_cursor=page.next_cursor)


class SqlRequirementRepository(RequirementRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _series(self, owner_key: str, target_key: str) -> list[ColumnElement[bool]]:
        return [requirements.c.owner_key == owner_key, requirements.c.target_key == target_key]

    async def add(self, requirement: Requirement) -> None:
        await self.session.execute(requirements.insert().values(**_values(requirement)))

    async def get(self, requirement_id: str) -> Requirement | None:
        row = await find_one(self.session, requirements, requirement_id)
        return Requirement(**row) if row is not None else None

    async def latest_version(self, owner_key: str, target_key: str) -> int:
        query = select(func.max(requirements.c.version)).where(*self._series(owner_key, target_key))
        return await self.session.scalar(query) or 0

    async def supersede(self, owner_key: str, target_key: str) -> None:
        await self.session.execute(
            update(requirements).where(*self._series(owner_key, target_key)).values(current=False)
        )

    async def page(
        self, scope: RequirementScope, where: RequirementFilter, *, limit: int, cursor: str | None
    ) -> Page[Requirement]:
        c = requirements.c
        filters = _equal(
            (
                (c.employer_id, where.employer_id),
                (c.cluster_id, where.cluster_id),
                (c.field_code, where.field_code),
                (c.program_id, where.program_id),
            )
        )
        if not scope.everything:
            filters.append(
                or_(c.employer_id == scope.employer_id, c.cluster_id.in_(sorted(scope.cluster_ids)))
            )
        if not where.include_superseded:
            filters.append(c.current.is_(True))
        page = await fetch_page(
            self.session, requirements, filters=filters, limit=limit, cursor=cursor
        )
        return Page(items=[Requirement(**r) for r in page.items], next_cursor=page.next_cursor)


class SqlAssessmentRepository(AssessmentRepository):
    def __init__(self, session: AsyncSession, ahead: ReadAhead | None = None) -> None:
        self.session = session
        # (employer, graduate, period) → its active assessment's id, read ahead for checks.
        self._twins_ahead = (ahead or ReadAhead()).twins

    async def add_many(self, new: Sequence[Assessment]) -> None:
        if new:
            await self.session.execute(assessments.insert(), [_values(a) for a in new])

    async def get(self, assessment_id: str) -> Assessment | None:
        row = await find_one(self.session, assessments, assessment_id)
        return Assessment(**row) if row is not None else None

    async def update(self, assessment: Assessment, *, expected_revision: int) -> bool:
        values = _values(assessment)
        del values["id"]
        result = await self.session.execute(
            assessments.update()
            .where(assessments.c.id == assessment.id, assessments.c.revision == expected_revision)
            .values(**values)
        )
        # An UPDATE's result is a cursor result: it knows how many rows matched.
        assert isinstance(result, CursorResult)
        return result.rowcount == 1

    async def active_twin(self, *, employer_id: str, graduate_id: str, period: int) -> str | None:
        if (key := (employer_id, graduate_id, period)) in self._twins_ahead:
            return self._twins_ahead[key]
        return await self.session.scalar(
            select(assessments.c.id).where(
                assessments.c.employer_id == employer_id,
                assessments.c.graduate_id == graduate_id,
                assessments.c.period == period,
                assessments.c.status == "active",
            )
        )

    async def read_twins_ahead(self, keys: Collection[tuple[str, str, int]]) -> None:
        wanted: dict[tuple[str, str, int], str | None] = dict.fromkeys(keys)
        c = assessments.c
        rows = await self.session.execute(
            select(c.id, c.employer_id, c.graduate_id, c.period).where(
                c.employer_id.in_(sorted({k[0] for k in wanted})),
                c.graduate_id.in_(sorted({k[1] for k in wanted})),
                c.period.in_(sorted({k[2] for k in wanted})),
                c.status == "active",
            )
        )
        for row in rows:
            if (key := (row.employer_id, row.graduate_id, row.period)) in wanted:
                wanted[key] = row.id
        self._twins_ahead.update(wanted)

    async def page_of_employer(
        self, employer_id: str, where: AssessmentFilter, *, limit: int, cursor: str | None
    ) -> Page[Assessment]:
        c = assessments.c
        filters = [
            c.employer_id == employer_id,
            *_equal(
                (
                    (c.period, where.period),
                    (c.graduate_id, where.graduate_id),
                    (c.status, where.status),
                )
            ),
        ]
        page = await fetch_page(
            self.session, assessments, filters=filters, limit=limit, cursor=cursor
        )
        return Page(items=[Assessment(**r) for r in page.items], next_cursor=page.next_cursor)

    async def active_of_program(self, program_id: str, *, period: int | None) -> list[Assessment]:
        query = select(assessments).where(
            assessments.c.program_id == program_id, assessments.c.status == "active"
        )
        if period is not None:
            query = query.where(assessments.c.period == period)
        return [Assessment(**r) for r in (await self.session.execute(query)).mappings()]

    async def active_of_period(self, period: int) -> list[Assessment]:
        query = select(assessments).where(
            assessments.c.period == period, assessments.c.status == "active"
        )
        return [Assessment(**r) for r in (await self.session.execute(query)).mappings()]

    async def active_of_employee(self, *, employer_id: str, graduate_id: str) -> list[Assessment]:
        query = select(assessments).where(
            assessments.c.employer_id == employer_id,
            assessments.c.graduate_id == graduate_id,
            assessments.c.status == "active",
        )
        return [Assessment(**r) for r in (await self.session.execute(query)).mappings()]

    async def add_revisions(self, revisions: Sequence[AssessmentRevision]) -> None:
        if revisions:
            await self.session.execute(
                assessment_revisions.insert(), [_values(r) for r in revisions]
            )

    async def history(self, assessment_id: str) -> list[AssessmentRevision]:
        result = await self.session.execute(
            select(assessment_revisions)
            .where(assessment_revisions.c.assessment_id == assessment_id)
            .order_by(assessment_revisions.c.revision)
        )
        return [AssessmentRevision(**r) for r in result.mappings()]


class SqlRegistryFactsRepository(RegistryFactsRepository):
    def __init__(self, session: AsyncSession, ahead: ReadAhead | None = None) -> None:
        self.session = session
        # Facts read ahead for checks (read_ahead): the single reads answer from these.
        ahead = ahead or ReadAhead()
        self._organizations = ahead.organizations
        self._programs = ahead.programs
        self._graduates = ahead.graduates
        self._employments = ahead.employments

    async def organization(self, organization_id: str) -> Organization | None:
        if organization_id in self._organizations:
            return self._organizations[organization_id]
        row = await find_one(self.session, projected_organizations, organization_id)
        return Organization(**row) if row is not None else None

    async def program(self, program_id: str) -> Program | None:
        if program_id in self._programs:
            return self._programs[program_id]
        row = await find_one(self.session, projected_programs, program_id)
        return Program(**row) if row is not None else None

    async def graduate(self, graduate_id: str) -> Graduate | None:
        if graduate_id in self._graduates:
            return self._graduates[graduate_id]
        row = await find_one(self.session, projected_graduates, graduate_id)
        return Graduate(**row) if row is not None else None

    async def read_ahead(
        self, *, organization_ids: Collection[str], graduate_ids: Collection[str]
    ) -> None:
        session = self.session
        self._organizations.update(
            await _by_id(session, projected_organizations, organization_ids, Organization)
        )
        graduates = await _by_id(session, projected_graduates, graduate_ids, Graduate)
        self._graduates.update(graduates)
        programs = {g.program_id for g in graduates.values() if g is not None}
        self._programs.update(await _by_id(session, projected_programs, programs, Program))
        c = projected_employments.c
        employments: dict[tuple[str, str], list[Employment]] = {
            (e, g): [] for e in organization_ids for g in graduate_ids
        }
        rows = await session.execute(
            select(c.employer_id, c.graduate_id, c.start_date, c.end_date, c.state).where(
                c.employer_id.in_(sorted(organization_ids)),
                c.graduate_id.in_(sorted(graduate_ids)),
            )
        )
        for r in rows:
            employments[(r.employer_id, r.graduate_id)].append(
                Employment(start_date=r.start_date, end_date=r.end_date, state=r.state)
            )
        self._employments.update(employments)

    async def cluster(self, cluster_id: str) -> Cluster | None:
        row = await find_one(self.session, projected_clusters, cluster_id)
        return Cluster(**row) if row is not None else None

    async def clusters_coordinated_by(self, organization_id: str) -> frozenset[str]:
        result = await self.session.scalars(
            select(projected_clusters.c.id).where(
                projected_clusters.c.coordinator_id == organization_id
            )
        )
        return frozenset(result)

    async def employments(self, *, employer_id: str, graduate_id: str) -> list[Employment]:
        if (employer_id, graduate_id) in self._employments:
            return list(self._employments[(employer_id, graduate_id)])
        c = projected_employments.c
        result = await self.session.execute(
            select(c.start_date, c.end_date, c.state).where(
                c.employer_id == employer_id, c.graduate_id == graduate_id
            )
        )
        return [
            Employment(start_date=r.start_date, end_date=r.end_date, state=r.state) for r in result
        ]

    async def confirmations(self, *, period: int) -> list[Confirmation]:
        c = projected_employments.c
        result = await self.session.execute(
            select(c.employer_id, c.graduate_id, c.state, c.changed_by).where(
                c.state.in_(COUNTING_EMPLOYMENT_STATES),
                c.start_date <= date(period, 12, 31),
                or_(c.end_date.is_(None), c.end_date >= date(period, 1, 1)),
            )
        )
        return [
            Confirmation(
                employer_id=r.employer_id,
                graduate_id=r.graduate_id,
                state=r.state,
                changed_by=r.changed_by,
            )
            for r in result
        ]
