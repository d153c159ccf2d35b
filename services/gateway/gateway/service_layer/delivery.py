"""The delivery loop and the synchronous test delivery.

The loop keeps up to ``webhook_concurrency`` attempts in flight, at most
``webhook_concurrency_per_target`` of them to one receiver, and none to a receiver whose
circuit is open (domain/targets.py): a slow or failing receiver holds only its own deliveries.
Each round it claims due deliveries (a short transaction), sends each one, and records the
outcome in a transaction of its own. The loop also purges events and finished deliveries past
their retention.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy.exc import DBAPIError

from gateway.adapters.webhooks import WebhookSender
from gateway.config import GatewaySettings
from gateway.domain.deliveries import DueDelivery, Outcome, RetryPolicy
from gateway.domain.subscriptions import Subscription, target_of
from gateway.domain.targets import TargetLimits, Targets
from gateway.service_layer import attempts, quality_events
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork, gateway_units
from shared.platform.logging import described
from shared.platform.messaging.inbox_apply import is_outage
from shared.platform.runtime import Runtime

log = logging.getLogger(__name__)

TEST_EVENT_TYPE = "educluster.gateway.webhook.test.v1"
_PURGE_EVERY_S = 3600.0

Units = Callable[[], AbstractGatewayUnitOfWork]


def retry_policy(settings: GatewaySettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.webhook_max_attempts,
        backoff_base_s=settings.webhook_backoff_base_s,
        backoff_cap_s=settings.webhook_backoff_cap_s,
        disable_after_failures=settings.webhook_disable_after_failures,
        disable_after_s=settings.webhook_disable_after_s,
    )


def target_limits(settings: GatewaySettings) -> TargetLimits:
    return TargetLimits(
        per_target=settings.webhook_concurrency_per_target,
        failures_to_open=settings.webhook_circuit_failures,
        cooldown_s=settings.webhook_circuit_cooldown_s,
        cooldown_cap_s=settings.webhook_circuit_cooldown_cap_s,
    )


def sender_for(settings: GatewaySettings) -> WebhookSender:
    return WebhookSender(
        timeout_s=settings.webhook_timeout_s,
        allow_private=settings.webhook_allow_private_targets,
        connections=max(settings.webhook_concurrency, 1),
    )


async def run_deliveries(runtime: Runtime[GatewaySettings]) -> None:
    """The delivery loop (a ServiceSpec loop): send due deliveries until cancelled."""
    settings = runtime.settings
    units = gateway_units(runtime.uow_factory)
    policy = retry_policy(settings)
    targets = Targets(target_limits(settings))
    # A claimed delivery is taken again if its attempt was never recorded (a crash) by then.
    lease_s = settings.webhook_timeout_s + 60.0
    in_flight: set[asyncio.Task[None]] = set()
    next_purge, backoff = 0.0, settings.webhook_poll_s
    async with sender_for(settings) as sender:
        try:
            while True:
                try:
                    free = settings.webhook_concurrency - len(in_flight)
                    if free > 0:
                        async with units() as uow:
                            claimed = await attempts.claim_due(
                                uow, limit=free, lease_s=lease_s, targets=targets
                            )
                        targets.start(claimed)
                        for due in claimed:
                            attempt = _attempt(units, sender, due, policy=policy, targets=targets)
                            task = asyncio.create_task(attempt)
                            in_flight.add(task)
                            task.add_done_callback(in_flight.discard)
                    if time.monotonic() >= next_purge:
                        await _purge(units, settings.quality_events_retention_days)
                        next_purge = time.monotonic() + _PURGE_EVERY_S
                    backoff = settings.webhook_poll_s
                except Exception as error:
                    if not _database_trouble(error):
                        raise
                    # Also what an unmigrated database looks like: wait, do not crash-loop.
                    log.warning("webhook deliveries paused", extra={"error": described(error)})
                    backoff = min(backoff * 2, 30.0)
                await asyncio.sleep(backoff)
        finally:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)


def _database_trouble(error: BaseException) -> bool:
    return is_outage(error) or isinstance(error, DBAPIError)


async def _attempt(
    units: Units, sender: WebhookSender, due: DueDelivery, *, policy: RetryPolicy, targets: Targets
) -> None:
    target, trouble = target_of(due.url), True
    try:
        outcome = await sender.send(
            url=due.url, secret=due.secret, payload=due.payload, attempt=due.attempt
        )
        trouble = outcome.receiver_trouble
    finally:
        if targets.finished(target, trouble=trouble):
            log.warning("webhook target's circuit opened", extra={"target": target})
    try:
        async with units() as uow:
            await attempts.record_attempt(uow, due, outcome, policy=policy)
    except Exception:
        # Not recorded: the lease runs out and the delivery is sent again (same event id).
        log.exception("webhook attempt not recorded", extra={"delivery": due.id})


async def _purge(units: Units, retention_days: int) -> None:
    before = datetime.now(UTC) - timedelta(days=retention_days)
    async with units() as uow:
        purged = await quality_events.purge_expired(uow, before=before)
    if purged:
        log.info("purged old quality events", extra={"events": purged})


def sample_event(subscription_id: str) -> dict[str, Any]:
    """A CloudEvent of a type no real event has, for checking a receiver end to end."""
    return {
        "specversion": "1.0",
        "id": str(uuid4()),
        "source": "/educluster/gateway",
        "type": TEST_EVENT_TYPE,
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "subject": f"subscriptions/{subscription_id}",
        "datacontenttype": "application/json",
        "data": {"subscription_id": subscription_id, "message": "test delivery"},
    }


async def send_test(settings: GatewaySettings, subscription: Subscription) -> tuple[str, Outcome]:
    """Send a test event to the subscription's receiver now; (event id, outcome)."""
    event = sample_event(subscription.id)
    async with sender_for(settings) as sender:
        outcome = await sender.send(url=subscription.url, secret=subscription.secret, payload=event)
    return event["id"], outcome
