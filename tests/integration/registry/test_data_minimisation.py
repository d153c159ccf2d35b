"""Data minimisation in the registry (issue 16): who reads an organization's contact and
taxpayer id, "not yours" answered as "does not exist", and clusters kept to their region."""

import json

from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    headers,
    institution_with_program,
)
from tests.integration.registry.test_clusters_and_programs import make_cluster
from tests.integration.registry.test_employments import as_employer, record

CONTACT = ("contact_email", "contact_phone")
WITHHELD_FROM_STRANGERS = (*CONTACT, "tax_id")


async def organization_with_contact(registry, *, kind, subtype, tax_id, region_code) -> dict:
    created = await create_organization(
        registry, kind=kind, subtype=subtype, tax_id=tax_id, region_code=region_code
    )
    changed = await registry.patch(
        f"/api/v1/organizations/{created['id']}",
        headers=MINISTRY,
        json={"contact_email": "hr@example.uz", "contact_phone": "+998 71 123 45 67"},
    )
    assert changed.status_code == 200, changed.text
    return changed.json()


async def test_contact_and_taxpayer_id_are_read_only_by_those_who_need_them(registry):
    employer = await organization_with_contact(
        registry, kind="employer", subtype="J", tax_id="302345678", region_code="UZ-SA"
    )
    coordinator = await create_organization(registry, tax_id="201234567")
    stranger = await create_organization(registry, tax_id="203456789")
    cluster = (await make_cluster(registry, coordinator)).json()
    joined = await registry.post(
        f"/api/v1/clusters/{cluster['id']}/members",
        headers=MINISTRY,
        json={"organization_id": employer["id"], "role": "employer"},
    )
    assert joined.status_code == 201, joined.text
    other_employer = await create_organization(
        registry, kind="employer", subtype="C", tax_id="304567891", region_code="UZ-BU"
    )
    # reader → the fields of the organization it may not read
    matrix = {
        "ministry": (MINISTRY, ()),
        "itself": (as_employer(employer), ()),
        "its region's authority": (headers("regional_authority", region="UZ-SA"), ()),
        "the coordinator of its cluster": (as_institution(coordinator), ("tax_id",)),
        "another region's authority": (
            headers("regional_authority", region="UZ-BU"),
            WITHHELD_FROM_STRANGERS,
        ),
        "an institution outside its clusters": (as_institution(stranger), WITHHELD_FROM_STRANGERS),
        "another employer": (as_employer(other_employer), WITHHELD_FROM_STRANGERS),
    }
    for reader, (auth, withheld) in matrix.items():
        one = await registry.get(f"/api/v1/organizations/{employer['id']}", headers=auth)
        assert one.status_code == 200, (reader, one.text)
        listed = await registry.get("/api/v1/organizations?kind=employer", headers=auth)
        (in_list,) = [o for o in listed.json()["items"] if o["id"] == employer["id"]]
        for seen in (one.json(), in_list):
            assert seen["name"] == employer["name"] and seen["region_code"] == "UZ-SA", reader
            for field in WITHHELD_FROM_STRANGERS:
                expected = None if field in withheld else employer[field]
                assert seen[field] == expected, (reader, field)
    operator = await registry.get(
        f"/api/v1/organizations/{employer['id']}", headers=headers("operator")
    )
    assert operator.status_code == 403


def as_missing(missing, key: str, missing_key: str) -> dict:
    """The problem a missing ``missing_key`` got, told of ``key``."""
    return json.loads(json.dumps(missing.json()).replace(missing_key, key))


async def test_a_graduate_or_employment_out_of_reach_is_answered_as_missing(registry):
    institution, program = await institution_with_program(registry)
    other, other_program = await institution_with_program(registry, tax_id="301234567")
    theirs = await create_graduate(registry, other_program)
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="302345678")
    stranger = await create_organization(registry, kind="employer", subtype="C", tax_id="304567891")
    job = await record(registry, theirs, employer)
    for path, key, auth in (
        ("graduates", theirs["id"], as_institution(institution)),
        ("graduates", theirs["id"], as_employer(stranger)),
        ("graduates", theirs["id"], headers("regional_authority", region="UZ-BU")),
        ("employments", job["id"], as_institution(institution)),
        ("employments", job["id"], as_employer(stranger)),
    ):
        refused = await registry.get(f"/api/v1/{path}/{key}", headers=auth)
        missing = await registry.get(f"/api/v1/{path}/no-such-id", headers=auth)
        assert refused.status_code == missing.status_code == 404, (path, auth, refused.text)
        assert refused.headers["content-type"] == missing.headers["content-type"]
        assert refused.json() == as_missing(missing, key, "no-such-id")
    # A role with no access to people data at all is still told so.
    refused = await registry.get(f"/api/v1/graduates/{theirs['id']}", headers=headers("operator"))
    assert refused.status_code == 403


async def test_members_and_coordinators_belong_to_the_clusters_region_unless_the_ministry_says(
    registry,
):
    samarkand = await create_organization(registry)
    bukhara = await create_organization(registry, tax_id="209876543", region_code="UZ-BU")
    elsewhere = await create_organization(
        registry, kind="employer", subtype="J", tax_id="302345678", region_code="UZ-BU"
    )
    refused = await make_cluster(registry, bukhara)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", "coordinator_id"]
    cluster = (await make_cluster(registry, samarkand)).json()
    members = f"/api/v1/clusters/{cluster['id']}/members"
    body = {"organization_id": elsewhere["id"], "role": "employer"}
    for auth in (MINISTRY, headers("regional_authority", region="UZ-SA")):
        joined = await registry.post(members, headers=auth, json=body)
        assert joined.status_code == 422, joined.text
        assert joined.json()["errors"][0]["loc"] == ["body", "organization_id"]
    moved = await registry.patch(
        f"/api/v1/clusters/{cluster['id']}",
        headers=MINISTRY,
        json={"coordinator_id": bukhara["id"]},
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["loc"] == ["body", "coordinator_id"]
    # Only the ministry admits an organization of another region, and says why.
    excepted = {**body, "cross_region_reason": "the region's only aircraft maintenance firm"}
    authority = await registry.post(
        members, headers=headers("regional_authority", region="UZ-SA"), json=excepted
    )
    assert authority.status_code == 403
    admitted = await registry.post(members, headers=MINISTRY, json=excepted)
    assert admitted.status_code == 201, admitted.text
    trail = (await registry.get("/api/v1/audit/registry", headers=MINISTRY)).json()["items"]
    crossings = [e for e in trail if e["action"].endswith("cluster.cross_region")]
    assert [e["after"] for e in crossings] == [
        {
            "organization_id": elsewhere["id"],
            "region_code": "UZ-BU",
            "reason": "the region's only aircraft maintenance firm",
        }
    ]
