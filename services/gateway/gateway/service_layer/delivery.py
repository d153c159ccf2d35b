"""Sending webhooks: the signed POST, the delivery loop, and the synchronous test delivery.

The loop keeps up to ``webhook_concurrency`` attempts in flight. Each round it claims due
deliveries (a short transaction), sends each one, and records the outcome in a transaction of
its own: a slow receiver holds only its own slot. The loop also purges events and finished
deliveries past their retention.
"""

import asyncio
import errno
import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from sqlalchemy.exc import DBAPIError

from gateway.config import GatewaySettings
from gateway.service_layer import attempts
from gateway.service_layer.attempts import DueDelivery, Outcome, RetryPolicy
from gateway.service_layer.quality_events import cloudevent_json
from gateway.service_layer.signing import SIGNATURE_HEADER, signature
from gateway.service_layer.webhooks import is_private_address
from shared.platform.messaging.envelope import CONTENT_TYPE
from shared.platform.messaging.inbox_apply import is_outage
from shared.platform.runtime import Runtime

log = logging.getLogger(__name__)

TEST_EVENT_TYPE = "educluster.gateway.webhook.test.v1"
_PURGE_EVERY_S = 3600.0


class PrivateTargetRefused(OSError):
    """A webhook URL that leads to a loopback, private or link-local address."""


class _PublicOnlyResolver(AbstractResolver):
    """Resolves as usual, keeping only public addresses: a name that points into the
    gateway's own network (the services, their databases) is refused at connect time."""

    def __init__(self) -> None:
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        resolved = [r for r in await self._inner.resolve(host, port, family)]
        public = [r for r in resolved if not is_private_address(r["host"])]
        if not public:
            # (errno, text): aiohttp shows the text in the error it raises from this.
            raise PrivateTargetRefused(errno.EPERM, "refused: not a public address")
        return public

    async def close(self) -> None:
        await self._inner.close()


class WebhookSender:
    """One aiohttp session for all receivers; use as ``async with WebhookSender(...)``."""

    def __init__(self, *, timeout_s: float, allow_private: bool, connections: int = 64) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._allow_private = allow_private
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "WebhookSender":
        connector = aiohttp.TCPConnector(
            limit=self._connections,
            resolver=None if self._allow_private else _PublicOnlyResolver(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=self._timeout, trust_env=False
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(
        self, *, url: str, secret: str, payload: dict[str, Any], attempt: int = 1
    ) -> Outcome:
        """POST the CloudEvent, signed; never raises for the receiver's or the network's faults."""
        assert self._session is not None, "use WebhookSender as an async context manager"
        started = time.perf_counter()
        host = urlsplit(url).hostname or ""
        if not self._allow_private and is_private_address(host):
            return Outcome(None, f"refused: {host} is not a public address", 0.0)
        body = cloudevent_json(payload).encode()
        headers = {
            "Content-Type": CONTENT_TYPE,
            "User-Agent": "EduCluster-Webhooks/1",
            "EduCluster-Event-Id": str(payload["id"]),
            "EduCluster-Delivery-Attempt": str(attempt),
            SIGNATURE_HEADER: signature(secret, body),
        }
        try:
            async with self._session.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                await response.content.read(1024)  # a little of the answer; the status decides
                status = response.status
        except TimeoutError:
            return Outcome(None, f"no answer within {self._timeout.total:g} s", _ms(started))
        except (aiohttp.ClientError, OSError) as error:
            return Outcome(None, f"{type(error).__name__}: {error}"[:500], _ms(started))
        return Outcome(status, None, _ms(started))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def retry_policy(settings: GatewaySettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.webhook_max_attempts,
        backoff_base_s=settings.webhook_backoff_base_s,
        backoff_cap_s=settings.webhook_backoff_cap_s,
        disable_after_failures=settings.webhook_disable_after_failures,
        disable_after_s=settings.webhook_disable_after_s,
    )


def sender_for(settings: GatewaySettings) -> WebhookSender:
    return WebhookSender(
        timeout_s=settings.webhook_timeout_s,
        allow_private=settings.webhook_allow_private_targets,
        connections=max(settings.webhook_concurrency, 1),
    )


async def run_deliveries(runtime: Runtime) -> None:
    """The delivery loop (a ServiceSpec loop): send due deliveries until cancelled."""
    settings: GatewaySettings = runtime.spec.settings  # type: ignore[assignment]
    policy = retry_policy(settings)
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
                        for due in await _claim(runtime, limit=free, lease_s=lease_s):
                            task = asyncio.create_task(_attempt(runtime, sender, due, policy))
                            in_flight.add(task)
                            task.add_done_callback(in_flight.discard)
                    if time.monotonic() >= next_purge:
                        await _purge(runtime, settings.quality_events_retention_days)
                        next_purge = time.monotonic() + _PURGE_EVERY_S
                    backoff = settings.webhook_poll_s
                except Exception as error:
                    if not _database_trouble(error):
                        raise
                    # Also what an unmigrated database looks like: wait, do not crash-loop.
                    log.warning("webhook deliveries paused", extra={"error": repr(error)})
                    backoff = min(backoff * 2, 30.0)
                await asyncio.sleep(backoff)
        finally:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)


def _database_trouble(error: BaseException) -> bool:
    return is_outage(error) or isinstance(error, DBAPIError)


async def _claim(runtime: Runtime, *, limit: int, lease_s: float) -> list[DueDelivery]:
    async with runtime.uow_factory() as uow:
        claimed = await attempts.claim_due(uow.session, limit=limit, lease_s=lease_s)
        await uow.commit()
    return claimed


async def _attempt(
    runtime: Runtime, sender: WebhookSender, due: DueDelivery, policy: RetryPolicy
) -> None:
    outcome = await sender.send(
        url=due.url, secret=due.secret, payload=due.payload, attempt=due.attempt
    )
    try:
        async with runtime.uow_factory() as uow:
            await attempts.record_attempt(uow.session, due, outcome, policy=policy)
            await uow.commit()
    except Exception:
        # Not recorded: the lease runs out and the delivery is sent again (same event id).
        log.exception("webhook attempt not recorded", extra={"delivery": due.id})


async def _purge(runtime: Runtime, retention_days: int) -> None:
    before = datetime.now(UTC) - timedelta(days=retention_days)
    async with runtime.uow_factory() as uow:
        purged = await attempts.purge_expired(uow.session, before=before)
        await uow.commit()
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


async def send_test(settings: GatewaySettings, subscription: dict[str, Any]) -> tuple[str, Outcome]:
    """Send a test event to the subscription's receiver now; (event id, outcome)."""
    event = sample_event(subscription["id"])
    async with sender_for(settings) as sender:
        outcome = await sender.send(
            url=subscription["url"], secret=subscription["secret"], payload=event
        )
    return event["id"], outcome
