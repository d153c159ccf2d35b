"""Bulk CSV import of graduates: streamed, all rows or none, idempotent on re-import."""

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest
from registry.adapters.tables import audit_trail, graduates
from sqlalchemy import func, select

from shared.platform.messaging.tables import outbox
from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    NEXT_YEAR,
    as_institution,
    create_organization,
    create_program,
    drained,
    headers,
    institution_with_program,
)
from tests.integration.topic_reader import read_topic

HEADER = "student_ref,full_name,program_id,graduation_year"
CSV = {"Content-Type": "text/csv"}


def csv_file(program: dict, count: int, *, prefix="S", year=2024, start=0) -> str:
    rows = (
        f"{prefix}-{n:06d},Graduate {n},{program['id']},{year}" for n in range(start, start + count)
    )
    return "\n".join([HEADER, *rows]) + "\n"


async def chunked(data: bytes, size: int) -> AsyncIterator[bytes]:
    for offset in range(0, len(data), size):
        yield data[offset : offset + size]


async def import_csv(
    registry, body: str | bytes, *, auth: dict, params=None, chunk=65_536, content_type="text/csv"
):
    data = body.encode() if isinstance(body, str) else body
    return await registry.post(
        "/api/v1/graduates/import",
        params=params,
        headers=auth | {"Content-Type": content_type},
        content=chunked(data, chunk),
    )


async def graduate_count(registry, institution: dict) -> int:
    async with registry.app.state.runtime.engine.connect() as conn:
        return await conn.scalar(
            select(func.count())
            .select_from(graduates)
            .where(graduates.c.institution_id == institution["id"])
        )


def error_locs(response) -> list[list]:
    return [e["loc"] for e in response.json()["errors"]]


async def test_an_institution_imports_a_file_and_reimporting_it_changes_nothing(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    body = csv_file(program, 5)
    first = await import_csv(registry, body, auth=own)
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 5, "created": 5, "updated": 0, "unchanged": 0}
    listed = (await registry.get("/api/v1/graduates", headers=own)).json()["items"]
    assert sorted(g["student_ref"] for g in listed) == [f"S-{n:06d}" for n in range(5)]
    assert {(g["program_id"], g["graduation_year"], g["active"]) for g in listed} == {
        (program["id"], 2024, True)
    }
    again = await import_csv(registry, body, auth=own)
    assert again.json() == {"rows": 5, "created": 0, "updated": 0, "unchanged": 5}
    assert await graduate_count(registry, institution) == 5


async def test_a_small_import_publishes_one_registered_event_per_row_keyed_by_the_institution(
    registry, broker
):
    institution, program = await institution_with_program(registry)
    body = csv_file(program, 5)
    assert (
        await import_csv(
            registry, body, auth=MINISTRY, params={"institution_id": institution["id"]}
        )
    ).status_code == 200
    assert (await import_csv(registry, body, auth=as_institution(institution))).status_code == 200
    changed = body.replace("Graduate 3,", "Graduate Three,")
    reply = await import_csv(registry, changed, auth=as_institution(institution))
    assert reply.json() == {"rows": 5, "created": 0, "updated": 1, "unchanged": 4}
    refused = await import_csv(
        registry, csv_file(program, 3, prefix="X", year=1900), auth=as_institution(institution)
    )
    assert refused.status_code == 422
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    mine = [r for r in records if b"graduate" in r.value]
    events = [json.loads(r.value) for r in mine]
    registered = [e for e in events if e["type"] == "educluster.registry.graduate.registered.v1"]
    updated = [e for e in events if e["type"] == "educluster.registry.graduate.updated.v1"]
    assert len(registered) == 5 and len(updated) == 1 and len(events) == 6
    assert {r.key.decode() for r in mine} == {institution["id"]}
    ids = {
        g["id"] for g in (await registry.get("/api/v1/graduates", headers=MINISTRY)).json()["items"]
    }
    assert {e["subject"] for e in registered} == {f"graduates/{i}" for i in ids}
    assert updated[0]["subject"] in {e["subject"] for e in registered}
    assert "Graduate" not in json.dumps(events)


