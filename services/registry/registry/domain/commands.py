"""What a caller asks the registry to do: typed commands the routes build from request bodies.

A partial update is not a command class: it is the mapping of the fields the caller sent
(absent fields stay; a field sent as null is cleared where the API allows it).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.contracts.catalogue.registry import (
    ActivityOutcome,
    ActivityStatus,
    GoalComparator,
    GoalMeasure,
)


@dataclass(frozen=True, kw_only=True)
class RegisterOrganization:
    kind: str
    subtype: str
    name: str
    region_code: str
    tax_id: str
    contact_email: str | None = None
    contact_phone: str | None = None
    registered_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class CreateCluster:
    name: str
    region_code: str
    sectors: list[str] = field(default_factory=list)
    coordinator_id: str
    # The ministry's reason to admit a coordinator of another region (None: none needed).
    cross_region_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class JoinCluster:
    cluster_id: str
    organization_id: str
    role: str
    joined_on: date | None = None
    cross_region_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class LeaveCluster:
    cluster_id: str
    organization_id: str
    left_on: date


@dataclass(frozen=True, kw_only=True)
class RegisterProgram:
    institution_id: str
    code: str
    name: str
    level: str
    field_code: str
    language: str = "uz"


@dataclass(frozen=True, kw_only=True)
class RegisterGraduate:
    program_id: str
    graduation_year: int
    student_ref: str
    full_name: str
    # When given it must be the program's institution; otherwise the program's is taken.
    institution_id: str | None = None
    person_key: str | None = None  # of the national identifier, made by the web layer


@dataclass(frozen=True, kw_only=True)
class RecordEmployment:
    graduate_id: str
    employer_id: str
    start_date: date
    end_date: date | None = None
    position: str
    isco_code: str
    in_field: bool


@dataclass(frozen=True, kw_only=True)
class EndEmployment:
    employment_id: str
    end_date: date


@dataclass(frozen=True, kw_only=True)
class RecordActivity:
    cluster_id: str
    title: str
    status: ActivityStatus = "planned"
    start_date: date
    end_date: date | None = None
    member_ids: list[str]
    outcome: ActivityOutcome


@dataclass(frozen=True, kw_only=True)
class SetGoal:
    """A new goal (``goal_id`` None) or a new version of one."""

    cluster_id: str
    goal_id: str | None = None
    measure: GoalMeasure
    code: str
    field_code: str | None = None
    level: str | None = None
    comparator: GoalComparator
    target: Decimal
    by_year: int
    active: bool = True
