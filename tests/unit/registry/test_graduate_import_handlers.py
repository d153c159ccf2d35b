"""The CSV import use case on the fake unit of work: all rows or none, re-import idempotent."""

from collections.abc import AsyncIterator

import pytest
from registry.domain.model import Program
from registry.service_layer.graduate_import import ImportCounts, import_graduates

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Forbidden, Refused
from tests.unit.registry.world import MINISTRY, World, as_institution

HEADER = "student_ref,full_name,program_id,graduation_year"


async def stream(text: str) -> AsyncIterator[bytes]:
    yield text.encode()


def a_file(program: Program, names: list[str]) -> str:
    rows = [f"S-{n},{name},{program.id},2024" for n, name in enumerate(names)]
    return "\n".join([HEADER, *rows]) + "\n"


async def test_a_file_is_imported_and_reimporting_it_changes_nothing():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    body = a_file(program, ["Aziz", "Bobur", "Dilnoza"])
    uow = world.uow()
    counts = await import_graduates(
        uow, as_institution(institution), institution_id=None, chunks=stream(body)
    )
    await uow.commit()
    assert counts == ImportCounts(rows=3, created=3, updated=0, unchanged=0)
    assert len(uow.published) == 3
    assert all(isinstance(e, ev.GraduateRegistered) for e in uow.published)
    assert {e.partition_key() for e in uow.published} == {institution.id}

    again = world.uow()
    counts = await import_graduates(
        again, MINISTRY, institution_id=institution.id, chunks=stream(body)
    )
    await again.commit()
    assert counts == ImportCounts(rows=3, created=0, updated=0, unchanged=3)
    assert again.published == []


async def test_a_changed_row_updates_that_graduate_only():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    own = as_institution(institution)
    await import_graduates(
        world.uow(), own, institution_id=None, chunks=stream(a_file(program, ["A", "B"]))
    )
    uow = world.uow()
    counts = await import_graduates(
        uow, own, institution_id=None, chunks=stream(a_file(program, ["A", "Bee"]))
    )
    await uow.commit()
    assert (counts.updated, counts.unchanged) == (1, 1)
    [event] = uow.published
    assert isinstance(event, ev.GraduateUpdated)
    assert world.state.graduates[event.graduate_id].full_name == "Bee"


async def test_a_bad_row_refuses_the_whole_file_and_writes_nothing():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    body = a_file(program, ["A", "B"]) + f"S-9,C,{program.id},1900\n"
    uow = world.uow()
    with pytest.raises(Refused) as refused:
        await import_graduates(
            uow, as_institution(institution), institution_id=None, chunks=stream(body)
        )
    assert refused.value.errors[0]["loc"] == ["body", "row", 4, "graduation_year"]
    assert world.state.graduates == {}


async def test_the_ministry_must_name_an_existing_education_institution():
    world = World()
    employer = await world.employer()
    for institution_id in (None, "no-such-institution", employer.id):
        with pytest.raises(Refused) as refused:
            await import_graduates(
                world.uow(), MINISTRY, institution_id=institution_id, chunks=stream(HEADER)
            )
        assert refused.value.errors[0]["loc"] == ["query", "institution_id"]


async def test_an_institution_imports_only_into_itself():
    world = World()
    institution, other = await world.organization(), await world.organization()
    with pytest.raises(Forbidden):
        await import_graduates(
            world.uow(), as_institution(other), institution_id=institution.id, chunks=stream("")
        )
