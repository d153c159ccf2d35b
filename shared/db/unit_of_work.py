"""The unit of work: one transaction whose state changes and events commit together."""

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.envelope import new_event
from shared.events.payloads import EventPayload
from shared.messaging.outbox import OutgoingEvent, append_to_outbox


class UnitOfWork:
    """Rolls back unless ``commit()`` is called; ``commit()`` writes the outbox rows too.

    Use one per request or per consumed message::

        async with uow_factory() as uow:
            uow.session.add(...)
            uow.add_event(OutgoingEvent(event=..., topic=..., key=...))
            await uow.commit()
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        service: str = "educluster",
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._service = service
        self._after_commit = after_commit
        self._events: list[OutgoingEvent] = []
        self._flushed = False
        self.session: AsyncSession

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self._events, self._flushed = [], False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self.rollback()
        finally:
            await self.session.close()

    def add_event(self, event: OutgoingEvent) -> None:
        """Queue an event; it reaches the outbox only if this unit of work commits."""
        self._events.append(event)

    def publish(self, payload: EventPayload, *, key: str, subject: str | None = None) -> None:
        """Queue a catalogue event from this service, keyed by the id that orders it."""
        event = new_event(payload, service=self._service, subject=subject)
        self.add_event(OutgoingEvent(event=event, topic=payload.topic, key=key))

    async def flush_events(self) -> None:
        """Write the queued events to the outbox now (still uncommitted): bounds the memory of
        a unit of work that queues very many events, such as a bulk import."""
        if self._events:
            await append_to_outbox(self.session, self._events)
            self._events = []
            self._flushed = True

    async def commit(self) -> None:
        await append_to_outbox(self.session, self._events)
        await self.session.commit()
        published = bool(self._events) or self._flushed
        self._events, self._flushed = [], False
        if published and self._after_commit is not None:
            self._after_commit()

    async def rollback(self) -> None:
        self._events, self._flushed = [], False
        await self.session.rollback()
