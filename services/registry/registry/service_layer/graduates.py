"""Use cases for graduates: register, change (never deleted: deactivated), and who sees whom."""

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from registry import events
from registry.domain import access, rules
from registry.domain.commands import RegisterGraduate
from registry.domain.model import Graduate, Program
from registry.service_layer import visibility
from registry.service_layer.common import fetch, given, require_organization, save_changes
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.contracts.assessment_window import DEFAULT_WINDOW_MONTHS, months_before
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, RuleViolation
from shared.platform.ids import new_id

# A change to any of these may leave the graduate's follow-up invalid (a corrected graduation
# year may come after the day the follow-up held).
FOLLOW_UP_CHECKED_ON = frozenset({"follow_up_outcome", "follow_up_on", "graduation_year"})


async def require_program(uow: AbstractRegistryUnitOfWork, program_id: str) -> Program:
    """The program a request refers to (RuleViolation on ``program_id`` if unknown)."""
    program = await uow.programs.get(program_id)
    if program is None:
        raise RuleViolation("program_id", f"unknown program {program_id}")
    return program


async def register(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: RegisterGraduate
) -> Graduate:
    at = now()
    rules.check_graduation_year(command.graduation_year, this_year=at.year)
    program = await require_program(uow, command.program_id)
    institution_id = command.institution_id or program.institution_id
    access.acts_for_institution(identity, institution_id)
    await require_organization(uow, institution_id, field="institution_id", kind="education")
    rules.check_program_fits(program, institution_id)
    if await uow.graduates.id_of_student_ref(institution_id, command.student_ref) is not None:
        raise Conflict(
            f"this institution already registered {command.student_ref}", field="student_ref"
        )
    graduate = Graduate(
        id=new_id(),
        institution_id=institution_id,
        program_id=program.id,
        graduation_year=command.graduation_year,
        student_ref=command.student_ref,
        full_name=command.full_name,
        person_key=command.person_key,
        active=True,
        created_at=at,
        updated_at=at,
    )
    await uow.graduates.add(graduate)
    uow.publish(events.graduate_registered(graduate))
    return graduate


async def update(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    graduate_id: str,
    changes: Mapping[str, Any],
) -> Graduate:
    current = await fetch(uow.graduates, graduate_id, "graduate")
    access.acts_for_institution(identity, current.institution_id)
    if "graduation_year" in changes:
        rules.check_graduation_year(changes["graduation_year"], this_year=now().year)
    if changes.get("program_id", current.program_id) != current.program_id:
        program = await require_program(uow, changes["program_id"])
        rules.check_program_fits(program, current.institution_id)
    if changes.keys() & FOLLOW_UP_CHECKED_ON:
        after = replace(current, **changes)
        rules.check_follow_up(
            after.follow_up_outcome,
            after.follow_up_on,
            graduation_year=after.graduation_year,
            today=now().date(),
        )
    return await save_changes(
        uow, uow.graduates, current, changes, to_event=events.graduate_updated
    )


async def list_visible(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    program_id: str | None = None,
    graduation_year: int | None = None,
    institution_id: str | None = None,
    active: bool | None = None,
    limit: int,
    cursor: str | None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Page[Graduate]:
    """The graduates ``identity`` may read, filtered (Forbidden for roles that see none)."""
    where = given(
        program_id=program_id,
        graduation_year=graduation_year,
        institution_id=institution_id,
        active=active,
    )
    return await visibility.list_visible(
        uow.graduates,
        identity,
        what="graduate",
        where=where,
        limit=limit,
        cursor=cursor,
        since=_window_start(window_months),
    )


async def get_visible(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    graduate_id: str,
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Graduate:
    """One graduate: NotFound if it does not exist or is out of the caller's reach."""
    return await visibility.get_visible(
        uow.graduates, identity, graduate_id, what="graduate", since=_window_start(window_months)
    )


@dataclass(frozen=True)
class CohortCount:
    """How many graduates of one program graduated in one year."""

    program_id: str
    graduation_year: int
    count: int


async def count_visible(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    institution_id: str,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> list[CohortCount]:
    """The institution's graduates ``identity`` may read, counted per program and graduation
    year (those ``list_visible`` would list; Forbidden for roles that see none)."""
    scope = access.read_scope(identity, "graduates", since=_window_start(window_months))
    counts = await uow.graduates.counts_within(scope, institution_id=institution_id)
    return [CohortCount(program, year, n) for (program, year), n in sorted(counts.items())]


def _window_start(window_months: int) -> date:
    """An employer reads the graduates of its employments that end on or after this day."""
    return months_before(now().date(), window_months)


def view_of(identity: Identity, graduate: Graduate) -> dict[str, Any]:
    """``graduate`` as ``identity``'s role reads it: the fields it may not read are None."""
    readable = access.graduate_fields(identity)
    return {
        f.name: getattr(graduate, f.name) if f.name in readable else None for f in fields(graduate)
    }
