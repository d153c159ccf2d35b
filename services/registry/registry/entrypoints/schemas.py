"""Request and response bodies of the registry API (table rows are not API models)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from shared.contracts.catalogue.registry import (
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
from shared.platform.web.bodies import RequestBody

Kind = Literal["education", "employer", "research", "private", "government"]


def _not_in_the_future(day: date) -> date:
    if day > date.today():
        raise ValueError("a registration date may not be in the future")
    return day


RegisteredOn = Annotated[date, AfterValidator(_not_in_the_future)]
NationalId = Annotated[str, StringConstraints(pattern=r"^\d{14}$")]
MemberRole = Literal["coordinator", "education", "employer", "research", "private_partner"]
ClusterStatus = Literal["active", "suspended", "closed"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class Body(RequestBody):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Patch(Body):
    """A partial update: absent fields stay; null only where a field may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null; leave the field out to keep it")
        return value


class Public(BaseModel):
    """A response body; read from the registry's entities (dataclasses) by attribute."""

    model_config = ConfigDict(from_attributes=True)


class RegionPublic(Public):
    code: str
    country: str
    name: str = Field(description="English name")
    name_uz: str
    name_ru: str
    name_en: str


class RegionUpsert(Body):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    name_uz: Name
    name_ru: Name
    name_en: Name


class OrganizationCreate(Body):
    kind: Kind
    subtype: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    name: Name
    region_code: RegionCode
    tax_id: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    contact_email: EmailStr | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{5,30}$")] | None = None
    registered_on: RegisteredOn | None = Field(
        default=None, description="when the state registered it (the tax register's date)"
    )


class OrganizationUpdate(Patch):
    nullable = frozenset({"contact_email", "contact_phone", "registered_on"})

    subtype: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    name: Name | None = None
    contact_email: EmailStr | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()-]{5,30}$")] | None = None
    registered_on: RegisteredOn | None = None
    active: bool | None = None


class OrganizationPublic(Public):
    id: str
    kind: Kind
    subtype: str
    name: str
    region_code: str
    # Null for readers who may not read them (domain/access.organization_withheld).
    tax_id: str | None
    contact_email: str | None
    contact_phone: str | None
    registered_on: date | None = None
    active: bool
    created_at: datetime
    updated_at: datetime


CrossRegionReason = Annotated[
    str | None,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
    Field(
        description="The ministry's reason to admit an organization of another region "
        "(otherwise members and the coordinator belong to the cluster's region)",
    ),
]


class ClusterCreate(Body):
    name: Name
    region_code: RegionCode
    sectors: list[Annotated[str, StringConstraints(pattern=r"^[A-U]$")]] = Field(max_length=21)
    coordinator_id: Id
    cross_region_reason: CrossRegionReason = None


class ClusterUpdate(Patch):
    name: Name | None = None
    sectors: list[Annotated[str, StringConstraints(pattern=r"^[A-U]$")]] | None = None
    coordinator_id: Id | None = None
    status: ClusterStatus | None = None
    cross_region_reason: CrossRegionReason = None


class ClusterPublic(Public):
    id: str
    name: str
    region_code: str
    sectors: list[str]
    coordinator_id: str
    status: ClusterStatus
    created_at: datetime
    updated_at: datetime


class MemberJoin(Body):
    organization_id: Id
    role: MemberRole
    joined_on: date | None = None
    cross_region_reason: CrossRegionReason = None


class MemberPublic(Public):
    organization_id: str
    role: MemberRole
    joined_on: date
    left_on: date | None


class ProgramCreate(Body):
    institution_id: Id
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.\-/]{1,40}$")]
    name: Name
    level: Annotated[str, StringConstraints(pattern=r"^[0-8]$")]
    field_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "uz"


class ProgramUpdate(Patch):
    name: Name | None = None
    level: Annotated[str, StringConstraints(pattern=r"^[0-8]$")] | None = None
    field_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] | None = None
    active: bool | None = None


class ProgramPublic(Public):
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


# --- graduates and employments -----------------------------------------------------------

StudentRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Position = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
IscoCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
# The range that depends on today (up to next year) is a registry rule, checked in the handler.
Year = Annotated[int, Field(strict=True)]


class GraduateCreate(Body):
    program_id: Id
    graduation_year: Year
    student_ref: StudentRef = Field(description="the institution's own reference for the student")
    full_name: Name
    institution_id: Id | None = Field(
        default=None, description="optional; when given it must be the program's institution"
    )
    national_id: NationalId | None = Field(
        default=None,
        description="the graduate's PINFL (14 digits), to match register extracts; kept only "
        "as a keyed hash, never returned",
    )


