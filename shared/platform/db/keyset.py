"""Keyset pagination: ``?limit=&cursor=`` → ``{"items": [...], "next_cursor": ...}``.

The cursor is the last item's sort key (its immutable, unique id), so a page never repeats or
skips an existing item however many rows are inserted meanwhile.
"""

import base64
import binascii
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.platform.errors import InvalidQuery

T = TypeVar("T")
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(last_key: str) -> str:
    return base64.urlsafe_b64encode(last_key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The key a cursor stands for; InvalidQuery (400) for a cursor this API never issued."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode()
        if not key:
            raise ValueError("empty cursor")
        return key
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise invalid_cursor() from error


def invalid_cursor() -> InvalidQuery:
    return InvalidQuery(
        ("query", "cursor"),
        "The cursor is not one this API returned.",
        title="Invalid cursor",
    )


async def fetch_page(
    session: AsyncSession,
    table: Table,
    *,
    filters: list[ColumnElement[bool]],
    limit: int,
    cursor: str | None,
    statement: Select[Any] | None = None,
) -> Page[dict[str, Any]]:
    """Rows of ``table`` (or of ``statement`` over it) ordered by primary key after the cursor:
    stable under concurrent inserts."""
    primary = next(iter(table.primary_key.columns))
    query = (statement if statement is not None else select(table)).where(*filters)
    query = query.order_by(primary).limit(limit + 1)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(primary > after)
    rows = [dict(r) for r in (await session.execute(query)).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        items=rows, next_cursor=encode_cursor(str(rows[-1][primary.name])) if more else None
    )
