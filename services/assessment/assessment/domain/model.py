"""The assessment service's records: frameworks, requirements, assessments, and the registry
facts it keeps from registry events. Plain frozen dataclasses: a change is a new value."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from assessment.domain.framework_rules import (
    check_known_codes,
    check_not_required,
    competency_codes,
)
from shared.platform.errors import Loc

Status = Literal["active", "withdrawn"]
Action = Literal["submitted", "revised", "withdrawn"]

# What an employer says about a graduate; a revision replaces all of it.
CONTENT_FIELDS = (
    "ratings",
    "not_required",
    "overall_satisfaction",
    "preparedness",
    "would_hire_again",
    "comment",
)


@dataclass(frozen=True)
class Framework:
    """A published competency framework version; it never changes afterwards."""

    id: str
    code: str
    version: int
    content: dict[str, Any]
    published_at: datetime

    def competency_codes(self) -> set[str]:
        return competency_codes(self.content)

    def check_known_codes(self, codes: Iterable[str], *, path: Loc) -> None:
        """RuleViolation at ``path`` for the first code that is not one of its competencies."""
        check_known_codes(codes, self.content, path=path)

    def check_not_required(
        self, codes: Sequence[str], ratings: Mapping[str, int | None], *, path: Loc
    ) -> None:
        """RuleViolation at ``(*path, index)`` for the first code marked not required that is
        not one of its competencies or is not rated null in ``ratings``."""
        check_not_required(codes, ratings, self.content, path=path)


@dataclass(frozen=True)
class Requirement:
    """One version of what an owner (employer or cluster) needs from a target (field or
    program); ``owner_key`` and ``target_key`` name the series it belongs to."""

    id: str
    owner_key: str
    target_key: str
    version: int
    current: bool
    employer_id: str | None
    cluster_id: str | None
    field_code: str | None
    program_id: str | None
    framework_id: str
    importance: dict[str, int]
    published_by: str
    published_at: datetime


@dataclass(frozen=True)
class Assessment:
    """An employer's assessment of a graduate it employs, for a period (a year)."""

    id: str
    employer_id: str
    graduate_id: str
    period: int
    status: Status
    revision: int
    institution_id: str
    program_id: str
    framework_id: str
    ratings: dict[str, int | None]
    # The codes rated null that the employer marked "not required in this job" (the other
    # nulls: "not observed"), in code order.
    not_required: list[str]
    overall_satisfaction: int
    preparedness: int
    would_hire_again: bool
    comment: str | None
    submitted_at: datetime
    updated_at: datetime

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def state(self) -> dict[str, Any]:
        """What the history keeps of this revision."""
        return {"status": self.status, "framework_id": self.framework_id, **self.content()}


def in_code_order(codes: Iterable[str]) -> list[str]:
    """Each code once, in order: the same set of codes is stored, and compares, the same."""
    return sorted(set(codes))


@dataclass(frozen=True)
class AssessmentRevision:
    """One state an assessment has had, and who brought it about."""

    assessment_id: str
    revision: int
    action: Action
    state: dict[str, Any]
    recorded_by: str
    recorded_at: datetime


# Registry facts, as the projection of registry events holds them (the latest state of each).


@dataclass(frozen=True)
class Organization:
    id: str
    kind: str
    region_code: str
    active: bool


@dataclass(frozen=True)
class Program:
    id: str
    institution_id: str
    field_code: str
    level: str
    active: bool


@dataclass(frozen=True)
class Graduate:
    id: str
    institution_id: str
    program_id: str
    graduation_year: int
    active: bool


@dataclass(frozen=True)
class Cluster:
    id: str
    coordinator_id: str
    region_code: str
    status: str

    @property
    def active(self) -> bool:
        return self.status == "active"
