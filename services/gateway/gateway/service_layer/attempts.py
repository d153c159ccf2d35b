"""Delivery attempts: claiming due deliveries, recording what each attempt came to, backing
off, giving up, and disabling a subscription whose receiver keeps failing.

Every function runs inside the caller's transaction. Counters on the subscription are updated
in SQL (``x = x + 1``), so concurrent attempts for one subscription do not lose counts.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import deliveries, quality_events, subscriptions
from gateway.service_layer.webhooks import ACTIVE, DELIVERED, DISABLED, FAILED, PENDING, set_status
from shared.platform.db.queries import now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_base_s: float
    backoff_cap_s: float
    disable_after_failures: int
    disable_after_s: float

    def delay_s(self, attempts: int) -> float:
        """The pause after the ``attempts``-th failed attempt: doubling from the base, capped,
        less a random part of up to a quarter, so retries still grow but do not move in step."""
        full = min(self.backoff_cap_s, self.backoff_base_s * 2.0 ** min(attempts - 1, 60))
        return full * (1 - 0.25 * random.random())


@dataclass(frozen=True)
class DueDelivery:
    id: int
    subscription_id: str
    url: str
    secret: str
    event_id: str
    payload: dict[str, Any]
    attempt: int  # the number of the attempt about to be made


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the receiver's status, or why there was none."""

    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def claim_due(
    session: AsyncSession, *, limit: int, lease_s: float, at: datetime | None = None
) -> list[DueDelivery]:
    """Take up to ``limit`` due deliveries of active subscriptions for one attempt each.

    Claimed deliveries are pushed ``lease_s`` into the future, so no other loop (another
    replica) takes them meanwhile; if this process dies before recording the attempt, they
    come due again when the lease runs out and the receiver gets the event again, same id.
    """
    at = at or now()
    due = (
        select(deliveries.c.id)
        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .where(
            deliveries.c.status == PENDING,
            deliveries.c.next_attempt_at <= at,
            subscriptions.c.status == ACTIVE,
        )
        .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=deliveries)  # PostgreSQL; SQLite writers are serial
    )
    ids = list((await session.execute(due)).scalars())
    if not ids:
        return []
    rows = await session.execute(
        select(
            deliveries.c.id,
            deliveries.c.subscription_id,
            deliveries.c.attempts,
            subscriptions.c.url,
            subscriptions.c.secret,
            quality_events.c.event_id,
            quality_events.c.payload,
        )
        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .join(quality_events, quality_events.c.id == deliveries.c.quality_event_id)
        .where(deliveries.c.id.in_(ids))
        .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
    )
    claimed = [
        DueDelivery(
            id=r.id,
            subscription_id=r.subscription_id,
            url=r.url,
            secret=r.secret,
            event_id=r.event_id,
            payload=r.payload,
            attempt=r.attempts + 1,
        )
        for r in rows
    ]
    await session.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(ids))
        .values(next_attempt_at=at + timedelta(seconds=lease_s))
    )
    return claimed


async def record_attempt(
    session: AsyncSession,
    delivery: DueDelivery,
    outcome: Outcome,
    *,
    policy: RetryPolicy,
    at: datetime | None = None,
) -> None:
    """Log one attempt; schedule the next, or finish the delivery; disable a failing receiver."""
    at = at or now()
    current = (
        await session.execute(
            select(deliveries.c.status, deliveries.c.attempts, deliveries.c.attempt_log).where(
                deliveries.c.id == delivery.id
            )
        )
    ).first()
    if current is None or current.status != PENDING:
        return  # given up meanwhile (the subscription was deactivated or disabled)
    attempts = current.attempts + 1
    error = outcome.error or (None if outcome.ok else f"HTTP {outcome.status_code}")
    entry = {
        "attempt": attempts,
        "at": at.isoformat(),
        "status_code": outcome.status_code,
        "error": error,
        "duration_ms": round(outcome.duration_ms, 1),
    }
    values: dict[str, Any] = {
        "attempts": attempts,
        "last_attempt_at": at,
        "last_status_code": outcome.status_code,
        "last_error": error[:500] if error else None,
        "attempt_log": [*current.attempt_log, entry],
    }
    final = outcome.ok or attempts >= policy.max_attempts
    if final:
        values |= {
            "status": DELIVERED if outcome.ok else FAILED,
            "next_attempt_at": None,
            "finished_at": at,
        }
    else:
        values["next_attempt_at"] = at + timedelta(seconds=policy.delay_s(attempts))
    await session.execute(update(deliveries).where(deliveries.c.id == delivery.id).values(values))
    await _count(session, delivery.subscription_id, outcome=outcome, gave_up=final, at=at)
    if not outcome.ok:
        await _disable_if_failing(session, delivery.subscription_id, policy=policy, at=at)


async def _count(
    session: AsyncSession, subscription_id: str, *, outcome: Outcome, gave_up: bool, at: datetime
) -> None:
    if outcome.ok:
        values: dict[str, Any] = {"consecutive_failures": 0, "failing_since": None}
    else:
        # In SQL, so concurrent attempts for one subscription do not lose counts.
        values = {"failing_since": func.coalesce(subscriptions.c.failing_since, at)}
        if gave_up:
            values["consecutive_failures"] = subscriptions.c.consecutive_failures + 1
    await session.execute(
        update(subscriptions).where(subscriptions.c.id == subscription_id).values(values)
    )


async def _disable_if_failing(
    session: AsyncSession, subscription_id: str, *, policy: RetryPolicy, at: datetime
) -> None:
    sub = (
        await session.execute(
            select(
                subscriptions.c.status,
                subscriptions.c.consecutive_failures,
                subscriptions.c.failing_since,
            ).where(subscriptions.c.id == subscription_id)
        )
    ).first()
    if sub is None or sub.status != ACTIVE:
        return
    if sub.consecutive_failures >= policy.disable_after_failures:
        reason = (
            f"{sub.consecutive_failures} deliveries in a row failed "
            f"({policy.max_attempts} attempts each)"
        )
    elif sub.failing_since is not None and (at - sub.failing_since).total_seconds() >= (
        policy.disable_after_s
    ):
        reason = f"no delivery succeeded since {sub.failing_since.isoformat()}"
    else:
        return
    await set_status(session, subscription_id, DISABLED, reason=reason)
    log.warning(
        "webhook subscription disabled", extra={"subscription": subscription_id, "why": reason}
    )


# --- retention -----------------------------------------------------------------------------------


async def purge_expired(session: AsyncSession, *, before: datetime) -> int:
    """Drop events received before ``before`` with their finished deliveries; returns how many
    events went. An event some delivery still waits to send stays until that one finishes."""
    last = await session.scalar(
        select(func.max(quality_events.c.id)).where(quality_events.c.received_at < before)
    )
    if last is None:
        return 0
    await session.execute(
        delete(deliveries).where(
            deliveries.c.quality_event_id <= last, deliveries.c.status != PENDING
        )
    )
    still_wanted = exists().where(deliveries.c.quality_event_id == quality_events.c.id)
    result = await session.execute(
        delete(quality_events).where(quality_events.c.id <= last, ~still_wanted)
    )
    return result.rowcount or 0
