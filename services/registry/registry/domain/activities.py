"""Rules of cluster activities and strategy goals that need no database.

An outcome is checked on its own here (counts, years inside the activity's dates, currency,
field); who it names — members, their programs and graduates — the use case checks against
the registry (``named_organizations``, ``named_program``, ``named_graduates`` say what to look
up, and where in the body it was named).
"""

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter

from registry.domain import rules
from shared.contracts import reference
from shared.contracts.catalogue.registry import (
    GOAL_ACTIVITY_MEASURES,
    GOAL_INDICATORS,
    ActivityOutcome,
    ActivityStatus,
    FundingOutcome,
    GuestTeachingOutcome,
    JointProgramOutcome,
    PlacementOutcome,
    StaffDevelopmentOutcome,
)
from shared.platform.errors import Loc, RuleViolation

# Where each status may lead; a completed or cancelled activity is final.
STATUS_MOVES: dict[ActivityStatus, frozenset[ActivityStatus]] = {
    "planned": frozenset({"running", "cancelled"}),
    "running": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
# The kinds of organization an outcome's field may name (None: any member).
NAMED_KINDS: dict[str, frozenset[str] | None] = {
    "employer_id": frozenset({"employer"}),
    "institution_id": frozenset({"education"}),
    "trainer_id": frozenset({"research", "employer"}),
    "partner_id": frozenset({"private", "employer"}),
    "recipient_id": None,
    "organization_id": None,
}
_CURRENCY = re.compile(r"[A-Z]{3}")
# How far ahead a goal may look.
GOAL_HORIZON_YEARS = 30
_OUTCOME: TypeAdapter[ActivityOutcome] = TypeAdapter(ActivityOutcome)


def outcome_of(data: Mapping[str, Any]) -> ActivityOutcome:
    """The outcome ``data`` (a request body's or a stored row's fields) describes."""
    return _OUTCOME.validate_python(data)


def check_status_move(current: ActivityStatus, new: ActivityStatus) -> None:
    if new != current and new not in STATUS_MOVES[current]:
        raise RuleViolation("status", f"a {current} activity cannot become {new}")


def check_activity(
    *, title: str, start_date: date, end_date: date | None, outcome: ActivityOutcome
) -> None:
    """The activity's own rules: a title, an end not before the start, a sound outcome."""
    if not title.strip():
        raise RuleViolation("title", "an activity needs a title")
    rules.check_period(start_date, end_date)
    first, last = start_date.year, (end_date or date.max).year
    if isinstance(outcome, PlacementOutcome):
        _check_placements(outcome, first=first, last=last)
    elif isinstance(outcome, GuestTeachingOutcome):
        _check_years([y.year for y in outcome.years], first=first, last=last)
        for i, teaching in enumerate(outcome.years):
            _not_negative(teaching.hours, ("outcome", "years", i, "hours"))
    elif isinstance(outcome, StaffDevelopmentOutcome):
        _check_staff_development(outcome)
    elif isinstance(outcome, JointProgramOutcome):
        _check_joint_program(outcome)
    else:
        _check_funding(outcome)


def _check_placements(outcome: PlacementOutcome, *, first: int, last: int) -> None:
    _check_years([y.year for y in outcome.years], first=first, last=last)
    for i, year in enumerate(outcome.years):
        at: Loc = ("outcome", "years", i)
        _not_negative(year.places_offered, (*at, "places_offered"))
        _not_negative(year.places_filled, (*at, "places_filled"))
        if year.places_filled > year.places_offered:
            raise RuleViolation(
                (*at, "places_filled"), "places_filled may not exceed places_offered"
            )
        if len(set(year.graduate_ids)) != len(year.graduate_ids):
            raise RuleViolation((*at, "graduate_ids"), "a graduate is named twice")
        if len(year.graduate_ids) > year.places_filled:
            raise RuleViolation((*at, "graduate_ids"), "more graduates named than places_filled")


def _check_years(years: list[int], *, first: int, last: int) -> None:
    if not years:
        raise RuleViolation(("outcome", "years"), "give at least one year")
    for i, year in enumerate(years):
        if not first <= year <= last:
            raise RuleViolation(
                ("outcome", "years", i, "year"), "the year lies outside the activity's dates"
            )
        if year in years[:i]:
            raise RuleViolation(("outcome", "years", i, "year"), f"{year} is given twice")


def _check_staff_development(outcome: StaffDevelopmentOutcome) -> None:
    _not_negative(outcome.people, ("outcome", "people"))
    _not_negative(outcome.hours, ("outcome", "hours"))
    _not_blank(outcome.topic, ("outcome", "topic"))
    if outcome.field_code not in reference.isced_f_detailed_fields():
        raise RuleViolation(
            ("outcome", "field_code"), "field_code must be an ISCED-F 2013 detailed field"
        )
    if outcome.trainer_id == outcome.institution_id:
        raise RuleViolation(("outcome", "trainer_id"), "an institution does not train itself")


def _check_joint_program(outcome: JointProgramOutcome) -> None:
    if not outcome.partners:
        raise RuleViolation(("outcome", "partners"), "name at least one partner")
    ids = [p.organization_id for p in outcome.partners]
    for i, partner in enumerate(outcome.partners):
        at: Loc = ("outcome", "partners", i)
        if partner.organization_id in ids[:i]:
            raise RuleViolation((*at, "organization_id"), "a partner is named twice")
        _not_blank(partner.contribution, (*at, "contribution"))


def _check_funding(outcome: FundingOutcome) -> None:
    if outcome.amount < 0:
        raise RuleViolation(("outcome", "amount"), "amount may not be negative")
    if not _CURRENCY.fullmatch(outcome.currency):
        raise RuleViolation(
            ("outcome", "currency"), "currency must be an ISO 4217 code (3 capitals, e.g. UZS)"
        )
    _not_blank(outcome.purpose, ("outcome", "purpose"))
    if outcome.partner_id == outcome.recipient_id:
        raise RuleViolation(("outcome", "recipient_id"), "a partner does not fund itself")


def _not_negative(value: int, loc: Loc) -> None:
    if value < 0:
        raise RuleViolation(loc, f"{loc[-1]} may not be negative")


def _not_blank(text: str, loc: Loc) -> None:
    if not text.strip():
        raise RuleViolation(loc, f"{loc[-1]} may not be empty")


def named_organizations(outcome: ActivityOutcome) -> list[tuple[Loc, str, frozenset[str] | None]]:
    """The organizations ``outcome`` names: where, which, and the kinds it may be."""
    named: list[tuple[Loc, str]]
    if isinstance(outcome, JointProgramOutcome):
        named = [
            (("outcome", "partners", i, "organization_id"), p.organization_id)
            for i, p in enumerate(outcome.partners)
        ]
    else:
        fields = [f for f in NAMED_KINDS if f in type(outcome).model_fields]
        named = [(("outcome", f), getattr(outcome, f)) for f in fields]
    return [(loc, key, NAMED_KINDS[str(loc[-1])]) for loc, key in named]


def named_program(outcome: ActivityOutcome) -> str | None:
    """The program ``outcome`` is about (at ``outcome.program_id``), if it has one."""
    return getattr(outcome, "program_id", None)


def named_graduates(outcome: ActivityOutcome) -> list[tuple[Loc, str]]:
    """The graduates ``outcome`` names, each with where."""
    if not isinstance(outcome, PlacementOutcome):
        return []
    return [
        (("outcome", "years", i, "graduate_ids", j), graduate_id)
        for i, year in enumerate(outcome.years)
        for j, graduate_id in enumerate(year.graduate_ids)
    ]


def with_graduates(outcome: ActivityOutcome, shown: frozenset[str]) -> ActivityOutcome:
    """``outcome`` naming only the graduates in ``shown`` (a reader sees those it may)."""
    if not isinstance(outcome, PlacementOutcome):
        return outcome
    years = [
        y.model_copy(update={"graduate_ids": [g for g in y.graduate_ids if g in shown]})
        for y in outcome.years
    ]
    return outcome.model_copy(update={"years": years})


def with_hidden_graduates(
    sent: ActivityOutcome, stored: ActivityOutcome, *, shown: frozenset[str]
) -> ActivityOutcome:
    """``sent`` (an outcome a caller sends back) still naming the graduates of ``stored`` the
    caller was not ``shown``, in the same years: it could not have kept what it never saw."""
    if not isinstance(sent, PlacementOutcome) or not isinstance(stored, PlacementOutcome):
        return sent
    hidden = {y.year: [g for g in y.graduate_ids if g not in shown] for y in stored.years}
    years = [
        y.model_copy(update={"graduate_ids": [*y.graduate_ids, *hidden.get(y.year, [])]})
        if hidden.get(y.year)
        else y
        for y in sent.years
    ]
    return sent.model_copy(update={"years": years})


def check_goal(
    *,
    measure: str,
    code: str,
    field_code: str | None,
    level: str | None,
    target: Decimal,
    by_year: int | None,
    this_year: int,
) -> None:
    """A goal's rules; ``by_year`` None: the year is unchanged, so not checked again (a goal
    whose year has passed may still be revised, e.g. retired)."""
    if measure == "indicator":
        if code not in GOAL_INDICATORS:
            raise RuleViolation("code", f"not a published indicator: {', '.join(GOAL_INDICATORS)}")
        low, high = GOAL_INDICATORS[code]
    else:
        if code not in GOAL_ACTIVITY_MEASURES:
            raise RuleViolation(
                "code", f"not an activity measure: {', '.join(GOAL_ACTIVITY_MEASURES)}"
            )
        low, high = 0, None
    if not target.is_finite() or target < low or (high is not None and target > high):
        bounds = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise RuleViolation("target", f"the target of {code} is {bounds}")
    rules.check_program_classification(level=level, field_code=field_code)
    if by_year is not None and not this_year <= by_year <= this_year + GOAL_HORIZON_YEARS:
        raise RuleViolation(
            "by_year", f"by_year lies between {this_year} and {this_year + GOAL_HORIZON_YEARS}"
        )
