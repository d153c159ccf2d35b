"""Registry rules that need no database: what may be combined with what."""

import re
from datetime import date

from registry.domain.model import Program
from shared.contracts import reference
from shared.contracts.catalogue.registry import EmploymentStatus
from shared.platform.errors import Conflict, RuleViolation

# Which kind of organization may take which cluster role (the coordinator may be any kind).
ROLE_KINDS = {
    "education": "education",
    "employer": "employer",
    "research": "research",
    "private_partner": "private",
}
FIRST_GRADUATION_YEAR = 1950
_REGION_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def allowed_subtypes(kind: str) -> tuple[str, ...]:
    if kind == "employer":
        return tuple(reference.isic_rev4_sections())
    return {
        "education": reference.education_subtypes(),
        "research": reference.research_subtypes(),
        "private": reference.private_subtypes(),
        "government": reference.government_subtypes(),
    }[kind]


def check_subtype(kind: str, subtype: str) -> None:
    allowed = allowed_subtypes(kind)
    if subtype not in allowed:
        hint = "an ISIC Rev.4 section letter" if kind == "employer" else ", ".join(allowed)
        raise RuleViolation("subtype", f"a {kind} organization's subtype must be {hint}")


def check_tax_id(tax_id: str) -> None:
    if not reference.valid_uz_tax_id(tax_id):
        raise RuleViolation("tax_id", "a taxpayer id (STIR) is 9 digits, starting with 2-7")


def check_region_code(code: str, country: str) -> None:
    """A region's code is an ISO 3166-2 code of its own country."""
    if not _REGION_CODE.fullmatch(code) or not code.startswith(country):
        raise RuleViolation("code", "an ISO 3166-2 code of the region's country, e.g. UZ-SA")


def check_member_role(role: str, organization_kind: str) -> None:
    needed = ROLE_KINDS.get(role)
    if needed is not None and organization_kind != needed:
        raise RuleViolation(
            "role", f"the {role} role is for {needed} organizations, not {organization_kind}"
        )


def check_sectors(sectors: list[str]) -> None:
    sections = reference.isic_rev4_sections()
    unknown = [s for s in sectors if s not in sections]
    if unknown:
        raise RuleViolation("sectors", f"not ISIC Rev.4 sections: {', '.join(unknown)}")


def check_program_classification(*, level: str | None, field_code: str | None) -> None:
    if level is not None and level not in reference.isced_2011_levels():
        raise RuleViolation("level", "level must be an ISCED 2011 level (0-8)")
    if field_code is not None and field_code not in reference.isced_f_detailed_fields():
        raise RuleViolation("field_code", "field_code must be an ISCED-F 2013 detailed field")


def graduation_year_problem(year: int, *, this_year: int) -> str | None:
    """Why ``year`` cannot be a graduation year, or None (up to next year: planned cohorts)."""
    last = this_year + 1
    if not FIRST_GRADUATION_YEAR <= year <= last:
        return f"graduation_year must be between {FIRST_GRADUATION_YEAR} and {last}"
    return None


def check_graduation_year(year: int, *, this_year: int) -> None:
    problem = graduation_year_problem(year, this_year=this_year)
    if problem:
        raise RuleViolation("graduation_year", problem)


def check_isco(code: str) -> None:
    if code not in reference.isco08_unit_groups():
        raise RuleViolation("isco_code", "isco_code must be an ISCO-08 unit group (4 digits)")


def check_period(start_date: date, end_date: date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise RuleViolation("end_date", "end_date may not be before start_date")


def check_start_after_graduation(start_date: date, graduation_year: int) -> None:
    """An employment counted for a graduate starts in the graduation year or later: an earlier
    start (a claim "since 2000") would make anyone the employer of anyone."""
    if start_date.year < graduation_year:
        raise RuleViolation(
            "start_date",
            f"start_date is before the graduate's graduation year ({graduation_year})",
        )


def check_start_after_registration(start_date: date, registered_on: date | None) -> None:
    """No one worked for an organization before the state registered it."""
    if registered_on is not None and start_date < registered_on:
        raise RuleViolation(
            "start_date", f"start_date is before the employer was registered ({registered_on})"
        )


def periods_overlap(start_a: date, end_a: date | None, start_b: date, end_b: date | None) -> bool:
    """Closed date ranges; an open end runs forever."""
    return start_a <= (end_b or date.max) and start_b <= (end_a or date.max)


def check_follow_up(
    outcome: str | None, on: date | None, *, graduation_year: int, today: date
) -> None:
    """A follow-up is an outcome and the day it held, both or neither (RuleViolation on the
    missing one); the day is not in the future nor before the graduation year."""
    if (outcome is None) != (on is None):
        missing = "follow_up_outcome" if outcome is None else "follow_up_on"
        raise RuleViolation(missing, "a follow-up's outcome and date are set or cleared together")
    if on is None:
        return
    if on > today:
        raise RuleViolation("follow_up_on", "follow_up_on may not be in the future")
    if on.year < graduation_year:
        raise RuleViolation(
            "follow_up_on", f"follow_up_on is before the graduation year ({graduation_year})"
        )


def check_program_fits(program: Program, institution_id: str) -> None:
    """A graduate's program is an active program of the graduate's own institution."""
    if program.institution_id != institution_id:
        raise RuleViolation(
            "program_id", f"program {program.id} is not a program of institution {institution_id}"
        )
    if not program.active:
        raise RuleViolation("program_id", f"program {program.id} is not active")


# An employment's moves: the state each leads to and the states it may be made from. Rejected
# is final; verified comes only from a register import.
EMPLOYMENT_MOVES: dict[str, tuple[EmploymentStatus, frozenset[EmploymentStatus]]] = {
    "confirm": ("confirmed", frozenset({"claimed", "disputed"})),
    "verify": ("verified", frozenset({"claimed", "confirmed", "disputed"})),
    "dispute": ("disputed", frozenset({"claimed", "confirmed", "verified"})),
    "reject": ("rejected", frozenset({"claimed", "confirmed", "verified", "disputed"})),
}
MOVES_NEEDING_A_REASON = frozenset({"dispute", "reject"})


def employment_move(state: EmploymentStatus, move: str, reason: str | None) -> EmploymentStatus:
    """The state ``move`` takes an employment in ``state`` to (Conflict when it cannot be made
    from there; RuleViolation on ``reason`` when the move needs one). Repeating a move is no
    error: the employment stays where it is."""
    target, sources = EMPLOYMENT_MOVES[move]
    if move in MOVES_NEEDING_A_REASON and not (reason and reason.strip()):
        raise RuleViolation("reason", f"say why the employment is to be {target}")
    if state not in sources and state != target:
        raise Conflict(f"an employment that is {state} cannot be {target}")
    return target