async def test_a_changed_name_on_reimport_updates_that_graduate_only(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    body = csv_file(program, 4)
    await import_csv(registry, body, auth=own)
    before = {
        g["student_ref"]: g
        for g in (await registry.get("/api/v1/graduates", headers=own)).json()["items"]
    }
    reply = await import_csv(registry, body.replace("Graduate 2,", "Graduate Two,"), auth=own)
    assert reply.json() == {"rows": 4, "created": 0, "updated": 1, "unchanged": 3}
    after = {
        g["student_ref"]: g
        for g in (await registry.get("/api/v1/graduates", headers=own)).json()["items"]
    }
    assert after["S-000002"]["full_name"] == "Graduate Two"
    assert after["S-000002"]["id"] == before["S-000002"]["id"]
    assert {k: v for k, v in after.items() if k != "S-000002"} == {
        k: v for k, v in before.items() if k != "S-000002"
    }


async def test_a_reimport_with_another_program_or_year_updates_and_adds_new_rows(registry):
    institution, program = await institution_with_program(registry)
    second = await create_program(registry, institution, code="60610200")
    own = as_institution(institution)
    await import_csv(registry, csv_file(program, 3), auth=own)
    body = "\n".join(
        [
            HEADER,
            f"S-000000,Graduate 0,{second['id']},2024",
            f"S-000001,Graduate 1,{program['id']},2023",
            f"S-000002,Graduate 2,{program['id']},2024",
            f"S-000003,Graduate 3,{program['id']},2024",
        ]
    )
    reply = await import_csv(registry, body, auth=own)  # no newline at the end
    assert reply.json() == {"rows": 4, "created": 1, "updated": 2, "unchanged": 1}
    got = {
        g["student_ref"]: g
        for g in (await registry.get("/api/v1/graduates", headers=own)).json()["items"]
    }
    assert got["S-000000"]["program_id"] == second["id"]
    assert got["S-000001"]["graduation_year"] == 2023


async def test_bom_crlf_quoting_column_order_and_tiny_chunks_are_read_correctly(registry):
    institution, program = await institution_with_program(registry)
    pid = program["id"]
    text = (
        "graduation_year,program_id,full_name,student_ref\r\n"
        f'2024,{pid},"Karimova, Dilnoza",S-1\r\n'
        f'2023,{pid},"O\'Neil ""Ali"" Said",S-2\r\n'
        "\r\n"
        f"2022,{pid},Ўткир Ҳошимов,S-3\r\n"
        f'2024,{pid},"Line\r\nbreak",S-4\r\n'
        f"2024,{pid},  Spaced Name  , S-5 \r\n"
    )
    data = "\ufeff".encode() + text.encode()
    # Chunks of 3 bytes split the BOM, Cyrillic letters and every CRLF somewhere.
    reply = await import_csv(registry, data, auth=as_institution(institution), chunk=3)
    assert reply.status_code == 200, reply.text
    assert reply.json()["created"] == 5 and reply.json()["rows"] == 5
    got = {
        g["student_ref"]: g
        for g in (await registry.get("/api/v1/graduates", headers=MINISTRY)).json()["items"]
    }
    assert got["S-1"]["full_name"] == "Karimova, Dilnoza"
    assert got["S-2"]["full_name"] == 'O\'Neil "Ali" Said'
    assert got["S-3"]["full_name"] == "Ўткир Ҳошимов" and got["S-3"]["graduation_year"] == 2022
    assert got["S-4"]["full_name"] == "Line\r\nbreak"
    assert got["S-5"]["full_name"] == "Spaced Name"
    again = await import_csv(registry, data, auth=as_institution(institution), chunk=7)
    assert again.json() == {"rows": 5, "created": 0, "updated": 0, "unchanged": 5}


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("student_ref,full_name,program_id,graduation_year,email", "email"),
        ("student_ref,full_name,program_id", "graduation_year"),
        ("student_ref,full_name,program_id,graduation_year,student_ref", "student_ref"),
        ("ref,full_name,program_id,graduation_year", "ref"),
    ],
)
async def test_a_header_other_than_the_four_columns_is_refused_naming_it(registry, header, column):
    institution, program = await institution_with_program(registry)
    body = f"{header}\nS-1,Aziz,{program['id']},2024,x\n"
    reply = await import_csv(registry, body, auth=as_institution(institution))
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    assert ["body", "row", 1, column] in error_locs(reply)
    assert await graduate_count(registry, institution) == 0


