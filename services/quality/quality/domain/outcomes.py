"""Employment outcomes at the census date: each graduate of a cohort in one category.

A cohort graduates on 30 June of its year (the registry keeps the year only); its census date
is 12 months later. On that day a graduate is, from the first that applies:

- employed: an employment (employee) in a counting state held on the census date;
- self-employed: the same, of kind self_employed;
- in further study: the same, of kind further_study;
- not employed: the graduate's institution followed the graduate up within three months of the
  census date and learnt that they were not employed (an institution's positive follow-up is
  its own assertion about its own graduate: it counts only when an employment backs it);
- unknown: none of these.

Unknown is never counted as not employed. A job that ended before the census date (a student
job ending at graduation) does not count. The figures of a cohort are published only after the
census date plus the methodology's recording lag, when the window has closed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple, Self

from quality.domain.occupations import is_graduate_level, is_in_field

GRADUATION_DAY = (6, 30)  # month, day
FOLLOW_UP_TOLERANCE = timedelta(days=92)  # a follow-up this close to the census date counts


class Outcome(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    FURTHER_STUDY = "further_study"
    NOT_EMPLOYED = "not_employed"
    UNKNOWN = "unknown"


# Employment kinds in the order they decide a graduate's category.
_KIND_OUTCOMES = (
    ("employee", Outcome.EMPLOYED),
    ("self_employed", Outcome.SELF_EMPLOYED),
    ("further_study", Outcome.FURTHER_STUDY),
)
_WORKING = (Outcome.EMPLOYED, Outcome.SELF_EMPLOYED)


def census_date(cohort: int) -> date:
    """The day a cohort's outcome is taken: 12 months after its graduation."""
    return date(cohort + 1, *GRADUATION_DAY)


def published_from(cohort: int, *, lag_days: int) -> date:
    """The first day a cohort's outcome may be published: the census date plus the lag for
    employments and follow-ups to be recorded and confirmed."""
    return census_date(cohort) + timedelta(days=lag_days)


def reported_not_employed(outcome: str | None, on: date | None, *, cohort: int) -> bool:
    """Whether a graduate's follow-up makes them not employed at the cohort's census."""
    return (
        outcome == Outcome.NOT_EMPLOYED
        and on is not None
        and abs(on - census_date(cohort)) <= FOLLOW_UP_TOLERANCE
    )


class HeldJob(NamedTuple):
    """An employment in a counting state held on the census date."""

    kind: str  # employee | self_employed | further_study
    isco_code: str | None  # ISCO-08 unit group (None: projected before occupations were kept)
    marked_in_field: bool  # the employer's own tick box


@dataclass(frozen=True)
class GraduateOutcome:
    category: Outcome
    graduate_level: bool = False  # working, in ISCO-08 major groups 1-3
    in_field: bool = False  # working, in an occupation the crosswalk lists for the field
    marked_in_field: bool = False  # working, in a job the employer marked as in field


def classify(
    jobs: Iterable[HeldJob], *, field_code: str, not_employed_follow_up: bool
) -> GraduateOutcome:
    """One graduate's outcome on the census date. A graduate with several jobs is graduate
    level (or in field) when one of the jobs that make the category is."""
    held = list(jobs)
    for kind, category in _KIND_OUTCOMES:
        deciding = [job for job in held if job.kind == kind]
        if not deciding:
            continue
        if category not in _WORKING:
            return GraduateOutcome(category)
        coded = [job.isco_code for job in deciding if job.isco_code]
        return GraduateOutcome(
            category,
            graduate_level=any(is_graduate_level(code) for code in coded),
            in_field=any(is_in_field(code, field_code) for code in coded),
            marked_in_field=any(job.marked_in_field for job in deciding),
        )
    return GraduateOutcome(Outcome.NOT_EMPLOYED if not_employed_follow_up else Outcome.UNKNOWN)


@dataclass(frozen=True)
class OutcomeCounts:
    """The census outcomes of a scope's cohort: graduates per category, and of the working
    (employed or self-employed) those in graduate-level work, in field, and marked in field."""

    graduates: int = 0
    employed: int = 0
    self_employed: int = 0
    further_study: int = 0
    not_employed: int = 0
    graduate_level: int = 0
    in_field: int = 0
    marked_in_field: int = 0

    def __post_init__(self) -> None:
        if any(getattr(self, f.name) < 0 for f in fields(self)):
            raise ValueError("outcome counts are non-negative")
        if self.known > self.graduates:
            raise ValueError("graduates with a known outcome cannot outnumber the graduates")
        if max(self.graduate_level, self.in_field, self.marked_in_field) > self.working:
            raise ValueError("graduate-level and in-field counts are among the working")

    @property
    def working(self) -> int:
        return self.employed + self.self_employed

    @property
    def positive(self) -> int:
        """Employed, self-employed or in further study."""
        return self.working + self.further_study

    @property
    def known(self) -> int:
        return self.positive + self.not_employed

    @classmethod
    def of(cls, outcomes: Iterable[GraduateOutcome]) -> Self:
        counts = {f.name: 0 for f in fields(cls)}
        for outcome in outcomes:
            counts["graduates"] += 1
            if outcome.category is not Outcome.UNKNOWN:
                counts[outcome.category.value] += 1
            counts["graduate_level"] += outcome.graduate_level
            counts["in_field"] += outcome.in_field
            counts["marked_in_field"] += outcome.marked_in_field
        return cls(**counts)

    @classmethod
    def total(cls, parts: Iterable["OutcomeCounts"]) -> Self:
        """The counts of disjoint groups of graduates added up."""
        sums = {f.name: 0 for f in fields(cls)}
        for part in parts:
            for name in sums:
                sums[name] += getattr(part, name)
        return cls(**sums)
