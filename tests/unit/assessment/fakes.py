"""In-memory repositories and unit of work of the assessment service, for service-layer tests.

They subclass the real ports (assessment.adapters.repositories). A rollback restores the state
found when the unit of work was entered (or left by its last commit), so "nothing was saved"
can be checked as it would be in the database.
"""

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Self, TypeVar

from assessment.adapters.repositories import (
    AssessmentFilter,
    AssessmentRepository,
    FrameworkRepository,
    RegistryFactsRepository,
    RequirementFilter,
    RequirementRepository,
)
from assessment.domain.access import RequirementScope
from assessment.domain.eligibility import Employment, overlaps_period
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
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork

from shared.contracts.catalogue.registry import EmploymentChanger
from shared.contracts.integrity import Confirmation
from shared.platform.db.keyset import Page, decode_cursor, encode_cursor
from shared.platform.errors import Conflict
from tests.unit.fakes import FakeUnitOfWork

T = TypeVar("T")


def keyset_page(
    items: Iterable[T], *, key: Callable[[T], str], limit: int, cursor: str | None
) -> Page[T]:
    """The page ``fetch_page`` would return: ordered by key, after the cursor's key."""
    after = decode_cursor(cursor)
    ordered = sorted((i for i in items if after is None or key(i) > after), key=key)
    page = ordered[:limit]
    more = len(ordered) > limit
    return Page(items=page, next_cursor=encode_cursor(key(page[-1])) if more else None)


@dataclass
class FakeFrameworkRepository(FrameworkRepository):
    rows: dict[str, Framework] = field(default_factory=dict)

    async def add(self, framework: Framework) -> None:
        if await self.find_version(framework.code, framework.version) is not None:
            raise Conflict(f"{framework.code} version {framework.version} exists")
        self.rows[framework.id] = framework

    async def get(self, framework_id: str) -> Framework | None:
        return self.rows.get(framework_id)

    async def find_version(self, code: str, version: int) -> Framework | None:
        return next((f for f in self.rows.values() if (f.code, f.version) == (code, version)), None)

    async def latest_version(self, code: str) -> int:
        return max((f.version for f in self.rows.values() if f.code == code), default=0)

    async def page(self, *, limit: int, cursor: str | None) -> Page[Framework]:
        return keyset_page(self.rows.values(), key=lambda f: f.id, limit=limit, cursor=cursor)


@dataclass
class FakeRequirementRepository(RequirementRepository):
    rows: dict[str, Requirement] = field(default_factory=dict)

    def _series(self, owner_key: str, target_key: str) -> list[Requirement]:
        return [
            r for r in self.rows.values() if (r.owner_key, r.target_key) == (owner_key, target_key)
        ]

    async def add(self, requirement: Requirement) -> None:
        series = self._series(requirement.owner_key, requirement.target_key)
        if any(r.version == requirement.version for r in series):
            raise Conflict("this version of the series exists")  # the unique constraint
        self.rows[requirement.id] = requirement

    async def get(self, requirement_id: str) -> Requirement | None:
        return self.rows.get(requirement_id)

    async def latest_version(self, owner_key: str, target_key: str) -> int:
        return max((r.version for r in self._series(owner_key, target_key)), default=0)

    async def supersede(self, owner_key: str, target_key: str) -> None:
        for r in self._series(owner_key, target_key):
            self.rows[r.id] = replace(r, current=False)

    async def page(
        self, scope: RequirementScope, where: RequirementFilter, *, limit: int, cursor: str | None
    ) -> Page[Requirement]:
        wanted = {
            name: value
            for name in ("employer_id", "cluster_id", "field_code", "program_id")
            if (value := getattr(where, name)) is not None
        }
        matching = (
            r
            for r in self.rows.values()
            if scope.covers(r)
            and all(getattr(r, k) == v for k, v in wanted.items())
            and (r.current or where.include_superseded)
        )
        return keyset_page(matching, key=lambda r: r.id, limit=limit, cursor=cursor)


