"""Registry events (topic educluster.registry.v1).

Keys: everything about an institution — its programs, graduates and their employments — is
keyed by the institution's id, so it stays in order; organizations by their own id; clusters,
memberships, cluster activities and strategy goals by the cluster id; regions by their code.
Events carry ids and codes, never the names of people.
"""

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.platform.messaging.payloads import EventPayload
from shared.platform.names import REGISTRY_TOPIC

OrganizationKind = Literal["education", "employer", "research", "private", "government"]
MemberRole = Literal["coordinator", "education", "employer", "research", "private_partner"]
# An employment's provenance: claimed by its employer; confirmed by the graduate's institution
# or by the graduate (a one-time code); verified in a register import; disputed; rejected.
EmploymentStatus = Literal["claimed", "confirmed", "verified", "disputed", "rejected"]
EmploymentSource = Literal["employer", "register"]
# What a register says a graduate does: works for an employer, works for themselves, or studies
# on (the "employer" is then the institution of further study).
EmploymentKind = Literal["employee", "self_employed", "further_study"]
# What a graduate's institution learnt of the graduate's activity on a date (a follow-up: a call,
# a survey answer). The quality service counts only "not_employed" from a follow-up: the
# positive outcomes are the institution's own assertion until an employment in a counting state
# backs them (docs/methodology.md, "Employment outcomes").
FollowUpOutcome = Literal["employed", "self_employed", "further_study", "not_employed"]
# Who moved an employment to its state: the graduate's institution, the ministry, the graduate
# (with a code) or a register import.
EmploymentChanger = Literal["institution", "ministry", "graduate", "register"]
# The states that make an employer eligible to assess a graduate (docs/registry.md); which
# count in employment outcomes is the quality methodology's to say (the same by default).
COUNTING_EMPLOYMENT_STATES: tuple[EmploymentStatus, ...] = ("confirmed", "verified")


class RegistryEvent(EventPayload):
    topic = REGISTRY_TOPIC


class RegionUpserted(RegistryEvent):
    """A first-level administrative division was added or renamed."""

    event_type = "educluster.registry.region.upserted.v1"
    code: str
    country: str
    name_uz: str
    name_ru: str
    name_en: str

    def partition_key(self) -> str:
        return self.code

    def subject(self) -> str:
        return f"regions/{self.code}"


class _ClusterState(RegistryEvent):
    cluster_id: str
    name: str
    region_code: str
    sectors: list[str]
    coordinator_id: str
    status: Literal["active", "suspended", "closed"]

    def partition_key(self) -> str:
        return self.cluster_id

    def subject(self) -> str:
        return f"clusters/{self.cluster_id}"


class ClusterCreated(_ClusterState):
    """A regional education cluster was created."""

    event_type = "educluster.registry.cluster.created.v1"


class ClusterUpdated(_ClusterState):
    """A cluster's name, sectors, coordinator or status changed (full new state)."""

    event_type = "educluster.registry.cluster.updated.v1"


class ClusterMemberJoined(RegistryEvent):
    """An organization joined a cluster in a role."""

    event_type = "educluster.registry.cluster.member.joined.v1"
    cluster_id: str
    organization_id: str
    role: MemberRole
    joined_on: date

    def partition_key(self) -> str:
        return self.cluster_id

    def subject(self) -> str:
        return f"clusters/{self.cluster_id}"


class ClusterMemberLeft(RegistryEvent):
    """An organization left a cluster (its membership history is kept)."""

    event_type = "educluster.registry.cluster.member.left.v1"
    cluster_id: str
    organization_id: str
    role: MemberRole
    joined_on: date
    left_on: date

    def partition_key(self) -> str:
        return self.cluster_id

    def subject(self) -> str:
        return f"clusters/{self.cluster_id}"


# --- cluster activities: what members do together (docs/registry.md, "Cluster activities") ---

ActivityKind = Literal[
    "internship",
    "apprenticeship",
    "staff_development",
    "joint_program",
    "guest_teaching",
    "funding",
]
ActivityStatus = Literal["planned", "running", "completed", "cancelled"]


