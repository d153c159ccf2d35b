"""Reminders: an employer's of pending assessments, an institution's of employment claims
awaiting its confirmation; when one is due, and what it says in each language."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

LANGUAGES = ("uz", "ru", "en")
MAX_RETRY_DELAY = timedelta(hours=6)
EMPLOYER, INSTITUTION = "employer", "institution"
# Claims awaiting confirmation are of no one year: an institution's deliveries have period 0.
UNDATED = 0


class DeliveryKey(NamedTuple):
    """One series of reminders: an organization, in the role it asked as, for one period."""

    organization_id: str
    role: str
    period: int


@dataclass(frozen=True)
class Due:
    """A subscribed organization with ``pending`` things to do: an employer's employees not yet
    assessed for ``period``, or an institution's claims awaiting its confirmation."""

    organization_id: str
    role: str
    period: int
    email: str
    language: str
    unsubscribe_token: str
    pending: int

    @property
    def key(self) -> DeliveryKey:
        return DeliveryKey(self.organization_id, self.role, self.period)


def next_after_failure(attempts: int, now: datetime) -> datetime:
    """When to try again after ``attempts`` failed sends: 1, 2, 4 … minutes, at most 6 hours."""
    return now + min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_RETRY_DELAY)


# Where each role's reminder leads: the dashboard page listing what awaits it.
WORKSPACE = {EMPLOYER: "#/employer", INSTITUTION: "#/workspace/institution/confirmations"}

_SUBJECT = {
    EMPLOYER: {
        "uz": "EduCluster: {period} yil uchun {pending} ta baholash kutilmoqda",
        "ru": "EduCluster: за {period} год ожидают оценки: {pending}",
        "en": "EduCluster: {pending} assessments pending for {period}",
    },
    INSTITUTION: {
        "uz": "EduCluster: {pending} ta ishga joylashish tasdiqlashingizni kutmoqda",
        "ru": "EduCluster: ожидают вашего подтверждения трудоустройства: {pending}",
        "en": "EduCluster: {pending} employment claims await your confirmation",
    },
}
_BODY = {
    EMPLOYER: {
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
    },
    INSTITUTION: {
        "uz": (
            "Assalomu alaykum,\n\n"
            "Ish beruvchilar bitiruvchilaringizni ishga olganini bildirdi: {pending} ta ishga "
            "joylashish tasdiqlashingizni kutmoqda. Ish beruvchi bitiruvchini faqat "
            "tasdiqlangandan keyin baholay oladi. Tasdiqlang yoki e'tiroz bildiring:\n"
            "{workspace}\n\n"
            "Bu eslatmalar endi kerak bo'lmasa: {unsubscribe}\n"
        ),
        "ru": (
            "Здравствуйте,\n\n"
            "Работодатели сообщили о трудоустройстве ваших выпускников; ожидают вашего "
            "подтверждения: {pending}. Работодатель может оценить выпускника только после "
            "подтверждения. Подтвердите или оспорьте:\n{workspace}\n\n"
            "Отказаться от этих напоминаний: {unsubscribe}\n"
        ),
        "en": (
            "Hello,\n\n"
            "Employers have claimed to employ your graduates: {pending} claims await your "
            "confirmation. An employer may assess a graduate only once its claim is confirmed. "
            "Confirm or dispute them:\n{workspace}\n\n"
            "To stop these reminders: {unsubscribe}\n"
        ),
    },
}


def reminder_text(
    role: str, language: str, *, pending: int, period: int, workspace: str, unsubscribe: str
) -> tuple[str, str]:
    """(subject, body) of ``role``'s reminder in ``language`` (uz, ru or en)."""
    values = {
        "pending": pending,
        "period": period,
        "workspace": workspace,
        "unsubscribe": unsubscribe,
    }
    return _SUBJECT[role][language].format(**values), _BODY[role][language].format(**values)
