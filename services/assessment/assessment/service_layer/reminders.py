"""Reminders: an employer asks for them of pending assessments, an institution of employment
claims awaiting its confirmation; a background loop sends them.

Sending never happens in a request: the loop claims each due reminder in its own transaction
(so two replicas never both send it), sends outside any transaction, and records the outcome;
a failed send is retried with a growing delay. A reminder sent but not recorded (the process
died in between) may be sent again once its claim expires: reminders are at least once.
"""

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from smtplib import SMTPException
from typing import Any
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError

from assessment.config import AssessmentSettings
from assessment.domain.access import may_ask_for_reminders
from assessment.domain.reminders import (
    WORKSPACE,
    DeliveryKey,
    Due,
    next_after_failure,
    reminder_text,
)
from assessment.service_layer.unit_of_work import AbstractAssessmentUnitOfWork, assessment_uow
from shared.contracts.assessment_window import months_before
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.errors import NotFound
from shared.platform.mail import send
from shared.platform.runtime import Runtime

log = logging.getLogger(__name__)
CLAIM_FOR = timedelta(minutes=10)  # longer than one send may take, SMTP timeouts included


async def subscription(uow: AbstractAssessmentUnitOfWork, identity: Identity) -> dict[str, Any]:
    role, organization_id = may_ask_for_reminders(identity)
    found = await uow.reminders.subscription(organization_id, role)
    if found is None:  # never asked: reminders are off until it does
        return {
            "organization_id": organization_id,
            "role": role,
            "email": None,
            "language": None,
            "enabled": False,
        }
    return dict(found)


async def subscribe(
    uow: AbstractAssessmentUnitOfWork,
    identity: Identity,
    *,
    email: str,
    language: str,
    enabled: bool,
) -> dict[str, Any]:
    role, organization_id = may_ask_for_reminders(identity)
    values = {
        "organization_id": organization_id,
        "role": role,
        "email": email,
        "language": language,
        "enabled": enabled,
        "updated_at": now(),
    }
    await uow.reminders.save_subscription(values, token=secrets.token_urlsafe(32))
    await uow.commit()
    return values


async def unsubscribe(uow: AbstractAssessmentUnitOfWork, token: str) -> None:
    if not await uow.reminders.disable_by_token(token, now()):
        raise NotFound("unsubscribe token", "given")  # never echo a token back
    await uow.commit()


async def send_due_reminders(
    uow_factory: Callable[[], AbstractAssessmentUnitOfWork],
    settings: AssessmentSettings,
    *,
    at: datetime,
) -> int:
    """Send every reminder due at ``at`` (employers': for the period of its year); returns how
    many went."""
    employed_since = months_before(at.date(), settings.employment_window_months)
    async with uow_factory() as uow:
        due = [
            *await uow.reminders.pending_assessments(period=at.year, employed_since=employed_since),
            *await uow.reminders.claims_awaiting_confirmation(),
        ]
    sent = 0
    for reminder in due:
        if await _claim(uow_factory, reminder.key, at=at, settings=settings):
            sent += await _send(uow_factory, reminder, at=at, settings=settings)
    return sent


async def _claim(
    uow_factory: Callable[[], AbstractAssessmentUnitOfWork],
    key: DeliveryKey,
    *,
    at: datetime,
    settings: AssessmentSettings,
) -> bool:
    try:
        async with uow_factory() as uow:
            taken = await uow.reminders.claim(
                key,
                now=at,
                sent_before=at - timedelta(days=settings.reminder_every_days),
                lease_until=at + CLAIM_FOR,
            )
            await uow.commit()
            return bool(taken)
    except IntegrityError:  # another replica made the row first: it is that replica's turn
        return False


async def _send(
    uow_factory: Callable[[], AbstractAssessmentUnitOfWork],
    reminder: Due,
    *,
    at: datetime,
    settings: AssessmentSettings,
) -> int:
    try:
        await send(settings.smtp, reminder_message(reminder, settings))
    except (OSError, SMTPException) as error:
        async with uow_factory() as uow:
            known = await uow.reminders.delivery(reminder.key)
            attempts = (known["attempts"] if known else 0) + 1
            await uow.reminders.record(
                reminder.key,
                {
                    "attempts": attempts,
                    "next_attempt_at": next_after_failure(attempts, at),
                    "last_error": type(error).__name__,  # never the address or server text
                },
            )
            await uow.commit()
        log.warning(
            "reminder not sent; will retry",
            extra={
                "organization_id": reminder.organization_id,
                "role": reminder.role,
                "attempts": attempts,
            },
        )
        return 0
    async with uow_factory() as uow:
        await uow.reminders.record(
            reminder.key,
            {"last_sent_at": at, "attempts": 0, "next_attempt_at": at, "last_error": None},
        )
        await uow.commit()
    return 1


def reminder_message(reminder: Due, settings: AssessmentSettings) -> EmailMessage:
    base = settings.public_url.rstrip("/")
    token = quote(reminder.unsubscribe_token)
    unsubscribe_api = f"{base}/api/v1/reminders/unsubscribe?token={token}"
    subject, body = reminder_text(
        reminder.role,
        reminder.language,
        pending=reminder.pending,
        period=reminder.period,
        workspace=f"{base}/{WORKSPACE[reminder.role]}",
        unsubscribe=f"{base}/#/unsubscribe?token={token}",
    )
    message = EmailMessage()
    message["To"] = reminder.email
    message["Subject"] = subject
    # RFC 8058 one-click unsubscribe: mail clients POST to the link, no sign-in needed.
    message["List-Unsubscribe"] = f"<{unsubscribe_api}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body)
    message["Content-Language"] = reminder.language  # after: set_content drops Content-*
    return message


async def remind(runtime: Runtime[AssessmentSettings]) -> None:
    """The service's reminder loop: every ``reminder_check_every_s``, send what is due."""
    settings = runtime.settings
    if not settings.smtp.enabled:
        log.info("no SMTP host set (EDUCLUSTER_SMTP_HOST): reminders are not sent")
        return
    while True:
        sent = await send_due_reminders(
            lambda: assessment_uow(runtime.uow_factory()), settings, at=now()
        )
        if sent:
            log.info("reminders sent", extra={"sent": sent})
        await asyncio.sleep(settings.reminder_check_every_s)
