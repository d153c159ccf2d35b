"""The quality API's request and response models."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quality.domain.model import AlertKind, Scope
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES, EmploymentStatus

Weight = Annotated[float, Field(ge=0, le=1)]
IndicatorName = Annotated[
    str,
    Field(
        pattern="^(employer_satisfaction|preparedness|competency_mean|"
        "employed_12m|graduate_level|employed_in_field)$"
    ),
]


class FigurePublic(BaseModel):
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool
    reason: str | None


class PublicationRef(BaseModel):
    number: int
    release: Literal["official", "provisional"]


class ScorePublic(BaseModel):
    scope: Scope
    scope_id: str
    period: int
    pooled: bool
    methodology_version: int
    index: dict[str, Any]
    indicators: dict[str, FigurePublic]
    domains: dict[str, Any]
    competencies: dict[str, Any]
    rank: int | None
    rank_interval: list[int] | None = Field(
        default=None, description="the rank's interval: the ranks in the central 90 % of draws"
    )
    computed_at: Any
    view: Literal["live", "published"]
    publication: PublicationRef | None


class OpenPublication(BaseModel):
    """A publication to make: an official release (a draft for review) or an interim one."""

    model_config = ConfigDict(extra="forbid")
    period: int = Field(ge=2000, le=2100)
    kind: Literal["official", "interim"] = "official"
    restate: bool = Field(default=False, description="correct a published official release")
    reason: str | None = Field(default=None, max_length=2000)


class PublishDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    close_review: bool = Field(default=False, description="publish before the review window ends")


class PublicationPublic(BaseModel):
    number: int
    period: int
    kind: Literal["official", "interim"]
    release: Literal["official", "provisional"]
    status: Literal["draft", "published"]
    methodology_version: int
    created_at: datetime
    review_until: datetime | None
    published_at: datetime | None
    restates: int | None
    reason: str | None
    summary: dict[str, Any]


class NewQuery(BaseModel):
    """A query on one figure of a draft release."""

    model_config = ConfigDict(extra="forbid")
    scope: Scope
    scope_id: str = Field(min_length=1, max_length=36)
    pooled: bool = False
    indicator: str = Field(min_length=1, max_length=60, description="an indicator, or index")
    reason: str = Field(min_length=1, max_length=2000)


class QueryAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(min_length=1, max_length=2000)


class QueryPublic(BaseModel):
    id: str
    publication: int
    scope: Scope
    scope_id: str
    pooled: bool
    indicator: str
    reason: str
    raised_by: str
    raised_at: datetime
    answer: str | None
    answered_at: datetime | None


class RankedPublic(BaseModel):
    scope_id: str
    group: str | None = Field(
        default=None,
        description="the comparable group the unit is ranked within: a program's level and "
        "ISCED-F broad field (`6/06`); null where units are ranked all together",
    )
    rank: int | None = Field(description="1 = best; tied units share a rank")
    rank_interval: list[int] | None = Field(
        default=None,
        description="the ranks the unit takes in the central `level` of posterior draws: "
        "read the rank with it",
    )
    estimate: float | None
    share: float | None
    n: int
    reason: str | None


class Rankings(BaseModel):
    scope: Scope
    period: int
    pooled: bool
    ranked_by: str
    items: list[RankedPublic]
    next_cursor: str | None = None


class BenchmarkPublic(BaseModel):
    unit_id: str
    n: int
    value: float | None = Field(description="employer satisfaction; null when withheld")
    expected: float | None = Field(
        description="the benchmark: the national rates of the unit's mix of comparable groups"
    )
    difference: float | None
    ci_low: float | None = Field(description="of the difference, at `level`")
    ci_high: float | None
    flag: Literal["materially_above", "materially_below"] | None = Field(
        description="only when the interval clears the benchmark by the material margin (2.5 "
        "points)"
    )
    reason: str | None = Field(description="why the unit is not benchmarked")


class Benchmarks(BaseModel):
    scope: Scope
    period: int
    pooled: bool
    indicator: str
    level: float
    items: list[BenchmarkPublic]


class FunnelPoint(BaseModel):
    scope_id: str
    n: int
    value: float
    position: Literal["above998", "above95", "within", "below95", "below998"]


class FunnelLimits(BaseModel):
    n: int
    low95: float
    high95: float
    low998: float
    high998: float


class FunnelPublic(BaseModel):
    """Spiegelhalter's funnel plot of the published units (docs/methodology.md)."""

    scope: Scope
    period: int
    pooled: bool
    indicator: str
    overall: float | None = Field(description="the units' pooled rate")
    overdispersion: float | None = Field(description="φ: above 1, the limits are widened by √φ")
    inflated: bool
    points: list[FunnelPoint]
    limits: list[FunnelLimits] = Field(description="the limits at sizes from 1 to the largest n")


