"""Webhook subscriptions and their delivery log: the use cases, and routing consumed events.

A consumed quality event queues one delivery per matching active subscription (in the
consumer's transaction). The delivery loop (``gateway.service_layer.delivery``) sends them;
``gateway.service_layer.attempts`` records each attempt, retries, gives up and disables.
"""

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import deliveries, quality_events, subscriptions
from gateway.service_layer.filters import EventFilter
from shared.platform.auth import Identity, forbidden
from shared.platform.db.keyset import Page, decode_cursor, encode_cursor, invalid_cursor
from shared.platform.db.queries import fetch_page, now
from shared.platform.errors import NotFound, RuleViolation
from shared.platform.ids import new_id

ACTIVE, DISABLED, DEACTIVATED = "active", "disabled", "deactivated"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
SUBSCRIBER_ROLES = ("ministry", "regional_authority")


def is_private_address(host: str) -> bool:
    """True for an IP literal that is not a public (global) address."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def require_subscriber(identity: Identity) -> None:
    if not identity.is_(*SUBSCRIBER_ROLES):
        raise forbidden("quality event streams and webhooks are for the ministry and regions")


# --- subscriptions -----------------------------------------------------------------------------


async def create_subscription(
    session: AsyncSession,
    identity: Identity,
    *,
    url: str,
    secret: str,
    wanted: EventFilter,
    allow_private: bool,
) -> dict[str, Any]:
    require_subscriber(identity)
    host = (urlsplit(url).hostname or "").lower()
    if not allow_private and (host == "localhost" or is_private_address(host)):
        # Names are checked again when sending (a name may resolve to a private address).
        raise RuleViolation("url", f"must lead to a public address; {host} is not one")
    at = now()
    row = {
        "id": new_id(),
        "owner": identity.sub,
        "owner_role": identity.role,
        "url": url,
        "secret": secret,
        "scope": wanted.scope,
        "region": wanted.region,
        "types": sorted(wanted.types) if wanted.types else None,
        "status": ACTIVE,
        "status_reason": None,
        "consecutive_failures": 0,
        "failing_since": None,
        "created_at": at,
        "updated_at": at,
    }
    await session.execute(subscriptions.insert().values(**row))
    return row


def _visible_to(identity: Identity) -> list[Any]:
    # The ministry oversees every subscription; anyone else sees only their own.
    return [] if identity.is_("ministry") else [subscriptions.c.owner == identity.sub]


async def list_subscriptions(
    session: AsyncSession, identity: Identity, *, limit: int, cursor: str | None
) -> Page[dict[str, Any]]:
    require_subscriber(identity)
    return await fetch_page(
        session, subscriptions, filters=_visible_to(identity), limit=limit, cursor=cursor
    )


async def get_subscription(
    session: AsyncSession, identity: Identity, subscription_id: str
) -> dict[str, Any]:
    """The subscription if the caller may see it; 404 otherwise (existence is not revealed)."""
    require_subscriber(identity)
    row = (
        (
            await session.execute(
                select(subscriptions).where(
                    subscriptions.c.id == subscription_id, *_visible_to(identity)
                )
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("subscription", subscription_id)
    return dict(row)


async def deactivate_subscription(
    session: AsyncSession, identity: Identity, subscription_id: str
) -> dict[str, Any]:
    row = await get_subscription(session, identity, subscription_id)
    if row["status"] != DEACTIVATED:
        await set_status(
            session, subscription_id, DEACTIVATED, reason=f"deactivated by {identity.sub}"
        )
    return await get_subscription(session, identity, subscription_id)


async def set_status(
    session: AsyncSession, subscription_id: str, status: str, *, reason: str
) -> None:
    """Change a subscription's status; deliveries it still had pending are given up."""
    at = now()
    await session.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id)
        .values(status=status, status_reason=reason[:500], updated_at=at)
    )
    await session.execute(
        update(deliveries)
        .where(deliveries.c.subscription_id == subscription_id, deliveries.c.status == PENDING)
        .values(
            status=FAILED,
            next_attempt_at=None,
            finished_at=at,
            last_error=f"not sent: the subscription was {status}",
        )
    )


# --- the delivery log --------------------------------------------------------------------------


async def list_deliveries(
    session: AsyncSession,
    identity: Identity,
    subscription_id: str,
    *,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    """The subscription's deliveries, newest first."""
    await get_subscription(session, identity, subscription_id)
    statement = (
        select(
            deliveries,
            quality_events.c.event_id,
            quality_events.c.type.label("event_type"),
        )
        .join(quality_events, quality_events.c.id == deliveries.c.quality_event_id)
        .where(deliveries.c.subscription_id == subscription_id)
        .order_by(deliveries.c.id.desc())
        .limit(limit + 1)
    )
    if status is not None:
        statement = statement.where(deliveries.c.status == status)
    before = _delivery_cursor(cursor)
    if before is not None:
        statement = statement.where(deliveries.c.id < before)
    rows = [dict(r) for r in (await session.execute(statement)).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(str(rows[-1]["id"])) if more else None)


def _delivery_cursor(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if not key.isdigit():
        raise invalid_cursor()
    return int(key)


# --- routing consumed events ---------------------------------------------------------------------


async def queue_deliveries(
    session: AsyncSession,
    *,
    quality_event_id: int,
    event_type: str,
    scope: str | None,
    region_code: str | None,
) -> int:
    """One pending delivery per active subscription that wants the event; returns how many."""
    candidates = await session.execute(
        select(
            subscriptions.c.id, subscriptions.c.scope, subscriptions.c.region, subscriptions.c.types
        ).where(subscriptions.c.status == ACTIVE)
    )
    wanting = [
        row.id
        for row in candidates
        if EventFilter(
            scope=row.scope, region=row.region, types=frozenset(row.types) if row.types else None
        ).matches(event_type=event_type, scope=scope, region_code=region_code)
    ]
    if wanting:
        at = now()
        await session.execute(
            deliveries.insert(),
            [
                {
                    "subscription_id": subscription_id,
                    "quality_event_id": quality_event_id,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": at,
                    "attempt_log": [],
                    "created_at": at,
                }
                for subscription_id in wanting
            ],
        )
    return len(wanting)
