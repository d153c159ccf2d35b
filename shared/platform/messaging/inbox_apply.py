"""Applying a consumed event exactly once: the handler and its inbox row in one transaction.

Shared by the consumer runner (one unit of work per event) and by replays that apply many
events per transaction (``educluster quality rebuild``): both skip an event id the inbox has.
"""

from collections.abc import Awaitable, Callable

from aiokafka.errors import KafkaError
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.platform.db.failures import (
    is_contention,
    is_schema_mismatch,
    refuses_connections,
)
from shared.platform.messaging import inbox
from shared.platform.messaging.envelope import CloudEvent
from shared.platform.messaging.unit_of_work import UnitOfWork

EventHandler = Callable[[CloudEvent, UnitOfWork], Awaitable[None]]


def is_outage(error: BaseException) -> bool:
    """A database or broker outage: not the event's fault, so never a reason to drop it."""
    # PoolTimeout: no connection free in time (an SQLite file's one writer busy).
    if isinstance(error, OperationalError | InterfaceError | OSError | KafkaError | PoolTimeout):
        return True
    # A lock not granted in time is the database being busy, and a missing table or column a
    # schema that does not match the code yet (an upgrade under way): not the event being bad.
    return isinstance(error, DBAPIError) and (
        error.connection_invalidated
        or is_contention(error)
        or is_schema_mismatch(error)
        or refuses_connections(error)
    )


async def apply_in(
    uow: UnitOfWork, *, consumer: str, event: CloudEvent, handler: EventHandler
) -> bool:
    """Run ``handler`` and record the event in ``uow`` without committing.

    Returns False, doing nothing, when the inbox of ``consumer`` already has the event. An
    event recorded earlier in the same (uncommitted) transaction counts as applied, so a
    caller may apply many events before one commit.
    """
    if await inbox.already_processed(uow.session, consumer=consumer, event=event):
        return False
    await handler(event, uow)
    await inbox.record_processed(uow.session, consumer=consumer, event=event)
    return True


async def apply_once(
    uow_factory: Callable[[], UnitOfWork],
    *,
    consumer: str,
    event: CloudEvent,
    handler: EventHandler,
) -> bool:
    """Apply one event in its own committed unit of work; False when it was a duplicate."""
    try:
        async with uow_factory() as uow:
            if not await apply_in(uow, consumer=consumer, event=event, handler=handler):
                return False
            await uow.commit()
            return True
    except IntegrityError:
        # Another member applied the same event concurrently: that is a duplicate.
        async with uow_factory() as uow:
            if await inbox.already_processed(uow.session, consumer=consumer, event=event):
                return False
        raise
