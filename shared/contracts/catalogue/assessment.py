"""Assessment events (topic educluster.assessment.v1).

Keys: frameworks by framework id; requirements by employer (or cluster); assessments by the
graduate's institution, so everything scoring one institution stays in order.
"""

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.messaging.payloads import EventPayload
from shared.platform.names import ASSESSMENT_TOPIC


class AssessmentEvent(EventPayload):
    topic = ASSESSMENT_TOPIC


class FrameworkCompetency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    name_en: str


class FrameworkDomain(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    name_en: str
    competencies: list[FrameworkCompetency]


class FrameworkPublished(AssessmentEvent):
    """A competency framework version was published; it never changes afterwards."""

    event_type = "educluster.assessment.framework.published.v1"
    framework_id: str
    code: str
    version: int
    scale_min: int
    scale_max: int
    domains: list[FrameworkDomain]

    def partition_key(self) -> str:
        return self.framework_id

    def subject(self) -> str:
        return f"frameworks/{self.framework_id}"


class RequirementPublished(AssessmentEvent):
    """A version of what an employer (or a cluster) needs from graduates of a field or program.

    Exactly one of ``employer_id``/``cluster_id`` and one of ``field_code``/``program_id`` is
    set. A later version of the same (owner, target) supersedes this one.
    """

    event_type = "educluster.assessment.requirement.published.v1"
    requirement_id: str
    version: int
    employer_id: str | None
    cluster_id: str | None
    field_code: str | None
    program_id: str | None
    framework_id: str
    framework_version: int
    importance: dict[str, int]

    def partition_key(self) -> str:
        return self.employer_id or self.cluster_id or ""

    def subject(self) -> str:
        return f"requirements/{self.requirement_id}"


class _AssessmentState(AssessmentEvent):
    """The whole state of one assessment revision: everything scoring needs, no free text.

    ``ratings`` maps competency codes to 1..5, or to null for "not observed / not required";
    ``not_required`` lists those of the null ones the employer marked "not required in this job"
    (absent when none). ``revision`` counts every change of the assessment, starting at 1.
    """

    assessment_id: str
    revision: int
    employer_id: str
    graduate_id: str
    program_id: str
    institution_id: str
    field_code: str
    level: str
    graduation_year: int
    period: int
    framework_id: str
    framework_version: int
    ratings: dict[str, int | None]
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool
    # Left out when empty, so an assessment marking none reads as it did before the field.
    not_required: list[str] = Field(
        default_factory=list,
        exclude_if=lambda codes: not codes,
        description="competency codes rated null that the employer marked not required in this "
        "job (the others rated null were not observed); absent: none. Never a rating.",
    )

    def partition_key(self) -> str:
        return self.institution_id

    def subject(self) -> str:
        return f"assessments/{self.assessment_id}"


class AssessmentSubmitted(_AssessmentState):
    """An employer assessed a graduate it employs, for a period (year)."""

    event_type = "educluster.assessment.assessment.submitted.v1"


class AssessmentRevised(_AssessmentState):
    """An active assessment was revised; the payload is the new state, replacing the old."""

    event_type = "educluster.assessment.assessment.revised.v1"


class AssessmentWithdrawn(_AssessmentState):
    """An assessment was withdrawn; the payload is the state that no longer counts."""

    event_type = "educluster.assessment.assessment.withdrawn.v1"
