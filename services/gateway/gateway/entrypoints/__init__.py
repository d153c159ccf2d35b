"""The gateway's own parts besides the proxy: quality events as server-sent events and webhooks.

What bootstrap.py wires in: the two routers (``events``, ``subscriptions``), the consumer
that stores quality events and queues their webhook deliveries, and the delivery loop.
"""

from collections.abc import Awaitable, Callable

from gateway.service_layer.delivery import run_deliveries
from gateway.service_layer.quality_events import QUALITY_EVENT_HANDLERS
from shared.platform.names import QUALITY_TOPIC
from shared.platform.runtime import ConsumerSpec, Runtime

QUALITY_EVENTS_CONSUMER = ConsumerSpec(
    purpose="quality-events", topics=(QUALITY_TOPIC,), handlers=QUALITY_EVENT_HANDLERS
)
WEBHOOK_DELIVERIES: tuple[str, Callable[[Runtime], Awaitable[None]]] = (
    "webhook-deliveries",
    run_deliveries,
)
