"""Which years a figure covers, and which figures a change in one year can move."""

# Coverage is measured against the graduates of the last five cohorts: the people employers
# are asked to assess.
COVERAGE_COHORTS = 5


def years_of(period: int, *, pooled: bool) -> range:
    """The years a figure covers: one, or the 3-year pool ending at ``period``."""
    return range(period - 2, period + 1) if pooled else range(period, period + 1)


def periods_to_recompute(periods: set[int], *, this_year: int) -> set[tuple[int, bool]]:
    """The scorecards a change in year Y can move: the years and pools ending in Y … Y + 4.

    A pool ending at P sums P − 2 … P, and coverage at P counts the cohorts P − 4 … P, so
    nothing later than Y + 4 depends on Y (and nothing in the future is scored).
    """
    return {
        (p, pooled)
        for period in periods
        for p in range(period, min(period + COVERAGE_COHORTS - 1, this_year) + 1)
        for pooled in (False, True)
    }
