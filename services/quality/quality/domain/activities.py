"""Cluster activities as the quality service counts them: which programs an activity reaches,
how intense a cluster's activities are per program and per cluster, who reads them, and where
a goal stands against its target. docs/methodology.md, "Cluster activities", defines each
figure.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import TypeAdapter

from quality.domain.access import ensure_may_read_scores
from quality.domain.model import ProgramKind
from quality.domain.scorecard import SECONDARY_REASON
from quality.domain.suppression import (
    FigureKind,
    SuppressionThresholds,
    secondary_suppression,
    suppression_reason,
)
from shared.contracts.catalogue.registry import (
    ActivityOutcome,
    FundingOutcome,
    GuestTeachingOutcome,
    JointProgramOutcome,
    PlacementOutcome,
    StaffDevelopmentOutcome,
)
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden

# A planned activity has done nothing yet; a cancelled one keeps the years it recorded.
COUNTED_STATUSES = frozenset({"running", "completed", "cancelled"})
PLACEMENT_KINDS = ("internship", "apprenticeship")
# The kinds that reach programs (funding goes to an organization, not to a program).
ProgramActivityKind = Literal[
    "internship", "apprenticeship", "staff_development", "guest_teaching", "joint_program"
]
_OUTCOME: TypeAdapter[ActivityOutcome] = TypeAdapter(ActivityOutcome)

GoalStatus = Literal["met", "not_met", "undetermined"]
STRADDLES = "the interval straddles the target"


def ensure_may_read_cluster_work(identity: Identity, *, region_code: str, is_member: bool) -> None:
    """A cluster's activity figures and goals: the ministry, the region's authority and the
    cluster's current members (``is_member``), as the registry shows its activities."""
    ensure_may_read_scores(identity)
    if not (
        identity.is_("ministry")
        or (identity.is_("regional_authority") and identity.region == region_code)
        or (identity.is_("institution", "employer") and is_member)
    ):
        raise Forbidden(
            "only the ministry, the region's authority and the cluster's members read its work"
        )


@dataclass(frozen=True)
class Activity:
    """One activity as last announced (the projection's row)."""

    id: str
    cluster_id: str
    status: str
    start_date: date
    outcome: ActivityOutcome

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> "Activity":
        return cls(
            id=row["id"],
            cluster_id=row["cluster_id"],
            status=row["status"],
            start_date=row["start_date"],
            outcome=_OUTCOME.validate_python(row["outcome"]),
        )

    @property
    def counted(self) -> bool:
        return self.status in COUNTED_STATUSES


def reached(outcome: ActivityOutcome, programs: Mapping[str, ProgramKind]) -> set[str]:
    """The programs an outcome reaches: the one it names, or for staff development the
    institution's programs in the field its staff were trained in."""
    if isinstance(outcome, StaffDevelopmentOutcome):
        return {
            id_
            for id_, kind in programs.items()
            if kind.institution_id == outcome.institution_id
            and kind.field_code == outcome.field_code
        }
    if isinstance(outcome, PlacementOutcome | GuestTeachingOutcome | JointProgramOutcome):
        return {outcome.program_id}
    return set()


def joined(
    activities: Iterable[Activity], programs: Mapping[str, ProgramKind], *, kind: str
) -> dict[str, int]:
    """Program → the year it first took part in a counted activity of ``kind`` (the year the
    activity started)."""
    first: dict[str, int] = {}
    for activity in activities:
        if activity.outcome.kind != kind or not activity.counted:
            continue
        year = activity.start_date.year
        for program in reached(activity.outcome, programs):
            first[program] = min(first.get(program, year), year)
    return first


def per_hundred(count: int, graduates: int) -> float | None:
    return None if graduates == 0 else round(100 * count / graduates, 1)


def per_program(count: int, programs: int) -> float | None:
    return None if programs == 0 else round(count / programs, 2)