FOLLOW_UP_COUNTS = (
    "; the quality service counts only not_employed from a follow-up; a positive outcome needs "
    "an employment in a counting state"
)


class GraduateUpdate(Patch):
    nullable = frozenset({"follow_up_outcome", "follow_up_on"})

    program_id: Id | None = None
    graduation_year: Year | None = None
    full_name: Name | None = None
    active: bool | None = None
    follow_up_outcome: FollowUpOutcome | None = Field(
        default=None,
        description="what the institution learnt of the graduate's activity (a call, a survey "
        "answer); set with follow_up_on, both null to clear" + FOLLOW_UP_COUNTS,
    )
    follow_up_on: date | None = Field(
        default=None,
        description="the day the follow-up outcome held: not in the future nor before 1 "
        "January of the graduation year" + FOLLOW_UP_COUNTS,
    )


class GraduatePublic(Public):
    """A graduate as the caller's role reads it: null where the role may not read a field."""

    id: str
    institution_id: str
    program_id: str
    graduation_year: int
    student_ref: str | None = Field(description="the graduate's institution only")
    full_name: str | None = Field(description="not for regional authorities")
    follow_up_outcome: FollowUpOutcome | None = Field(
        description="the institution's latest follow-up, for it and the ministry only"
        + FOLLOW_UP_COUNTS
    )
    follow_up_on: date | None = Field(description="the day the follow-up outcome held")
    active: bool
    created_at: datetime | None
    updated_at: datetime | None


class GraduateLookup(Body):
    national_id: NationalId = Field(
        description="the person's PINFL (14 digits), exactly: never kept, logged or returned"
    )


class GraduateMatch(BaseModel):
    """One graduate record of the person looked up: no more than who holds the degree."""

    graduate_id: str
    institution_id: str
    program_id: str
    graduation_year: int


class GraduateMatches(BaseModel):
    items: list[GraduateMatch] = Field(
        description="each active graduate record of that person (one per degree), the latest "
        "graduation first; empty when there is none"
    )


class GraduateCount(BaseModel):
    program_id: str
    graduation_year: int
    count: int


class GraduateCounts(BaseModel):
    institution_id: str
    items: list[GraduateCount] = Field(
        description="one per program and graduation year with graduates the caller may read"
    )
    total: int


class GraduateImportSummary(BaseModel):
    rows: int = Field(description="data rows in the file (the header not counted)")
    created: int
    updated: int
    unchanged: int


class EmploymentCreate(Body):
    graduate_id: Id
    employer_id: Id
    start_date: date
    end_date: date | None = None
    position: Position
    isco_code: IscoCode = Field(description="ISCO-08 unit group")
    in_field: bool = Field(description="whether the job matches the graduate's field of study")


class EmploymentEnd(Body):
    end_date: date


class EmploymentPublic(Public):
    id: str
    graduate_id: str
    employer_id: str
    start_date: date
    end_date: date | None
    position: str
    isco_code: str
    in_field: bool
    state: EmploymentStatus = Field(
        description="claimed (by the employer), confirmed (by the institution or the "
        "graduate), verified (in a register import), disputed or rejected; only confirmed and "
        "verified employments let the employer assess the graduate"
    )
    source: EmploymentSource
    kind: EmploymentKind = Field(description="employee, self_employed or further_study")
    state_by: str | None = Field(
        description="who set the state: an organization, the ministry, the graduate or register"
    )
    state_reason: str | None
    created_at: datetime
    updated_at: datetime


class EmploymentReason(Body):
    reason: str = Field(min_length=1, max_length=500, description="why, for the record")


class ConfirmationCode(BaseModel):
    code: str = Field(description="hand it to the graduate; it confirms once")
    expires_at: datetime


class CodeConfirmation(Body):
    code: str = Field(min_length=1, max_length=40, description="the code the institution issued")


class RegisterImportReport(BaseModel):
    """What a register import did: every row counted once, the first 100 of each list shown."""

    rows: int
    verified: int = Field(description="rows whose employer's own records are now verified")
    recorded: int = Field(description="employments only the register knew, recorded verified")
    ended: int = Field(description="the register's earlier employments it now says ended")
    unchanged: int = Field(description="rows an earlier import already applied")
    unmatched_graduates: int = Field(description="rows naming no graduate the registry knows")
    unregistered_employers: int = Field(description="rows whose employer is not registered")
    before_graduation: int = Field(description="jobs that started before the graduation year")
    conflicts: int = Field(description="recorded where the employer's records give other dates")
    seconds: float
    listed: dict[str, list[dict[str, Any]]] = Field(
        description="the first 100 unmatched graduates, unregistered employers and conflicts, "
        "each with its line"
    )


# --- cluster activities and strategy goals -----------------------------------------------

