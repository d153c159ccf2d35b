"""Register imports on the fake unit of work: what an extract verifies, records, ends, lists."""

import tracemalloc
from collections.abc import AsyncIterator
from datetime import date

import pytest
from registry.domain.commands import RegisterGraduate
from registry.domain.person_key import PersonKeys
from registry.service_layer import graduates
from registry.service_layer.employment_import import import_register

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Forbidden, Refused
from tests.unit.registry.world import MINISTRY, OPERATOR, World, as_institution

HEADER = "employer_tax_id,institution_tax_id,student_ref,start_date,end_date,isco_code,type\n"


async def chunks(text: str, size: int = 7) -> AsyncIterator[bytes]:
    data = text.encode()
    for i in range(0, len(data), size):
        yield data[i : i + size]


async def run(world: World, text: str, *, csv: bool = True, identity=MINISTRY):
    uow = world.uow()
    report = await import_register(uow, identity, chunks=chunks(text), csv=csv)
    await uow.commit()
    return report, uow.published


async def a_world():
    """A graduate (S-1) with a claimed employment at ``employer`` from 2024-09-01, another
    graduate (S-2) with none, and a second employer."""
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    claimed = await world.graduate(program, student_ref="S-1")
    free = await world.graduate(program, student_ref="S-2")
    employer, other = await world.employer(), await world.employer()
    claim = await world.employment(claimed, employer)
    return world, institution, employer, other, claim, free


def row(employer, institution, ref, start, end="", isco="2512", kind="employee") -> str:
    return f"{employer.tax_id},{institution.tax_id},{ref},{start},{end},{isco},{kind}\n"


async def test_an_extract_verifies_records_and_lists_and_a_second_import_changes_nothing():
    world, institution, employer, other, claim, free = await a_world()
    extract = HEADER + "".join(
        [
            row(employer, institution, "S-1", "2024-10-01"),  # overlaps the claim: verified
            row(other, institution, "S-2", "2025-01-15", "2025-12-31", kind="self_employed"),
            row(employer, institution, "S-404", "2024-09-01"),  # no such graduate
            f"399999999,{institution.tax_id},S-2,2025-02-01,,2512,employee\n",  # unregistered
            row(other, institution, "S-2", "2023-05-01", "2023-08-31"),  # while studying
        ]
    )
    report, published = await run(world, extract)
    assert (report.rows, report.verified, report.recorded) == (5, 1, 1)
    assert (report.unmatched_graduates, report.unregistered_employers) == (1, 1)
    assert (report.before_graduation, report.conflicts, report.unchanged) == (1, 0, 0)
    assert report.listed["unmatched_graduates"] == [
        {"line": 4, "institution_tax_id": institution.tax_id, "student_ref": "S-404"}
    ]
    assert report.listed["unregistered_employers"] == [{"line": 5, "tax_id": "399999999"}]

    verified = world.state.employments[claim.id]
    assert (verified.state, verified.source, verified.state_by) == (
        "verified",
        "employer",
        "register",
    )
    [recorded] = [e for e in world.state.employments.values() if e.graduate_id == free.id]
    assert (recorded.state, recorded.source, recorded.kind) == (
        "verified",
        "register",
        "self_employed",
    )
    assert recorded.end_date == date(2025, 12, 31)
    changed, created = published
    assert isinstance(changed, ev.EmploymentStateChanged)
    assert (changed.previous_state, changed.state, changed.changed_by) == (
        "claimed",
        "verified",
        "register",
    )
    assert isinstance(created, ev.EmploymentRecorded) and created.source == "register"

    again, published = await run(world, extract)
    assert (again.verified, again.recorded, again.unchanged) == (0, 0, 2)
    assert published == []


async def test_the_register_ends_its_own_employment_once_it_gives_the_end():
    world, institution, _, other, _, free = await a_world()
    await run(world, HEADER + row(other, institution, "S-2", "2025-01-15"))
    report, published = await run(
        world, HEADER + row(other, institution, "S-2", "2025-01-15", "2026-03-31")
    )
    assert (report.ended, report.recorded) == (1, 0)
    [ended] = published
    assert isinstance(ended, ev.EmploymentEnded) and ended.end_date == date(2026, 3, 31)


async def test_other_dates_than_the_employers_record_are_a_conflict_both_kept():
    world, institution, employer, _, _, free = await a_world()
    claim = await world.employment(free, employer, end_date=date(2024, 12, 31))
    report, _ = await run(world, HEADER + row(employer, institution, "S-2", "2025-06-01"))
    assert (report.recorded, report.conflicts) == (1, 1)
    assert report.listed["conflicts"] == [{"line": 2, "employments": [claim.id]}]
    assert world.state.employments[claim.id].state == "claimed"  # kept as it was
    [registered] = [e for e in world.state.employments.values() if e.source == "register"]
    assert claim.id in (registered.state_reason or "")


