"""Whether an employer may assess a graduate for a period: pure rules over known employments.

Only an employment the graduate's institution (or the graduate) confirmed, or a register
verified, makes its employer eligible: an employer's own claim is not enough.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.contracts.assessment_window import months_before
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES, EmploymentStatus


@dataclass(frozen=True)
class Employment:
    start_date: date
    end_date: date | None
    # As the registry's events say; those written before provenance existed were claims.
    state: EmploymentStatus = "claimed"

    @property
    def counts(self) -> bool:
        """Confirmed or verified: it makes its employer eligible to assess the graduate."""
        return self.state in COUNTING_EMPLOYMENT_STATES


def counting(employments: Iterable[Employment]) -> list[Employment]:
    """The employments that make their employer eligible (confirmed or verified)."""
    return [e for e in employments if e.counts]


def overlaps_period(employments: Iterable[Employment], *, period: int) -> bool:
    """True if one employment overlaps the period's year, however long ago it ended."""
    first, last = date(period, 1, 1), date(period, 12, 31)
    return any(
        e.start_date <= last and (e.end_date is None or e.end_date >= first) for e in employments
    )


def covers_period(
    employments: Iterable[Employment], *, period: int, today: date, window_months: int
) -> bool:
    """True if one employment overlaps the period's year and is current, or ended recently.

    "Recently" is within ``window_months`` before ``today``: employers remember a graduate's
    work for a while after it ends, not forever.
    """
    earliest_end = months_before(today, window_months)
    recent = (e for e in employments if e.end_date is None or e.end_date >= earliest_end)
    return overlaps_period(recent, period=period)


def not_eligible(employments: Iterable[Employment], *, period: int) -> str:
    """Why an employer whose employments covering ``period`` (``employments``) are claimed,
    disputed or rejected only may not assess the graduate."""
    states = "/".join(sorted({e.state for e in employments})) or "missing"
    return (
        f"not eligible: this employer's employment of the graduate in {period} is {states}; "
        "it must be confirmed by the graduate's institution (or the graduate) or verified in a "
        "register import before the employer may assess the graduate"
    )
