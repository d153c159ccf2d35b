"""Register imports over HTTP on both databases: a 200,000-row extract gives the right report,
a malformed row refuses the file by its line, and the same file again changes nothing."""

import logging

import pytest
from registry.adapters.tables import employments
from sqlalchemy import inspect, select, table, text

from shared.platform.messaging import outbox
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    drained,
    institution_with_program,
)
from tests.integration.registry.test_employments import as_employer, record
from tests.integration.registry.test_graduate_import import chunked, csv_file, import_csv

HEADER = "employer_tax_id,institution_tax_id,student_ref,start_date,end_date,isco_code,type"
GRADUATES = 1_060
ROWS = 200_000


async def import_extract(registry, text: str, *, content_type="text/csv", auth=MINISTRY):
    return await registry.post(
        "/api/v1/employments/import",
        headers=auth | {"Content-Type": content_type},
        content=chunked(text.encode(), 65_536),
    )


async def employment_rows(registry) -> list[tuple]:
    async with registry.app.state.runtime.engine.connect() as conn:
        result = await conn.execute(
            select(employments.c.id, employments.c.state, employments.c.end_date)
        )
        return sorted(tuple(r) for r in result)


async def pending_events(registry) -> int:
    async with registry.app.state.runtime.engine.connect() as conn:
        return await outbox.backlog(conn)


async def a_country(registry):
    """An institution with 1,060 graduates (S-000000 …) and an employer."""
    institution, program = await institution_with_program(registry)
    imported = await import_csv(
        registry,
        csv_file(program, GRADUATES),
        auth=MINISTRY,
        params={"institution_id": institution["id"]},
    )
    assert imported.status_code == 200, imported.text
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    return institution, employer


def extract(institution: dict, employer: dict, *, bad_line: int | None = None) -> str:
    """200,000 rows: for the 1,060 known graduates, 50 at the employer overlapping its claims,
    10 at other dates than its (ended) claims, 950 new there, 50 at unregistered employers;
    the rest name graduates no institution has."""
    school, firm = institution["tax_id"], employer["tax_id"]
    lines = [HEADER]
    for n in range(GRADUATES):
        ref = f"S-{n:06d}"
        if n < 50:
            lines.append(f"{firm},{school},{ref},2024-10-01,,2512,employee")
        elif n < 60:
            lines.append(f"{firm},{school},{ref},2025-03-01,,2512,employee")
        elif n < 1_010:
            lines.append(f"{firm},{school},{ref},2025-01-15,2026-06-30,2512,employee")
        else:
            lines.append(f"{400_000_000 + n},{school},{ref},2025-02-01,,2512,employee")
    lines.extend(
        f"{firm},{school},X-{n:07d},2025-01-01,,2512,employee" for n in range(ROWS - GRADUATES)
    )
    if bad_line is not None:
        lines[bad_line - 1] = f"{firm},{school},S-000001,2025-02-30,,2512,employee"
    return "\n".join(lines) + "\n"


@pytest.mark.slow
async def test_a_200000_row_extract_is_reported_right_once_and_a_bad_row_refuses_it(
    registry, caplog
):
    institution, employer = await a_country(registry)
    listed = await registry.get(
        f"/api/v1/graduates?institution_id={institution['id']}&limit=500", headers=MINISTRY
    )
    graduates = {g["student_ref"]: g for g in listed.json()["items"]}
    for n in range(60):  # open claims for the first 50, ended ones for the next 10
        end = None if n < 50 else "2024-12-31"
        await record(registry, graduates[f"S-{n:06d}"], employer, end_date=end)
    text = extract(institution, employer)
    assert text.count("\n") == ROWS + 1

    malformed = await import_extract(registry, extract(institution, employer, bad_line=150_001))
    assert malformed.status_code == 422, malformed.text
    assert malformed.json()["errors"][0]["loc"] == ["body", "row", 150_001, "start_date"]
    before = await employment_rows(registry)

    with caplog.at_level(logging.INFO, logger="registry.service_layer.employment_import"):
        first = await import_extract(registry, text)
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["rows"] == ROWS
    assert (report["verified"], report["recorded"], report["conflicts"]) == (50, 960, 10)
    assert report["unregistered_employers"] == 50
    assert report["unmatched_graduates"] == ROWS - 1_060
    assert len(report["listed"]["unmatched_graduates"]) == 100
    assert sum("register import" in r.getMessage() for r in caplog.records) >= 9  # progress
    after = await employment_rows(registry)
    assert len(after) == len(before) + 960
    assert sum(state == "verified" for _, state, _ in after) == 1_010

    await drained(registry)
    again = await import_extract(registry, text)
    assert again.status_code == 200
    assert (again.json()["verified"], again.json()["recorded"], again.json()["unchanged"]) == (
        0,
        0,
        1_010,
    )
    assert await employment_rows(registry) == after
    assert await pending_events(registry) == 0


