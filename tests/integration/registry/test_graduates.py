"""Graduates: registration rules naming the field, who may change and who may read them."""

import json

import pytest

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    NEXT_YEAR,
    as_institution,
    create_graduate,
    create_organization,
    create_program,
    drained,
    headers,
    institution_with_program,
)
from tests.integration.topic_reader import read_topic


async def test_the_ministry_registers_a_graduate_and_reads_it_back(registry):
    institution, program = await institution_with_program(registry)
    created = await create_graduate(registry, program, full_name="  Dilnoza Karimova ")
    assert created["institution_id"] == institution["id"]
    assert created["full_name"] == "Dilnoza Karimova"
    assert created["active"] is True
    got = await registry.get(f"/api/v1/graduates/{created['id']}", headers=MINISTRY)
    assert got.status_code == 200 and got.json() == created


async def test_an_institution_registers_its_own_graduate_with_or_without_naming_itself(registry):
    institution, program = await institution_with_program(registry)
    own = as_institution(institution)
    first = await create_graduate(registry, program, auth=own)
    second = await create_graduate(
        registry, program, student_ref="S-0002", auth=own, institution_id=institution["id"]
    )
    assert first["institution_id"] == second["institution_id"] == institution["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"graduation_year": 1949}, "graduation_year"),
        ({"graduation_year": NEXT_YEAR + 1}, "graduation_year"),
        ({"graduation_year": "2024"}, "graduation_year"),
        ({"graduation_year": 2024.5}, "graduation_year"),
        ({"student_ref": ""}, "student_ref"),
        ({"student_ref": "x" * 65}, "student_ref"),
        ({"full_name": "  "}, "full_name"),
        ({"full_name": "n" * 301}, "full_name"),
        ({"program_id": "no-such-program"}, "program_id"),
        ({"program_id": None}, "program_id"),
        ({"institution_id": "no-such-institution"}, "institution_id"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
async def test_an_invalid_graduate_is_refused_with_a_problem_naming_the_field(
    registry, change, field
):
    _, program = await institution_with_program(registry)
    body = {
        "program_id": program["id"],
        "graduation_year": 2024,
        "student_ref": "S-1",
        "full_name": "Aziz Rahimov",
        **change,
    }
    response = await registry.post("/api/v1/graduates", headers=MINISTRY, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["loc"][-1] for e in response.json()["errors"]]
    listed = await registry.get("/api/v1/graduates", headers=MINISTRY)
    assert listed.json()["items"] == []


async def test_graduation_years_from_1950_to_next_year_are_accepted(registry):
    _, program = await institution_with_program(registry)
    assert (await create_graduate(registry, program, graduation_year=NEXT_YEAR))["id"]
    assert await create_graduate(registry, program, student_ref="S-2", graduation_year=1950)


async def test_a_program_of_another_institution_or_an_inactive_one_is_refused_naming_program_id(
    registry,
):
    institution, program = await institution_with_program(registry)
    _, foreign = await institution_with_program(registry, tax_id="301234567")
    body = {"graduation_year": 2024, "student_ref": "S-1", "full_name": "Aziz Rahimov"}
    response = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY,
        json={**body, "program_id": foreign["id"], "institution_id": institution["id"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "program_id"]
    off = await registry.patch(
        f"/api/v1/programs/{program['id']}", headers=MINISTRY, json={"active": False}
    )
    assert off.status_code == 200
    response = await registry.post(
        "/api/v1/graduates",
        headers=as_institution(institution),
        json={**body, "program_id": program["id"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "program_id"]
    assert "not active" in response.json()["detail"]


async def test_a_student_ref_is_unique_per_institution_only(registry):
    _, program = await institution_with_program(registry)
    _, other_program = await institution_with_program(registry, tax_id="301234567")
    await create_graduate(registry, program, student_ref="S-7")
    again = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY,
        json={
            "program_id": program["id"],
            "graduation_year": 2023,
            "student_ref": "S-7",
            "full_name": "Someone Else",
        },
    )
    assert again.status_code == 409
    assert again.json()["errors"] == [
        {"loc": ["body", "student_ref"], "msg": again.json()["detail"]}
    ]
    assert (await create_graduate(registry, other_program, student_ref="S-7"))["id"]


async def test_only_the_programs_institution_or_the_ministry_may_register_a_graduate(registry):
    institution, program = await institution_with_program(registry)
    other, _ = await institution_with_program(registry, tax_id="301234567")
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    body = {
        "program_id": program["id"],
        "graduation_year": 2024,
        "student_ref": "S-1",
        "full_name": "Aziz Rahimov",
    }
    for caller in (
        as_institution(other),
        headers("employer", org=employer["id"]),
        headers("regional_authority", region="UZ-SA"),
        headers("operator"),
    ):
        refused = await registry.post("/api/v1/graduates", headers=caller, json=body)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    # Claiming to be the institution does not help another one.
    refused = await registry.post(
        "/api/v1/graduates",
        headers=as_institution(other),
        json={**body, "institution_id": institution["id"]},
    )
    assert refused.status_code == 403
    assert (await registry.get("/api/v1/graduates", headers=MINISTRY)).json()["items"] == []


async def test_an_institution_reads_only_its_own_graduates(registry):
    institution, program = await institution_with_program(registry)
    other, other_program = await institution_with_program(registry, tax_id="301234567")
    mine = await create_graduate(registry, program)
    theirs = await create_graduate(registry, other_program)
    listed = await registry.get("/api/v1/graduates", headers=as_institution(institution))
    assert [g["id"] for g in listed.json()["items"]] == [mine["id"]]
    refused = await registry.get(
        f"/api/v1/graduates/{theirs['id']}", headers=as_institution(institution)
    )
    assert refused.status_code == 404  # as if there were none
    missing = await registry.get("/api/v1/graduates/no-such-graduate", headers=MINISTRY)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    everyone = await registry.get("/api/v1/graduates", headers=MINISTRY)
    assert {g["id"] for g in everyone.json()["items"]} == {mine["id"], theirs["id"]}


async def test_a_regional_authority_reads_the_graduates_of_institutions_in_its_region(registry):
    _, samarkand_program = await institution_with_program(registry)
    _, bukhara_program = await institution_with_program(
        registry, tax_id="301234567", region_code="UZ-BU"
    )
    local = await create_graduate(registry, samarkand_program)
    away = await create_graduate(registry, bukhara_program)
    authority = headers("regional_authority", region="UZ-SA")
    listed = await registry.get("/api/v1/graduates", headers=authority)
    assert [g["id"] for g in listed.json()["items"]] == [local["id"]]
    assert (
        await registry.get(f"/api/v1/graduates/{local['id']}", headers=authority)
    ).status_code == 200
    assert (
        await registry.get(f"/api/v1/graduates/{away['id']}", headers=authority)
    ).status_code == 404


async def test_an_employer_reads_only_the_graduates_it_employs_and_operators_none(registry):
    _, program = await institution_with_program(registry)
    employed = await create_graduate(registry, program)
    other = await create_graduate(registry, program, student_ref="S-0002")
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    as_employer = headers("employer", org=employer["id"])
    assert (await registry.get("/api/v1/graduates", headers=as_employer)).json()["items"] == []
    recorded = await registry.post(
        "/api/v1/employments",
        headers=as_employer,
        json={
            "graduate_id": employed["id"],
            "employer_id": employer["id"],
            "start_date": "2024-09-01",
            "position": "Developer",
            "isco_code": "2512",
            "in_field": True,
        },
    )
    assert recorded.status_code == 201, recorded.text
    confirm = f"/api/v1/employments/{recorded.json()['id']}/confirm"
    institution = {"id": program["institution_id"]}
    assert (await registry.post(confirm, headers=as_institution(institution))).status_code == 200
    listed = await registry.get("/api/v1/graduates", headers=as_employer)
    assert [g["id"] for g in listed.json()["items"]] == [employed["id"]]
    assert (
        await registry.get(f"/api/v1/graduates/{other['id']}", headers=as_employer)
    ).status_code == 404
    operator = headers("operator")
    assert (await registry.get("/api/v1/graduates", headers=operator)).status_code == 403
    assert (
        await registry.get(f"/api/v1/graduates/{employed['id']}", headers=operator)
    ).status_code == 403


async def test_graduates_are_filtered_by_program_and_year_and_paged_without_repeats(registry):
    institution, program = await institution_with_program(registry)
    second_program = await create_program(registry, institution, code="60610200")
    for n in range(5):
        await create_graduate(registry, program, student_ref=f"A-{n}", graduation_year=2023)
    for n in range(3):
        await create_graduate(registry, second_program, student_ref=f"B-{n}")
    by_program = await registry.get(
        f"/api/v1/graduates?program_id={second_program['id']}", headers=MINISTRY
    )
    assert {g["student_ref"] for g in by_program.json()["items"]} == {"B-0", "B-1", "B-2"}
    by_year = await registry.get("/api/v1/graduates?graduation_year=2023", headers=MINISTRY)
    assert len(by_year.json()["items"]) == 5
    bad_year = await registry.get("/api/v1/graduates?graduation_year=soon", headers=MINISTRY)
    assert bad_year.status_code == 422
    assert bad_year.json()["errors"][0]["loc"] == ["query", "graduation_year"]
    seen, cursor = [], None
    while True:
        page = (
            await registry.get(
                "/api/v1/graduates",
                headers=MINISTRY,
                params={"limit": 3, **({"cursor": cursor} if cursor else {})},
            )
        ).json()
        seen += [g["id"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8


async def test_an_institution_changes_its_graduate_and_deactivates_instead_of_deleting(registry):
    institution, program = await institution_with_program(registry)
    second_program = await create_program(registry, institution, code="60610200")
    graduate = await create_graduate(registry, program)
    own = as_institution(institution)
    url = f"/api/v1/graduates/{graduate['id']}"
    changed = await registry.patch(
        url,
        headers=own,
        json={
            "full_name": "Dilnoza Karimova",
            "program_id": second_program["id"],
            "graduation_year": 2022,
        },
    )
    assert changed.status_code == 200, changed.text
    assert (
        changed.json()["full_name"],
        changed.json()["program_id"],
        changed.json()["graduation_year"],
    ) == ("Dilnoza Karimova", second_program["id"], 2022)
    off = await registry.patch(url, headers=own, json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await registry.get(url, headers=own)).json()["active"] is False
    assert (await registry.delete(url, headers=MINISTRY)).status_code == 405
    inactive = await registry.get("/api/v1/graduates?active=false", headers=MINISTRY)
    assert [g["id"] for g in inactive.json()["items"]] == [graduate["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"graduation_year": 1900}, "graduation_year"),
        ({"program_id": "no-such-program"}, "program_id"),
        ({"full_name": None}, "full_name"),
        ({"active": None}, "active"),
        ({"student_ref": "S-9"}, "student_ref"),
        ({"institution_id": "elsewhere"}, "institution_id"),
    ],
)
async def test_an_invalid_change_to_a_graduate_is_refused_naming_the_field(registry, change, field):
    _, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program)
    response = await registry.patch(
        f"/api/v1/graduates/{graduate['id']}", headers=MINISTRY, json=change
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", field]
    got = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=MINISTRY)
    assert got.json() == graduate


async def test_a_graduate_moves_only_to_an_active_program_of_its_own_institution(registry):
    institution, program = await institution_with_program(registry)
    _, foreign = await institution_with_program(registry, tax_id="301234567")
    retired = await create_program(registry, institution, code="60610200")
    await registry.patch(
        f"/api/v1/programs/{retired['id']}", headers=MINISTRY, json={"active": False}
    )
    graduate = await create_graduate(registry, program)
    for target in (foreign, retired):
        response = await registry.patch(
            f"/api/v1/graduates/{graduate['id']}",
            headers=MINISTRY,
            json={"program_id": target["id"]},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "program_id"]


async def test_only_the_graduates_institution_or_the_ministry_may_change_it(registry):
    _, program = await institution_with_program(registry)
    other, _ = await institution_with_program(registry, tax_id="301234567")
    graduate = await create_graduate(registry, program)
    url = f"/api/v1/graduates/{graduate['id']}"
    for caller in (
        as_institution(other),
        headers("regional_authority", region="UZ-SA"),
        headers("employer", org=other["id"]),
    ):
        assert (
            await registry.patch(url, headers=caller, json={"full_name": "X"})
        ).status_code == 403
    assert (
        await registry.patch("/api/v1/graduates/nope", headers=MINISTRY, json={"full_name": "X"})
    ).status_code == 404
    assert (await registry.get(url, headers=MINISTRY)).json() == graduate


async def test_the_same_idempotency_key_registers_a_graduate_once(registry):
    _, program = await institution_with_program(registry)
    body = {
        "program_id": program["id"],
        "graduation_year": 2024,
        "student_ref": "S-1",
        "full_name": "Aziz Rahimov",
    }
    key = MINISTRY | {"Idempotency-Key": "graduate-s-1"}
    first = await registry.post("/api/v1/graduates", headers=key, json=body)
    again = await registry.post("/api/v1/graduates", headers=key, json=body)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len((await registry.get("/api/v1/graduates", headers=MINISTRY)).json()["items"]) == 1


async def test_graduate_events_are_keyed_by_the_institution_and_carry_no_names(registry, broker):
    institution, program = await institution_with_program(registry)
    graduate = await create_graduate(registry, program, full_name="Dilnoza Karimova")
    url = f"/api/v1/graduates/{graduate['id']}"
    await registry.patch(url, headers=MINISTRY, json={"graduation_year": 2023})
    await registry.patch(url, headers=MINISTRY, json={"graduation_year": 2023})  # no change
    refused = await registry.patch(url, headers=MINISTRY, json={"graduation_year": 1800})
    assert refused.status_code == 422
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    mine = [(r.key.decode(), json.loads(r.value)) for r in records if b"graduate" in r.value]
    assert [e["type"] for _, e in mine] == [
        "educluster.registry.graduate.registered.v1",
        "educluster.registry.graduate.updated.v1",
    ]
    assert {key for key, _ in mine} == {institution["id"]}
    assert {e["subject"] for _, e in mine} == {f"graduates/{graduate['id']}"}
    assert mine[1][1]["data"] == {
        "graduate_id": graduate["id"],
        "institution_id": institution["id"],
        "program_id": program["id"],
        "graduation_year": 2023,
        "active": True,
        "follow_up_outcome": None,
        "follow_up_on": None,
    }
    assert "Karimova" not in json.dumps([e for _, e in mine])
    assert graduate["student_ref"] not in json.dumps([e for _, e in mine])
