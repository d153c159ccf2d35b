"""In-memory fakes of the registry's ports: its repositories and its unit of work.

The repositories subclass the registry's abstract ones (the real ports) and keep entities in
dicts shared by one ``RegistryState``, so a scope check can look across them the way the SQL
one joins tables. Nothing here is transactional: a test commits as a route would.
"""

from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from registry.adapters.repositories import (
    ClusterRepository,
    EmploymentRepository,
    GraduateRepository,
    MembershipRepository,
    OrganizationRepository,
    ProgramRepository,
    RegionRepository,
    Repository,
    VisibleRepository,
)
from registry.domain.access import ReadScope
from registry.domain.model import (
    Cluster,
    Employment,
    Graduate,
    Membership,
    Organization,
    Program,
)
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork

from shared.contracts.reference import Region
from shared.platform.db.keyset import Page, decode_cursor, encode_cursor
from tests.unit.fakes import FakeUnitOfWork

E = TypeVar("E", Cluster, Employment, Graduate, Membership, Organization, Program)


@dataclass
class RegistryState:
    """Everything the fake registry stores, by id (regions by code)."""

    regions: dict[str, Region] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    graduates: dict[str, Graduate] = field(default_factory=dict)
    employments: dict[str, Employment] = field(default_factory=dict)


def _matches(item: Any, where: Mapping[str, object]) -> bool:
    return all(getattr(item, name) == value for name, value in where.items())


def _page(items: list[E], *, limit: int, cursor: str | None) -> Page[E]:
    """Id order after the cursor, like the SQL lists (and with their cursors)."""
    after = decode_cursor(cursor)
    rest = sorted((i for i in items if after is None or i.id > after), key=lambda i: i.id)
    chosen = rest[:limit]
    more = len(rest) > limit
    return Page[E].model_construct(
        items=chosen, next_cursor=encode_cursor(chosen[-1].id) if more else None
    )


class InMemoryRepository(Repository[E], Generic[E]):
    def __init__(self, items: dict[str, E]) -> None:
        self.items = items

    async def get(self, key: str) -> E | None:
        return self.items.get(key)

    async def add(self, item: E) -> None:
        assert item.id not in self.items, f"{item.id} stored twice"
        self.items[item.id] = item

    async def update(self, item: E, *, fields: Collection[str]) -> None:
        stored = self.items[item.id]
        self.items[item.id] = replace(stored, **{name: getattr(item, name) for name in fields})

    async def page(self, *, where: Mapping[str, object], limit: int, cursor: str | None) -> Page[E]:
        found = [i for i in self.items.values() if _matches(i, where)]
        return _page(found, limit=limit, cursor=cursor)


class InMemoryVisibleRepository(InMemoryRepository[E], VisibleRepository[E]):
    def __init__(self, items: dict[str, E], *, covers: Callable[[E, ReadScope], bool]) -> None:
        super().__init__(items)
        self._covers = covers

    async def page_within(
        self, scope: ReadScope, *, where: Mapping[str, object], limit: int, cursor: str | None
    ) -> Page[E]:
        found = [i for i in self.items.values() if _matches(i, where) and self._covered(i, scope)]
        return _page(found, limit=limit, cursor=cursor)

    async def is_within(self, key: str, scope: ReadScope) -> bool:
        return key in self.items and self._covered(self.items[key], scope)

    def _covered(self, item: E, scope: ReadScope) -> bool:
        return scope.everything or self._covers(item, scope)


class FakeRegionRepository(RegionRepository):
    def __init__(self, items: dict[str, Region]) -> None:
        self.items = items

    async def get(self, code: str) -> Region | None:
        return self.items.get(code)

    async def listed(self, *, country: str | None) -> list[Region]:
        return sorted(
            (r for r in self.items.values() if country is None or r.country == country),
            key=lambda r: r.code,
        )

    async def add(self, region: Region) -> None:
        self.items[region.code] = region

    async def rename(self, region: Region) -> None:
        self.items[region.code] = region

    async def count(self) -> int:
        return len(self.items)


class FakeOrganizationRepository(InMemoryRepository[Organization], OrganizationRepository):
    async def holder_of_tax_id(self, tax_id: str) -> str | None:
        return next((o.id for o in self.items.values() if o.tax_id == tax_id), None)

    async def ids_of_tax_ids(self, tax_ids: Collection[str]) -> dict[str, str]:
        return {o.tax_id: o.id for o in self.items.values() if o.tax_id in tax_ids}


class FakeClusterRepository(InMemoryRepository[Cluster], ClusterRepository):
    pass


class FakeMembershipRepository(InMemoryRepository[Membership], MembershipRepository):
    def __init__(self, items: dict[str, Membership], *, clusters: dict[str, Cluster]) -> None:
        super().__init__(items)
        self.clusters = clusters

    async def members_coordinated_by(self, organization_id: str) -> frozenset[str]:
        return frozenset(
            m.organization_id
            for m in self.items.values()
            if m.left_on is None and self.clusters[m.cluster_id].coordinator_id == organization_id
        )

    async def current(self, cluster_id: str, organization_id: str) -> Membership | None:
        where = {"cluster_id": cluster_id, "organization_id": organization_id, "left_on": None}
        return next((m for m in self.items.values() if _matches(m, where)), None)


