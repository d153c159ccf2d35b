"""The gateway's repositories on SQLAlchemy (PostgreSQL or SQLite), inside the unit of work's
session: nothing here commits."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.repositories import (
    DeliveryRepository,
    QualityEventRepository,
    SubscriptionRepository,
)
from gateway.adapters.tables import deliveries, quality_events, subscriptions
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
from shared.platform.db.keyset import Page, encode_cursor, fetch_page
from shared.platform.db.queries import find_one
from shared.platform.messaging.leadership import lock_id

# Advisory lock (PostgreSQL) held from the insert to the commit: events are numbered in commit
# order, so a stream that has read up to id N never later finds a smaller id committed.
_SEQUENCE_LOCK = (0x0EDE, lock_id("gateway.quality_events"))
_SUBSCRIPTION_FIELDS = tuple(f.name for f in fields(Subscription))
_LOG_FIELDS = tuple(f.name for f in fields(DeliveryLogEntry))


def _subscription(row: Mapping[str, Any]) -> Subscription:
    values = {name: row[name] for name in _SUBSCRIPTION_FIELDS}
    values["types"] = tuple(row["types"]) if row["types"] else None
    return Subscription(**values)


def _filter(row: Any) -> EventFilter:
    return EventFilter(
        scope=row.scope, region=row.region, types=frozenset(row.types) if row.types else None
    )


class SqlSubscriptionRepository(SubscriptionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, subscription: Subscription) -> None:
        row = asdict(subscription)
        row["types"] = list(subscription.types) if subscription.types else None
        await self._session.execute(subscriptions.insert().values(**row))

    async def get(self, subscription_id: str) -> Subscription | None:
        row = await find_one(self._session, subscriptions, subscription_id)
        return _subscription(row) if row is not None else None

    async def page(
        self, *, owner: str | None, limit: int, cursor: str | None
    ) -> Page[Subscription]:
        filters = [] if owner is None else [subscriptions.c.owner_principal == owner]
        rows = await fetch_page(
            self._session, subscriptions, filters=filters, limit=limit, cursor=cursor
        )
        items = [_subscription(row) for row in rows.items]
        return Page[Subscription](items=items, next_cursor=rows.next_cursor)

    async def active_of(self, owner: str) -> list[Subscription]:
        rows = await self._session.execute(
            select(subscriptions).where(
                subscriptions.c.owner_principal == owner, subscriptions.c.status == ACTIVE
            )
        )
        return [_subscription(dict(row)) for row in rows.mappings()]

    async def active_filters(self) -> list[tuple[str, EventFilter]]:
        rows = await self._session.execute(
            select(
                subscriptions.c.id,
                subscriptions.c.scope,
                subscriptions.c.region,
                subscriptions.c.types,
            ).where(subscriptions.c.status == ACTIVE)
        )
        return [(row.id, _filter(row)) for row in rows]

    async def set_status(
        self, subscription_id: str, status: str, *, reason: str, at: datetime
    ) -> None:
        await self._session.execute(
            update(subscriptions)
            .where(subscriptions.c.id == subscription_id)
            .values(status=status, status_reason=reason, updated_at=at)
        )

    async def count_outcome(
        self, subscription_id: str, *, ok: bool, gave_up: bool, at: datetime
    ) -> None:
        values: dict[str, Any]
        if ok:
            values = {"consecutive_failures": 0, "failing_since": None}
        else:
            # In SQL, so concurrent attempts for one subscription do not lose counts.
            values = {"failing_since": func.coalesce(subscriptions.c.failing_since, at)}
            if gave_up:
                values["consecutive_failures"] = subscriptions.c.consecutive_failures + 1
        await self._session.execute(
            update(subscriptions).where(subscriptions.c.id == subscription_id).values(values)
        )


class SqlDeliveryRepository(DeliveryRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def queue(
        self, subscription_ids: Sequence[str], *, quality_event_id: int, at: datetime
    ) -> None:
        if not subscription_ids:
            return
        await self._session.execute(
            deliveries.insert(),
            [
                {
                    "subscription_id": subscription_id,
                    "quality_event_id": quality_event_id,
                    "status": PENDING,
                    "attempts": 0,
                    "next_attempt_at": at,
                    "attempt_log": [],
                    "created_at": at,
                }
                for subscription_id in subscription_ids
            ],
        )

    async def due(
        self, *, limit: int, at: datetime, excluding: Collection[str] = ()
    ) -> list[DueDelivery]:
        conditions = [
            deliveries.c.status == PENDING,
            deliveries.c.next_attempt_at <= at,
            subscriptions.c.status == ACTIVE,
        ]
        if excluding:
            conditions.append(deliveries.c.subscription_id.not_in(sorted(excluding)))
        due = (
            select(deliveries.c.id)
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .where(*conditions)
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
            # PostgreSQL: another replica's loop skips what this one claims; SQLite writers
            # are serial anyway.
            .with_for_update(skip_locked=True, of=deliveries)
        )
        ids = list((await self._session.execute(due)).scalars())
        if not ids:
            return []
        rows = await self._session.execute(
            select(
                deliveries.c.id,
                deliveries.c.subscription_id,
                deliveries.c.attempts,
                subscriptions.c.url,
                subscriptions.c.secret,
                quality_events.c.event_id,
                quality_events.c.payload,
            )
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .join(quality_events, quality_events.c.id == deliveries.c.quality_event_id)
            .where(deliveries.c.id.in_(ids))
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
        )
        return [
            DueDelivery(
                id=r.id,
                subscription_id=r.subscription_id,
                url=r.url,
                secret=r.secret,
                event_id=r.event_id,
                payload=r.payload,
                attempt=r.attempts + 1,
            )
            for r in rows
        ]

    async def lease(self, delivery_ids: Sequence[int], *, until: datetime) -> None:
        if delivery_ids:
            await self._session.execute(
                update(deliveries)
                .where(deliveries.c.id.in_(delivery_ids))
                .values(next_attempt_at=until)
            )

    async def state(self, delivery_id: int) -> DeliveryState | None:
        row = (
            await self._session.execute(
                select(deliveries.c.status, deliveries.c.attempts, deliveries.c.attempt_log).where(
                    deliveries.c.id == delivery_id
                )
            )
        ).first()
        if row is None:
            return None
        return DeliveryState(status=row.status, attempts=row.attempts, attempt_log=row.attempt_log)

    async def record(self, delivery_id: int, record: AttemptRecord) -> None:
        await self._session.execute(
            update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(
                attempts=record.attempts,
                last_attempt_at=record.at,
                last_status_code=record.status_code,
                last_error=record.error,
                attempt_log=record.attempt_log,
                status=record.status,
                next_attempt_at=record.next_attempt_at,
                finished_at=record.finished_at,
            )
        )

    async def give_up_pending(self, subscription_id: str, *, error: str, at: datetime) -> None:
        await self._session.execute(
            update(deliveries)
            .where(deliveries.c.subscription_id == subscription_id, deliveries.c.status == PENDING)
            .values(status=FAILED, next_attempt_at=None, finished_at=at, last_error=error)
        )

    async def log(
        self, subscription_id: str, *, status: str | None, limit: int, before: int | None
    ) -> Page[DeliveryLogEntry]:
        filters: list[ColumnElement[bool]] = [deliveries.c.subscription_id == subscription_id]
        if status is not None:
            filters.append(deliveries.c.status == status)
        statement = select(
            deliveries, quality_events.c.event_id, quality_events.c.type.label("event_type")
        ).join(quality_events, quality_events.c.id == deliveries.c.quality_event_id)
        rows = await fetch_page(  # newest first
            self._session,
            deliveries,
            filters=filters,
            limit=limit,
            cursor=encode_cursor(str(before)) if before is not None else None,
            statement=statement,
            key=deliveries.c.id,
            key_type=int,
            descending=True,
        )
        items = [
            DeliveryLogEntry(**{name: row[name] for name in _LOG_FIELDS}) for row in rows.items
        ]
        return Page[DeliveryLogEntry](items=items, next_cursor=rows.next_cursor)

    async def delete_finished(self, *, up_to_event: int) -> None:
        await self._session.execute(
            delete(deliveries).where(
                deliveries.c.quality_event_id <= up_to_event, deliveries.c.status != PENDING
            )
        )


class SqlQualityEventRepository(QualityEventRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def has(self, event_id: str) -> bool:
        found = await self._session.scalar(
            select(quality_events.c.id).where(quality_events.c.event_id == event_id)
        )
        return found is not None

    async def add(self, event: QualityEvent) -> int:
        session = self._session
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :id)"),
                {"ns": _SEQUENCE_LOCK[0], "id": _SEQUENCE_LOCK[1]},
            )
        inserted = await session.execute(
            quality_events.insert()
            .values(
                event_id=event.event_id,
                type=event.type,
                scope=event.scope,
                scope_id=event.scope_id,
                region_code=event.region_code,
                payload=event.payload,
                received_at=event.received_at,
            )
            .returning(quality_events.c.id)
        )
        sequence: int = inserted.scalar_one()
        return sequence

    async def latest_id(self) -> int:
        return await self._session.scalar(select(func.max(quality_events.c.id))) or 0

    async def after(self, position: int, *, wanted: EventFilter, limit: int) -> list[StoredEvent]:
        statement = (
            select(quality_events.c.id, quality_events.c.type, quality_events.c.payload)
            .where(quality_events.c.id > position, *_clauses(wanted))
            .order_by(quality_events.c.id)
            .limit(limit)
        )
        rows = await self._session.execute(statement)
        return [StoredEvent(id=row.id, type=row.type, payload=row.payload) for row in rows]

    async def last_received_before(self, before: datetime) -> int | None:
        last: int | None = await self._session.scalar(
            select(func.max(quality_events.c.id)).where(quality_events.c.received_at < before)
        )
        return last

    async def delete_unreferenced(self, *, up_to: int) -> int:
        still_wanted = exists().where(deliveries.c.quality_event_id == quality_events.c.id)
        deleted = await self._session.execute(
            delete(quality_events)
            .where(quality_events.c.id <= up_to, ~still_wanted)
            .returning(quality_events.c.id)
        )
        return len(deleted.all())


def _clauses(wanted: EventFilter) -> list[ColumnElement[bool]]:
    """``EventFilter.matches`` as SQL conditions on the quality_events table."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.types is not None:
        conditions.append(quality_events.c.type.in_(sorted(wanted.types)))
    if wanted.scope is not None:
        conditions.append(quality_events.c.scope == wanted.scope)
    if wanted.region is not None:
        conditions.append(quality_events.c.region_code == wanted.region)
    return conditions
