"""Small helpers the registry's handlers share."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.unit_of_work import UnitOfWork
from shared.events.payloads import EventPayload
from shared.web.pagination import Page, decode_cursor, encode_cursor
from shared.web.problems import ProblemError


def now() -> datetime:
    return datetime.now(UTC)


def not_found(what: str, key: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"{what} {key} does not exist")


async def fetch_one(session: AsyncSession, table: Table, key: str, what: str) -> dict[str, Any]:
    primary = next(iter(table.primary_key.columns))
    row = (await session.execute(select(table).where(primary == key))).mappings().first()
    if row is None:
        raise not_found(what, key)
    return dict(row)


async def fetch_page(
    session: AsyncSession, table: Table, *, filters: list, limit: int, cursor: str | None
) -> Page[dict[str, Any]]:
    """Rows ordered by primary key after the cursor: stable under concurrent inserts."""
    primary = next(iter(table.primary_key.columns))
    statement = select(table).where(*filters).order_by(primary).limit(limit + 1)
    after = decode_cursor(cursor)
    if after is not None:
        statement = statement.where(primary > after)
    rows = [dict(r) for r in (await session.execute(statement)).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode_cursor(rows[-1][primary.name]) if more else None)


async def save_changes(
    uow: UnitOfWork,
    table: Table,
    row: dict[str, Any],
    changes: dict[str, Any],
    *,
    to_event: Callable[[dict[str, Any]], EventPayload],
    key: str,
    subject: str,
) -> dict[str, Any]:
    """Apply ``changes`` to ``row``; if anything really changed, stamp it and publish."""
    updated = {**row, **changes}
    if updated == row:
        return row  # no change, no event
    updated["updated_at"] = now()
    primary = next(iter(table.primary_key.columns))
    await uow.session.execute(
        table.update()
        .where(primary == row[primary.name])
        .values(**changes, updated_at=updated["updated_at"])
    )
    uow.publish(to_event(updated), key=key, subject=subject)
    return updated
