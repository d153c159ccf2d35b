"""Consumed quality events: stored in sequence for the event stream, routed to webhooks, and
dropped again once past their retention.

The consumer calls ``store_quality_event`` inside its inbox transaction, so the stored event,
its queued webhook deliveries and the inbox row commit together: a redelivered event changes
nothing, and no event is stored without its deliveries.
"""

from datetime import datetime

from gateway.domain.quality_events import QualityEvent
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork
from shared.platform.db.queries import now
from shared.platform.messaging.envelope import CloudEvent


def received(event: CloudEvent) -> QualityEvent:
    """The consumed CloudEvent as the gateway stores it; InvalidEvent (dead-lettered) when its
    data does not fit its type."""
    payload = event.payload()
    return QualityEvent(
        event_id=event.id,
        type=event.type,
        scope=getattr(payload, "scope", None),
        scope_id=getattr(payload, "scope_id", None),
        payload=event.model_dump(mode="json", exclude_none=True),
        received_at=now(),
    )


async def store_quality_event(uow: AbstractGatewayUnitOfWork, event: QualityEvent) -> int | None:
    """Store the event and queue its webhook deliveries (the consumer commits); its sequence
    number, or None when the same event id was stored already (re-published under another
    source)."""
    if await uow.quality_events.has(event.event_id):
        return None
    sequence = await uow.quality_events.add(event)
    await queue_deliveries(uow, sequence=sequence, event=event)
    return sequence


async def queue_deliveries(
    uow: AbstractGatewayUnitOfWork, *, sequence: int, event: QualityEvent
) -> int:
    """One pending delivery per active subscription that wants the event; returns how many."""
    wanting = [
        subscription_id
        for subscription_id, wanted in await uow.subscriptions.active_filters()
        if wanted.matches(event_type=event.type, scope=event.scope, region_code=event.region_code)
    ]
    await uow.deliveries.queue(wanting, quality_event_id=sequence, at=now())
    return len(wanting)


async def purge_expired(uow: AbstractGatewayUnitOfWork, *, before: datetime) -> int:
    """Drop events received before ``before`` with their finished deliveries, committed; returns
    how many events went. An event some delivery still waits to send stays until that one
    finishes."""
    last = await uow.quality_events.last_received_before(before)
    if last is None:
        return 0
    await uow.deliveries.delete_finished(up_to_event=last)
    purged = await uow.quality_events.delete_unreferenced(up_to=last)
    await uow.commit()
    return purged
