"""Queries every service's handlers share: one row by key, one keyset page, the time now."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.unit_of_work import UnitOfWork
from shared.web.pagination import Page, decode_cursor, encode_cursor
from shared.web.problems import ProblemError


def now() -> datetime:
    """The current time, timezone-aware UTC (what every stored timestamp uses)."""
    return datetime.now(UTC)


def not_found(what: str, key: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"{what} {key} does not exist")


async def fetch_one(session: AsyncSession, table: Table, key: str, what: str) -> dict[str, Any]:
    """The row of ``table`` with primary key ``key`` as a dict; 404 problem if none."""
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


async def upsert(uow: UnitOfWork, table: Table, row: dict[str, Any]) -> None:
    """Insert ``row``, or overwrite the row with its primary key (a projection's latest state)."""
    keys = [c.name for c in table.primary_key.columns]
    match = [table.c[k] == row[k] for k in keys]
    exists = await uow.session.scalar(select(table.c[keys[0]]).where(*match))
    if exists is None:
        await uow.session.execute(table.insert().values(**row))
    else:
        await uow.session.execute(table.update().where(*match).values(**row))
