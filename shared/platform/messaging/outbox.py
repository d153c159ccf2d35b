"""Transactional outbox: events are rows written in the same transaction as the state change.

Each row's value is the whole encoded CloudEvent, with the trace context it was created in
(``traceparent``, ``tracestate``: envelope.new_event), which the relay publishes as committed."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.platform.messaging.envelope import CloudEvent, encode
from shared.platform.messaging.leadership import lock_id
from shared.platform.messaging.tables import outbox

# Second advisory-lock namespace: per-key locks taken by writers (the relay uses another).
_KEY_LOCK_NAMESPACE = 0x0EDD


@dataclass(frozen=True)
class OutgoingEvent:
    """An event bound for a topic, keyed by the id whose events must stay in order."""

    event: CloudEvent
    topic: str
    key: str


async def append_to_outbox(session: AsyncSession, events: Sequence[OutgoingEvent]) -> None:
    """Insert the events into the outbox inside the caller's transaction."""
    if not events:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Writers of the same key commit one after another, so outbox id order is commit
        # order per key even with concurrent transactions (SQLite writers are serial anyway).
        for key in sorted({e.key for e in events}):
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :id)"),
                {"ns": _KEY_LOCK_NAMESPACE, "id": lock_id(key)},
            )
    now = datetime.now(UTC)
    await session.execute(
        outbox.insert(),
        [
            {
                "event_id": e.event.id,
                "event_type": e.event.type,
                "topic": e.topic,
                "key": e.key,
                "value": encode(e.event).decode(),
                "created_at": now,
            }
            for e in events
        ],
    )


# One outbox row as the relay reads it: (id, topic, key, value).
OutboxRow = Row[Any, Any, Any, Any]


async def unsent_batch(conn: AsyncConnection, *, limit: int) -> Sequence[OutboxRow]:
    result = await conn.execute(
        select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.value)
        .where(outbox.c.sent_at.is_(None))
        .order_by(outbox.c.id)
        .limit(limit)
    )
    return result.all()


async def mark_sent(conn: AsyncConnection, acks: Sequence[tuple[int, int, int]]) -> None:
    """Record (row id, partition, offset) for each published row."""
    if not acks:
        return
    now = datetime.now(UTC)
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == bindparam("row_id"))
        .values(
            sent_at=now,
            kafka_partition=bindparam("partition"),
            kafka_offset=bindparam("offset"),
            publish_count=outbox.c.publish_count + 1,
        ),
        [{"row_id": r, "partition": p, "offset": o} for r, p, o in acks],
    )


async def backlog(conn: AsyncConnection) -> int:
    result = await conn.execute(
        select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
    )
    return int(result.scalar_one())


async def oldest_unsent(conn: AsyncConnection) -> datetime | None:
    """When the first unsent row (in publishing order) was committed; None with none left."""
    result = await conn.execute(
        select(outbox.c.created_at).where(outbox.c.sent_at.is_(None)).order_by(outbox.c.id).limit(1)
    )
    created_at: datetime | None = result.scalar()
    return created_at


async def mark_for_republish(conn: AsyncConnection, *, since: datetime | None = None) -> int:
    """Queue retained, already-sent rows again (oldest first, in original order)."""
    statement = update(outbox).where(outbox.c.sent_at.is_not(None)).values(sent_at=None)
    if since is not None:
        statement = statement.where(outbox.c.created_at >= since)
    result = await conn.execute(statement)
    return int(result.rowcount or 0)


async def purge_sent(conn: AsyncConnection, *, retention: timedelta) -> int:
    """Delete sent rows older than the retention period."""
    cutoff = datetime.now(UTC) - retention
    result = await conn.execute(
        delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.created_at < cutoff)
    )
    return int(result.rowcount or 0)