class _Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlacementYear(_Outcome):
    """One year of an internship or apprenticeship: places, and the graduates who took part."""

    year: int
    places_offered: int
    places_filled: int
    graduate_ids: list[str] = []


class PlacementOutcome(_Outcome):
    """An employer's internship or apprenticeship places for a program's students."""

    kind: Literal["internship", "apprenticeship"]
    employer_id: str
    program_id: str
    years: list[PlacementYear]


class StaffDevelopmentOutcome(_Outcome):
    """An institution's teaching staff trained by a research institute or an employer."""

    kind: Literal["staff_development"]
    institution_id: str
    trainer_id: str
    people: int
    hours: int  # of training, each person
    topic: str
    field_code: str  # ISCED-F 2013 detailed field


class JointProgramPartner(_Outcome):
    organization_id: str
    contribution: str


class JointProgramOutcome(_Outcome):
    """A program designed or run together: the partners and what each contributes."""

    kind: Literal["joint_program"]
    program_id: str
    partners: list[JointProgramPartner]


class TeachingYear(_Outcome):
    year: int
    hours: int


class GuestTeachingOutcome(_Outcome):
    """An employer's staff teaching in a program: hours per year."""

    kind: Literal["guest_teaching"]
    employer_id: str
    program_id: str
    years: list[TeachingYear]


class FundingOutcome(_Outcome):
    """Money, equipment or facilities a private partner (or an employer) gives a member."""

    kind: Literal["funding"]
    form: Literal["funding", "equipment", "facilities"]
    partner_id: str
    recipient_id: str
    amount: Decimal  # the value given, in ``currency``
    currency: str  # ISO 4217 alphabetic code
    purpose: str


# A plain union (no discriminator object, which AsyncAPI's schema does not take): ``kind``
# tells the shapes apart, each allowing only its own literal.
ActivityOutcome = (
    PlacementOutcome
    | StaffDevelopmentOutcome
    | JointProgramOutcome
    | GuestTeachingOutcome
    | FundingOutcome
)


class _ActivityState(RegistryEvent):
    activity_id: str
    cluster_id: str
    kind: ActivityKind
    title: str
    status: ActivityStatus
    start_date: date
    end_date: date | None
    member_ids: list[str]
    outcome: ActivityOutcome

    def partition_key(self) -> str:
        return self.cluster_id

    def subject(self) -> str:
        return f"clusters/{self.cluster_id}/activities/{self.activity_id}"


class ClusterActivityRecorded(_ActivityState):
    """Members of a cluster agreed on an activity (full state; graduate ids, never names)."""

    event_type = "educluster.registry.cluster.activity.recorded.v1"


class ClusterActivityUpdated(_ActivityState):
    """An activity's title, status, end date or outcome changed (full new state)."""

    event_type = "educluster.registry.cluster.activity.updated.v1"


# --- strategy goals, set by a cluster's coordinator, versioned ---

GoalMeasure = Literal["indicator", "activity"]
GoalComparator = Literal["at_least", "at_most"]
# The figures the quality service publishes per scope (its scorecards' indicators and index),
# with the range of each: shares 0..1, the competency mean 1..5, the index 0..100.
GOAL_INDICATORS: dict[str, tuple[int, int]] = {
    "index": (0, 100),
    "employer_satisfaction": (0, 1),
    "preparedness": (0, 1),
    "would_hire_again": (0, 1),
    "competency_mean": (1, 5),
    "employed_12m": (0, 1),
    "outcome_known": (0, 1),
    "graduate_level": (0, 1),
    "employed_in_field": (0, 1),
    "employer_marked_in_field": (0, 1),
    "coverage": (0, 1),
}
# Measures of a cluster's own activities (none negative).
GOAL_ACTIVITY_MEASURES = (
    "internship_places_per_graduate",
    "internship_places_filled",
    "staff_trained",
    "guest_teaching_hours",
    "funding_amount",
)


