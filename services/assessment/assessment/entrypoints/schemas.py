"""API models of the assessment service: separate models per use (create, revise, public)."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from assessment.domain.model import Framework
from shared.platform.web.bodies import RequestBody

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,79}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Rating = Annotated[int, Field(ge=1, le=5)]
Year = Annotated[int, Field(ge=1990, le=2100)]


class _Body(RequestBody):
    model_config = ConfigDict(extra="forbid")


class _Public(BaseModel):
    # Use cases return the domain's records (dataclasses); these models read their attributes.
    model_config = ConfigDict(from_attributes=True)


class Localized(_Body):
    """A text in Uzbek (Latin script), Russian and English."""

    uz: Text
    ru: Text
    en: Text


class CompetencyCreate(_Body):
    code: Code
    name: Localized
    description: Localized


class DomainCreate(_Body):
    code: Code
    name: Localized
    competencies: list[CompetencyCreate] = Field(min_length=1, max_length=100)


class FrameworkCreate(_Body):
    """A new framework version: the version number is assigned (next for this code)."""

    code: Code
    name: Localized
    source: dict[str, Text] = Field(default_factory=dict, description="where it comes from")
    domains: list[DomainCreate] = Field(min_length=1, max_length=20)


class FrameworkPublic(BaseModel):
    id: str
    code: str
    version: int
    name: dict[str, str]
    source: dict[str, str]
    scale: dict[str, Any]
    domains: list[dict[str, Any]]

    @classmethod
    def of(cls, framework: Framework) -> Self:
        content = framework.content
        return cls(
            id=framework.id,
            code=framework.code,
            version=framework.version,
            name=content["name"],
            source=content.get("source", {}),
            scale=content["scale"],
            domains=content["domains"],
        )


class RequirementCreate(_Body):
    """Importance (1–5) of competencies, for a field of study or one program.

    Give exactly one of employer_id / cluster_id, and one of field_code / program_id.
    """

    employer_id: Id | None = None
    cluster_id: Id | None = None
    field_code: Annotated[str, StringConstraints(pattern=r"^\d{4}$")] | None = None
    program_id: Id | None = None
    framework_id: Id
    importance: dict[Code, Rating] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one_owner_one_target(self) -> Self:
        for pair in (("employer_id", "cluster_id"), ("field_code", "program_id")):
            given = [name for name in pair if getattr(self, name) is not None]
            if len(given) != 1:
                raise ValueError(f"give exactly one of {pair[0]} and {pair[1]}")
        return self


class RequirementPublic(_Public):
    id: str
    version: int
    current: bool
    employer_id: str | None
    cluster_id: str | None
    field_code: str | None
    program_id: str | None
    framework_id: str
    importance: dict[str, int]
    published_at: datetime


class AssessmentContent(_Body):
    ratings: dict[Code, Rating | None] = Field(
        max_length=200, description="competency code → 1..5, or null: not observed / not required"
    )
    not_required: list[Code] = Field(
        default_factory=list,
        max_length=200,
        description="the competencies rated null that are not required in this job (the other "
        "nulls: not observed); each must be a competency of the framework with a null rating",
    )
    overall_satisfaction: Rating
    preparedness: Rating = Field(description="how well the qualification prepared them, 1..5")
    would_hire_again: bool = Field(description="would hire another graduate of this program")
    comment: Text | None = None


class AssessmentCreate(AssessmentContent):
    employer_id: Id
    graduate_id: Id
    period: Year
    framework_id: Id


class AssessmentRevise(AssessmentContent):
    """The whole new content of an active assessment (PUT replaces it)."""


class BulkAssessmentCreate(_Body):
    items: list[AssessmentCreate] = Field(min_length=1, max_length=1000)


class AssessmentPublic(_Public):
    id: str
    employer_id: str
    graduate_id: str
    program_id: str
    period: int
    framework_id: str
    status: Literal["active", "withdrawn"]
    revision: int
    ratings: dict[str, int | None]
    not_required: list[str] = Field(
        description="the competencies rated null that are not required in this job, in code "
        "order (the other nulls: not observed)"
    )
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool
    comment: str | None
    submitted_at: datetime
    updated_at: datetime


class BulkAssessmentPublic(_Public):
    items: list[AssessmentPublic]


class AssessmentRevisionPublic(_Public):
    revision: int
    action: Literal["submitted", "revised", "withdrawn"]
    state: dict[str, Any]
    recorded_at: datetime


class ProgramSummary(BaseModel):
    """De-identified distributions of a program's active assessments of one period (withheld
    unless enough assessments, graduates and employers stand behind them); a competency's
    distribution is null when too few employers rated it."""

    program_id: str
    period: int
    n: int
    suppressed: bool
    reason: str | None
    overall_satisfaction: dict[str, int] | None = None
    preparedness: dict[str, int] | None = None
    would_hire_again: dict[str, int] | None = None
    competencies: dict[str, dict[str, int] | None] | None = None


class ReminderSubscriptionSet(_Body):
    """Where and in which language the caller wants its reminders: an employer's of pending
    assessments, an institution's of employment claims awaiting its confirmation."""

    email: EmailStr = Field(max_length=254)
    language: Literal["uz", "ru", "en"]
    enabled: bool = True


class ReminderSubscriptionPublic(BaseModel):
    """An employer's or an institution's reminders; before it asks for any: no address, off."""

    organization_id: str
    role: Literal["employer", "institution"]
    email: str | None
    language: str | None
    enabled: bool
    updated_at: datetime | None = None
