"""In-memory repositories and unit of work of the gateway, for its service-layer tests.

They subclass the real ports (gateway.adapters.repositories) and keep rows as the SQL ones do,
in one shared ``Store``, so that a test reads back what a use case wrote.
"""

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gateway.adapters.repositories import (
    DeliveryRepository,
    QualityEventRepository,
    SubscriptionRepository,
)
from gateway.domain.deliveries import (
    FAILED,
    PENDING,
    AttemptRecord,
    DeliveryLogEntry,
    DeliveryState,
    DueDelivery,
)
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import QualityEvent, StoredEvent
from gateway.domain.subscriptions import ACTIVE, Subscription
from gateway.service_layer.unit_of_work import AbstractGatewayUnitOfWork

from shared.platform.db.keyset import Page, decode_cursor, encode_cursor
from tests.unit.fakes import FakeUnitOfWork


@dataclass
class Delivery:
    id: int
    subscription_id: str
    quality_event_id: int
    status: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    attempt_log: list[dict[str, Any]] = field(default_factory=list)
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    finished_at: datetime | None = None


@dataclass
class Store:
    """The gateway's tables, in memory."""

    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    events: dict[int, QualityEvent] = field(default_factory=dict)

    def next_id(self, table: dict[int, Any]) -> int:
        return max(table, default=0) + 1


def _page(items: list[Any], *, key: Any, limit: int) -> Page[Any]:
    more = len(items) > limit
    items = items[:limit]
    return Page(items=items, next_cursor=encode_cursor(str(key(items[-1]))) if more else None)


class FakeSubscriptionRepository(SubscriptionRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, subscription: Subscription) -> None:
        self.store.subscriptions[subscription.id] = subscription

    async def get(self, subscription_id: str) -> Subscription | None:
        return self.store.subscriptions.get(subscription_id)

    async def page(
        self, *, owner: str | None, limit: int, cursor: str | None
    ) -> Page[Subscription]:
        after = decode_cursor(cursor)
        rows = sorted(
            (s for s in self.store.subscriptions.values() if owner in (None, s.owner_principal)),
            key=lambda s: s.id,
        )
        rows = [s for s in rows if after is None or s.id > after]
        return _page(rows, key=lambda s: s.id, limit=limit)

    async def active_of(self, owner: str) -> list[Subscription]:
        return [
            s
            for s in self.store.subscriptions.values()
            if s.owner_principal == owner and s.status == ACTIVE
        ]

    async def active_filters(self) -> list[tuple[str, EventFilter]]:
        return [(s.id, s.wanted) for s in self.store.subscriptions.values() if s.status == ACTIVE]

    async def set_status(
        self, subscription_id: str, status: str, *, reason: str, at: datetime
    ) -> None:
        self._change(subscription_id, status=status, status_reason=reason, updated_at=at)

    async def count_outcome(
        self, subscription_id: str, *, ok: bool, gave_up: bool, at: datetime
    ) -> None:
        current = self.store.subscriptions[subscription_id]
        if ok:
            self._change(subscription_id, consecutive_failures=0, failing_since=None)
            return
        self._change(
            subscription_id,
            failing_since=current.failing_since or at,
            consecutive_failures=current.consecutive_failures + (1 if gave_up else 0),
        )

    def _change(self, subscription_id: str, **values: Any) -> None:
        subscriptions = self.store.subscriptions
        if subscription_id in subscriptions:
            subscriptions[subscription_id] = dataclasses.replace(
                subscriptions[subscription_id], **values
            )


