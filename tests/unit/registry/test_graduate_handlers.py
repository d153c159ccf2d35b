"""Registering, changing and reading graduates, on the fake unit of work."""

from datetime import date

import pytest
from registry.domain.commands import RegisterGraduate
from registry.domain.model import Program
from registry.service_layer import graduates

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.registry.world import (
    MINISTRY,
    OPERATOR,
    World,
    as_authority,
    as_employer,
    as_institution,
)


def a_graduate(
    program: Program,
    *,
    graduation_year: int = 2024,
    full_name: str = "Dilnoza Karimova",
    institution_id: str | None = None,
) -> RegisterGraduate:
    return RegisterGraduate(
        program_id=program.id,
        graduation_year=graduation_year,
        student_ref="S-0001",
        full_name=full_name,
        institution_id=institution_id,
    )


async def test_an_institution_registers_its_graduate_and_the_event_names_no_one():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    uow = world.uow()
    graduate = await graduates.register(uow, as_institution(institution), a_graduate(program))
    await uow.commit()
    assert (graduate.institution_id, graduate.program_id, graduate.active) == (
        institution.id,
        program.id,
        True,
    )
    [event] = uow.published
    assert isinstance(event, ev.GraduateRegistered)
    assert event.partition_key() == institution.id
    assert event.subject() == f"graduates/{graduate.id}"
    assert "Dilnoza" not in event.model_dump_json()


async def test_a_student_ref_registered_twice_by_one_institution_is_a_conflict():
    world = World()
    program = await world.program(await world.organization())
    uow = world.uow()
    await graduates.register(uow, MINISTRY, a_graduate(program))
    with pytest.raises(Conflict) as refused:
        await graduates.register(uow, MINISTRY, a_graduate(program, full_name="Someone else"))
    assert refused.value.loc == ["body", "student_ref"]


@pytest.mark.parametrize("year", [1949, date.today().year + 2])
async def test_a_graduation_year_out_of_range_is_a_rule_violation(year):
    world = World()
    program = await world.program(await world.organization())
    with pytest.raises(RuleViolation) as refused:
        await graduates.register(world.uow(), MINISTRY, a_graduate(program, graduation_year=year))
    assert refused.value.field == "graduation_year"


async def test_next_years_planned_cohort_is_accepted():
    world = World()
    program = await world.program(await world.organization())
    graduate = await graduates.register(
        world.uow(), MINISTRY, a_graduate(program, graduation_year=date.today().year + 1)
    )
    assert graduate.graduation_year == date.today().year + 1


async def test_a_program_of_another_institution_is_refused_on_program_id():
    world = World()
    institution, other = await world.organization(), await world.organization()
    program = await world.program(other)
    with pytest.raises(RuleViolation) as refused:
        await graduates.register(
            world.uow(), MINISTRY, a_graduate(program, institution_id=institution.id)
        )
    assert refused.value.field == "program_id"
    with pytest.raises(Forbidden):
        await graduates.register(world.uow(), as_institution(institution), a_graduate(program))


async def test_an_update_with_no_change_publishes_nothing_and_a_change_publishes_the_new_state():
    world = World()
    institution = await world.organization()
    graduate = await world.graduate(await world.program(institution))
    uow = world.uow()
    same = await graduates.update(uow, MINISTRY, graduate.id, {"graduation_year": 2024})
    await uow.commit()
    assert same == graduate and uow.published == []
    changed = await graduates.update(uow, MINISTRY, graduate.id, {"active": False})
    await uow.commit()
    [event] = uow.published
    assert isinstance(event, ev.GraduateUpdated) and event.active is False
    assert world.state.graduates[graduate.id] == changed


async def test_moving_a_graduate_to_another_institutions_program_is_refused():
    world = World()
    institution, other = await world.organization(), await world.organization()
    graduate = await world.graduate(await world.program(institution))
    foreign = await world.program(other)
    with pytest.raises(RuleViolation) as refused:
        await graduates.update(world.uow(), MINISTRY, graduate.id, {"program_id": foreign.id})
    assert refused.value.field == "program_id"


async def test_each_role_sees_only_its_own_graduates():
    world = World()
    here, there = await world.organization(), await world.organization(region_code="UZ-TK")
    mine = await world.graduate(await world.program(here))
    theirs = await world.graduate(await world.program(there))
    employer = await world.employer()
    await world.employment(theirs, employer, confirmed=True)
    uow = world.uow()

    async def visible(identity) -> set[str]:
        page = await graduates.list_visible(uow, identity, limit=50, cursor=None)
        return {g.id for g in page.items}

    assert await visible(MINISTRY) == {mine.id, theirs.id}
    assert await visible(as_institution(here)) == {mine.id}
    assert await visible(as_authority("UZ-TK")) == {theirs.id}
    assert await visible(as_employer(employer)) == {theirs.id}
    with pytest.raises(Forbidden):
        await visible(OPERATOR)


async def test_reading_one_graduate_out_of_reach_is_answered_as_an_unknown_one():
    world = World()
    here, there = await world.organization(), await world.organization()
    theirs = await world.graduate(await world.program(there))
    uow = world.uow()
    assert await graduates.get_visible(uow, as_institution(there), theirs.id) == theirs
    with pytest.raises(NotFound):
        await graduates.get_visible(uow, as_institution(here), theirs.id)
    with pytest.raises(NotFound):
        await graduates.get_visible(uow, as_institution(here), "no-such-graduate")


async def test_graduate_lists_page_in_id_order_with_a_cursor():
    world = World()
    program = await world.program(await world.organization())
    made = {(await world.graduate(program, student_ref=f"S-{n}")).id for n in range(5)}
    uow = world.uow()
    first = await graduates.list_visible(uow, MINISTRY, limit=3, cursor=None)
    rest = await graduates.list_visible(uow, MINISTRY, limit=3, cursor=first.next_cursor)
    assert rest.next_cursor is None
    ids = [g.id for g in [*first.items, *rest.items]]
    assert ids == sorted(made)