class AlertPublic(BaseModel):
    id: str
    scope: Scope
    scope_id: str
    period: int
    kind: AlertKind
    detail: dict[str, Any]
    raised_at: object


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_share_n: int = Field(ge=1)
    min_mean_n: int = Field(ge=2)
    min_employers: int = Field(ge=1)
    min_graduates: int = Field(ge=1)
    protection_width: float = Field(
        default=0.10, gt=0, lt=0.5, description="the disclosure audit's width of a hidden share"
    )


class RoundingChange(BaseModel):
    """Decimals publications state (live figures are not rounded)."""

    model_config = ConfigDict(extra="forbid")
    share_decimals: int = Field(default=2, ge=0, le=6, description="2: whole percent")
    mean_decimals: int = Field(default=2, ge=0, le=6)
    index_decimals: int = Field(default=1, ge=0, le=6)


class MethodologyChange(BaseModel):
    """What changes in the next version; everything left out is kept from the current one."""

    model_config = ConfigDict(extra="forbid")
    weights: dict[IndicatorName, Weight] | None = None
    interval_level: float | None = Field(default=None, ge=0.5, le=0.999)
    thresholds: Thresholds | None = None
    min_published_weight_share: float | None = Field(
        default=None,
        ge=1,
        le=1,
        description="Only 1: the index is published only when every weighted indicator is "
        "(over part of the weight, it would change meaning with suppression).",
    )
    satisfied_threshold: int | None = Field(default=None, ge=2, le=5)
    rounding: RoundingChange | None = None
    counting_employment_states: list[EmploymentStatus] | None = Field(
        default=None,
        min_length=1,
        description="The registry states of the employments counted in employment outcomes "
        "(employed_12m, employed_in_field), each named once; never rejected. Version 1 counts "
        "confirmed and verified.",
    )
    min_known_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Outcome figures are published only when this share of the cohort's "
        "outcomes is known. Version 1: 0.5.",
    )
    outcome_lag_days: int | None = Field(
        default=None,
        ge=0,
        le=366,
        description="Days after a cohort's census date before its outcomes are published. "
        "Version 1: 92.",
    )
    alert_index_below: float | None = Field(default=None, ge=0, le=100)


class MethodologyPublic(BaseModel):
    version: int
    weights: dict[str, float]
    interval_level: float
    thresholds: dict[str, Any]
    min_published_weight_share: float
    satisfied_threshold: int
    rounding: dict[str, int] = Field(default_factory=dict)
    # Versions published before employment states existed count the default ones.
    counting_employment_states: list[EmploymentStatus] = Field(
        default_factory=lambda: list(COUNTING_EMPLOYMENT_STATES)
    )
    min_known_share: float = 0.5
    outcome_lag_days: int = 92
    alert_index_below: float


# --- cluster activities (docs/methodology.md, "Cluster activities") ---------------------------
# Why a cohort's size is not shown (a small cohort, or one protecting another); every rate per
# 100 of its graduates is then not shown either.
COHORT_HIDDEN = "why the cohort's size (and each rate per 100 of it) is not shown (null: shown)"


class PlacementFigures(BaseModel):
    offered: int
    filled: int
    offered_per_100: float | None = Field(
        description="places per 100 graduates (None: no graduates, or the cohort's size hidden)"
    )
    filled_per_100: float | None
    n: int | None = Field(description="graduates of the year's cohort (None: hidden)")
    reason: str | None = Field(default=None, description=COHORT_HIDDEN)


