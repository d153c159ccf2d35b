"""Role-scoped reads of people data (graduates, employments): the one way to list and get them.

Who sees what is ``domain/access.read_scope``; which rows a scope covers is each repository's.
"""

from collections.abc import Collection, Mapping
from datetime import date
from typing import TypeVar

from registry.adapters.repositories import VisibleRepository
from registry.domain import access
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.errors import NotFound

E = TypeVar("E")


async def list_visible(
    rows: VisibleRepository[E],
    identity: Identity,
    *,
    what: str,
    where: Mapping[str, object],
    limit: int,
    cursor: str | None,
    since: date = date.min,
) -> Page[E]:
    """One page of the rows matching ``where`` that ``identity`` may read (Forbidden if none);
    ``since``: the earliest end of an employment that still shows an employer its graduate."""
    scope = access.read_scope(identity, f"{what}s", since=since)
    return await rows.page_within(scope, where=where, limit=limit, cursor=cursor)


async def get_visible(
    rows: VisibleRepository[E], identity: Identity, key: str, *, what: str, since: date = date.min
) -> E:
    """One row: NotFound if it does not exist or is out of the caller's reach (that a person
    is known to the registry is itself personal data); Forbidden for a role that reads none."""
    scope = access.read_scope(identity, f"{what}s", since=since)
    item = await rows.get(key)
    if item is None or not await rows.is_within(key, scope):
        raise NotFound(what, key)
    return item


async def visible_keys(
    rows: VisibleRepository[E],
    identity: Identity,
    keys: Collection[str],
    *,
    what: str,
    since: date = date.min,
) -> frozenset[str]:
    """Those of ``keys`` whose rows ``identity`` may read (unknown ones are not among them);
    Forbidden for a role that reads none."""
    scope = access.read_scope(identity, f"{what}s", since=since)
    return await rows.among_within(keys, scope)
