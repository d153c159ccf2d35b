"""The assessment window: how long after an employment ends its employer may still assess the
graduate (the assessment service) and still read the graduate's name (the registry). Both
services take the months from their settings; the default is the same."""

from datetime import date

DEFAULT_WINDOW_MONTHS = 12


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
