"""The gateway's consumer group: quality events, stored for the event stream and queued as
webhook deliveries (in the consumer's inbox transaction)."""

from gateway.domain.quality_events import QUALITY_TYPES
from gateway.service_layer import quality_events
from gateway.service_layer.unit_of_work import gateway_uow
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import QUALITY_TOPIC


async def store_quality_event(event: CloudEvent, uow: UnitOfWork) -> None:
    """Handler of the public quality events (publications, alerts, methodology versions)."""
    await quality_events.store_quality_event(gateway_uow(uow), quality_events.received(event))


CONSUMERS: tuple[ConsumerSpec, ...] = (
    ConsumerSpec(
        purpose="quality-events",
        topics=(QUALITY_TOPIC,),
        handlers={event_type: store_quality_event for event_type in QUALITY_TYPES.values()},
    ),
)