class FakeProgramRepository(InMemoryRepository[Program], ProgramRepository):
    async def id_of_code(self, institution_id: str, code: str) -> str | None:
        where = {"institution_id": institution_id, "code": code}
        return next((p.id for p in self.items.values() if _matches(p, where)), None)

    async def activity(self, institution_id: str) -> dict[str, bool]:
        return {p.id: p.active for p in self.items.values() if p.institution_id == institution_id}


class FakeGraduateRepository(InMemoryVisibleRepository[Graduate], GraduateRepository):
    async def by_student_refs(
        self, institution_id: str, student_refs: Collection[str]
    ) -> dict[str, Graduate]:
        return {
            g.student_ref: g
            for g in self.items.values()
            if g.institution_id == institution_id and g.student_ref in student_refs
        }

    async def by_person_keys(self, person_keys: Collection[str]) -> dict[str, list[Graduate]]:
        found: dict[str, list[Graduate]] = {}
        for graduate in self.items.values():
            if graduate.person_key is not None and graduate.person_key in person_keys:
                found.setdefault(graduate.person_key, []).append(graduate)
        return found

    async def id_of_student_ref(self, institution_id: str, student_ref: str) -> str | None:
        where = {"institution_id": institution_id, "student_ref": student_ref}
        return next((g.id for g in self.items.values() if _matches(g, where)), None)

    async def of_institution(self, institution_id: str) -> AsyncIterator[Graduate]:
        for graduate in list(self.items.values()):
            if graduate.institution_id == institution_id:
                yield graduate

    async def add_many(self, items: Sequence[Graduate]) -> None:
        for graduate in items:
            await self.add(graduate)

    async def update_many(self, items: Sequence[Graduate]) -> None:
        fields = ("program_id", "graduation_year", "full_name", "person_key", "updated_at")
        for graduate in items:
            await self.update(graduate, fields=fields)


class FakeEmploymentRepository(InMemoryVisibleRepository[Employment], EmploymentRepository):
    def __init__(self, items: dict[str, Employment], **kwargs: Any) -> None:
        super().__init__(items, **kwargs)
        self.codes: dict[str, list[Any]] = {}  # hash → [employment id, expires at, used at]

    async def save_code(self, employment_id: str, code_hash: str, expires_at: datetime) -> None:
        self.codes[code_hash] = [employment_id, expires_at, None]

    async def redeem_code(self, code_hash: str, at: datetime) -> str | None:
        code = self.codes.get(code_hash)
        if code is None or code[2] is not None or code[1] <= at:
            return None
        code[2] = at
        return str(code[0])

    async def between(self, graduate_id: str, employer_id: str) -> list[Employment]:
        where = {"graduate_id": graduate_id, "employer_id": employer_id}
        return [e for e in self.items.values() if _matches(e, where)]

    async def of_graduates(self, graduate_ids: Collection[str]) -> list[Employment]:
        return [e for e in self.items.values() if e.graduate_id in graduate_ids]

    async def add_many(self, items: Sequence[Employment]) -> None:
        for employment in items:
            await self.add(employment)


def _graduate_covered(state: RegistryState) -> Callable[[Graduate, ReadScope], bool]:
    def covers(graduate: Graduate, scope: ReadScope) -> bool:
        if scope.by == "institution":
            return graduate.institution_id == scope.key
        if scope.by == "region":
            institution = state.organizations.get(graduate.institution_id)
            return institution is not None and institution.region_code == scope.key
        employers = {
            e.employer_id
            for e in state.employments.values()
            if e.graduate_id == graduate.id
            and e.counts
            and (e.end_date is None or e.end_date >= scope.since)
        }
        return scope.key in employers

    return covers


def _employment_covered(state: RegistryState) -> Callable[[Employment, ReadScope], bool]:
    graduate_covered = _graduate_covered(state)

    def covers(employment: Employment, scope: ReadScope) -> bool:
        if scope.by == "employer":
            return employment.employer_id == scope.key
        graduate = state.graduates.get(employment.graduate_id)
        return graduate is not None and graduate_covered(graduate, scope)

    return covers


class FakeRegistryUnitOfWork(FakeUnitOfWork, AbstractRegistryUnitOfWork):
    """The registry's unit of work in memory: records what it published on commit."""

    def __init__(self, state: RegistryState | None = None) -> None:
        super().__init__()
        self.state = state = state or RegistryState()
        self.regions = FakeRegionRepository(state.regions)
        self.organizations = FakeOrganizationRepository(state.organizations)
        self.clusters = FakeClusterRepository(state.clusters)
        self.memberships = FakeMembershipRepository(state.memberships, clusters=state.clusters)
        self.programs = FakeProgramRepository(state.programs)
        self.graduates = FakeGraduateRepository(state.graduates, covers=_graduate_covered(state))
        self.employments = FakeEmploymentRepository(
            state.employments, covers=_employment_covered(state)
        )
