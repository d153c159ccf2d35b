"""Small helpers the registry's handlers share."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table

from shared.platform.db.queries import now
from shared.platform.messaging.payloads import EventPayload
from shared.platform.messaging.unit_of_work import UnitOfWork


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
    uow.publish(to_event(updated))
    return updated
