"""The assessment service's repositories: the ports use cases rely on (abstract classes) here,
their SQL implementations in adapters/sql_repositories.py, in-memory fakes in the unit tests.

Lists are keyset pages ordered by id (shared.platform.db.keyset).
"""

import abc
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
    Status,
)
from assessment.domain.reminders import DeliveryKey, Due
from shared.contracts.integrity import Confirmation
from shared.platform.db.keyset import Page


@dataclass(frozen=True)
class AssessmentFilter:
    """Optional narrowing of an employer's assessments."""

    period: int | None = None
    graduate_id: str | None = None
    status: Status | None = None


@dataclass(frozen=True)
class RequirementFilter:
    """Optional narrowing of the requirements a caller sees; superseded versions only on ask."""

    employer_id: str | None = None
    cluster_id: str | None = None
    field_code: str | None = None
    program_id: str | None = None
    include_superseded: bool = False


class FrameworkRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, framework: Framework) -> None: ...

    @abc.abstractmethod
    async def get(self, framework_id: str) -> Framework | None: ...

    @abc.abstractmethod
    async def find_version(self, code: str, version: int) -> Framework | None: ...

    @abc.abstractmethod
    async def latest_version(self, code: str) -> int:
        """The highest published version of ``code``; 0 when none is."""

    @abc.abstractmethod
    async def page(self, *, limit: int, cursor: str | None) -> Page[Framework]: ...


class RequirementRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, requirement: Requirement) -> None:
        """Store a version; two of one series with the same number collide (unique violation)."""

    @abc.abstractmethod
    async def get(self, requirement_id: str) -> Requirement | None: ...

    @abc.abstractmethod
    async def latest_version(self, owner_key: str, target_key: str) -> int:
        """The highest version of the series; 0 when it has none."""

    @abc.abstractmethod
    async def supersede(self, owner_key: str, target_key: str) -> None:
        """Mark every version of the series as no longer current."""

    @abc.abstractmethod
    async def page(
        self, scope: RequirementScope, where: RequirementFilter, *, limit: int, cursor: str | None
    ) -> Page[Requirement]: ...


class AssessmentRepository(abc.ABC):
    @abc.abstractmethod
    async def add_many(self, new: Sequence[Assessment]) -> None:
        """Store new assessments (in batched statements); a second active one for the same
        employer, graduate and period collides (unique violation), however concurrent."""

    @abc.abstractmethod
    async def get(self, assessment_id: str) -> Assessment | None: ...

    @abc.abstractmethod
    async def update(self, assessment: Assessment, *, expected_revision: int) -> bool:
        """Compare-and-set: write ``assessment`` only if the stored one is still at
        ``expected_revision``; False (nothing written) when another change came first."""

    @abc.abstractmethod
    async def active_twin(self, *, employer_id: str, graduate_id: str, period: int) -> str | None:
        """The id of the active assessment for this employer, graduate and period, if any."""

    @abc.abstractmethod
    async def page_of_employer(
        self, employer_id: str, where: AssessmentFilter, *, limit: int, cursor: str | None
    ) -> Page[Assessment]: ...

    @abc.abstractmethod
    async def active_of_program(self, program_id: str, *, period: int | None) -> list[Assessment]:
        """Every active assessment of graduates of the program (of one period, if given)."""

    @abc.abstractmethod
    async def active_of_period(self, period: int) -> list[Assessment]:
        """Every active assessment of the period (the integrity checks read them all)."""

    @abc.abstractmethod
    async def active_of_employee(self, *, employer_id: str, graduate_id: str) -> list[Assessment]:
        """Every active assessment of the graduate by the employer (any period)."""

    async def read_twins_ahead(self, keys: Collection[tuple[str, str, int]]) -> None:
        """Before many ``active_twin`` reads in a unit of work that only reads (a bulk
        submission's checks): read them for these (employer, graduate, period) in one query.
        A hint: an adapter that reads each in one round trip anyway may ignore it."""
        return None

    @abc.abstractmethod
    async def add_revisions(self, revisions: Sequence[AssessmentRevision]) -> None: ...

    @abc.abstractmethod
    async def history(self, assessment_id: str) -> list[AssessmentRevision]:
        """Every state the assessment has had, oldest first."""


class RegistryFactsRepository(abc.ABC):
    """The registry's facts as this service's projection of registry events holds them."""

    @abc.abstractmethod
    async def organization(self, organization_id: str) -> Organization | None: ...

    @abc.abstractmethod
    async def program(self, program_id: str) -> Program | None: ...

    @abc.abstractmethod
    async def graduate(self, graduate_id: str) -> Graduate | None: ...

    @abc.abstractmethod
    async def cluster(self, cluster_id: str) -> Cluster | None: ...

    @abc.abstractmethod
    async def clusters_coordinated_by(self, organization_id: str) -> frozenset[str]: ...

    async def read_ahead(
        self, *, organization_ids: Collection[str], graduate_ids: Collection[str]
    ) -> None:
        """Before many single reads in a unit of work that only reads (a bulk submission's
        checks): read these organizations and graduates, the graduates' programs and every
        employment of one of the graduates by one of the organizations in a query each. A
        hint: an adapter that reads each in one round trip anyway may ignore it."""
        return None

    @abc.abstractmethod
    async def employments(self, *, employer_id: str, graduate_id: str) -> list[Employment]:
        """The known employments of the graduate by the employer (current and ended, in every
        state)."""

    @abc.abstractmethod
    async def confirmations(self, *, period: int) -> list[Confirmation]:
        """Every counting (confirmed or verified) employment overlapping the period's year,
        with who moved it to its state."""


class ReminderRepository(abc.ABC):
    """Reminder subscriptions (of employers and institutions), what is pending for each, and
    the deliveries claimed and recorded for them."""

    @abc.abstractmethod
    async def subscription(self, organization_id: str, role: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    async def save_subscription(self, values: dict[str, Any], token: str) -> None:
        """Insert or update; a subscription's unsubscribe token is kept once made."""

    @abc.abstractmethod
    async def disable_by_token(self, token: str, now: datetime) -> bool: ...

    @abc.abstractmethod
    async def pending_assessments(self, *, period: int, employed_since: date) -> list[Due]: ...

    @abc.abstractmethod
    async def claims_awaiting_confirmation(self) -> list[Due]: ...

    @abc.abstractmethod
    async def claim(
        self, key: DeliveryKey, *, now: datetime, sent_before: datetime, lease_until: datetime
    ) -> bool: ...

    @abc.abstractmethod
    async def record(self, key: DeliveryKey, values: dict[str, Any]) -> None: ...

    @abc.abstractmethod
    async def delivery(self, key: DeliveryKey) -> dict[str, Any] | None: ...
