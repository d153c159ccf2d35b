"""Clusters with their membership history, and programs checked against ISCED."""

import pytest

from tests.integration.registry.conftest import (
    MINISTRY,
    create_organization,
    create_program,
    headers,
)


async def make_cluster(registry, coordinator, *, region_code="UZ-SA", auth=MINISTRY):
    return await registry.post(
        "/api/v1/clusters",
        headers=auth,
        json={
            "name": "Samarkand IT cluster",
            "region_code": region_code,
            "sectors": ["J", "P"],
            "coordinator_id": coordinator["id"],
        },
    )


async def test_a_cluster_starts_with_its_coordinator_as_member_and_keeps_membership_history(
    registry,
):
    university = await create_organization(registry)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="301234567")
    cluster = (await make_cluster(registry, university)).json()
    members_url = f"/api/v1/clusters/{cluster['id']}/members"
    joined = await registry.post(
        members_url,
        headers=MINISTRY,
        json={"organization_id": employer["id"], "role": "employer", "joined_on": "2025-09-01"},
    )
    assert joined.status_code == 201
    again = await registry.post(
        members_url, headers=MINISTRY, json={"organization_id": employer["id"], "role": "employer"}
    )
    assert again.status_code == 409
    left = await registry.delete(
        f"{members_url}/{employer['id']}?left_on=2026-06-30", headers=MINISTRY
    )
    assert left.status_code == 200 and left.json()["left_on"] == "2026-06-30"

    current = (await registry.get(members_url, headers=MINISTRY)).json()["items"]
    assert [(m["organization_id"], m["role"]) for m in current] == [
        (university["id"], "coordinator")
    ]
    history = (await registry.get(f"{members_url}?include_history=true", headers=MINISTRY)).json()[
        "items"
    ]
    assert {m["organization_id"] for m in history} == {university["id"], employer["id"]}
    assert (
        await registry.delete(f"{members_url}/{university['id']}", headers=MINISTRY)
    ).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sectors": ["Z"]}, "sectors"),
        ({"sectors": ["Q", "AA"]}, "sectors"),
        ({"region_code": "UZ-ZZ"}, "region_code"),
        ({"coordinator_id": "nobody"}, "coordinator_id"),
        ({"name": ""}, "name"),
    ],
)
async def test_an_invalid_cluster_is_refused_naming_the_field(registry, change, field):
    university = await create_organization(registry)
    body = {
        "name": "c",
        "region_code": "UZ-SA",
        "sectors": ["J"],
        "coordinator_id": university["id"],
        **change,
    }
    response = await registry.post("/api/v1/clusters", headers=MINISTRY, json=body)
    assert response.status_code == 422
    assert field in [e["loc"][1] for e in response.json()["errors"]]


async def test_a_member_role_must_fit_the_organizations_kind(registry):
    university = await create_organization(registry)
    other_university = await create_organization(registry, tax_id="209876543")
    cluster = (await make_cluster(registry, university)).json()
    response = await registry.post(
        f"/api/v1/clusters/{cluster['id']}/members",
        headers=MINISTRY,
        json={"organization_id": other_university["id"], "role": "employer"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "role"]


async def test_a_regional_authority_manages_clusters_only_in_its_region(registry):
    university = await create_organization(registry)
    own = headers("regional_authority", region="UZ-SA")
    created = await make_cluster(registry, university, auth=own)
    assert created.status_code == 201
    elsewhere = await make_cluster(registry, university, region_code="UZ-BU", auth=own)
    assert elsewhere.status_code == 403
    foreign = headers("regional_authority", region="UZ-BU")
    patch = await registry.patch(
        f"/api/v1/clusters/{created.json()['id']}", headers=foreign, json={"status": "suspended"}
    )
    assert patch.status_code == 403
    ok = await registry.patch(
        f"/api/v1/clusters/{created.json()['id']}", headers=own, json={"status": "suspended"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "suspended"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"field_code": "0000"}, "field_code"),
        ({"field_code": "61"}, "field_code"),
        ({"level": "9"}, "level"),
        ({"language": "Uzbek"}, "language"),
        ({"code": ""}, "code"),
        ({"institution_id": "nobody"}, "institution_id"),
    ],
)
async def test_an_invalid_program_is_refused_naming_the_field(registry, change, field):
    university = await create_organization(registry)
    body = {
        "institution_id": university["id"],
        "code": "60610100",
        "name": "SE",
        "level": "6",
        "field_code": "0613",
        "language": "uz",
        **change,
    }
    response = await registry.post("/api/v1/programs", headers=MINISTRY, json=body)
    assert response.status_code == 422, response.text
    assert field in [e["loc"][1] for e in response.json()["errors"]]


async def test_an_institution_manages_only_its_own_programs(registry):
    university = await create_organization(registry)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="301234567")
    own = headers("institution", org=university["id"])
    body = {
        "institution_id": university["id"],
        "code": "60610100",
        "name": "SE",
        "level": "6",
        "field_code": "0613",
    }
    assert (await registry.post("/api/v1/programs", headers=own, json=body)).status_code == 201
    assert (await registry.post("/api/v1/programs", headers=own, json=body)).status_code == 409
    stranger = headers("institution", org="someone-else")
    assert (
        await registry.post("/api/v1/programs", headers=stranger, json={**body, "code": "x1"})
    ).status_code == 403
    not_education = await registry.post(
        "/api/v1/programs", headers=MINISTRY, json={**body, "institution_id": employer["id"]}
    )
    assert not_education.status_code == 422


async def test_a_program_is_deactivated_not_deleted_and_filters_by_field(registry):
    university = await create_organization(registry)
    program = await create_program(registry, university)
    await create_program(registry, university, code="60110100", field_code="0111")
    off = await registry.patch(
        f"/api/v1/programs/{program['id']}", headers=MINISTRY, json={"active": False}
    )
    assert off.status_code == 200 and off.json()["active"] is False
    software = (await registry.get("/api/v1/programs?field_code=0613", headers=MINISTRY)).json()[
        "items"
    ]
    assert [p["id"] for p in software] == [program["id"]]
