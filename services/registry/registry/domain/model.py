"""The registry's entities: plain values with the fields of their rows (no framework).

Regions are ``shared.contracts.reference.Region`` (the same value the reference data holds).
A change makes a new value (``dataclasses.replace``): an unchanged entity compares equal.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from shared.contracts.catalogue.registry import (
    COUNTING_EMPLOYMENT_STATES,
    ActivityKind,
    ActivityOutcome,
    ActivityStatus,
    EmploymentKind,
    EmploymentSource,
    EmploymentStatus,
    FollowUpOutcome,
    GoalComparator,
    GoalMeasure,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Organization:
    id: str
    kind: str
    subtype: str
    name: str
    region_code: str
    tax_id: str
    contact_email: str | None = None
    contact_phone: str | None = None
    # When the state registered it (from the tax register): no one worked for it before.
    registered_on: date | None = None
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Cluster:
    id: str
    name: str
    region_code: str
    sectors: list[str]
    coordinator_id: str
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Membership:
    """One organization's membership of a cluster; leaving sets ``left_on`` (history kept)."""

    id: str
    cluster_id: str
    organization_id: str
    role: str
    joined_on: date
    left_on: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Program:
    id: str
    institution_id: str
    code: str
    name: str
    level: str
    field_code: str
    language: str
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Graduate:
    id: str
    institution_id: str
    program_id: str
    graduation_year: int
    student_ref: str
    full_name: str
    # The keyed hash of the national identifier (domain/person_key.py), never the identifier.
    person_key: str | None = None
    # What the institution last learnt of the graduate's activity (a call, a survey answer)
    # and the day it held: both or neither.
    follow_up_outcome: FollowUpOutcome | None = None
    follow_up_on: date | None = None
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Employment:
    id: str
    graduate_id: str
    employer_id: str
    start_date: date
    end_date: date | None
    position: str
    isco_code: str
    in_field: bool
    state: EmploymentStatus = "claimed"
    source: EmploymentSource = "employer"
    kind: EmploymentKind = "employee"
    # Who moved it to its state (an organization id, or "graduate" for a confirmation code)
    # and why (disputes and rejections need a reason).
    state_by: str | None = None
    state_reason: str | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def counts(self) -> bool:
        """Whether it makes its employer eligible to assess the graduate."""
        return self.state in COUNTING_EMPLOYMENT_STATES


@dataclass(frozen=True, kw_only=True, slots=True)
class Activity:
    """What members of one cluster agreed to do together; ``outcome`` is the kind's own record
    (the event catalogue's value: places, people trained, hours, money)."""

    id: str
    cluster_id: str
    kind: ActivityKind
    title: str
    status: ActivityStatus
    start_date: date
    end_date: date | None = None
    member_ids: list[str]
    outcome: ActivityOutcome
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Goal:
    """A cluster's strategy goal at its ``version`` (each change is a new version; the earlier
    ones are kept): ``code`` of ``measure`` compared to ``target`` by ``by_year``."""

    id: str
    cluster_id: str
    version: int
    measure: GoalMeasure
    code: str
    field_code: str | None = None
    level: str | None = None
    comparator: GoalComparator
    target: Decimal
    by_year: int
    active: bool
    set_by: str  # the coordinator's organization id
    created_at: datetime
    updated_at: datetime  # when this version was set
