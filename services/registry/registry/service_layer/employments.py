"""Use cases for employments: an employer records (claims) that it employs a graduate, and its
end; the graduate's institution, or the graduate with a one-time code, confirms it; the
institution or the ministry disputes or rejects it (domain/rules.py has the moves)."""

from dataclasses import asdict, replace
from datetime import datetime, timedelta

from registry import events
from registry.domain import access, confirmation_code, rules
from registry.domain.commands import EndEmployment, RecordEmployment
from registry.domain.model import Employment, Graduate
from registry.service_layer import visibility
from registry.service_layer.common import fetch, given, require_organization
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.contracts.catalogue.registry import EmploymentChanger
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
    employer = await require_organization(uow, command.employer_id, field="employer_id")
    graduate = await require_graduate(uow, command.graduate_id)
    rules.check_start_after_graduation(command.start_date, graduate.graduation_year)
    rules.check_start_after_registration(command.start_date, employer.registered_on)
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


async def move(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    employment_id: str,
    *,
    move: str,
    reason: str | None = None,
) -> Employment:
    """The graduate's institution (or the ministry) confirms, disputes or rejects an
    employment."""
    current = await fetch(uow.employments, employment_id, "employment")
    graduate = await fetch(uow.graduates, current.graduate_id, "graduate")
    access.acts_for_institution(identity, graduate.institution_id)
    changer: EmploymentChanger = "ministry" if identity.is_("ministry") else "institution"
    return await apply_move(
        uow, current, graduate, move, reason, by=identity.org or identity.role, changer=changer
    )


async def issue_code(
    uow: AbstractRegistryUnitOfWork, identity: Identity, employment_id: str
) -> tuple[str, datetime]:
    """A one-time code (and its expiry) the institution hands its graduate to confirm the
    employment with; only its hash is kept."""
    current = await fetch(uow.employments, employment_id, "employment")
    graduate = await fetch(uow.graduates, current.graduate_id, "graduate")
    access.acts_for_institution(identity, graduate.institution_id)
    if current.state not in rules.EMPLOYMENT_MOVES["confirm"][1]:
        raise Conflict(f"an employment that is {current.state} needs no confirmation code")
    code = confirmation_code.new_code()
    expires_at = now() + timedelta(days=confirmation_code.VALID_DAYS)
    await uow.employments.save_code(employment_id, confirmation_code.code_hash(code), expires_at)
    # No event announces a code (nor is the code kept anywhere): the trail says one was issued.
    uow.audit(
        "educluster.registry.employment.confirmation_code.issued",
        f"employments/{employment_id}",
        {"expires_at": expires_at.isoformat()},
    )
    return code, expires_at


async def confirm_with_code(uow: AbstractRegistryUnitOfWork, code: str) -> Employment:
    """The graduate confirms an employment with the code its institution issued (once)."""
    employment_id = await uow.employments.redeem_code(confirmation_code.code_hash(code), now())
    if employment_id is None:
        raise RuleViolation("code", "not a valid confirmation code (unknown, used or expired)")
    current = await fetch(uow.employments, employment_id, "employment")
    graduate = await fetch(uow.graduates, current.graduate_id, "graduate")
    return await apply_move(
        uow, current, graduate, "confirm", None, by="graduate", changer="graduate"
    )


async def apply_move(
    uow: AbstractRegistryUnitOfWork,
    current: Employment,
    graduate: Graduate,
    move: str,
    reason: str | None,
    *,
    by: str,
    changer: EmploymentChanger,
) -> Employment:
    """``by``: who is recorded (an organization id, the ministry or the graduate)."""
    state = rules.employment_move(current.state, move, reason)
    if state == current.state:
        return current  # a repeated move: nothing changes, nothing is announced
    moved = replace(current, state=state, state_by=by, state_reason=reason, updated_at=now())
    await uow.employments.update(moved, fields=["state", "state_by", "state_reason", "updated_at"])
    uow.publish(
        events.employment_state_changed(moved, graduate, previous=current.state, changed_by=changer)
    )
    return moved


async def list_visible(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    graduate_id: str | None = None,
    employer_id: str | None = None,
    state: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Employment]:
    """The employments ``identity`` may read, filtered (Forbidden for roles that see none)."""
    where = given(graduate_id=graduate_id, employer_id=employer_id, state=state)
    return await visibility.list_visible(
        uow.employments, identity, what="employment", where=where, limit=limit, cursor=cursor
    )


async def get_visible(
    uow: AbstractRegistryUnitOfWork, identity: Identity, employment_id: str
) -> Employment:
    """One employment: NotFound if it does not exist or is out of the caller's reach."""
    return await visibility.get_visible(uow.employments, identity, employment_id, what="employment")
