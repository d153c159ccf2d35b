"""Reminders of pending assessments: when one is due, and what it says in each language."""

from dataclasses import dataclass
from datetime import datetime, timedelta

LANGUAGES = ("uz", "ru", "en")
MAX_RETRY_DELAY = timedelta(hours=6)


@dataclass(frozen=True)
class Due:
    """A subscribed employer with ``pending`` employees not yet assessed for the period."""

    employer_id: str
    email: str
    language: str
    unsubscribe_token: str
    pending: int


def next_after_failure(attempts: int, now: datetime) -> datetime:
    """When to try again after ``attempts`` failed sends: 1, 2, 4 … minutes, at most 6 hours."""
    return now + min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


_SUBJECT = {
    "uz": "EduCluster: {period} yil uchun {pending} ta baholash kutilmoqda",
    "ru": "EduCluster: за {period} год ожидают оценки: {pending}",
    "en": "EduCluster: {pending} assessments pending for {period}",
}
_BODY = {
    "uz": (
        "Assalomu alaykum,\n\n"
        "Tashkilotingizda ishlayotgan {pending} nafar bitiruvchi {period} yil uchun hali "
        "baholanmagan. Baholash bir necha daqiqa oladi:\n{workspace}\n\n"
        "Bu eslatmalar endi kerak bo'lmasa: {unsubscribe}\n"
    ),
    "ru": (
        "Здравствуйте,\n\n"
        "Выпускники, работающие в вашей организации, ещё не оценены за {period} год: "
        "{pending}. Оценка занимает несколько минут:\n{workspace}\n\n"
        "Отказаться от этих напоминаний: {unsubscribe}\n"
    ),
    "en": (
        "Hello,\n\n"
        "{pending} graduates employed by your organization have not been assessed for "
        "{period} yet. An assessment takes a few minutes:\n{workspace}\n\n"
        "To stop these reminders: {unsubscribe}\n"
    ),
}


def reminder_text(
    language: str, *, pending: int, period: int, workspace: str, unsubscribe: str
) -> tuple[str, str]:
    """(subject, body) of a reminder in ``language`` (uz, ru or en)."""
    values = {
        "pending": pending,
        "period": period,
        "workspace": workspace,
        "unsubscribe": unsubscribe,
    }
    return _SUBJECT[language].format(**values), _BODY[language].format(**values)