class ClusterGoalSet(RegistryEvent):
    """A cluster's coordinator set a strategy goal, or revised it (``version`` 1 is new; every
    version is kept): ``code`` of ``measure`` compared to ``target`` by ``by_year``, over the
    programs of ``field_code`` and ``level`` when given."""

    event_type = "educluster.registry.cluster.goal.set.v1"
    goal_id: str
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
    set_by: str

    def partition_key(self) -> str:
        return self.cluster_id

    def subject(self) -> str:
        return f"clusters/{self.cluster_id}/goals/{self.goal_id}"


class _OrganizationState(RegistryEvent):
    organization_id: str
    kind: OrganizationKind
    subtype: str
    name: str
    region_code: str
    tax_id: str
    active: bool

    def partition_key(self) -> str:
        return self.organization_id

    def subject(self) -> str:
        return f"organizations/{self.organization_id}"


class OrganizationRegistered(_OrganizationState):
    """An institution, employer, research institute, partner or authority was registered."""

    event_type = "educluster.registry.organization.registered.v1"


class OrganizationUpdated(_OrganizationState):
    """An organization's details or active flag changed (full new state)."""

    event_type = "educluster.registry.organization.updated.v1"


class _ProgramState(RegistryEvent):
    program_id: str
    institution_id: str
    code: str
    name: str
    level: str
    field_code: str
    language: str
    active: bool

    def partition_key(self) -> str:
        return self.institution_id

    def subject(self) -> str:
        return f"programs/{self.program_id}"


class ProgramRegistered(_ProgramState):
    """An institution registered a study program."""

    event_type = "educluster.registry.program.registered.v1"


class ProgramUpdated(_ProgramState):
    """A program's details or active flag changed (full new state)."""

    event_type = "educluster.registry.program.updated.v1"


class _GraduateState(RegistryEvent):
    graduate_id: str
    institution_id: str
    program_id: str
    graduation_year: int
    active: bool
    # The latest follow-up: the outcome and the day it held. Events written before follow-ups
    # existed carry neither.
    follow_up_outcome: FollowUpOutcome | None = None
    follow_up_on: date | None = None

    def partition_key(self) -> str:
        return self.institution_id

    def subject(self) -> str:
        return f"graduates/{self.graduate_id}"


class GraduateRegistered(_GraduateState):
    """A graduate was registered (no name or student reference: ids only)."""

    event_type = "educluster.registry.graduate.registered.v1"


class GraduateUpdated(_GraduateState):
    """A graduate's program, year or active flag changed (full new state)."""

    event_type = "educluster.registry.graduate.updated.v1"


class _EmploymentState(RegistryEvent):
    employment_id: str
    graduate_id: str
    institution_id: str
    program_id: str
    employer_id: str
    start_date: date
    end_date: date | None
    isco_code: str
    in_field: bool
    # Events written before provenance existed carry neither: they were employers' claims.
    state: EmploymentStatus = "claimed"
    source: EmploymentSource = "employer"
    kind: EmploymentKind = "employee"

    def partition_key(self) -> str:
        return self.institution_id

    def subject(self) -> str:
        return f"employments/{self.employment_id}"


class EmploymentRecorded(_EmploymentState):
    """An employer recorded that it employs a graduate."""

    event_type = "educluster.registry.employment.recorded.v1"


class EmploymentEnded(_EmploymentState):
    """An employment ended (end_date is set)."""

    event_type = "educluster.registry.employment.ended.v1"


class EmploymentStateChanged(_EmploymentState):
    """An employment was confirmed, verified, disputed or rejected (``state``, from
    ``previous_state``; ``reason`` when one was given; ``changed_by``: who moved it)."""

    event_type = "educluster.registry.employment.state_changed.v1"
    previous_state: EmploymentStatus
    changed_by: EmploymentChanger
    reason: str | None = None


# Each pair carries the same full state: consumers keeping a projection handle either alike.
OrganizationChange = OrganizationRegistered | OrganizationUpdated
ClusterChange = ClusterCreated | ClusterUpdated
MembershipChange = ClusterMemberJoined | ClusterMemberLeft
ActivityChange = ClusterActivityRecorded | ClusterActivityUpdated
ProgramChange = ProgramRegistered | ProgramUpdated
GraduateChange = GraduateRegistered | GraduateUpdated
EmploymentChange = EmploymentRecorded | EmploymentEnded | EmploymentStateChanged
