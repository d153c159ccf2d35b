"""Organizations: registration, validation errors naming the field, access, pagination."""

import asyncio

import pytest

from tests.integration.registry.conftest import MINISTRY, create_organization, headers

VALID = {
    "kind": "education",
    "subtype": "university",
    "name": "Samarkand State University",
    "region_code": "UZ-SA",
    "tax_id": "201234567",
}


async def test_the_ministry_registers_an_organization_and_reads_it_back(registry):
    created = await create_organization(registry)
    got = await registry.get(f"/api/v1/organizations/{created['id']}", headers=MINISTRY)
    assert got.status_code == 200
    assert got.json() == created
    assert created["active"] is True


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"kind": "school"}, "kind", 422),
        ({"subtype": "bakery"}, "subtype", 422),
        ({"kind": "employer", "subtype": "Z"}, "subtype", 422),
        ({"region_code": "UZ-ZZ"}, "region_code", 422),
        ({"region_code": "samarkand"}, "region_code", 422),
        ({"tax_id": "12345"}, "tax_id", 422),
        ({"tax_id": "111111111"}, "tax_id", 422),
        ({"name": ""}, "name", 422),
        ({"contact_email": "not-an-email"}, "contact_email", 422),
        ({"unexpected": 1}, "unexpected", 422),
    ],
)
async def test_an_invalid_organization_is_refused_with_a_problem_naming_the_field(
    registry, change, field, status
):
    response = await registry.post(
        "/api/v1/organizations", headers=MINISTRY, json={**VALID, **change}
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["loc"][-1] for e in response.json()["errors"]]


async def test_a_second_organization_with_the_same_tax_id_is_a_conflict(registry):
    await create_organization(registry)
    response = await registry.post("/api/v1/organizations", headers=MINISTRY, json=VALID)
    assert response.status_code == 409
    assert response.json()["errors"][0]["loc"] == ["body", "tax_id"]


async def test_a_regional_authority_registers_only_in_its_own_region(registry):
    own = headers("regional_authority", region="UZ-SA")
    assert (
        await registry.post("/api/v1/organizations", headers=own, json=VALID)
    ).status_code == 201
    other = {**VALID, "region_code": "UZ-BU", "tax_id": "301234567"}
    refused = await registry.post("/api/v1/organizations", headers=own, json=other)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


async def test_requests_without_a_valid_token_are_refused_with_401(registry):
    assert (await registry.get("/api/v1/organizations")).status_code == 401
    tampered = {"Authorization": MINISTRY["Authorization"][:-2] + "xx"}
    assert (await registry.get("/api/v1/organizations", headers=tampered)).status_code == 401


async def test_an_organization_edits_its_own_contact_but_not_its_active_flag(registry):
    created = await create_organization(registry)
    own = headers("institution", org=created["id"])
    edited = await registry.patch(
        f"/api/v1/organizations/{created['id']}",
        headers=own,
        json={"contact_email": "rector@samdu.uz"},
    )
    assert edited.status_code == 200 and edited.json()["contact_email"] == "rector@samdu.uz"
    assert (
        await registry.patch(
            f"/api/v1/organizations/{created['id']}", headers=own, json={"active": False}
        )
    ).status_code == 403
    nulled = await registry.patch(
        f"/api/v1/organizations/{created['id']}", headers=own, json={"name": None}
    )
    assert nulled.status_code == 422 and nulled.json()["errors"][0]["loc"] == ["body", "name"]


async def test_deactivating_keeps_the_organization_readable(registry):
    created = await create_organization(registry)
    off = await registry.patch(
        f"/api/v1/organizations/{created['id']}", headers=MINISTRY, json={"active": False}
    )
    assert off.status_code == 200 and off.json()["active"] is False
    listed = await registry.get("/api/v1/organizations?active=false", headers=MINISTRY)
    assert [o["id"] for o in listed.json()["items"]] == [created["id"]]


async def test_the_same_idempotency_key_returns_the_first_result_and_creates_nothing_new(registry):
    key = {"Idempotency-Key": "create-samdu-1"}
    first = await registry.post("/api/v1/organizations", headers=MINISTRY | key, json=VALID)
    again = await registry.post("/api/v1/organizations", headers=MINISTRY | key, json=VALID)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = await registry.post(
        "/api/v1/organizations", headers=MINISTRY | key, json={**VALID, "tax_id": "301234567"}
    )
    assert other.status_code == 422
    listed = await registry.get("/api/v1/organizations", headers=MINISTRY)
    assert len(listed.json()["items"]) == 1


async def test_pagination_neither_repeats_nor_skips_while_organizations_are_added(registry):
    for n in range(25):
        await create_organization(registry, tax_id=f"2{n:08d}"[:9].replace("0", "1", 1))
    seen: list[str] = []
    cursor = None
    added = 0
    while True:
        url = "/api/v1/organizations?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = (await registry.get(url, headers=MINISTRY)).json()
        seen += [o["id"] for o in page["items"]]
        # Another client keeps registering while we page.
        await asyncio.gather(
            *(create_organization(registry, tax_id=f"3{added + i:08d}") for i in range(2))
        )
        added += 2
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert len(seen) >= 25
    bad = await registry.get("/api/v1/organizations?cursor=%%%", headers=MINISTRY)
    assert bad.status_code == 400
    too_big = await registry.get("/api/v1/organizations?limit=100000", headers=MINISTRY)
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["loc"] == ["query", "limit"]