async def test_every_kind_of_bad_row_is_reported_by_line_and_column_and_nothing_is_imported(
    registry,
):
    institution, program = await institution_with_program(registry)
    _, foreign = await institution_with_program(registry, tax_id="301234567")
    retired = await create_program(registry, institution, code="60610200")
    await registry.patch(
        f"/api/v1/programs/{retired['id']}", headers=MINISTRY, json={"active": False}
    )
    pid = program["id"]
    rows = [
        f"S-1,Good Row,{pid},2024",  # line 2
        f",No Ref,{pid},2024",  # 3
        f"{'x' * 65},Long Ref,{pid},2024",  # 4
        f"S-5,,{pid},2024",  # 5
        f"S-6,{'n' * 301},{pid},2024",  # 6
        "S-7,Unknown Program,nope,2024",  # 7
        f"S-8,Foreign Program,{foreign['id']},2024",  # 8
        f"S-9,Retired Program,{retired['id']},2024",  # 9
        f"S-10,Bad Year,{pid},twenty",  # 10
        f"S-11,Old Year,{pid},1949",  # 11
        f"S-12,Future Year,{pid},{NEXT_YEAR + 1}",  # 12
        f"S-13,Too,Many,{pid},2024",  # 13
        "S-14,Too Few",  # 14
        f"S-15,Fine Too,{pid},{NEXT_YEAR}",  # 15
    ]
    reply = await import_csv(registry, "\n".join([HEADER, *rows]), auth=as_institution(institution))
    assert reply.status_code == 422, reply.text
    assert error_locs(reply) == [
        ["body", "row", 3, "student_ref"],
        ["body", "row", 4, "student_ref"],
        ["body", "row", 5, "full_name"],
        ["body", "row", 6, "full_name"],
        ["body", "row", 7, "program_id"],
        ["body", "row", 8, "program_id"],
        ["body", "row", 9, "program_id"],
        ["body", "row", 10, "graduation_year"],
        ["body", "row", 11, "graduation_year"],
        ["body", "row", 12, "graduation_year"],
        ["body", "row", 13],
        ["body", "row", 14],
    ]
    assert "12 error" in reply.json()["detail"]
    assert all(e["msg"] for e in reply.json()["errors"])
    assert await graduate_count(registry, institution) == 0


async def test_a_student_ref_repeated_in_the_file_is_refused_naming_both_lines(registry):
    institution, program = await institution_with_program(registry)
    pid = program["id"]
    body = "\n".join(
        [HEADER, f"S-1,Aziz,{pid},2024", f"S-2,Bobur,{pid},2024", f"S-1,Aziz Again,{pid},2024"]
    )
    reply = await import_csv(registry, body, auth=as_institution(institution))
    assert reply.status_code == 422
    [error] = reply.json()["errors"]
    assert error["loc"] == ["body", "row", 4, "student_ref"]
    assert "line 2" in error["msg"]
    assert await graduate_count(registry, institution) == 0


async def test_the_error_list_is_capped_at_100_and_the_detail_gives_the_total(registry):
    institution, program = await institution_with_program(registry)
    reply = await import_csv(
        registry, csv_file(program, 250, year=1900), auth=as_institution(institution)
    )
    assert reply.status_code == 422
    assert len(reply.json()["errors"]) == 100
    assert "250 error" in reply.json()["detail"]
    assert reply.json()["errors"][-1]["loc"] == ["body", "row", 101, "graduation_year"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"", 1),
        (b"\n\n", 1),
        (HEADER.encode() + b"\nS-1,Bad \xff byte,p,2024\n", 2),
        (HEADER.encode() + b'\nS-1,"never closed,p,2024\nS-2,x,p,2024\n', 2),
        (HEADER.encode() + b'\nS-1,"closed"junk,p,2024\n', 2),
    ],
)
async def test_an_empty_undecodable_or_malformed_file_is_refused_naming_the_line(
    registry, data, line
):
    institution, _ = await institution_with_program(registry)
    reply = await import_csv(registry, data, auth=as_institution(institution), chunk=5)
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["loc"] == ["body", "row", line]