class StaffTrained(BaseModel):
    people: int
    person_hours: int


class ClusterStaffTrained(StaffTrained):
    per_program: float | None
    n: int = Field(description="the members' programs")


class GuestTeaching(BaseModel):
    hours: int
    per_program: float | None
    n: int = Field(description="the members' programs")


class ProgramIntensity(BaseModel):
    program_id: str
    year: int
    graduates: int | None = Field(description="its active graduates of the year's cohort")
    reason: str | None = Field(default=None, description=COHORT_HIDDEN)
    placements: dict[str, PlacementFigures]
    staff_trained: StaffTrained
    guest_teaching_hours: int


class ClusterIntensity(BaseModel):
    year: int
    programs: int = Field(description="programs of the institutions that were members that year")
    graduates: int | None = Field(description="their active graduates of the year's cohort")
    reason: str | None = Field(default=None, description=COHORT_HIDDEN)
    placements: dict[str, PlacementFigures]
    staff_trained: ClusterStaffTrained
    guest_teaching_hours: GuestTeaching
    publication: PublicationRef | None = Field(
        default=None, description="the publication stating the year's figures (none: live)"
    )


class ActivityIntensity(BaseModel):
    cluster_id: str
    region_code: str
    years: list[ClusterIntensity]
    programs: list[ProgramIntensity]
    publication: PublicationRef | None = Field(
        default=None,
        description="the publication stating every figure of the answer (none: live figures, "
        "none published, or several years each named by its own)",
    )


class EffectGroup(BaseModel):
    programs: int
    n_before: int
    n_after: int
    share_before: float | None
    share_after: float | None


class EffectDifference(BaseModel):
    value: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str | None


class EffectEstimate(BaseModel):
    joined: int = Field(description="the year the treated programs joined")
    before: list[int] = Field(description="first and last year before")
    after: list[int] = Field(description="first and last year after")
    indicator: str
    treated: EffectGroup
    controls: EffectGroup
    difference: EffectDifference
    dispersion: float = Field(description="φ, the programs' over-dispersion (1: not estimated)")


class ActivityEffect(BaseModel):
    cluster_id: str
    kind: str
    compare_with: Literal["field_level", "region"]
    window: int
    interval_level: float
    method: str
    assumptions: list[str]
    estimates: list[EffectEstimate]


class GoalFigure(BaseModel):
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None


class GoalProgressItem(BaseModel):
    goal_id: str
    version: int
    measure: Literal["indicator", "activity"]
    code: str
    field_code: str | None
    level: str | None
    comparator: Literal["at_least", "at_most"]
    target: str = Field(description="decimal text")
    by_year: int
    period: int | None = Field(description="the period of the published figure")
    figure: GoalFigure | None
    status: Literal["met", "not_met", "undetermined"]
    reason: str | None


class GoalProgress(BaseModel):
    cluster_id: str
    goals: list[GoalProgressItem]


# --- graduate flows (docs/methodology.md, "Graduate flows") -----------------------------------
class FlowFigure(FigurePublic):
    flow: Literal["member_employers", "focus_sectors", "other_in_region", "elsewhere"]
    n: int | None  # type: ignore[assignment]  # none before the cohort's release


class GraduateFlows(BaseModel):
    scope: Literal["cluster", "region"]
    scope_id: str
    region_code: str
    cohort: int
    census_date: date
    interval_level: float
    n: int | None = Field(
        description="the cohort's graduates employed on the census date (none before the "
        "cohort's release)"
    )
    released_at: datetime | None = Field(
        default=None,
        description="when the cohort's flows were computed for the publications (none: live "
        "flows, or none published yet)",
    )
    publication: PublicationRef | None = Field(
        default=None,
        description="the publication stating them (none: live flows, or none published yet)",
    )
    sectors: list[str] = Field(description="the focus sectors (ISIC Rev.4 sections)")
    clusters: list[str] | None = Field(
        default=None, description="a region's active clusters, whose members and sectors count"
    )
    flows: list[FlowFigure] = Field(description="shares of n: each graduate in one flow")
