"""The unit of work: one transaction whose state changes and events commit together.

``AbstractUnitOfWork`` is what a use case relies on (publish, commit, roll back); a service's
own unit of work adds its repositories. ``UnitOfWork`` is the SQL one: the session, plus outbox
rows written in the same transaction. Unit tests use in-memory fakes of the abstract one.
"""

import abc
import json
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.platform import deadline
from shared.platform.db.audit import AuditEntry, append_audit, current_actor
from shared.platform.messaging.envelope import new_event
from shared.platform.messaging.outbox import OutgoingEvent, append_to_outbox
from shared.platform.messaging.payloads import EventPayload

# Catalogue event types that only ever announce a new subject (a new id, written once): their
# audit entries have no entry before them to read (db/audit.py). Never a type that can recur
# for the same subject (an upsert, an update, a state change, a versioned "set").
CREATING_EVENTS = frozenset(
    {
        "educluster.assessment.assessment.submitted.v1",
        "educluster.registry.organization.registered.v1",
        "educluster.registry.cluster.created.v1",
        "educluster.registry.cluster.activity.recorded.v1",
        "educluster.registry.program.registered.v1",
        "educluster.registry.graduate.registered.v1",
        "educluster.registry.employment.recorded.v1",
    }
)


class AbstractUnitOfWork(abc.ABC):
    """One use case's transaction: nothing it did counts unless ``commit()`` is called."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.rollback()

    @abc.abstractmethod
    def publish(self, payload: EventPayload) -> None:
        """Queue a catalogue event; it is published only if this unit of work commits."""

    @abc.abstractmethod
    def audit(self, action: str, subject: str, after: dict[str, Any] | None) -> None:
        """Queue an audit entry for a write that announces no event (kept only on commit)."""

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...


class UnitOfWork(AbstractUnitOfWork):
    """Rolls back unless ``commit()`` is called; ``commit()`` writes the outbox rows too.

    Use one per request or per consumed message::

        async with uow_factory() as uow:
            uow.session.add(...)
            uow.publish(SomethingHappened(...))
            await uow.commit()

    A service's subclass opens its repositories on the session in ``open_repositories``, and
    names its ``audit_trail`` table to keep one entry per committed event (db/audit.py).
    """

    audit_trail: Table | None = None
    # False: only what a request's caller did is audited, not the service's own background
    # and consumer work (the quality service's scoring is no one's write).
    audit_system_writes = True
    # The event types audited (None: all); explicit entries always are.
    audited_events: frozenset[str] | None = None

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        service: str = "educluster",
        after_commit: Callable[[], None] | None = None,
        read_only: bool = False,
    ) -> None:
        self._sessions = sessions
        self._read_only = read_only
        self._service = service
        self._after_commit = after_commit
        self._events: list[OutgoingEvent] = []
        self._audited: list[AuditEntry] = []
        self._flushed = False
        self.session: AsyncSession

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._events, self._audited, self._flushed = [], [], False
        self.open_repositories()
        left = deadline.remaining_s()
        if left is not None and self.session.get_bind().dialect.name == "postgresql":
            # No statement of this request's transaction outlives the request's budget.
            timeout_ms = max(1, int(left * 1000))
            await self.session.execute(text(f"SET LOCAL statement_timeout = {timeout_ms}"))
        return self

    def open_repositories(self) -> None:
        """Build the service's repositories on ``self.session`` (none here)."""

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

    def publish(self, payload: EventPayload) -> None:
        """Queue a catalogue event from this service, keyed by the id that orders it."""
        event = new_event(payload, service=self._service, subject=payload.subject())
        self.add_event(OutgoingEvent(event=event, topic=payload.topic, key=payload.partition_key()))

    def audit(self, action: str, subject: str, after: dict[str, Any] | None) -> None:
        """Queue an audit entry for a write that announces no event (committed with it)."""
        self._audited.append(AuditEntry(action, subject, after))

    async def flush_events(self) -> None:
        """Write the queued events to the outbox now (still uncommitted): bounds the memory of
        a unit of work that queues very many events, such as a bulk import."""
        if self._events or self._audited:
            await self._write_audit()
            await append_to_outbox(self.session, self._events)
            self._events = []
            self._flushed = True

    async def commit(self) -> None:
        if not self._read_only:
            deadline.check()  # too late to answer in time: roll back rather than commit unseen
        await self._write_audit()
        await append_to_outbox(self.session, self._events)
        await self.session.commit()
        published = bool(self._events) or self._flushed
        self._events, self._flushed = [], False
        if published and self._after_commit is not None:
            self._after_commit()

    async def rollback(self) -> None:
        self._events, self._audited, self._flushed = [], [], False
        await self.session.rollback()

    async def _write_audit(self) -> None:
        """One audit entry per queued event, and the explicit ones, in this transaction."""
        chosen = self.audited_events
        entries = [
            AuditEntry(
                o.event.type,
                o.event.subject or o.key,
                _json(o.event.data),
                # Only its own subject is new, never the key it falls back to (shared by many).
                creates_subject=o.event.subject is not None and o.event.type in CREATING_EVENTS,
            )
            for o in self._events
            if chosen is None or o.event.type in chosen
        ] + self._audited
        self._audited = []
        if self.audit_trail is None or not entries:
            return
        if self.audit_system_writes or current_actor.get() is not None:
            await append_audit(self.session, self.audit_trail, entries)


def _json(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as JSON values (dates as ISO text), for the audit trail's column."""
    converted: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return converted


U = TypeVar("U", bound=AbstractUnitOfWork)


def narrowed(uow: AbstractUnitOfWork, kind: type[U]) -> U:
    """``uow`` as the service's own unit of work ``kind``.

    The runtime builds the class a ServiceSpec names but hands it out typed as the platform's
    plain unit of work (to consumers, to idempotent creates); this checks and says so.
    """
    if not isinstance(uow, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(uow).__name__}")
    return uow
