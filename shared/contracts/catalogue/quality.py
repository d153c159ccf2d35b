"""Quality events, the ones ministry systems subscribe to.

educluster.quality.v1 carries what was *published* (releases, one score.published per scope and
publication, alerts, methodology versions); educluster.quality.live.v1 carries the live
per-window score.updated stream, for the ministry's systems only (docs/publication.md).
Keyed by the scored entity's id (a program, organization or cluster id, a region code, or the
country code for the national scope), so each scope's history stays in order.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES, EmploymentStatus
from shared.platform.messaging.payloads import EventPayload
from shared.platform.names import QUALITY_LIVE_TOPIC, QUALITY_TOPIC

Scope = Literal["program", "organization", "cluster", "region", "national"]


class QualityEvent(EventPayload):
    topic = QUALITY_TOPIC


class Figure(BaseModel):
    """One published number: never without its n and interval; suppressed ones give a reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool
    reason: str | None


class _ScopeFigures(QualityEvent):
    """One scope's figures of a period (or the 3-year pool ending there)."""

    scope: Scope
    scope_id: str
    period: int
    pooled: bool  # the 3-year pool ending at ``period``
    methodology_version: int
    index: Figure
    indicators: dict[str, Figure]

    def partition_key(self) -> str:
        return self.scope_id


class ScoreUpdated(_ScopeFigures):
    """A live figure of a scope changed (at most one per scope per window; ministry only)."""

    topic = QUALITY_LIVE_TOPIC
    event_type = "educluster.quality.score.updated.v1"

    def subject(self) -> str:
        return f"quality/{self.scope}/{self.scope_id}"


class AlertRaised(QualityEvent):
    """A scope needs attention: a low index, a significant drop, or a competency gap."""

    event_type = "educluster.quality.alert.raised.v1"
    alert_id: str
    scope: Scope
    scope_id: str
    period: int
    kind: Literal["index_below_threshold", "significant_drop", "competency_gap"]
    detail: dict[str, str | float | int | None]

    def partition_key(self) -> str:
        return self.scope_id

    def subject(self) -> str:
        return f"quality/{self.scope}/{self.scope_id}/alerts/{self.alert_id}"


class ExclusionRecorded(QualityEvent):
    """The ministry excluded an assessment, or every assessment of an employer, from the
    figures (live, and every publication made after it), for the recorded ``reason``."""

    event_type = "educluster.quality.exclusion.recorded.v1"
    exclusion_id: str
    assessment_id: str | None
    employer_id: str | None
    reason: str
    excluded_assessments: int  # active ones taken out of their cells now

    def partition_key(self) -> str:
        return "exclusions"

    def subject(self) -> str:
        return f"exclusions/{self.exclusion_id}"


class MethodologyPublished(QualityEvent):
    """The ministry published a methodology version; every score is recomputed with it."""

    event_type = "educluster.quality.methodology.published.v1"
    version: int
    weights: dict[str, float]
    interval_level: float
    thresholds: dict[str, int | float]
    # Decimals publications state (share_decimals, mean_decimals, index_decimals).
    rounding: dict[str, int] = Field(default_factory=dict)
    # The registry states of the employments counted in employment outcomes (events published
    # before employment states existed: the default, confirmed and verified).
    counting_employment_states: list[EmploymentStatus] = Field(
        default_factory=lambda: list(COUNTING_EMPLOYMENT_STATES)
    )

    def partition_key(self) -> str:
        return "methodology"

    def subject(self) -> str:
        return f"methodologies/{self.version}"


class ScorePublished(_ScopeFigures):
    """A scope's figures as one publication states them (one per scope and publication)."""

    event_type = "educluster.quality.score.published.v1"
    publication: int
    release: Literal["official", "provisional"]

    def subject(self) -> str:
        return f"quality/{self.scope}/{self.scope_id}/publications/{self.publication}"


class ReleasePublished(QualityEvent):
    """A publication of a period's figures was made (an official release or an interim one)."""

    event_type = "educluster.quality.release.published.v1"
    publication: int
    release: Literal["official", "provisional"]
    period: int
    methodology_version: int
    figures: int  # scorecards published (every scope, the year and its 3-year pool)
    suppressed_cells: int  # figures withheld (primary and secondary suppression)
    held_back_cells: int  # cells whose latest changes wait for a larger batch
    audit: dict[str, int | float | str | None]

    def partition_key(self) -> str:
        return f"period-{self.period}"

    def subject(self) -> str:
        return f"publications/{self.publication}"


class ReleaseRestated(ReleasePublished):
    """An official release was corrected by a new one for the same period (never edited)."""

    event_type = "educluster.quality.release.restated.v1"
    restates: int
    reason: str
    changed: list[str]  # "scope:scope_id:year|pool" of every scorecard that differs
