"""Small key/value facts a service keeps about its messaging (e.g. the broker epoch it saw)."""

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.platform.messaging.tables import messaging_state


async def get_state(conn: AsyncConnection | AsyncSession, key: str) -> str | None:
    result = await conn.execute(select(messaging_state.c.value).where(messaging_state.c.key == key))
    return result.scalar_one_or_none()


async def set_state(conn: AsyncConnection | AsyncSession, key: str, value: str) -> None:
    now = datetime.now(UTC)
    result = await conn.execute(
        update(messaging_state)
        .where(messaging_state.c.key == key)
        .values(value=value, updated_at=now)
    )
    if cast(CursorResult[Any], result).rowcount == 0:
        await conn.execute(messaging_state.insert().values(key=key, value=value, updated_at=now))
