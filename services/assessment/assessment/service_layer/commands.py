"""What the assessment use cases are asked to do: typed commands built by the routes."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SubmitAssessment:
    employer_id: str
    graduate_id: str
    period: int
    framework_id: str
    ratings: dict[str, int | None]
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool
    comment: str | None = None
    not_required: list[str] = field(default_factory=list)  # codes rated null


@dataclass(frozen=True)
class ReviseAssessment:
    """The whole new content of an active assessment (it replaces the old)."""

    assessment_id: str
    ratings: dict[str, int | None]
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool
    comment: str | None = None
    not_required: list[str] = field(default_factory=list)  # codes rated null


@dataclass(frozen=True)
class PublishRequirement:
    """Exactly one of employer_id / cluster_id, and one of field_code / program_id, is set."""

    framework_id: str
    importance: dict[str, int]
    employer_id: str | None = None
    cluster_id: str | None = None
    field_code: str | None = None
    program_id: str | None = None


@dataclass(frozen=True)
class PublishFramework:
    """A new framework version's content; its version number is assigned on publication."""

    code: str
    name: dict[str, str]
    source: dict[str, str]
    domains: list[dict[str, Any]]
