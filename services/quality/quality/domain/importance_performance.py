"""Importance–performance analysis (Martilla & James, 1977) per competency.

It points a program at the competencies employers need most and find weakest, which a plain
ranking of mean ratings cannot do.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

# A value this close to a crosshair counts as on it, so a competency exactly at the grand mean is
# not flipped to "low" by rounding in the mean itself.
_TIE_TOLERANCE = 1e-9


class Quadrant(StrEnum):
    CONCENTRATE_HERE = "concentrate_here"  # important, performing below the crosshair
    KEEP_UP_THE_GOOD_WORK = "keep_up_the_good_work"  # important, performing well
    LOW_PRIORITY = "low_priority"  # less important, performing below the crosshair
    POSSIBLE_OVERKILL = "possible_overkill"  # less important, performing well


@dataclass(frozen=True)
class Crosshairs:
    importance: float
    performance: float


@dataclass(frozen=True)
class CompetencyMeans:
    """Mean stated importance and mean rating of one competency, both on the 1..5 scale."""

    importance: float
    performance: float


@dataclass(frozen=True)
class ImportancePerformance:
    importance: float
    performance: float
    gap: float  # importance − performance: positive when employers need more than they get
    quadrant: Quadrant


def grand_mean_crosshairs(competencies: Mapping[str, CompetencyMeans]) -> Crosshairs:
    """Unweighted means over the scope's competencies: each competency counts once."""
    if not competencies:
        raise ValueError("crosshairs need at least one competency")
    values = competencies.values()
    return Crosshairs(
        importance=math.fsum(c.importance for c in values) / len(values),
        performance=math.fsum(c.performance for c in values) / len(values),
    )


def quadrant(means: CompetencyMeans, crosshairs: Crosshairs) -> Quadrant:
    """A value equal to its crosshair counts as high (ties go to "high")."""
    important = means.importance >= crosshairs.importance - _TIE_TOLERANCE
    performing = means.performance >= crosshairs.performance - _TIE_TOLERANCE
    if important:
        return Quadrant.KEEP_UP_THE_GOOD_WORK if performing else Quadrant.CONCENTRATE_HERE
    return Quadrant.POSSIBLE_OVERKILL if performing else Quadrant.LOW_PRIORITY


def importance_performance(
    competencies: Mapping[str, CompetencyMeans], *, crosshairs: Crosshairs | None = None
) -> dict[str, ImportancePerformance]:
    """Gap and quadrant per competency code, against the grand means unless crosshairs are fixed
    (e.g. Crosshairs(3.0, 3.0), the scale midpoint). Pass only competencies whose means are
    published: a suppressed mean would otherwise leak through the grand mean."""
    if not competencies:
        return {}
    chosen = crosshairs if crosshairs is not None else grand_mean_crosshairs(competencies)
    return {
        code: ImportancePerformance(
            importance=means.importance,
            performance=means.performance,
            gap=means.importance - means.performance,
            quadrant=quadrant(means, chosen),
        )
        for code, means in competencies.items()
    }
