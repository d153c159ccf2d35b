"""/api/v1/subscriptions: webhooks for quality events, their delivery log and a test delivery.

The secret is write-only: it signs every delivery (docs/gateway.md) and is never returned.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator

from gateway.config import GatewaySettings
from gateway.entrypoints.events import REGION_PATTERN, EventTypeName, Scope
from gateway.service_layer import delivery
from gateway.service_layer import webhooks as handlers
from gateway.service_layer.filters import EventFilter
from shared.platform.names import API_PREFIX
from shared.platform.web.deps import UnitOfWorkFactory
from shared.platform.web.idempotency import IdempotencyKey, create_once, fingerprint
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/subscriptions", tags=["subscriptions"])

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
        default=None, min_length=1, description="short (score.updated) or full CloudEvents types"
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


class TestDeliveryResult(BaseModel):
    event_id: str
    delivered: bool = Field(description="the receiver answered 2xx")
    status_code: int | None
    error: str | None
    duration_ms: float


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in SubscriptionPublic.model_fields if k in row},
        "filters": {"scope": row["scope"], "region": row["region"], "types": row["types"]},
    }


def _delivery_public(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "sequence": row["quality_event_id"]}


def _settings(request: Request) -> GatewaySettings:
    return request.app.state.runtime.spec.settings


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionPublic,
    summary="Subscribe a receiver URL to quality events (webhooks)",
)
async def create_subscription(
    body: SubscriptionCreate,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
    idempotency_key: IdempotencyKey = None,
):
    filters = body.filters
    wanted = EventFilter.of(
        scope=filters.scope, region=filters.region, types=list(filters.types or [])
    )
    allow_private = _settings(request).webhook_allow_private_targets

    async def create(uow) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        row = await handlers.create_subscription(
            uow.session,
            identity,
            url=str(body.url),
            secret=body.secret,
            wanted=wanted,
            allow_private=allow_private,
        )
        return _public(row)

    return await create_once(
        uow_factory,
        principal=identity.sub,
        key=idempotency_key,
        request_print=fingerprint("POST", request.url.path, body.model_dump(mode="json")),
        public=SubscriptionPublic,
        create=create,
    )


@router.get("", response_model=Page[SubscriptionPublic], summary="List subscriptions")
async def list_subscriptions(
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    async with uow_factory() as uow:
        page = await handlers.list_subscriptions(uow.session, identity, limit=limit, cursor=cursor)
    return Page(items=[_public(row) for row in page.items], next_cursor=page.next_cursor)


@router.get("/{subscription_id}", response_model=SubscriptionPublic, summary="One subscription")
async def get_subscription(
    subscription_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        return _public(await handlers.get_subscription(uow.session, identity, subscription_id))


@router.delete(
    "/{subscription_id}",
    response_model=SubscriptionPublic,
    summary="Deactivate a subscription (its delivery log stays; pending deliveries are dropped)",
)
async def deactivate_subscription(
    subscription_id: str, identity: CurrentIdentity, uow_factory: UnitOfWorkFactory
):
    async with uow_factory() as uow:
        row = await handlers.deactivate_subscription(uow.session, identity, subscription_id)
        await uow.commit()
    return _public(row)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryPublic],
    summary="The subscription's delivery log, newest first",
)
async def list_deliveries(
    subscription_id: str,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    status: Annotated[Literal["pending", "delivered", "failed"] | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
):
    async with uow_factory() as uow:
        page = await handlers.list_deliveries(
            uow.session, identity, subscription_id, status=status, limit=limit, cursor=cursor
        )
    return Page(items=[_delivery_public(r) for r in page.items], next_cursor=page.next_cursor)


@router.post(
    "/{subscription_id}/test",
    response_model=TestDeliveryResult,
    summary="Send a signed test event to the receiver now and report its answer",
)
async def test_delivery(
    subscription_id: str,
    identity: CurrentIdentity,
    uow_factory: UnitOfWorkFactory,
    request: Request,
):
    async with uow_factory() as uow:
        subscription = await handlers.get_subscription(uow.session, identity, subscription_id)
    # Sent after the transaction: no database lock is held while the receiver answers.
    event_id, outcome = await delivery.send_test(_settings(request), subscription)
    return TestDeliveryResult(
        event_id=event_id,
        delivered=outcome.ok,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=round(outcome.duration_ms, 1),
    )
