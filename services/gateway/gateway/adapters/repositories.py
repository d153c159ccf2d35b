"""The gateway's repositories: the ports its use cases rely on (abstract), for subscriptions,
their deliveries and the stored quality events. The SQL implementations are in
adapters/sql_repositories.py; tests/unit/gateway/fakes.py holds in-memory ones."""

import abc
from collections.abc import Collection, Sequence
from datetime import datetime

from gateway.domain.deliveries import AttemptRecord, DeliveryLogEntry, DeliveryState, DueDelivery
from gateway.domain.filters import EventFilter
from gateway.domain.quality_events import QualityEvent, StoredEvent
from gateway.domain.subscriptions import Subscription
from shared.platform.db.keyset import Page


class SubscriptionRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, subscription: Subscription) -> None: ...

    @abc.abstractmethod
    async def get(self, subscription_id: str) -> Subscription | None: ...

    @abc.abstractmethod
    async def page(
        self, *, owner: str | None, limit: int, cursor: str | None
    ) -> Page[Subscription]:
        """Subscriptions in id order after ``cursor``; only those of the ``owner`` principal
        unless None."""

    @abc.abstractmethod
    async def active_of(self, owner: str) -> list[Subscription]:
        """The active subscriptions of the ``owner`` principal."""

    @abc.abstractmethod
    async def active_filters(self) -> list[tuple[str, EventFilter]]:
        """(id, what it wants) of every active subscription."""

    @abc.abstractmethod
    async def set_status(
        self, subscription_id: str, status: str, *, reason: str, at: datetime
    ) -> None: ...

    @abc.abstractmethod
    async def count_outcome(
        self, subscription_id: str, *, ok: bool, gave_up: bool, at: datetime
    ) -> None:
        """Count an attempt: a success clears the failure count and time; a failure starts the
        failing time (if not yet), and one that gave a delivery up adds to the failure count.
        Done in place, so concurrent attempts for one subscription lose no counts."""


class DeliveryRepository(abc.ABC):
    @abc.abstractmethod
    async def queue(
        self, subscription_ids: Sequence[str], *, quality_event_id: int, at: datetime
    ) -> None:
        """One pending delivery of the event per subscription, due at once."""

    @abc.abstractmethod
    async def due(
        self, *, limit: int, at: datetime, excluding: Collection[str] = ()
    ) -> list[DueDelivery]:
        """Up to ``limit`` due deliveries of active subscriptions not in ``excluding``, oldest
        due first, locked until the transaction ends (another replica skips them)."""

    @abc.abstractmethod
    async def lease(self, delivery_ids: Sequence[int], *, until: datetime) -> None:
        """Push these deliveries' next attempt to ``until``, so that nobody else takes them
        meanwhile."""

    @abc.abstractmethod
    async def state(self, delivery_id: int) -> DeliveryState | None: ...

    @abc.abstractmethod
    async def record(self, delivery_id: int, record: AttemptRecord) -> None: ...

    @abc.abstractmethod
    async def give_up_pending(self, subscription_id: str, *, error: str, at: datetime) -> None:
        """Finish the subscription's pending deliveries as failed, unsent."""

    @abc.abstractmethod
    async def log(
        self, subscription_id: str, *, status: str | None, limit: int, before: int | None
    ) -> Page[DeliveryLogEntry]:
        """The subscription's deliveries newest first, those with an id below ``before``."""

    @abc.abstractmethod
    async def delete_finished(self, *, up_to_event: int) -> None:
        """Drop finished deliveries of events up to this sequence number."""


class QualityEventRepository(abc.ABC):
    @abc.abstractmethod
    async def has(self, event_id: str) -> bool: ...

    @abc.abstractmethod
    async def add(self, event: QualityEvent) -> int:
        """Store the event; returns its sequence number (ids grow in commit order)."""

    @abc.abstractmethod
    async def latest_id(self) -> int:
        """The newest stored sequence number; 0 when none."""

    @abc.abstractmethod
    async def after(self, position: int, *, wanted: EventFilter, limit: int) -> list[StoredEvent]:
        """Stored events past ``position`` that match, oldest first."""

    @abc.abstractmethod
    async def last_received_before(self, before: datetime) -> int | None:
        """The newest sequence number among events received before ``before``."""

    @abc.abstractmethod
    async def delete_unreferenced(self, *, up_to: int) -> int:
        """Drop events up to this sequence number that no delivery refers to; how many went."""
