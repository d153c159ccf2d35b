"""The registry's repositories: the ports its use cases rely on (abstract), and their SQL
implementations (adapters/sql_repositories.py). Unit tests run the use cases on in-memory
subclasses of these ports.

Entities go in and come out (domain/model.py); ``where`` maps field names to the values rows
must have (None: the field is empty). Pages come in id order after a cursor, like every list.
"""

import abc
from collections import Counter
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from registry.domain.access import ReadScope
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
from shared.contracts.reference import Region
from shared.platform.db.keyset import Page

E = TypeVar("E")


class Repository(abc.ABC, Generic[E]):
    """Entities of one kind, by their id."""

    @abc.abstractmethod
    async def get(self, key: str) -> E | None:
        """The entity with id ``key``, or None."""

    @abc.abstractmethod
    async def add(self, item: E) -> None:
        """Store a new entity."""

    @abc.abstractmethod
    async def update(self, item: E, *, fields: Collection[str]) -> None:
        """Write ``fields`` of ``item`` over the stored entity with its id (the others stay)."""

    @abc.abstractmethod
    async def page(self, *, where: Mapping[str, object], limit: int, cursor: str | None) -> Page[E]:
        """One page of the entities matching ``where``."""


class VisibleRepository(Repository[E]):
    """People data, which each reader sees only within a ``ReadScope`` (domain/access.py)."""

    @abc.abstractmethod
    async def page_within(
        self, scope: ReadScope, *, where: Mapping[str, object], limit: int, cursor: str | None
    ) -> Page[E]:
        """One page of the entities matching ``where`` that ``scope`` lets its reader see."""

    @abc.abstractmethod
    async def is_within(self, key: str, scope: ReadScope) -> bool:
        """Whether the entity with id ``key`` is one ``scope`` lets its reader see."""

    async def among_within(self, keys: Collection[str], scope: ReadScope) -> frozenset[str]:
        """Those of ``keys`` whose entities exist and ``scope`` lets its reader see (storage
        may do it in one query)."""
        return frozenset([key for key in keys if await self.is_within(key, scope)])


class RegionRepository(abc.ABC):
    @abc.abstractmethod
    async def get(self, code: str) -> Region | None: ...

    @abc.abstractmethod
    async def listed(self, *, country: str | None) -> list[Region]:
        """Every region (of ``country``, when given), by code."""

    @abc.abstractmethod
    async def add(self, region: Region) -> None: ...

    @abc.abstractmethod
    async def rename(self, region: Region) -> None:
        """Overwrite the stored region with ``region``'s code."""

    @abc.abstractmethod
    async def count(self) -> int: ...


class OrganizationRepository(Repository[Organization]):
    @abc.abstractmethod
    async def holder_of_tax_id(self, tax_id: str) -> str | None:
        """The id of the organization registered with ``tax_id``, or None."""

    @abc.abstractmethod
    async def ids_of_tax_ids(self, tax_ids: Collection[str]) -> dict[str, str]:
        """Taxpayer id → organization id, for those of ``tax_ids`` registered."""


class ClusterRepository(Repository[Cluster]):
    pass


class MembershipRepository(Repository[Membership]):
    @abc.abstractmethod
    async def current(self, cluster_id: str, organization_id: str) -> Membership | None:
        """The organization's membership of the cluster that has not ended, or None."""

    @abc.abstractmethod
    async def members_coordinated_by(self, organization_id: str) -> frozenset[str]:
        """The organizations that are current members of a cluster ``organization_id``
        coordinates."""


class ActivityRepository(Repository[Activity]):
    pass


class GoalRepository(Repository[Goal]):
    """Goals as they stand; ``add`` and ``update`` also keep the version they write, so every
    version stays readable."""

    @abc.abstractmethod
    async def versions(self, goal_id: str, *, limit: int, cursor: str | None) -> Page[Goal]:
        """One page of the goal's versions, oldest first."""


class ProgramRepository(Repository[Program]):
    @abc.abstractmethod
    async def id_of_code(self, institution_id: str, code: str) -> str | None:
        """The id of the institution's program with ``code``, or None."""

    @abc.abstractmethod
    async def activity(self, institution_id: str) -> dict[str, bool]:
        """The institution's program ids, each with whether it is active."""


class GraduateRepository(VisibleRepository[Graduate]):
    @abc.abstractmethod
    async def by_student_refs(
        self, institution_id: str, student_refs: Collection[str]
    ) -> dict[str, Graduate]:
        """Student reference → the institution's graduate, for those of ``student_refs`` it
        has."""

    @abc.abstractmethod
    async def by_person_keys(self, person_keys: Collection[str]) -> dict[str, list[Graduate]]:
        """Person key → the graduate records of that person (any institution)."""

    @abc.abstractmethod
    async def id_of_student_ref(self, institution_id: str, student_ref: str) -> str | None:
        """The id of the institution's graduate with ``student_ref``, or None."""

    @abc.abstractmethod
    def of_institution(self, institution_id: str) -> AsyncIterator[Graduate]:
        """Every graduate of the institution, streamed (there may be very many)."""

    @abc.abstractmethod
    async def add_many(self, items: Sequence[Graduate]) -> None:
        """Store many new graduates at once."""

    @abc.abstractmethod
    async def update_many(self, items: Sequence[Graduate]) -> None:
        """Write the program, year, name and ``updated_at`` of many graduates at once."""

    async def counts_within(
        self, scope: ReadScope, *, institution_id: str
    ) -> dict[tuple[str, int], int]:
        """(program id, graduation year) → how many of the institution's graduates ``scope``
        lets its reader see (storage counts them in one query; this reads them all)."""
        counts: Counter[tuple[str, int]] = Counter()
        cursor: str | None = None
        while True:
            where = {"institution_id": institution_id}
            page = await self.page_within(scope, where=where, limit=500, cursor=cursor)
            counts.update((g.program_id, g.graduation_year) for g in page.items)
            if page.next_cursor is None:
                return dict(counts)
            cursor = page.next_cursor


class AuditLog(abc.ABC):
    """The audit trail read back (the unit of work writes it: ``uow.audit``)."""

    @abc.abstractmethod
    async def latest_times(self, subject: str, *, limit: int) -> list[datetime]:
        """When the latest ``limit`` entries about ``subject`` were written, newest first."""


class EmploymentRepository(VisibleRepository[Employment]):
    @abc.abstractmethod
    async def save_code(self, employment_id: str, code_hash: str, expires_at: datetime) -> None:
        """Keep a confirmation code's hash for the employment (earlier codes stay valid)."""

    @abc.abstractmethod
    async def redeem_code(self, code_hash: str, at: datetime) -> str | None:
        """Spend the code: the employment it confirms, or None when the code is unknown,
        spent or expired at ``at``."""

    @abc.abstractmethod
    async def between(self, graduate_id: str, employer_id: str) -> list[Employment]:
        """Every employment of the graduate by the employer, past and current."""

    @abc.abstractmethod
    async def of_graduates(self, graduate_ids: Collection[str]) -> list[Employment]:
        """Every employment of these graduates, past and current."""

    @abc.abstractmethod
    async def add_many(self, items: Sequence[Employment]) -> None: ...
