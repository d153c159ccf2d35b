"""Registering and changing study programs, on the fake unit of work."""

import pytest
from registry.domain.commands import RegisterProgram
from registry.domain.model import Organization
from registry.service_layer import programs

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Conflict, Forbidden, RuleViolation
from tests.unit.registry.world import MINISTRY, World, as_institution


def a_program(institution: Organization, **fields: str) -> RegisterProgram:
    values = {
        "code": "60610100",
        "name": "Software engineering",
        "level": "6",
        "field_code": "0613",
    }
    return RegisterProgram(institution_id=institution.id, **(values | fields))


async def test_an_institution_registers_a_program_for_itself_published_under_its_key():
    world = World()
    institution = await world.organization()
    uow = world.uow()
    program = await programs.register(uow, as_institution(institution), a_program(institution))
    await uow.commit()
    assert program.active and program.language == "uz"
    [event] = uow.published
    assert isinstance(event, ev.ProgramRegistered)
    assert event.program_id == program.id
    assert event.partition_key() == institution.id


async def test_an_institution_registers_programs_only_for_itself():
    world = World()
    institution, other = await world.organization(), await world.organization()
    with pytest.raises(Forbidden):
        await programs.register(world.uow(), as_institution(other), a_program(institution))


async def test_a_second_program_with_the_same_code_is_a_conflict():
    world = World()
    institution = await world.organization()
    uow = world.uow()
    await programs.register(uow, MINISTRY, a_program(institution))
    with pytest.raises(Conflict) as refused:
        await programs.register(uow, MINISTRY, a_program(institution, name="Again"))
    assert refused.value.loc == ["body", "code"]


async def test_the_same_code_at_another_institution_is_fine():
    world = World()
    first, second = await world.organization(), await world.organization()
    uow = world.uow()
    await programs.register(uow, MINISTRY, a_program(first))
    await programs.register(uow, MINISTRY, a_program(second))
    assert len(world.state.programs) == 2


@pytest.mark.parametrize(
    ("fields", "field"), [({"field_code": "1234"}, "field_code"), ({"level": "9"}, "level")]
)
async def test_an_unknown_isced_field_or_level_is_a_rule_violation(fields, field):
    world = World()
    institution = await world.organization()
    with pytest.raises(RuleViolation) as refused:
        await programs.register(world.uow(), MINISTRY, a_program(institution, **fields))
    assert refused.value.field == field


async def test_only_an_active_education_organization_has_programs():
    world = World()
    employer = await world.employer()
    with pytest.raises(RuleViolation) as refused:
        await programs.register(world.uow(), MINISTRY, a_program(employer))
    assert refused.value.field == "institution_id"


async def test_a_program_update_publishes_only_a_real_change():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    uow = world.uow()
    await programs.update(uow, as_institution(institution), program.id, {"level": "6"})
    await uow.commit()
    assert uow.published == []
    changed = await programs.update(uow, as_institution(institution), program.id, {"level": "7"})
    await uow.commit()
    [event] = uow.published
    assert isinstance(event, ev.ProgramUpdated) and event.level == "7" == changed.level
