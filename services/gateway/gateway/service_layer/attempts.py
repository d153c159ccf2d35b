"""Delivery attempts: claiming due deliveries, recording what each attempt came to, backing
off, giving up, and disabling a subscription whose receiver keeps failing.

Each use case commits its own short transaction; no transaction is open while a receiver is
being called.
"""

import logging
from datetime import datetime, timedelta

from gateway.domain.deliveries import (
    PENDING,
    DueDelivery,
    Outcome,
    RetryPolicy,
    disable_reason,
    next_attempt,
)
from gateway.domain.subscriptions import DISABLED
from gateway.domain.targets import Targets
from gateway.service_layer.subscriptions import set_status
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork
from shared.platform.db.queries import now

log = logging.getLogger(__name__)


# Due deliveries looked at per free slot: enough to find other targets' past a busy one.
_CANDIDATES_PER_SLOT = 4


async def claim_due(
    uow: AbstractGatewayUnitOfWork,
    *,
    limit: int,
    lease_s: float,
    targets: Targets | None = None,
    at: datetime | None = None,
) -> list[DueDelivery]:
    """Take up to ``limit`` due deliveries of active subscriptions for one attempt each; with
    ``targets``, only as many per receiver as it may take now (none while its circuit is open:
    those stay pending and due), oldest due first.

    Claimed deliveries are pushed ``lease_s`` into the future, so no other loop (another
    replica) takes them meanwhile; if this process dies before recording the attempt, they
    come due again when the lease runs out and the receiver gets the event again, same id.
    """
    at = at or now()
    if targets is None:
        claimed = await uow.deliveries.due(limit=limit, at=at)
    else:
        candidates = await uow.deliveries.due(
            limit=limit * _CANDIDATES_PER_SLOT, at=at, excluding=targets.blocked_subscriptions()
        )
        claimed = targets.pick(candidates, limit=limit)
    await uow.deliveries.lease([d.id for d in claimed], until=at + timedelta(seconds=lease_s))
    await uow.commit()
    return claimed


async def record_attempt(
    uow: AbstractGatewayUnitOfWork,
    delivery: DueDelivery,
    outcome: Outcome,
    *,
    policy: RetryPolicy,
    at: datetime | None = None,
) -> None:
    """Log one attempt; schedule the next, or finish the delivery; disable a failing receiver.
    Committed."""
    at = at or now()
    current = await uow.deliveries.state(delivery.id)
    if current is None or current.status != PENDING:
        return  # given up meanwhile (the subscription was deactivated or disabled)
    record = next_attempt(current, outcome, policy=policy, at=at)
    await uow.deliveries.record(delivery.id, record)
    subscription_id = delivery.subscription_id
    await uow.subscriptions.count_outcome(
        subscription_id, ok=outcome.ok, gave_up=record.final, at=at
    )
    if not outcome.ok:
        subscription = await uow.subscriptions.get(subscription_id)
        reason = None
        if subscription is not None:
            reason = disable_reason(subscription, policy=policy, at=at)
        if reason is not None:
            await set_status(uow, subscription_id, DISABLED, reason=reason)
            log.warning(
                "webhook subscription disabled",
                extra={"subscription": subscription_id, "why": reason},
            )
    await uow.commit()
