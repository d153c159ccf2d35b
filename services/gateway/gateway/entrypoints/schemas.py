"""The request and response models of the gateway's own routes (events, subscriptions)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator

from gateway.domain.deliveries import DeliveryLogEntry, Outcome
from gateway.domain.subscriptions import Subscription

Scope = Literal["program", "organization", "cluster", "region", "national"]
EventTypeName = Literal[
    "score.published",
    "release.published",
    "release.restated",
    "alert.raised",
    "methodology.published",
    "educluster.quality.score.published.v1",
    "educluster.quality.release.published.v1",
    "educluster.quality.release.restated.v1",
    "educluster.quality.alert.raised.v1",
    "educluster.quality.methodology.published.v1",
]
REGION_PATTERN = r"^[A-Z]{2}-[A-Z0-9]{1,3}$"
RegionCode = Annotated[str, StringConstraints(pattern=REGION_PATTERN)]
MAX_URL_LENGTH = 2048


class SubscriptionFilters(BaseModel):
    """Every given criterion must hold; leave one out to take any value."""

    model_config = ConfigDict(extra="forbid")
    scope: Scope | None = None
    region: RegionCode | None = Field(
        default=None, description="only events naming this region (region-scope events)"
    )
    types: list[EventTypeName] | None = Field(
        default=None, min_length=1, description="short (score.published) or full CloudEvents types"
    )


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: HttpUrl = Field(description="the receiver: http or https")
    filters: SubscriptionFilters = Field(default_factory=SubscriptionFilters)
    secret: str = Field(
        min_length=16, max_length=200, repr=False, description="signs every delivery"
    )

    @field_validator("url")
    @classmethod
    def _not_too_long(cls, url: HttpUrl) -> HttpUrl:
        if len(str(url)) > MAX_URL_LENGTH:
            raise ValueError(f"must be at most {MAX_URL_LENGTH} characters")
        return url


class FiltersPublic(BaseModel):
    scope: str | None
    region: str | None
    types: list[str] | None


class SubscriptionPublic(BaseModel):
    id: str
    url: str
    filters: FiltersPublic
    status: Literal["active", "disabled", "deactivated"]
    status_reason: str | None
    consecutive_failures: int = Field(description="deliveries in a row that failed for good")
    failing_since: datetime | None
    owner: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, subscription: Subscription) -> "SubscriptionPublic":
        """The subscription as its owner sees it: everything but the secret."""
        return cls.model_validate(
            {
                **{name: getattr(subscription, name) for name in _SUBSCRIPTION_PUBLIC},
                "filters": {
                    "scope": subscription.scope,
                    "region": subscription.region,
                    "types": list(subscription.types) if subscription.types else None,
                },
            }
        )


_SUBSCRIPTION_PUBLIC = tuple(name for name in SubscriptionPublic.model_fields if name != "filters")


class AttemptPublic(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: float


class DeliveryPublic(BaseModel):
    id: int
    subscription_id: str
    sequence: int = Field(description="the event's id in the event stream")
    event_id: str = Field(description="the CloudEvent id (the same on every attempt)")
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    attempt_log: list[AttemptPublic]
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, entry: DeliveryLogEntry) -> "DeliveryPublic":
        values: dict[str, Any] = vars(entry) | {"sequence": entry.quality_event_id}
        return cls.model_validate(values)


class TestDeliveryResult(BaseModel):
    event_id: str
    delivered: bool = Field(description="the receiver answered 2xx")
    status_code: int | None
    error: str | None
    duration_ms: float

    @classmethod
    def of(cls, event_id: str, outcome: Outcome) -> "TestDeliveryResult":
        return cls(
            event_id=event_id,
            delivered=outcome.ok,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=round(outcome.duration_ms, 1),
        )
