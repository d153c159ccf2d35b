"""Hostile input to the registry's write routes: a clear 4xx problem, never a 500, nothing written."""

import json

import pytest
from registry.adapters.tables import graduates, organizations
from sqlalchemy import func, select

from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import MINISTRY, institution_with_program

PROBLEM = "application/problem+json"
ORGANIZATION = {
    "kind": "education",
    "subtype": "university",
    "name": "Hostile University",
    "region_code": "UZ-SA",
    "tax_id": "209999999",
}
CSV_HEADER = "student_ref,full_name,program_id,graduation_year"


async def count(registry, table) -> int:
    async with registry.app.state.runtime.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


def refused(response, status: int | None = None) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def nested(depth: int) -> bytes:
    return b'{"name": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(nested(10_000), id="10000-levels"),
        pytest.param(b'{"kind": "education", "name": "\xff\xfe bad"}', id="invalid-utf8"),
    ],
)
async def test_a_body_that_is_not_sound_json_is_refused(registry, body):
    before = await count(registry, organizations)
    response = await registry.post(
        "/api/v1/organizations",
        headers=MINISTRY | {"Content-Type": "application/json"},
        content=body,
    )
    refused(response)
    assert await count(registry, organizations) == before


async def test_a_nul_byte_in_a_name_is_refused_naming_the_field(registry):
    before = await count(registry, organizations)
    response = await registry.post(
        "/api/v1/organizations", headers=MINISTRY, json=ORGANIZATION | {"name": "Bad\x00Name"}
    )
    problem = refused(response, 422)
    assert ["body", "name"] in [e["loc"] for e in problem["errors"]]
    assert await count(registry, organizations) == before


async def test_a_huge_graduation_year_is_refused_naming_the_field(registry):
    _, program = await institution_with_program(registry)
    body = json.dumps(
        {
            "program_id": program["id"],
            "graduation_year": 10**100,
            "student_ref": "S-1",
            "full_name": "Huge Year",
        }
    )
    response = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY | {"Content-Type": "application/json"},
        content=body,
    )
    problem = refused(response, 422)
    assert ["body", "graduation_year"] in [e["loc"] for e in problem["errors"]]
    assert await count(registry, graduates) == 0


@pytest.mark.parametrize(
    "name",
    ["Robert'); DROP TABLE organizations;--", "<script>alert(1)</script>", "' OR 1=1 --"],
)
async def test_sql_and_script_in_a_name_are_stored_verbatim(registry, name):
    response = await registry.post(
        "/api/v1/organizations", headers=MINISTRY, json=ORGANIZATION | {"name": name}
    )
    assert response.status_code == 201, response.text
    stored = await registry.get(f"/api/v1/organizations/{response.json()['id']}", headers=MINISTRY)
    assert stored.json()["name"] == name


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(b"S-1,\xff\xfe Bad,{program},2024", id="invalid-utf8"),
        pytest.param(b"S-1," + b"x" * 1_000_000 + b",{program},2024", id="1mb-line"),
        pytest.param(b"S-1,Bad\x00Name,{program},2024", id="nul-byte"),
        pytest.param(b"S-1,Huge Year,{program}," + str(10**100).encode(), id="huge-year"),
    ],
)
async def test_a_hostile_csv_is_refused_and_imports_nothing(registry, row):
    _, program = await institution_with_program(registry)
    data = CSV_HEADER.encode() + b"\n" + row.replace(b"{program}", program["id"].encode()) + b"\n"
    response = await registry.post(
        "/api/v1/graduates/import",
        headers=MINISTRY | {"Content-Type": "text/csv"},
        content=data,
    )
    refused(response)
    assert await count(registry, graduates) == 0


async def test_hostile_assessments_are_refused_naming_the_field_and_nothing_is_stored(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    good = world.assessment_body(world.graduates[0])
    hostile = [
        ({**good, "comment": "Bad\x00comment"}, ["comment"]),
        ({**good, "overall_satisfaction": 10**100}, ["overall_satisfaction"]),
        ({**good, "period": 10**100}, ["period"]),
        ({**good, "ratings": {"foundation.oral_communication": 10**100}}, ["ratings"]),
    ]
    for body, field in hostile:
        for path, sent, loc in [
            ("/api/v1/assessments", body, ["body", *field]),
            ("/api/v1/assessments/bulk", {"items": [body]}, ["body", "items", 0, *field]),
        ]:
            response = await assessment.post(
                path,
                headers=world.as_employer | {"Content-Type": "application/json"},
                content=json.dumps(sent),
            )
            problem = refused(response, 422)
            assert any(e["loc"][: len(loc)] == loc for e in problem["errors"]), problem
    for path in ("/api/v1/assessments", "/api/v1/assessments/bulk"):
        response = await assessment.post(
            path,
            headers=world.as_employer | {"Content-Type": "application/json"},
            content=nested(10_000),
        )
        refused(response)
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert listed.json()["items"] == []
