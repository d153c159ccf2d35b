"""Whether an employer may assess a graduate for a period: pure rules over known employments."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Employment:
    start_date: date
    end_date: date | None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def covers_period(
    employments: Iterable[Employment], *, period: int, today: date, window_months: int
) -> bool:
    """True if one employment overlaps the period's year and is current, or ended recently.

    "Recently" is within ``window_months`` before ``today``: employers remember a graduate's
    work for a while after it ends, not forever.
    """
    first, last = date(period, 1, 1), date(period, 12, 31)
    earliest_end = months_before(today, window_months)
    return any(
        e.start_date <= last
        and (e.end_date is None or (e.end_date >= first and e.end_date >= earliest_end))
        for e in employments
    )
