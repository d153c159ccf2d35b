"""Use cases for employments: an employer records that it employs a graduate, and its end."""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select

from registry import events
from registry.adapters.tables import employments, graduates, organizations
from registry.domain import access, rules
from registry.service_layer.organizations import require_organization
from shared.platform.auth import Identity, forbidden
from shared.platform.db.queries import fetch_one, fetch_page, now
from shared.platform.errors import Conflict, RuleViolation
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.web.pagination import Page


def check_period(start_date: date, end_date: date | None) -> None:
    if end_date is not None and end_date < start_date:
        raise RuleViolation("end_date", "end_date may not be before start_date")


async def require_graduate(uow: UnitOfWork, graduate_id: str) -> dict[str, Any]:
    row = (
        (await uow.session.execute(select(graduates).where(graduates.c.id == graduate_id)))
        .mappings()
        .first()
    )
    if row is None:
        raise RuleViolation("graduate_id", f"unknown graduate {graduate_id}")
    if not row["active"]:
        raise RuleViolation("graduate_id", f"graduate {graduate_id} is not active")
    return dict(row)


async def check_no_overlap(uow: UnitOfWork, data: dict[str, Any]) -> None:
    result = await uow.session.execute(
        select(employments.c.id, employments.c.start_date, employments.c.end_date).where(
            employments.c.graduate_id == data["graduate_id"],
            employments.c.employer_id == data["employer_id"],
        )
    )
    for other in result:
        if rules.periods_overlap(
            data["start_date"], data["end_date"], other.start_date, other.end_date
        ):
            raise Conflict(
                f"this employer already employs this graduate in that period ({other.id})",
                field="start_date",
            )


async def record(uow: UnitOfWork, identity: Identity, data: dict[str, Any]) -> dict[str, Any]:
    access.acts_for_employer(identity, data["employer_id"])
    rules.check_isco(data["isco_code"])
    check_period(data["start_date"], data["end_date"])
    await require_organization(uow, data["employer_id"], field="employer_id")
    graduate = await require_graduate(uow, data["graduate_id"])
    await check_no_overlap(uow, data)
    at = now()
    row = {**data, "id": new_id(), "created_at": at, "updated_at": at}
    await uow.session.execute(employments.insert().values(**row))
    uow.publish(events.employment(row, graduate, ended=False))
    return row


async def end(
    uow: UnitOfWork, identity: Identity, employment_id: str, end_date: date
) -> dict[str, Any]:
    row = await fetch_one(uow.session, employments, employment_id, "employment")
    access.acts_for_employer(identity, row["employer_id"])
    if row["end_date"] is not None:
        raise Conflict(f"this employment already ended on {row['end_date']}", field="end_date")
    check_period(row["start_date"], end_date)
    ended = {**row, "end_date": end_date, "updated_at": now()}
    await uow.session.execute(
        employments.update()
        .where(employments.c.id == employment_id)
        .values(end_date=end_date, updated_at=ended["updated_at"])
    )
    graduate = await fetch_one(uow.session, graduates, row["graduate_id"], "graduate")
    uow.publish(events.employment(ended, graduate, ended=True))
    return ended


def visible_employments(identity: Identity) -> list[ColumnElement[bool]]:
    """Filters limiting employments to those ``identity`` may read (403 for operators)."""
    access.can_read_registry(identity)
    if identity.is_("ministry"):
        return []
    if identity.is_("employer"):
        return [employments.c.employer_id == identity.org]
    if identity.is_("institution"):
        own = select(graduates.c.id).where(graduates.c.institution_id == identity.org)
        return [employments.c.graduate_id.in_(own)]
    if identity.is_("regional_authority"):
        in_region = select(organizations.c.id).where(organizations.c.region_code == identity.region)
        own = select(graduates.c.id).where(graduates.c.institution_id.in_(in_region))
        return [employments.c.graduate_id.in_(own)]
    raise forbidden(f"the {identity.role} role has no access to employments")


async def list_visible(
    uow: UnitOfWork, identity: Identity, *, filters: list, limit: int, cursor: str | None
) -> Page[dict[str, Any]]:
    return await fetch_page(
        uow.session,
        employments,
        filters=[*visible_employments(identity), *filters],
        limit=limit,
        cursor=cursor,
    )


async def get_visible(uow: UnitOfWork, identity: Identity, employment_id: str) -> dict[str, Any]:
    """One employment: 404 if it does not exist, 403 if it is out of the caller's reach."""
    scope = visible_employments(identity)
    row = await fetch_one(uow.session, employments, employment_id, "employment")
    if scope:
        seen = await uow.session.scalar(
            select(employments.c.id).where(employments.c.id == employment_id, *scope)
        )
        if seen is None:
            raise forbidden("this employment is outside what you may read")
    return row