# Counts and amounts below zero, years outside the activity, a currency or field that is not
# one are registry rules (a 422 naming the field from the handler); the bounds here cap sizes.
Count = Annotated[int, Field(strict=True, le=10_000_000)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Members = Annotated[list[Id], Field(max_length=100)]


class PlacementYearIn(Body):
    year: Year
    places_offered: Count
    places_filled: Count = Field(description="at most places_offered")
    graduate_ids: list[Id] = Field(
        default=[],
        max_length=1000,
        description="graduates of the program who took part (at most places_filled), each one "
        "the caller may see",
    )


class PlacementIn(Body):
    kind: Literal["internship", "apprenticeship"]
    employer_id: Id = Field(description="an employer among the members involved")
    program_id: Id = Field(description="a program of an institution among the members involved")
    years: list[PlacementYearIn] = Field(max_length=100, description="years within the dates")


class StaffDevelopmentIn(Body):
    kind: Literal["staff_development"]
    institution_id: Id = Field(description="the institution whose teaching staff is trained")
    trainer_id: Id = Field(description="a research institute or employer among the members")
    people: Count
    hours: Count = Field(description="hours of training, each person")
    topic: Text
    field_code: Annotated[str, StringConstraints(max_length=8)] = Field(
        description="an ISCED-F 2013 detailed field"
    )


class JointProgramPartnerIn(Body):
    organization_id: Id
    contribution: Text


class JointProgramIn(Body):
    kind: Literal["joint_program"]
    program_id: Id = Field(description="a program of an institution among the members involved")
    partners: list[JointProgramPartnerIn] = Field(max_length=100)


class TeachingYearIn(Body):
    year: Year
    hours: Count


class GuestTeachingIn(Body):
    kind: Literal["guest_teaching"]
    employer_id: Id
    program_id: Id
    years: list[TeachingYearIn] = Field(max_length=100)


class FundingIn(Body):
    kind: Literal["funding"]
    form: Literal["funding", "equipment", "facilities"]
    partner_id: Id = Field(description="a private partner or employer among the members")
    recipient_id: Id = Field(description="the member that receives it")
    amount: Annotated[Decimal, Field(max_digits=18, decimal_places=2, allow_inf_nan=False)]
    currency: Annotated[str, StringConstraints(max_length=8)] = Field(
        description="ISO 4217 alphabetic code, e.g. UZS"
    )
    purpose: Text


ActivityOutcomeIn = Annotated[
    PlacementIn | StaffDevelopmentIn | JointProgramIn | GuestTeachingIn | FundingIn,
    Field(discriminator="kind"),
]


class ActivityCreate(Body):
    title: Name
    status: ActivityStatus = "planned"
    start_date: date
    end_date: date | None = None
    member_ids: Members = Field(
        description="the members involved: current members of the cluster since the start date"
    )
    outcome: ActivityOutcomeIn


class ActivityUpdate(Patch):
    nullable = frozenset({"end_date"})

    title: Name | None = None
    status: ActivityStatus | None = Field(
        default=None,
        description="planned → running or cancelled; running → completed or cancelled",
    )
    end_date: date | None = None
    outcome: ActivityOutcomeIn | None = Field(
        default=None, description="the whole outcome, of the activity's kind"
    )


class ActivityPublic(Public):
    id: str
    cluster_id: str
    kind: ActivityKind
    title: str
    status: ActivityStatus
    start_date: date
    end_date: date | None
    member_ids: list[str]
    outcome: ActivityOutcome = Field(
        description="graduate_ids name only the graduates the caller may see"
    )
    created_at: datetime
    updated_at: datetime


class GoalSet(Body):
    measure: GoalMeasure = Field(
        description="indicator: a figure the quality service publishes; activity: a measure "
        "of the cluster's activities"
    )
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    field_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = Field(
        default=None, description="only the programs of this ISCED-F 2013 detailed field"
    )
    level: Annotated[str, StringConstraints(pattern=r"^[0-8]$")] | None = Field(
        default=None, description="only the programs of this ISCED 2011 level"
    )
    comparator: GoalComparator
    target: Annotated[Decimal, Field(max_digits=18, decimal_places=4, allow_inf_nan=False)] = Field(
        description="shares 0..1, the competency mean 1..5, the index 0..100"
    )
    by_year: Year
    active: bool = True


class GoalPublic(Public):
    id: str
    cluster_id: str
    version: int
    measure: GoalMeasure
    code: str
    field_code: str | None
    level: str | None
    comparator: GoalComparator
    target: Decimal
    by_year: int
    active: bool
    set_by: str = Field(description="the coordinator that set this version")
    created_at: datetime
    updated_at: datetime = Field(description="when this version was set")
