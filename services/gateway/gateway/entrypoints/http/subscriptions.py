"""/api/v1/subscriptions: webhooks for quality events, their delivery log and a test delivery.

The secret is write-only: it signs every delivery (docs/gateway.md) and is never returned.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from gateway.domain.filters import EventFilter
from gateway.entrypoints.deps import SettingsDep, Units
from gateway.entrypoints.schemas import (
    DeliveryPublic,
    SubscriptionCreate,
    SubscriptionPublic,
    TestDeliveryResult,
)
from gateway.service_layer import delivery
from gateway.service_layer import subscriptions as handlers
from gateway.service_layer.unit_of_work import gateway_uow
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import API_PREFIX
from shared.platform.web.idempotency import CreateOnce
from shared.platform.web.identity import CurrentIdentity
from shared.platform.web.pagination import Cursor, Limit, Page

router = APIRouter(prefix=f"{API_PREFIX}/subscriptions", tags=["subscriptions"])


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionPublic,
    summary="Subscribe a receiver URL to quality events (webhooks)",
)
async def create_subscription(
    body: SubscriptionCreate, identity: CurrentIdentity, settings: SettingsDep, create: CreateOnce
) -> JSONResponse:
    filters = body.filters
    command = handlers.CreateSubscription(
        url=str(body.url),
        secret=body.secret,
        wanted=EventFilter.of(scope=filters.scope, region=filters.region, types=filters.types),
    )
    allow_private = settings.webhook_allow_private_targets
    max_per_owner = settings.max_subscriptions_per_owner

    async def run(uow: UnitOfWork) -> SubscriptionPublic:
        subscription = await handlers.create_subscription(
            gateway_uow(uow),
            identity,
            command,
            allow_private=allow_private,
            max_per_owner=max_per_owner,
        )
        return SubscriptionPublic.of(subscription)

    return await create(body, public=SubscriptionPublic, run=run)


@router.get("", response_model=Page[SubscriptionPublic], summary="List subscriptions")
async def list_subscriptions(
    identity: CurrentIdentity, units: Units, limit: Limit = 50, cursor: Cursor = None
) -> Page[SubscriptionPublic]:
    async with units() as uow:
        page = await handlers.list_subscriptions(uow, identity, limit=limit, cursor=cursor)
    items = [SubscriptionPublic.of(s) for s in page.items]
    return Page[SubscriptionPublic](items=items, next_cursor=page.next_cursor)


@router.get("/{subscription_id}", response_model=SubscriptionPublic, summary="One subscription")
async def get_subscription(
    subscription_id: str, identity: CurrentIdentity, units: Units
) -> SubscriptionPublic:
    async with units() as uow:
        subscription = await handlers.get_subscription(uow, identity, subscription_id)
    return SubscriptionPublic.of(subscription)


@router.delete(
    "/{subscription_id}",
    response_model=SubscriptionPublic,
    summary="Deactivate a subscription (its delivery log stays; pending deliveries are dropped)",
)
async def deactivate_subscription(
    subscription_id: str, identity: CurrentIdentity, units: Units
) -> SubscriptionPublic:
    async with units() as uow:
        subscription = await handlers.deactivate_subscription(uow, identity, subscription_id)
    return SubscriptionPublic.of(subscription)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryPublic],
    summary="The subscription's delivery log, newest first",
)
async def list_deliveries(
    subscription_id: str,
    identity: CurrentIdentity,
    units: Units,
    status: Annotated[Literal["pending", "delivered", "failed"] | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[DeliveryPublic]:
    async with units() as uow:
        page = await handlers.list_deliveries(
            uow, identity, subscription_id, status=status, limit=limit, cursor=cursor
        )
    items = [DeliveryPublic.of(e) for e in page.items]
    return Page[DeliveryPublic](items=items, next_cursor=page.next_cursor)


@router.post(
    "/{subscription_id}/test",
    response_model=TestDeliveryResult,
    summary="Send a signed test event to the receiver now and report its answer",
)
async def test_delivery(
    subscription_id: str, identity: CurrentIdentity, units: Units, settings: SettingsDep
) -> TestDeliveryResult:
    async with units() as uow:
        subscription = await handlers.get_subscription(uow, identity, subscription_id)
    # Sent after the transaction: no database lock is held while the receiver answers.
    event_id, outcome = await delivery.send_test(settings, subscription)
    return TestDeliveryResult.of(event_id, outcome)
