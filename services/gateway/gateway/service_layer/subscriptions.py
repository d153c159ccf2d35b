"""Webhook subscriptions and their delivery log: the use cases behind /api/v1/subscriptions.

A subscription belongs to its creator (the whole identity: issuer, subject, role, organization,
region); the ministry sees every one. Someone else's is not
found (its existence is not revealed).
"""

from dataclasses import dataclass

from gateway.domain.access import may_see, require_subscriber, visible_owner
from gateway.domain.deliveries import DeliveryLogEntry, given_up
from gateway.domain.filters import EventFilter
from gateway.domain.subscriptions import (
    DEACTIVATED,
    Subscription,
    check_room,
    check_target,
    new_subscription,
    status_reason,
)
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page, decode_cursor, invalid_cursor
from shared.platform.db.queries import now
from shared.platform.errors import NotFound
from shared.platform.ids import new_id


@dataclass(frozen=True)
class CreateSubscription:
    url: str
    secret: str
    wanted: EventFilter


async def create_subscription(
    uow: AbstractGatewayUnitOfWork,
    identity: Identity,
    command: CreateSubscription,
    *,
    allow_private: bool,
    max_per_owner: int,
) -> Subscription:
    """A new active subscription of the caller's (the caller commits: an idempotent create).
    Conflict when the caller already has one for this receiver and these filters, or holds
    ``max_per_owner`` active ones."""
    require_subscriber(identity)
    check_target(command.url, allow_private=allow_private)
    held = await uow.subscriptions.active_of(identity.principal)
    check_room(held, url=command.url, wanted=command.wanted, max_per_owner=max_per_owner)
    subscription = new_subscription(
        identity,
        id=new_id(),
        url=command.url,
        secret=command.secret,
        wanted=command.wanted,
        at=now(),
    )
    await uow.subscriptions.add(subscription)
    return subscription


async def list_subscriptions(
    uow: AbstractGatewayUnitOfWork, identity: Identity, *, limit: int, cursor: str | None
) -> Page[Subscription]:
    require_subscriber(identity)
    return await uow.subscriptions.page(owner=visible_owner(identity), limit=limit, cursor=cursor)


async def get_subscription(
    uow: AbstractGatewayUnitOfWork, identity: Identity, subscription_id: str
) -> Subscription:
    """The subscription if the caller may see it; NotFound otherwise."""
    require_subscriber(identity)
    subscription = await uow.subscriptions.get(subscription_id)
    if subscription is None or not may_see(identity, subscription.owner_principal):
        raise NotFound("subscription", subscription_id)
    return subscription


async def deactivate_subscription(
    uow: AbstractGatewayUnitOfWork, identity: Identity, subscription_id: str
) -> Subscription:
    """Deactivated by the caller (its log stays; pending deliveries are given up); committed."""
    subscription = await get_subscription(uow, identity, subscription_id)
    if subscription.status != DEACTIVATED:
        await set_status(uow, subscription_id, DEACTIVATED, reason=f"deactivated by {identity.sub}")
        subscription = await get_subscription(uow, identity, subscription_id)
    await uow.commit()
    return subscription


async def set_status(
    uow: AbstractGatewayUnitOfWork, subscription_id: str, status: str, *, reason: str
) -> None:
    """Change a subscription's status; deliveries it still had pending are given up."""
    at = now()
    await uow.subscriptions.set_status(subscription_id, status, reason=status_reason(reason), at=at)
    await uow.deliveries.give_up_pending(subscription_id, error=given_up(status), at=at)


async def list_deliveries(
    uow: AbstractGatewayUnitOfWork,
    identity: Identity,
    subscription_id: str,
    *,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page[DeliveryLogEntry]:
    """The subscription's deliveries, newest first."""
    await get_subscription(uow, identity, subscription_id)
    return await uow.deliveries.log(
        subscription_id, status=status, limit=limit, before=_delivery_cursor(cursor)
    )


def _delivery_cursor(cursor: str | None) -> int | None:
    # The delivery log's position is a delivery id: an integer.
    key = decode_cursor(cursor)
    if key is None:
        return None
    if not key.isdigit():
        raise invalid_cursor()
    return int(key)
