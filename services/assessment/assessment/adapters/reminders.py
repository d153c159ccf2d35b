"""The reminder tables: subscriptions, what is pending for each, and claimed deliveries."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assessment.adapters.repositories import ReminderRepository
from assessment.adapters.tables import (
    assessments,
    projected_employments,
    reminder_deliveries,
    reminder_subscriptions,
)
from assessment.domain.reminders import EMPLOYER, INSTITUTION, UNDATED, DeliveryKey, Due
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES

subscription_columns = (
    reminder_subscriptions.c.organization_id,
    reminder_subscriptions.c.role,
    reminder_subscriptions.c.email,
    reminder_subscriptions.c.language,
    reminder_subscriptions.c.enabled,
    reminder_subscriptions.c.updated_at,
)


def _delivery(key: DeliveryKey) -> ColumnElement[bool]:
    c = reminder_deliveries.c
    return and_(
        c.organization_id == key.organization_id, c.role == key.role, c.period == key.period
    )


class SqlReminderRepository(ReminderRepository):
    """Reminder subscriptions and deliveries on the unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def subscription(self, organization_id: str, role: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                select(*subscription_columns).where(
                    reminder_subscriptions.c.organization_id == organization_id,
                    reminder_subscriptions.c.role == role,
                )
            )
        ).first()
        return row._asdict() if row else None

    async def save_subscription(self, values: dict[str, Any], token: str) -> None:
        """Insert or update the organization's subscription; its token is kept once made."""
        changed = await self.session.execute(
            update(reminder_subscriptions)
            .where(
                reminder_subscriptions.c.organization_id == values["organization_id"],
                reminder_subscriptions.c.role == values["role"],
            )
            .values(**values)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            await self.session.execute(
                insert(reminder_subscriptions).values(**values, unsubscribe_token=token)
            )

    async def disable_by_token(self, token: str, now: datetime) -> bool:
        changed = await self.session.execute(
            update(reminder_subscriptions)
            .where(reminder_subscriptions.c.unsubscribe_token == token)
            .values(enabled=False, updated_at=now)
        )
        return bool(changed.rowcount)  # type: ignore[attr-defined]

    async def pending_assessments(self, *, period: int, employed_since: date) -> list[Due]:
        """Subscribed employers with graduates they may assess for ``period`` but have not: a
        confirmed or verified employment overlapping the period and not ended before
        ``employed_since``, and no active assessment of the graduate for the period."""
        assessed = select(assessments.c.id).where(
            assessments.c.employer_id == projected_employments.c.employer_id,
            assessments.c.graduate_id == projected_employments.c.graduate_id,
            assessments.c.period == period,
            assessments.c.status == "active",
        )
        last_day = date(period, 12, 31)
        ended_after = max(date(period, 1, 1), employed_since)
        pending = (
            select(
                projected_employments.c.employer_id.label("organization_id"),
                func.count(projected_employments.c.graduate_id.distinct()).label("pending"),
            )
            .where(
                projected_employments.c.state.in_(COUNTING_EMPLOYMENT_STATES),
                projected_employments.c.start_date <= last_day,
                or_(
                    projected_employments.c.end_date.is_(None),
                    projected_employments.c.end_date >= ended_after,
                ),
                ~assessed.exists(),
            )
            .group_by(projected_employments.c.employer_id)
            .subquery()
        )
        return await self._subscribed(EMPLOYER, period, pending)

    async def claims_awaiting_confirmation(self) -> list[Due]:
        """Subscribed institutions with employments of their graduates that employers claimed
        and no one has confirmed, disputed or rejected yet (what their confirmations page
        lists), counted from the projection of the registry's events."""
        claimed = (
            select(
                projected_employments.c.institution_id.label("organization_id"),
                func.count().label("pending"),
            )
            .where(projected_employments.c.state == "claimed")
            .group_by(projected_employments.c.institution_id)
            .subquery()
        )
        return await self._subscribed(INSTITUTION, UNDATED, claimed)

    async def _subscribed(self, role: str, period: int, pending: Subquery) -> list[Due]:
        """The enabled subscriptions in ``role`` joined to ``pending`` (organization_id,
        pending): who has something pending and asked to be reminded of it."""
        s = reminder_subscriptions.c
        rows = await self.session.execute(
            select(
                s.organization_id,
                s.role,
                s.email,
                s.language,
                s.unsubscribe_token,
                pending.c.pending,
            )
            .join(pending, pending.c.organization_id == s.organization_id)
            .where(s.role == role, s.enabled.is_(True))
            .order_by(s.organization_id)
        )
        return [Due(**row._asdict(), period=period) for row in rows]

    async def claim(
        self, key: DeliveryKey, *, now: datetime, sent_before: datetime, lease_until: datetime
    ) -> bool:
        """Take the reminder ``key`` if one is due: never sent or last sent before
        ``sent_before``, and not waiting for a retry or held by another sender."""
        exists = await self.session.scalar(
            select(func.count()).select_from(reminder_deliveries).where(_delivery(key))
        )
        if not exists:
            await self.session.execute(
                insert(reminder_deliveries).values(**key._asdict(), attempts=0, next_attempt_at=now)
            )
        taken = await self.session.execute(
            update(reminder_deliveries)
            .where(
                _delivery(key),
                reminder_deliveries.c.next_attempt_at <= now,
                or_(
                    reminder_deliveries.c.last_sent_at.is_(None),
                    reminder_deliveries.c.last_sent_at <= sent_before,
                ),
            )
            .values(next_attempt_at=lease_until)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]

    async def record(self, key: DeliveryKey, values: dict[str, Any]) -> None:
        await self.session.execute(
            update(reminder_deliveries).where(_delivery(key)).values(**values)
        )

    async def delivery(self, key: DeliveryKey) -> dict[str, Any] | None:
        row = (
            await self.session.execute(select(reminder_deliveries).where(_delivery(key)))
        ).first()
        return row._asdict() if row else None
