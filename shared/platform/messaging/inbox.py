"""Idempotent inbox: a consumer records each processed event in the effect's transaction."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.tables import inbox


async def already_processed(session: AsyncSession, *, consumer: str, event: CloudEvent) -> bool:
    result = await session.execute(
        select(inbox.c.event_id).where(
            inbox.c.consumer == consumer,
            inbox.c.source == event.source,
            inbox.c.event_id == event.id,
        )
    )
    return result.first() is not None


async def record_processed(session: AsyncSession, *, consumer: str, event: CloudEvent) -> None:
    # The primary key (consumer, source, id) makes a concurrent duplicate fail at commit.
    await session.execute(
        inbox.insert().values(
            consumer=consumer,
            source=event.source,
            event_id=event.id,
            event_type=event.type,
            processed_at=datetime.now(UTC),
        )
    )
