"""Use cases for employments: an employer records that it employs a graduate, and its end."""

from dataclasses import asdict, replace

from registry import events
from registry.domain import access, rules
from registry.domain.commands import EndEmployment, RecordEmployment
from registry.domain.model import Employment, Graduate
from registry.service_layer import visibility
from registry.service_layer.common import fetch, given, require_organization
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict, RuleViolation
from shared.platform.ids import new_id


async def require_graduate(uow: AbstractRegistryUnitOfWork, graduate_id: str) -> Graduate:
    """The active graduate a request refers to (RuleViolation on ``graduate_id`` otherwise)."""
    graduate = await uow.graduates.get(graduate_id)
    if graduate is None:
        raise RuleViolation("graduate_id", f"unknown graduate {graduate_id}")
    if not graduate.active:
        raise RuleViolation("graduate_id", f"graduate {graduate_id} is not active")
    return graduate


async def check_no_overlap(uow: AbstractRegistryUnitOfWork, command: RecordEmployment) -> None:
    for other in await uow.employments.between(command.graduate_id, command.employer_id):
        if rules.periods_overlap(
            command.start_date, command.end_date, other.start_date, other.end_date
        ):
            raise Conflict(
                f"this employer already employs this graduate in that period ({other.id})",
                field="start_date",
            )


async def record(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: RecordEmployment
) -> Employment:
    access.acts_for_employer(identity, command.employer_id)
    rules.check_isco(command.isco_code)
    rules.check_period(command.start_date, command.end_date)
    await require_organization(uow, command.employer_id, field="employer_id")
    graduate = await require_graduate(uow, command.graduate_id)
    rules.check_start_after_graduation(command.start_date, graduate.graduation_year)
    await check_no_overlap(uow, command)
    at = now()
    employment = Employment(**asdict(command), id=new_id(), created_at=at, updated_at=at)
    await uow.employments.add(employment)
    uow.publish(events.employment_recorded(employment, graduate))
    return employment


async def end(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: EndEmployment
) -> Employment:
    current = await fetch(uow.employments, command.employment_id, "employment")
    access.acts_for_employer(identity, current.employer_id)
    if current.end_date is not None:
        raise Conflict(f"this employment already ended on {current.end_date}", field="end_date")
    rules.check_period(current.start_date, command.end_date)
    ended = replace(current, end_date=command.end_date, updated_at=now())
    await uow.employments.update(ended, fields=["end_date", "updated_at"])
    graduate = await fetch(uow.graduates, current.graduate_id, "graduate")
    uow.publish(events.employment_ended(ended, graduate))
    return ended


async def list_visible(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    graduate_id: str | None = None,
    employer_id: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Employment]:
    """The employments ``identity`` may read, filtered (Forbidden for roles that see none)."""
    where = given(graduate_id=graduate_id, employer_id=employer_id)
    return await visibility.list_visible(
        uow.employments, identity, what="employment", where=where, limit=limit, cursor=cursor
    )


async def get_visible(
    uow: AbstractRegistryUnitOfWork, identity: Identity, employment_id: str
) -> Employment:
    """One employment: NotFound if it does not exist, Forbidden if out of the caller's reach."""
    return await visibility.get_visible(uow.employments, identity, employment_id, what="employment")
