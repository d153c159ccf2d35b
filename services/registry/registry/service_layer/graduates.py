"""Use cases for graduates: register, change (never deleted: deactivated), and who sees whom."""

from typing import Any

from sqlalchemy import ColumnElement, select

from registry import events
from registry.adapters.tables import employments, graduates, organizations, programs
from registry.domain import access
from registry.service_layer.common import save_changes
from registry.service_layer.organizations import require_organization
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import fetch_one, fetch_page, now
from shared.platform.errors import Conflict, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.web.pagination import Page

FIRST_GRADUATION_YEAR = 1950


def graduation_year_problem(year: int) -> str | None:
    """Why ``year`` cannot be a graduation year, or None (up to next year: planned cohorts)."""
    last = now().year + 1
    if not FIRST_GRADUATION_YEAR <= year <= last:
        return f"graduation_year must be between {FIRST_GRADUATION_YEAR} and {last}"
    return None


def check_graduation_year(year: int) -> None:
    problem = graduation_year_problem(year)
    if problem:
        raise RuleViolation("graduation_year", problem)


async def require_program(uow: UnitOfWork, program_id: str) -> dict[str, Any]:
    row = (
        (await uow.session.execute(select(programs).where(programs.c.id == program_id)))
        .mappings()
        .first()
    )
    if row is None:
        raise RuleViolation("program_id", f"unknown program {program_id}")
    return dict(row)


def check_program_fits(program: dict[str, Any], institution_id: str) -> None:
    if program["institution_id"] != institution_id:
        raise RuleViolation(
            "program_id",
            f"program {program['id']} is not a program of institution {institution_id}",
        )
    if not program["active"]:
        raise RuleViolation("program_id", f"program {program['id']} is not active")


async def register(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    check_graduation_year(data["graduation_year"])
    program = await require_program(uow, data["program_id"])
    institution_id = data.get("institution_id") or program["institution_id"]
    access.acts_for_institution(identity, institution_id)
    await require_organization(uow, institution_id, field="institution_id", kind="education")
    check_program_fits(program, institution_id)
    taken = await uow.session.scalar(
        select(graduates.c.id).where(
            graduates.c.institution_id == institution_id,
            graduates.c.student_ref == data["student_ref"],
        )
    )
    if taken is not None:
        raise Conflict(
            f"this institution already registered {data['student_ref']}", field="student_ref"
        )
    at = now()
    row = {
        **data,
        "id": new_id(),
        "institution_id": institution_id,
        "active": True,
        "created_at": at,
        "updated_at": at,
    }
    await uow.session.execute(graduates.insert().values(**row))
    uow.publish(events.graduate(row, created=True))
    return row


async def update(
    uow: UnitOfWork, identity: Identity, graduate_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await fetch_one(uow.session, graduates, graduate_id, "graduate")
    access.acts_for_institution(identity, row["institution_id"])
    if "graduation_year" in changes:
        check_graduation_year(changes["graduation_year"])
    if changes.get("program_id", row["program_id"]) != row["program_id"]:
        check_program_fits(await require_program(uow, changes["program_id"]), row["institution_id"])
    return await save_changes(
        uow,
        graduates,
        row,
        changes,
        to_event=lambda new: events.graduate(new, created=False),
        key=row["institution_id"],
        subject=f"graduates/{graduate_id}",
    )


def visible_graduates(identity: Identity) -> list[ColumnElement[bool]]:
    """Filters limiting graduates to those ``identity`` may read (403 for operators)."""
    access.can_read_registry(identity)
    if identity.is_("ministry"):
        return []
    if identity.is_("institution"):
        return [graduates.c.institution_id == identity.org]
    if identity.is_("regional_authority"):
        in_region = select(organizations.c.id).where(organizations.c.region_code == identity.region)
        return [graduates.c.institution_id.in_(in_region)]
    if identity.is_("employer"):
        employed = select(employments.c.graduate_id).where(
            employments.c.employer_id == identity.org
        )
        return [graduates.c.id.in_(employed)]
    raise forbidden(f"the {identity.role} role has no access to graduates")


async def list_visible(
    uow: UnitOfWork, identity: Identity, *, filters: list, limit: int, cursor: str | None
) -> Page[dict[str, Any]]:
    return await fetch_page(
        uow.session,
        graduates,
        filters=[*visible_graduates(identity), *filters],
        limit=limit,
        cursor=cursor,
    )


async def get_visible(uow: UnitOfWork, identity: Identity, graduate_id: str) -> dict[str, Any]:
    """One graduate: 404 if it does not exist, 403 if it exists out of the caller's reach."""
    scope = visible_graduates(identity)
    row = await fetch_one(uow.session, graduates, graduate_id, "graduate")
    if scope:
        seen = await uow.session.scalar(
            select(graduates.c.id).where(graduates.c.id == graduate_id, *scope)
        )
        if seen is None:
            raise forbidden("this graduate is outside what you may read")
    return row
