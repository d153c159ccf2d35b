"""Consumed quality events: stored in sequence for the event stream, routed to webhooks.

The consumer runner calls ``store_quality_event`` inside its inbox transaction, so the stored
event, its queued webhook deliveries and the inbox row commit together: a redelivered event
changes nothing, and no event is stored without its deliveries.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.tables import quality_events
from gateway.service_layer.filters import QUALITY_TYPES, EventFilter, region_of
from gateway.service_layer.webhooks import queue_deliveries
from shared.platform.db.queries import now
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.leadership import lock_id
from shared.platform.messaging.unit_of_work import UnitOfWork

# Advisory lock (PostgreSQL) held from the insert to the commit: events are numbered in commit
# order, so a stream that has read up to id N never later finds a smaller id committed.
_SEQUENCE_LOCK = (0x0EDE, lock_id("gateway.quality_events"))


async def store_quality_event(event: CloudEvent, uow: UnitOfWork) -> None:
    """Consumer handler for score.updated, alert.raised and methodology.published."""
    payload = event.payload()  # InvalidEvent (dead-lettered) when the data does not fit
    session = uow.session
    if await session.scalar(
        select(quality_events.c.id).where(quality_events.c.event_id == event.id)
    ):
        return  # the same event id re-published under another source: stored once
    if session.bind.dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :id)"),
            {"ns": _SEQUENCE_LOCK[0], "id": _SEQUENCE_LOCK[1]},
        )
    scope = getattr(payload, "scope", None)
    scope_id = getattr(payload, "scope_id", None)
    row = {
        "event_id": event.id,
        "type": event.type,
        "scope": scope,
        "scope_id": scope_id,
        "region_code": region_of(scope, scope_id),
        "payload": event.model_dump(mode="json", exclude_none=True),
        "received_at": now(),
    }
    result = await session.execute(quality_events.insert().values(**row))
    sequence = result.inserted_primary_key[0]
    await queue_deliveries(
        session,
        quality_event_id=sequence,
        event_type=event.type,
        scope=scope,
        region_code=row["region_code"],
    )


QUALITY_EVENT_HANDLERS = {event_type: store_quality_event for event_type in QUALITY_TYPES.values()}


def cloudevent_json(payload: dict[str, Any]) -> str:
    """The stored CloudEvent as compact JSON on one line (an SSE ``data:`` line, a webhook body)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


async def latest_sequence(session: AsyncSession) -> int:
    return await session.scalar(select(func.max(quality_events.c.id))) or 0


async def events_after(
    session: AsyncSession, *, after: int, wanted: EventFilter, limit: int
) -> Sequence[Any]:
    """Stored events past ``after`` that match, oldest first: (id, type, payload) rows."""
    statement = (
        select(quality_events.c.id, quality_events.c.type, quality_events.c.payload)
        .where(quality_events.c.id > after, *wanted.clauses(quality_events))
        .order_by(quality_events.c.id)
        .limit(limit)
    )
    return (await session.execute(statement)).all()