async def test_json_lines_and_the_media_types_the_import_takes(registry):
    institution, program = await institution_with_program(registry)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    line = (
        f'{{"employer_tax_id": "{employer["tax_id"]}", "institution_tax_id": '
        f'"{institution["tax_id"]}", "student_ref": "S-1", "start_date": "2025-01-01", '
        '"end_date": null, "isco_code": "2512", "type": "further_study"}\n'
    )
    answer = await import_extract(registry, line, content_type="application/x-ndjson")
    assert answer.status_code == 200, answer.text
    assert answer.json()["unmatched_graduates"] == 1
    wrong = await import_extract(registry, line, content_type="application/json")
    assert wrong.status_code == 415
    assert wrong.json()["errors"][0]["loc"] == ["header", "Content-Type"]
    refused = await import_extract(registry, line, auth=as_employer(employer))
    assert refused.status_code == 403


async def test_an_escaped_nul_in_a_json_lines_extract_is_refused_by_line(registry):
    # Found with the CSV path's NUL (a 500 on PostgreSQL): JSON Lines spells it \u0000.
    institution, _program = await institution_with_program(registry)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    line = (
        f'{{"employer_tax_id": "{employer["tax_id"]}", "institution_tax_id": '
        f'"{institution["tax_id"]}", "student_ref": "S-1\\u0000", "start_date": "2025-01-01", '
        '"end_date": null, "isco_code": "2512", "type": "further_study"}\n'
    )
    answer = await import_extract(registry, line, content_type="application/x-ndjson")
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["loc"][-2:] == [1, "student_ref"] and "NUL" in error["msg"], error


async def database_text(registry) -> str:
    """Every row of every table of the registry's database, as text."""
    engine = registry.app.state.runtime.engine
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        dumps = [
            repr((await conn.execute(select(text("*")).select_from(table(name)))).all())
            for name in names
        ]
    return "\n".join(dumps)


async def test_graduates_are_matched_by_national_id_which_is_never_kept(registry):
    institution, program = await institution_with_program(registry)
    national_id = "31234567890123"
    body = {"program_id": program["id"], "graduation_year": 2024, "full_name": "A Person"}
    bad = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY,
        json=body | {"student_ref": "S-1", "national_id": "123"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "national_id"]
    one = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY | {"Idempotency-Key": "person-1"},
        json=body | {"student_ref": "S-1", "national_id": national_id},
    )
    assert one.status_code == 201, one.text
    assert "national_id" not in one.json() and "person_key" not in one.json()
    imported = await import_csv(
        registry,
        f"student_ref,full_name,program_id,graduation_year,national_id\n"
        f"S-2,B Person,{program['id']},2024,41234567890123\n",
        auth=as_institution(institution),
    )
    assert imported.status_code == 200, imported.text
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    await record(registry, one.json(), employer)
    extract = (
        "employer_tax_id,person_id,start_date,end_date,isco_code,type\n"
        f"{employer['tax_id']},{national_id},2024-10-01,,2512,employee\n"
        f"{employer['tax_id']},41234567890123,2025-01-01,,2512,self_employed\n"
    )
    report = await import_extract(registry, extract)
    assert report.status_code == 200, report.text
    assert (report.json()["verified"], report.json()["recorded"]) == (1, 1)
    stored = await database_text(registry)
    assert national_id not in stored and "41234567890123" not in stored
    keys = registry.app.state.runtime.settings.person_keys()
    assert keys.of(national_id) in stored
