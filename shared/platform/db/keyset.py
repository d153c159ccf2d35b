"""Keyset pagination: ``?limit=&cursor=`` → ``{"items": [...], "next_cursor": ...}``.

The cursor is the last item's sort key (its immutable, unique id), so a page never repeats or
skips an existing item however many rows are inserted meanwhile.
"""

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Column, ColumnElement, Select, Table, select
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
    key: Column[Any] | None = None,
    key_type: Callable[[str], Any] = str,
    descending: bool = False,
) -> Page[dict[str, Any]]:
    """Rows of ``table`` (or of ``statement`` over it) ordered by ``key`` (default: the first
    primary-key column; it must be unique among the filtered rows) after the cursor: stable
    under concurrent inserts. ``key_type`` turns a cursor back into a key value."""
    column = key if key is not None else next(iter(table.primary_key.columns))
    query = (statement if statement is not None else select(table)).where(*filters)
    query = query.order_by(column.desc() if descending else column).limit(limit + 1)
    after = decode_cursor(cursor)
    if after is not None:
        try:
            position = key_type(after)
        except ValueError as error:
            raise invalid_cursor() from error
        query = query.where(column < position if descending else column > position)
    rows = [dict(r) for r in (await session.execute(query)).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    last = encode_cursor(str(rows[-1][column.name])) if more else None
    return Page(items=rows, next_cursor=last)


def page_of(
    items: Sequence[T], *, key: Callable[[T], list[Any]], limit: int, cursor: str | None
) -> Page[T]:
    """A page of ``items`` computed in memory (e.g. a ranking), ordered by ``key`` (unique per
    item: values of one type each), after the cursor, which is the last item's key as JSON."""
    after = decode_cursor(cursor)
    start = 0
    if after is not None:
        try:
            position = json.loads(after)
            if not isinstance(position, list):
                raise ValueError("not a key")
            start = bisect.bisect_right(items, position, key=key)
        except (ValueError, TypeError) as error:  # not JSON, or not comparable with the keys
            raise invalid_cursor() from error
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return Page(items=page, next_cursor=encode_cursor(json.dumps(key(page[-1]))) if more else None)