@dataclass
class Tally:
    """What counted activities give one program (or one cluster) in one year."""

    offered: dict[str, int]
    filled: dict[str, int]
    staff_people: int = 0
    staff_person_hours: int = 0
    guest_hours: int = 0

    @classmethod
    def empty(cls) -> "Tally":
        return cls(
            offered=dict.fromkeys(PLACEMENT_KINDS, 0), filled=dict.fromkeys(PLACEMENT_KINDS, 0)
        )


YearTallies = dict[tuple[str, int], Tally]  # (program id, year) → its tally


def program_tallies(
    activities: Iterable[Activity], programs: Mapping[str, ProgramKind]
) -> tuple[YearTallies, dict[int, Tally]]:
    """Each (program, year)'s tally, and each year's tally of the whole cluster (staff
    trained count once for the cluster even when they reach several programs, or none)."""
    by_program: YearTallies = {}
    cluster: dict[int, Tally] = {}

    def at(year: int, reaching: Iterable[str]) -> list[Tally]:
        """The cluster's tally of ``year`` and those of the programs ``reaching``."""
        return [
            cluster.setdefault(year, Tally.empty()),
            *(by_program.setdefault((p, year), Tally.empty()) for p in reaching),
        ]

    for activity in activities:
        outcome = activity.outcome
        if not activity.counted:
            continue
        if isinstance(outcome, PlacementOutcome):
            for y in outcome.years:
                for tally in at(y.year, [outcome.program_id]):
                    tally.offered[outcome.kind] += y.places_offered
                    tally.filled[outcome.kind] += y.places_filled
        elif isinstance(outcome, GuestTeachingOutcome):
            for t in outcome.years:
                for tally in at(t.year, [outcome.program_id]):
                    tally.guest_hours += t.hours
        elif isinstance(outcome, StaffDevelopmentOutcome):
            for tally in at(activity.start_date.year, reached(outcome, programs)):
                tally.staff_people += outcome.people
                tally.staff_person_hours += outcome.people * outcome.hours
    return by_program, cluster


def small_cohort(graduates: int, thresholds: SuppressionThresholds) -> str | None:
    """Why a cohort's size may not be shown: the rule of the employment shares, which count
    the same graduates ("fewer than 10 graduates"). An empty cohort reveals no one."""
    if graduates == 0:
        return None
    return suppression_reason(
        kind=FigureKind.SHARE,
        n=graduates,
        employers=None,
        graduates=graduates,
        thresholds=thresholds,
        counted="graduates",
    )


_UNLISTED = ""  # the member programs no activity reaches, together; never a program id


def hidden_cohorts(
    listed: Mapping[str, int],
    *,
    unlisted: int,
    thresholds: SuppressionThresholds,
    also: Mapping[str, str] | None = None,
    total_also: str | None = None,
) -> tuple[str | None, dict[str, str]]:
    """Why the cluster's cohort (its member programs' summed) is hidden, and each listed member
    program's: a small cohort, or one hidden so that the total less the cohorts shown cannot
    give a small one back (suppression.secondary_suppression). The member programs no activity
    reaches are not listed, so they are one more child, never shown. ``also``, ``total_also``:
    cohorts and the total hidden for another table's sake (domain/intensity_release.py)."""
    sizes = {**listed, _UNLISTED: unlisted}
    primary = {p: r for p, r in (also or {}).items() if p in listed} | {
        p: reason for p, g in sizes.items() if (reason := small_cohort(g, thresholds))
    }
    total = small_cohort(sum(sizes.values()), thresholds) or total_also
    family = secondary_suppression(parent_published=total is None, children=sizes, primary=primary)
    if family.parent_suppressed and total is None:
        total = SECONDARY_REASON
    hidden = {p: primary.get(p, SECONDARY_REASON) for p in family.suppressed}
    hidden.pop(_UNLISTED, None)
    return total, hidden


def _placements(tally: Tally, graduates: int, hidden: str | None) -> dict[str, Any]:
    """Places offered and filled, and per 100 graduates unless the cohort's size is
    ``hidden`` (a rate beside its count would give the size back)."""

    def rate(count: int) -> float | None:
        return None if hidden else per_hundred(count, graduates)

    return {
        kind: {
            "offered": tally.offered[kind],
            "filled": tally.filled[kind],
            "offered_per_100": rate(tally.offered[kind]),
            "filled_per_100": rate(tally.filled[kind]),
            "n": None if hidden else graduates,
            "reason": hidden,
        }
        for kind in PLACEMENT_KINDS
    }