async def test_a_body_that_is_not_text_csv_is_refused_with_415(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    for content_type in ("application/json", "text/plain", "text/csv; charset=latin-1"):
        reply = await import_csv(
            registry, csv_file(program, 1), auth=own, content_type=content_type
        )
        assert reply.status_code == 415, content_type
        assert reply.headers["content-type"] == "application/problem+json"
    accepted = await import_csv(
        registry, csv_file(program, 1), auth=own, content_type="text/csv; charset=utf-8"
    )
    assert accepted.status_code == 200


async def test_only_the_institution_itself_or_the_ministry_naming_it_may_import(registry):
    institution, program = await institution_with_program(registry)
    other, _ = await institution_with_program(registry, tax_id="301234567")
    body = csv_file(program, 2)
    for auth, params in (
        (as_institution(other), {"institution_id": institution["id"]}),
        (headers("employer", org=institution["id"]), {"institution_id": institution["id"]}),
        (headers("regional_authority", region="UZ-SA"), {"institution_id": institution["id"]}),
        (headers("operator"), {"institution_id": institution["id"]}),
    ):
        assert (await import_csv(registry, body, auth=auth, params=params)).status_code == 403
    # Another institution importing the file into itself finds the programs are not its own.
    into_other = await import_csv(registry, body, auth=as_institution(other))
    assert into_other.status_code == 422
    assert error_locs(into_other)[0] == ["body", "row", 2, "program_id"]
    unnamed = await import_csv(registry, body, auth=MINISTRY)
    assert unnamed.status_code == 422 and error_locs(unnamed) == [["query", "institution_id"]]
    unknown = await import_csv(registry, body, auth=MINISTRY, params={"institution_id": "nope"})
    assert unknown.status_code == 422 and error_locs(unknown) == [["query", "institution_id"]]
    named = await import_csv(
        registry, body, auth=MINISTRY, params={"institution_id": institution["id"]}
    )
    assert named.json()["created"] == 2
    assert await graduate_count(registry, other) == 0


@pytest.mark.slow
async def test_fifty_thousand_rows_import_in_one_request_and_reimport_unchanged(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    body = csv_file(program, 50_000)

    started = time.monotonic()
    first = await import_csv(registry, body, auth=own)
    took = time.monotonic() - started
    assert first.status_code == 200, first.text
    assert first.json() == {"rows": 50_000, "created": 50_000, "updated": 0, "unchanged": 0}
    assert await graduate_count(registry, institution) == 50_000
    assert took < 60, f"50,000 rows took {took:.1f} s"

    started = time.monotonic()
    again = await import_csv(registry, body, auth=own)
    retook = time.monotonic() - started
    assert again.json() == {"rows": 50_000, "created": 0, "updated": 0, "unchanged": 50_000}
    assert await graduate_count(registry, institution) == 50_000
    print(
        f"\n50k import {took:.1f} s, re-import {retook:.1f} s "
        f"({registry.app.state.runtime.engine.dialect.name})"
    )


@pytest.mark.slow
async def test_one_bad_row_among_fifty_thousand_rejects_the_whole_file(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    assert (
        await import_csv(registry, csv_file(program, 10, prefix="OLD"), auth=own)
    ).status_code == 200
    lines = csv_file(program, 50_000).splitlines()
    lines[40_001] = lines[40_001].replace(",2024", ",1066")  # line 40,002 of the file
    started = time.monotonic()
    reply = await import_csv(registry, "\n".join(lines), auth=own)
    took = time.monotonic() - started
    assert reply.status_code == 422
    assert error_locs(reply) == [["body", "row", 40_002, "graduation_year"]]
    assert "1 error" in reply.json()["detail"]
    assert await graduate_count(registry, institution) == 10
    assert took < 60, f"checking 50,000 rows took {took:.1f} s"


async def test_a_slow_upload_holds_no_lock_that_other_writers_would_wait_for(registry):
    """The file is received in full before the import's transaction starts: on SQLite no write
    lock (and on PostgreSQL no transaction) waits on a client that is still sending."""
    institution, program = await institution_with_program(registry)
    first_rows_sent, finish = asyncio.Event(), asyncio.Event()

    async def slow_upload() -> AsyncIterator[bytes]:
        yield f"{HEADER}\nS-1,Graduate 1,{program['id']},2024\n".encode()
        first_rows_sent.set()
        await finish.wait()
        yield f"S-2,Graduate 2,{program['id']},2024\n".encode()

    importing = asyncio.create_task(
        registry.post(
            "/api/v1/graduates/import",
            headers=as_institution(institution) | CSV,
            content=slow_upload(),
        )
    )
    await first_rows_sent.wait()
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="301234567")
    assert employer["id"] and not importing.done()

    finish.set()
    imported = await importing
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 2


# --- the preview (?dry_run=true): what the import would do, nothing written ------------------


async def written(registry) -> tuple[list, int, int]:
    """Everything an import could write: the graduates, the last outbox row, the last audit
    entry (ids only grow, so a relay pruning sent rows cannot hide a new one)."""
    async with registry.app.state.runtime.engine.connect() as conn:
        rows = (await conn.execute(select(graduates).order_by(graduates.c.id))).all()
        last_event = await conn.scalar(select(func.coalesce(func.max(outbox.c.id), 0)))
        last_audit = await conn.scalar(select(func.coalesce(func.max(audit_trail.c.seq), 0)))
    return [tuple(row) for row in rows], last_event, last_audit


async def preview(registry, body: str | bytes, *, auth: dict, params=None, chunk=65_536):
    return await import_csv(
        registry, body, auth=auth, params={"dry_run": "true", **(params or {})}, chunk=chunk
    )


async def test_a_preview_says_what_the_import_would_do_and_writes_nothing(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    pid = program["id"]
    assert (await import_csv(registry, csv_file(program, 3), auth=own)).status_code == 200
    before = await written(registry)
    body = "\n".join(
        [
            HEADER,
            f"S-000000,Graduate 0,{pid},2024",  # line 2: unchanged
            f"S-000001,Graduate One,{pid},2024",  # 3: changed
            f"S-000005,Graduate 5,{pid},2024",  # 4: new
            f"S-000006,Graduate 6,{pid},1900",  # 5: refused
            "S-000007,Graduate 7,nope,2024",  # 6: refused
            f"S-000008,Graduate 8,{pid},2023",  # 7: new
        ]
    )
    reply = await preview(registry, body, auth=own)
    assert reply.status_code == 200, reply.text
    answer = reply.json()
    assert {k: v for k, v in answer.items() if k != "errors"} == {
        "rows": 6,
        "created": 2,
        "updated": 1,
        "unchanged": 1,
        "error_count": 2,
        "would_import": False,
    }
    assert [(e["line"], e["column"]) for e in answer["errors"]] == [
        (5, "graduation_year"),
        (6, "program_id"),
    ]
    assert all(e["reason"] for e in answer["errors"])
    assert await written(registry) == before
    # The import itself refuses the same lines for the same reasons (one set of checks).
    refused = await import_csv(registry, body, auth=own)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["body", "row", e["line"], e["column"]], "msg": e["reason"]}
        for e in answer["errors"]
    ]
    assert await written(registry) == before


async def test_a_clean_preview_matches_what_the_import_then_does(registry, broker):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    await import_csv(registry, csv_file(program, 2), auth=own)
    await drained(registry)
    body = csv_file(program, 4).replace("Graduate 1,", "Graduate One,")
    before = await written(registry)
    # In tiny chunks, and by the ministry naming the institution: as the import reads it.
    looked = await preview(
        registry, body, auth=MINISTRY, params={"institution_id": institution["id"]}, chunk=3
    )
    assert looked.json() == {
        "rows": 4,
        "created": 2,
        "updated": 1,
        "unchanged": 1,
        "error_count": 0,
        "would_import": True,
        "errors": [],
    }
    assert await written(registry) == before
    done = await import_csv(registry, body, auth=own)
    assert done.json() == {"rows": 4, "created": 2, "updated": 1, "unchanged": 1}
    assert await graduate_count(registry, institution) == 4


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"", 1, None),
        (b"ref,full_name,program_id,graduation_year\nS-1,x,p,2024\n", 1, "ref"),
        (HEADER.encode() + b"\nS-1,Bad \xff byte,p,2024\n", 2, None),
    ],
)
async def test_a_preview_of_an_unreadable_file_explains_it_by_line(registry, data, line, column):
    institution, _ = await institution_with_program(registry)
    before = await written(registry)
    reply = await preview(registry, data, auth=as_institution(institution), chunk=5)
    assert reply.status_code == 200, reply.text
    assert reply.json()["would_import"] is False
    assert reply.json()["errors"][0]["line"] == line
    assert reply.json()["errors"][0]["column"] == column
    assert await written(registry) == before


async def test_a_preview_is_refused_to_whoever_may_not_import(registry):
    institution, program = await institution_with_program(registry)
    other, _ = await institution_with_program(registry, tax_id="301234567")
    body = csv_file(program, 2)
    params = {"institution_id": institution["id"]}
    assert (
        await preview(registry, body, auth=as_institution(other), params=params)
    ).status_code == 403
    unnamed = await preview(registry, body, auth=MINISTRY)
    assert unnamed.status_code == 422 and error_locs(unnamed) == [["query", "institution_id"]]
    wrong_type = await import_csv(
        registry,
        body,
        auth=as_institution(institution),
        params={"dry_run": "true"},
        content_type="application/json",
    )
    assert wrong_type.status_code == 415
