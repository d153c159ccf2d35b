"""Queries every service's handlers share: one row by key, the time now, a projection upsert."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.db.keyset import fetch_page
from shared.platform.errors import NotFound

__all__ = ["fetch_one", "fetch_page", "find_one", "insert_or", "now", "upsert"]


def now() -> datetime:
    """The current time, timezone-aware UTC (what every stored timestamp uses)."""
    return datetime.now(UTC)


async def find_one(session: AsyncSession, table: Table, key: str) -> dict[str, Any] | None:
    """The row of ``table`` with primary key ``key`` as a dict, or None."""
    primary = next(iter(table.primary_key.columns))
    row = (await session.execute(select(table).where(primary == key))).mappings().first()
    return dict(row) if row is not None else None


async def fetch_one(session: AsyncSession, table: Table, key: str, what: str) -> dict[str, Any]:
    """The row of ``table`` with primary key ``key`` as a dict; NotFound if none."""
    row = await find_one(session, table, key)
    if row is None:
        raise NotFound(what, key)
    return row


def insert_or(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the session's dialect that takes ON CONFLICT (PostgreSQL and SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def upsert(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Insert ``row``, or overwrite the row with its primary key (a projection's latest state):
    one statement (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike)."""
    keys = [c.name for c in table.primary_key.columns]
    statement = insert_or(session, table).values(**row)
    changed = {name: statement.excluded[name] for name in row if name not in keys}
    if changed:
        await session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))
    else:
        await session.execute(statement.on_conflict_do_nothing(index_elements=keys))


async def upsert_many(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """``upsert`` for many rows at once (one executemany): each row inserted, or overwriting
    the row with its primary key."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    statement = insert_or(session, table)
    changed = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    await session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed), rows)