class FakeDeliveryRepository(DeliveryRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def queue(
        self, subscription_ids: Sequence[str], *, quality_event_id: int, at: datetime
    ) -> None:
        for subscription_id in subscription_ids:
            delivery_id = self.store.next_id(self.store.deliveries)
            self.store.deliveries[delivery_id] = Delivery(
                id=delivery_id,
                subscription_id=subscription_id,
                quality_event_id=quality_event_id,
                status=PENDING,
                attempts=0,
                next_attempt_at=at,
                created_at=at,
            )

    async def due(
        self, *, limit: int, at: datetime, excluding: Collection[str] = ()
    ) -> list[DueDelivery]:
        store = self.store
        due = sorted(
            (
                d
                for d in store.deliveries.values()
                if d.status == PENDING
                and d.next_attempt_at is not None
                and d.next_attempt_at <= at
                and store.subscriptions[d.subscription_id].status == ACTIVE
                and d.subscription_id not in excluding
            ),
            key=lambda d: (d.next_attempt_at, d.id),
        )[:limit]
        claimed = []
        for delivery in due:
            subscription = store.subscriptions[delivery.subscription_id]
            event = store.events[delivery.quality_event_id]
            claimed.append(
                DueDelivery(
                    id=delivery.id,
                    subscription_id=subscription.id,
                    url=subscription.url,
                    secret=subscription.secret,
                    event_id=event.event_id,
                    payload=event.payload,
                    attempt=delivery.attempts + 1,
                )
            )
        return claimed

    async def lease(self, delivery_ids: Sequence[int], *, until: datetime) -> None:
        for delivery_id in delivery_ids:
            self.store.deliveries[delivery_id].next_attempt_at = until

    async def state(self, delivery_id: int) -> DeliveryState | None:
        delivery = self.store.deliveries.get(delivery_id)
        if delivery is None:
            return None
        return DeliveryState(
            status=delivery.status,
            attempts=delivery.attempts,
            attempt_log=list(delivery.attempt_log),
        )

    async def record(self, delivery_id: int, record: AttemptRecord) -> None:
        delivery = self.store.deliveries[delivery_id]
        delivery.attempts = record.attempts
        delivery.last_attempt_at = record.at
        delivery.last_status_code = record.status_code
        delivery.last_error = record.error
        delivery.attempt_log = record.attempt_log
        delivery.status = record.status
        delivery.next_attempt_at = record.next_attempt_at
        delivery.finished_at = record.finished_at

    async def give_up_pending(self, subscription_id: str, *, error: str, at: datetime) -> None:
        for delivery in self.store.deliveries.values():
            if delivery.subscription_id == subscription_id and delivery.status == PENDING:
                delivery.status, delivery.next_attempt_at = FAILED, None
                delivery.finished_at, delivery.last_error = at, error

    async def log(
        self, subscription_id: str, *, status: str | None, limit: int, before: int | None
    ) -> Page[DeliveryLogEntry]:
        rows = sorted(
            (
                d
                for d in self.store.deliveries.values()
                if d.subscription_id == subscription_id
                and status in (None, d.status)
                and (before is None or d.id < before)
            ),
            key=lambda d: -d.id,
        )
        entries = [self._entry(d) for d in rows]
        return _page(entries, key=lambda e: e.id, limit=limit)

    def _entry(self, delivery: Delivery) -> DeliveryLogEntry:
        event = self.store.events[delivery.quality_event_id]
        return DeliveryLogEntry(
            **dataclasses.asdict(delivery), event_id=event.event_id, event_type=event.type
        )

    async def delete_finished(self, *, up_to_event: int) -> None:
        deliveries = self.store.deliveries
        for delivery_id, delivery in list(deliveries.items()):
            if delivery.quality_event_id <= up_to_event and delivery.status != PENDING:
                del deliveries[delivery_id]


class FakeQualityEventRepository(QualityEventRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    async def has(self, event_id: str) -> bool:
        return any(e.event_id == event_id for e in self.store.events.values())

    async def add(self, event: QualityEvent) -> int:
        sequence = self.store.next_id(self.store.events)
        self.store.events[sequence] = event
        return sequence

    async def latest_id(self) -> int:
        return max(self.store.events, default=0)

    async def after(self, position: int, *, wanted: EventFilter, limit: int) -> list[StoredEvent]:
        found = [
            StoredEvent(id=sequence, type=event.type, payload=event.payload)
            for sequence, event in sorted(self.store.events.items())
            if sequence > position
            and wanted.matches(
                event_type=event.type, scope=event.scope, region_code=event.region_code
            )
        ]
        return found[:limit]

    async def last_received_before(self, before: datetime) -> int | None:
        old = [s for s, event in self.store.events.items() if event.received_at < before]
        return max(old, default=None)

    async def delete_unreferenced(self, *, up_to: int) -> int:
        wanted = {d.quality_event_id for d in self.store.deliveries.values()}
        gone = [s for s in self.store.events if s <= up_to and s not in wanted]
        for sequence in gone:
            del self.store.events[sequence]
        return len(gone)


class FakeGatewayUnitOfWork(FakeUnitOfWork, AbstractGatewayUnitOfWork):
    """The gateway's unit of work in memory. Writes are visible at once (no rollback of rows:
    the use cases under test either commit or refuse before writing)."""

    def __init__(self, store: Store | None = None) -> None:
        super().__init__()
        self.store = store or Store()
        self.subscriptions = FakeSubscriptionRepository(self.store)
        self.deliveries = FakeDeliveryRepository(self.store)
        self.quality_events = FakeQualityEventRepository(self.store)
