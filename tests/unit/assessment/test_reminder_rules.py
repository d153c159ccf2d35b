"""Reminder texts in every language and the retry schedule (pure rules)."""

from datetime import UTC, datetime, timedelta

import pytest
from assessment.domain.reminders import (
    EMPLOYER,
    INSTITUTION,
    LANGUAGES,
    next_after_failure,
    reminder_text,
)

NOW = datetime(2026, 12, 6, tzinfo=UTC)
ROLES = (EMPLOYER, INSTITUTION)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_says_how_many_are_pending_with_both_links(role, language):
    subject, body = reminder_text(
        role, language, pending=3, period=2026, workspace="https://w", unsubscribe="https://u"
    )
    assert "3" in subject
    assert "https://w" in body and "https://u" in body


def test_an_employers_reminder_names_the_year():
    for language in LANGUAGES:
        subject, _ = reminder_text(
            EMPLOYER, language, pending=3, period=2026, workspace="w", unsubscribe="u"
        )
        assert "2026" in subject


@pytest.mark.parametrize("role", ROLES)
def test_the_texts_differ_by_language(role):
    subjects = {
        reminder_text(role, lang, pending=1, period=2026, workspace="w", unsubscribe="u")[0]
        for lang in LANGUAGES
    }
    assert len(subjects) == len(LANGUAGES)


def test_the_texts_differ_by_role():
    for language in LANGUAGES:
        employer, institution = (
            reminder_text(role, language, pending=1, period=0, workspace="w", unsubscribe="u")
            for role in ROLES
        )
        assert employer[0] != institution[0] and employer[1] != institution[1]


def test_retries_wait_longer_each_time_up_to_six_hours():
    waits = [next_after_failure(attempts, NOW) - NOW for attempts in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits == sorted(waits)
    assert max(waits) == timedelta(hours=6)