@dataclass
class FakeAssessmentRepository(AssessmentRepository):
    rows: dict[str, Assessment] = field(default_factory=dict)
    revisions: list[AssessmentRevision] = field(default_factory=list)

    async def add_many(self, new: Sequence[Assessment]) -> None:
        for assessment in new:
            twin = await self.active_twin(
                employer_id=assessment.employer_id,
                graduate_id=assessment.graduate_id,
                period=assessment.period,
            )
            if twin is not None:
                raise Conflict("one active assessment per employer, graduate and period")
            self.rows[assessment.id] = assessment

    async def get(self, assessment_id: str) -> Assessment | None:
        return self.rows.get(assessment_id)

    async def update(self, assessment: Assessment, *, expected_revision: int) -> bool:
        stored = self.rows.get(assessment.id)
        if stored is None or stored.revision != expected_revision:
            return False
        self.rows[assessment.id] = assessment
        return True

    async def active_twin(self, *, employer_id: str, graduate_id: str, period: int) -> str | None:
        key = (employer_id, graduate_id, period, "active")
        return next(
            (
                a.id
                for a in self.rows.values()
                if (a.employer_id, a.graduate_id, a.period, a.status) == key
            ),
            None,
        )

    async def page_of_employer(
        self, employer_id: str, where: AssessmentFilter, *, limit: int, cursor: str | None
    ) -> Page[Assessment]:
        matching = (
            a
            for a in self.rows.values()
            if a.employer_id == employer_id
            and where.period in (None, a.period)
            and where.graduate_id in (None, a.graduate_id)
            and where.status in (None, a.status)
        )
        return keyset_page(matching, key=lambda a: a.id, limit=limit, cursor=cursor)

    async def active_of_program(self, program_id: str, *, period: int | None) -> list[Assessment]:
        return [
            a
            for a in self.rows.values()
            if a.program_id == program_id and a.status == "active" and period in (None, a.period)
        ]

    async def active_of_period(self, period: int) -> list[Assessment]:
        return [a for a in self.rows.values() if a.status == "active" and a.period == period]

    async def active_of_employee(self, *, employer_id: str, graduate_id: str) -> list[Assessment]:
        return [
            a
            for a in self.rows.values()
            if (a.employer_id, a.graduate_id, a.status) == (employer_id, graduate_id, "active")
        ]

    async def add_revisions(self, revisions: Sequence[AssessmentRevision]) -> None:
        self.revisions.extend(revisions)

    async def history(self, assessment_id: str) -> list[AssessmentRevision]:
        return sorted(
            (r for r in self.revisions if r.assessment_id == assessment_id),
            key=lambda r: r.revision,
        )


@dataclass
class FakeRegistryFacts(RegistryFactsRepository):
    """The projection, filled by the test (the consumer that fills it in production is
    covered by the integration tests)."""

    organizations: dict[str, Organization] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    graduates: dict[str, Graduate] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    # Employment id → (employer id, graduate id, employment): the latest state of each id.
    employment_rows: dict[str, tuple[str, str, Employment]] = field(default_factory=dict)
    # Employment id → who moved it to its state (None: projected before that was kept).
    changed_by: dict[str, EmploymentChanger | None] = field(default_factory=dict)

    async def organization(self, organization_id: str) -> Organization | None:
        return self.organizations.get(organization_id)

    async def program(self, program_id: str) -> Program | None:
        return self.programs.get(program_id)

    async def graduate(self, graduate_id: str) -> Graduate | None:
        return self.graduates.get(graduate_id)

    async def cluster(self, cluster_id: str) -> Cluster | None:
        return self.clusters.get(cluster_id)

    async def clusters_coordinated_by(self, organization_id: str) -> frozenset[str]:
        return frozenset(
            c.id for c in self.clusters.values() if c.coordinator_id == organization_id
        )

    async def employments(self, *, employer_id: str, graduate_id: str) -> list[Employment]:
        return [
            e
            for who, whom, e in self.employment_rows.values()
            if (who, whom) == (employer_id, graduate_id)
        ]

    async def confirmations(self, *, period: int) -> list[Confirmation]:
        return [
            Confirmation(
                employer_id=who,
                graduate_id=whom,
                state=e.state,
                changed_by=self.changed_by.get(key),
            )
            for key, (who, whom, e) in self.employment_rows.items()
            if e.counts and overlaps_period([e], period=period)
        ]


class FakeAssessmentUnitOfWork(FakeUnitOfWork, AbstractAssessmentUnitOfWork):
    """The in-memory unit of work: what was committed stays, a rollback forgets the rest.

    The projection of registry facts is not rolled back: the use cases only read it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.frameworks = FakeFrameworkRepository()
        self.requirements = FakeRequirementRepository()
        self.assessments = FakeAssessmentRepository()
        self.facts = FakeRegistryFacts()
        self._saved = self._state()

    def _state(self) -> tuple[object, ...]:
        return copy.deepcopy((self.frameworks, self.requirements, self.assessments))

    async def __aenter__(self) -> Self:
        self._saved = self._state()  # what a transaction begun now would see
        return self

    async def commit(self) -> None:
        await super().commit()
        self._saved = self._state()

    async def rollback(self) -> None:
        await super().rollback()
        self.frameworks, self.requirements, self.assessments = copy.deepcopy(self._saved)
