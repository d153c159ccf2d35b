"""The reminder tables: subscriptions, pending employees, and claimed deliveries."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assessment.adapters.repositories import ReminderRepository
from assessment.adapters.tables import (
    assessments,
    projected_employments,
    reminder_deliveries,
    reminder_subscriptions,
)
from assessment.domain.reminders import Due
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES

subscription_columns = (
    reminder_subscriptions.c.employer_id,
    reminder_subscriptions.c.email,
    reminder_subscriptions.c.language,
    reminder_subscriptions.c.enabled,
    reminder_subscriptions.c.updated_at,
)


class SqlReminderRepository(ReminderRepository):
    """Reminder subscriptions and deliveries on the unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def subscription(self, employer_id: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                select(*subscription_columns).where(
                    reminder_subscriptions.c.employer_id == employer_id
                )
            )
        ).first()
        return row._asdict() if row else None

    async def save_subscription(self, values: dict[str, Any], token: str) -> None:
        """Insert or update the employer's subscription; its token is kept once made."""
        changed = await self.session.execute(
            update(reminder_subscriptions)
            .where(reminder_subscriptions.c.employer_id == values["employer_id"])
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

    async def pending_counts(self, *, period: int, employed_since: date) -> list[Due]:
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
                projected_employments.c.employer_id,
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
        rows = await self.session.execute(
            select(
                reminder_subscriptions.c.employer_id,
                reminder_subscriptions.c.email,
                reminder_subscriptions.c.language,
                reminder_subscriptions.c.unsubscribe_token,
                pending.c.pending,
            )
            .join(pending, pending.c.employer_id == reminder_subscriptions.c.employer_id)
            .where(reminder_subscriptions.c.enabled.is_(True))
            .order_by(reminder_subscriptions.c.employer_id)
        )
        return [Due(**row._asdict()) for row in rows]

    async def claim(
        self,
        employer_id: str,
        period: int,
        *,
        now: datetime,
        sent_before: datetime,
        lease_until: datetime,
    ) -> bool:
        """Take the employer's reminder for ``period`` if one is due: never sent or last sent
        before ``sent_before``, and not waiting for a retry or held by another sender."""
        exists = await self.session.scalar(
            select(func.count())
            .select_from(reminder_deliveries)
            .where(
                reminder_deliveries.c.employer_id == employer_id,
                reminder_deliveries.c.period == period,
            )
        )
        if not exists:
            await self.session.execute(
                insert(reminder_deliveries).values(
                    employer_id=employer_id, period=period, attempts=0, next_attempt_at=now
                )
            )
        taken = await self.session.execute(
            update(reminder_deliveries)
            .where(
                reminder_deliveries.c.employer_id == employer_id,
                reminder_deliveries.c.period == period,
                reminder_deliveries.c.next_attempt_at <= now,
                or_(
                    reminder_deliveries.c.last_sent_at.is_(None),
                    reminder_deliveries.c.last_sent_at <= sent_before,
                ),
            )
            .values(next_attempt_at=lease_until)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]

    async def record(self, employer_id: str, period: int, values: dict[str, Any]) -> None:
        await self.session.execute(
            update(reminder_deliveries)
            .where(
                and_(
                    reminder_deliveries.c.employer_id == employer_id,
                    reminder_deliveries.c.period == period,
                )
            )
            .values(**values)
        )

    async def delivery(self, employer_id: str, period: int) -> dict[str, Any] | None:
        row = (
            await self.session.execute(
                select(reminder_deliveries).where(
                    reminder_deliveries.c.employer_id == employer_id,
                    reminder_deliveries.c.period == period,
                )
            )
        ).first()
        return row._asdict() if row else None