async def test_json_lines_are_read_like_csv():
    world, institution, employer, _, claim, _ = await a_world()
    line = (
        f'{{"employer_tax_id": "{employer.tax_id}", "institution_tax_id": '
        f'"{institution.tax_id}", "student_ref": "S-1", "start_date": "2024-09-01", '
        '"end_date": null, "isco_code": "2512", "type": "employee", "in_field": true}\n'
    )
    report, _ = await run(world, line + "\n", csv=False)
    assert (report.rows, report.verified) == (1, 1)
    assert world.state.employments[claim.id].state == "verified"


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ("302345678,201234567,S-1,2024-13-01,,2512,employee", "start_date"),
        ("302345678,201234567,S-1,2024-09-01,2024-01-01,2512,employee", "end_date"),
        ("302345678,201234567,S-1,2024-09-01,,9999,employee", "isco_code"),
        ("302345678,201234567,S-1,2024-09-01,,2512,volunteer", "type"),
        ("12345,201234567,S-1,2024-09-01,,2512,employee", "employer_tax_id"),
    ],
)
async def test_one_malformed_row_refuses_the_file_naming_its_line(bad, column):
    world, institution, employer, _, claim, _ = await a_world()
    good = row(employer, institution, "S-1", "2024-09-01")
    uow = world.uow()
    with pytest.raises(Refused) as refused:
        await import_register(uow, MINISTRY, chunks=chunks(HEADER + good + bad + "\n"), csv=True)
    assert refused.value.errors[0]["loc"] == ["body", "row", 3, column]
    await uow.rollback()
    assert uow.published == []
    assert world.state.employments[claim.id].state == "claimed"


async def test_only_the_ministry_or_an_operator_imports():
    world, institution, *_ = await a_world()
    await run(world, HEADER, identity=OPERATOR)
    with pytest.raises(Forbidden):
        await run(world, HEADER, identity=as_institution(institution))


async def _peak_bytes(world: World, institution, employer, rows: int) -> int:
    """The peak of memory allocated while importing ``rows`` rows naming unknown graduates."""
    text = HEADER + "".join(
        row(employer, institution, f"X-{n:07d}", "2025-01-01") for n in range(rows)
    )
    data = text.encode()

    async def stream() -> AsyncIterator[bytes]:
        for i in range(0, len(data), 65_536):
            yield data[i : i + 65_536]

    tracemalloc.start()
    try:
        report = await import_register(world.uow(), MINISTRY, chunks=stream(), csv=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.unmatched_graduates == rows
    return peak


@pytest.mark.slow
async def test_memory_stays_bounded_as_the_extract_grows():
    world, institution, employer, *_ = await a_world()
    small = await _peak_bytes(world, institution, employer, 20_000)
    large = await _peak_bytes(world, institution, employer, 200_000)
    assert large < 1.5 * small, (small, large)


KEYS = PersonKeys(b"a test key of at least thirty-two bytes")
PERSON_HEADER = "employer_tax_id,person_id,start_date,end_date,isco_code,type\n"


async def a_person(world: World, institution, program, national_id: str, year: int, ref: str):
    command = RegisterGraduate(
        program_id=program.id,
        graduation_year=year,
        student_ref=ref,
        full_name="Person",
        person_key=KEYS.of(national_id),
    )
    uow = world.uow()
    graduate = await graduates.register(uow, MINISTRY, command)
    await uow.commit()
    return graduate


async def test_a_person_named_by_national_id_is_matched_to_the_graduation_the_job_follows():
    world = World()
    institution = await world.organization()
    program = await world.program(institution)
    bachelor = await a_person(world, institution, program, "31234567890123", 2022, "B-1")
    master = await a_person(world, institution, program, "31234567890123", 2024, "M-1")
    employer = await world.employer()
    extract = PERSON_HEADER + "".join(
        [
            f"{employer.tax_id},31234567890123,2023-01-10,2023-12-31,2512,employee\n",
            f"{employer.tax_id},3123 4567 8901 23,2025-02-01,,2512,employee\n",
            f"{employer.tax_id},49999999999999,2025-02-01,,2512,employee\n",
        ]
    )
    uow = world.uow()
    report = await import_register(
        uow, MINISTRY, chunks=chunks(extract), csv=True, person_keys=KEYS
    )
    await uow.commit()
    assert (report.recorded, report.unmatched_graduates) == (2, 1)
    assert report.listed["unmatched_graduates"] == [{"line": 4, "person_id": "(not kept)"}]
    by_graduate = {e.graduate_id: e.start_date for e in world.state.employments.values()}
    assert by_graduate == {bachelor.id: date(2023, 1, 10), master.id: date(2025, 2, 1)}
    assert "31234567890123" not in repr(world.state)  # only keyed hashes are kept


@pytest.mark.parametrize(
    ("keys", "person_id", "message"),
    [(None, "31234567890123", "no person key"), (KEYS, "3123456789", "14 digits")],
)
async def test_a_person_id_needs_a_key_and_fourteen_digits(keys, person_id, message):
    world, institution, employer, *_ = await a_world()
    extract = PERSON_HEADER + f"{employer.tax_id},{person_id},2025-02-01,,2512,employee\n"
    with pytest.raises(Refused) as refused:
        await import_register(
            world.uow(), MINISTRY, chunks=chunks(extract), csv=True, person_keys=keys
        )
    [error] = refused.value.errors
    assert error["loc"] == ["body", "row", 2, "person_id"] and message in error["msg"]


async def test_an_extract_must_say_who_each_graduate_is():
    world, *_ = await a_world()
    header = "employer_tax_id,student_ref,start_date,end_date,isco_code,type\n"
    with pytest.raises(Refused) as refused:
        await import_register(world.uow(), MINISTRY, chunks=chunks(header), csv=True)
    assert "person_id, or institution_tax_id and student_ref" in refused.value.errors[0]["msg"]