def program_intensity(
    tally: Tally, *, program_id: str, year: int, graduates: int, hidden: str | None
) -> dict[str, Any]:
    """One program's figures of one year; ``graduates``: its active graduates of that year's
    cohort (the n of every figure per 100 graduates), not shown when ``hidden`` says why."""
    return {
        "program_id": program_id,
        "year": year,
        "graduates": None if hidden else graduates,
        "reason": hidden,
        "placements": _placements(tally, graduates, hidden),
        "staff_trained": {"people": tally.staff_people, "person_hours": tally.staff_person_hours},
        "guest_teaching_hours": tally.guest_hours,
    }


def cluster_intensity(
    tally: Tally, *, year: int, programs: int, graduates: int, hidden: str | None
) -> dict[str, Any]:
    """The cluster's figures of one year over its member programs (``programs`` of the
    institutions that were members during the year, with ``graduates`` of that year's
    cohort, not shown when ``hidden`` says why)."""
    return {
        "year": year,
        "programs": programs,
        "graduates": None if hidden else graduates,
        "reason": hidden,
        "placements": _placements(tally, graduates, hidden),
        "staff_trained": {
            "people": tally.staff_people,
            "person_hours": tally.staff_person_hours,
            "per_program": per_program(tally.staff_people, programs),
            "n": programs,
        },
        "guest_teaching_hours": {
            "hours": tally.guest_hours,
            "per_program": per_program(tally.guest_hours, programs),
            "n": programs,
        },
    }


def funding_by_year(activities: Iterable[Activity]) -> dict[int, dict[str, Decimal]]:
    """Each year's funding, equipment and facilities given (counted activities, by the year
    they started), summed per currency."""
    given: dict[int, dict[str, Decimal]] = {}
    for activity in activities:
        outcome = activity.outcome
        if activity.counted and isinstance(outcome, FundingOutcome):
            year = given.setdefault(activity.start_date.year, {})
            year[outcome.currency] = year.get(outcome.currency, Decimal(0)) + outcome.amount
    return given


def activity_measure(code: str, year: Mapping[str, Any]) -> tuple[float | None, int | None]:
    """A goal's activity measure in one year of the cluster's intensity (cluster_intensity),
    and the graduates it is per (None: a count)."""
    internships = year["placements"]["internship"]
    if code == "internship_places_per_graduate":
        graduates = year["graduates"]  # None when hidden: the rate would give it back
        return (internships["offered"] / graduates if graduates else None), graduates
    counts = {
        "internship_places_filled": internships["filled"],
        "staff_trained": year["staff_trained"]["people"],
        "guest_teaching_hours": year["guest_teaching_hours"]["hours"],
    }
    return float(counts[code]), None


def goal_status(
    *, ci_low: float | None, ci_high: float | None, comparator: str, target: Decimal
) -> tuple[GoalStatus, str | None]:
    """Met when the whole interval lies on the target's side (the target itself counts),
    not met when it lies wholly on the other, undetermined when it straddles the target."""
    if ci_low is None or ci_high is None:
        return "undetermined", "no published interval"
    goal = float(target)
    low, high = (ci_low, ci_high) if comparator == "at_least" else (-ci_high, -ci_low)
    goal = goal if comparator == "at_least" else -goal
    if low >= goal:
        return "met", None
    if high < goal:
        return "not_met", None
    return "undetermined", STRADDLES


def comparable(
    program: ProgramKind,
    treated: Collection[ProgramKind],
    *,
    by: Literal["field_level", "region"],
    regions: Mapping[str, str],
    region_code: str,
) -> bool:
    """Whether a program not in the activity compares with the treated ones: of the same
    ISCED-F field and level as one of them, or of an institution in the cluster's region."""
    if by == "region":
        return regions.get(program.institution_id) == region_code
    return any(program.level == t.level and program.field_code == t.field_code for t in treated)
