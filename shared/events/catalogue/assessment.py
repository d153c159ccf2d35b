"""Assessment events (topic educluster.assessment.v1).

Keys: frameworks by framework id; requirements by employer (or cluster); assessments by the
graduate's institution, so everything scoring one institution stays in order.
"""

from pydantic import BaseModel, ConfigDict

from shared.events.payloads import EventPayload
from shared.settings import ASSESSMENT_TOPIC


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
