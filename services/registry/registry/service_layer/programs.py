"""Use cases for study programs (owned by an education organization)."""

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from registry import events
from registry.domain import access, rules
from registry.domain.commands import RegisterProgram
from registry.domain.model import Program
from registry.service_layer.common import fetch, given, require_organization, save_changes
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page
from shared.platform.db.queries import now
from shared.platform.errors import Conflict
from shared.platform.ids import new_id


async def register(
    uow: AbstractRegistryUnitOfWork, identity: Identity, command: RegisterProgram
) -> Program:
    access.acts_for_institution(identity, command.institution_id)
    rules.check_program_classification(level=command.level, field_code=command.field_code)
    await require_organization(
        uow, command.institution_id, field="institution_id", kind="education"
    )
    if await uow.programs.id_of_code(command.institution_id, command.code) is not None:
        raise Conflict(f"this institution already has program {command.code}", field="code")
    at = now()
    program = Program(**asdict(command), id=new_id(), active=True, created_at=at, updated_at=at)
    await uow.programs.add(program)
    uow.publish(events.program_registered(program))
    return program


async def update(
    uow: AbstractRegistryUnitOfWork, identity: Identity, program_id: str, changes: Mapping[str, Any]
) -> Program:
    current = await fetch(uow.programs, program_id, "program")
    access.acts_for_institution(identity, current.institution_id)
    rules.check_program_classification(
        level=changes.get("level"), field_code=changes.get("field_code")
    )
    return await save_changes(uow, uow.programs, current, changes, to_event=events.program_updated)


async def get(uow: AbstractRegistryUnitOfWork, identity: Identity, program_id: str) -> Program:
    access.can_read_registry(identity)
    return await fetch(uow.programs, program_id, "program")


async def list_page(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    institution_id: str | None = None,
    field_code: str | None = None,
    level: str | None = None,
    active: bool | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Program]:
    access.can_read_registry(identity)
    where = given(institution_id=institution_id, field_code=field_code, level=level, active=active)
    return await uow.programs.page(where=where, limit=limit, cursor=cursor)
