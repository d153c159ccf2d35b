"""The query parameters of every list: ``?limit=&cursor=`` (the paging itself: db/keyset.py)."""

from typing import Annotated

from fastapi import Query

from shared.platform.db.keyset import MAX_LIMIT, Page, decode_cursor, encode_cursor, page_of

__all__ = ["Cursor", "Limit", "Page", "decode_cursor", "encode_cursor", "page_of"]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]
