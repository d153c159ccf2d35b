"""The audit trail holds every write of a scripted sequence of API calls, and nothing else:
who (subject, role, organization), what, when, the request id, before and after, and never a
person's name or student reference."""

import json

from tests.integration.assessment.world import build_world
from tests.integration.registry.conftest import MINISTRY, as_institution, headers
from tests.support import eventually

REGISTRY = "educluster.registry."
ASSESSMENT = "educluster.assessment."
OPERATOR = headers("operator")


async def trail(client, service: str, *, auth=MINISTRY, **params) -> list[dict]:
    """Every entry of ``service``'s trail, page by page (two at a time: paging is exercised)."""
    entries: list[dict] = []
    cursor = None
    while True:
        query = {"limit": 2, **params, **({"cursor": cursor} if cursor else {})}
        page = await client.get(f"/api/v1/audit/{service}", headers=auth, params=query)
        assert page.status_code == 200, page.text
        entries += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return entries


def by_people(entries: list[dict]) -> list[tuple[str, str, str | None]]:
    """(action without its prefix, role, organization) of what people did (not the system)."""
    return [
        (e["action"].split(".", 2)[2], e["actor_role"], e["actor_org"])
        for e in entries
        if e["actor_role"] != "system"
    ]


async def test_every_write_of_a_scripted_sequence_and_nothing_else(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment, employed=1)  # writes, then waits
    graduate, employer = world.graduates[0], world.employer
    institution = world.institution

    # Refused or read-only calls write nothing.
    bad = await registry.post(
        "/api/v1/graduates",
        headers=MINISTRY,
        json={
            "program_id": world.program["id"],
            "graduation_year": 1800,
            "student_ref": "S-x",
            "full_name": "Nobody",
        },
    )
    assert bad.status_code == 422
    assert (await registry.get("/api/v1/graduates", headers=MINISTRY)).status_code == 200

    renamed = await registry.patch(
        f"/api/v1/graduates/{graduate['id']}",
        headers=as_institution(institution),
        json={"full_name": "Renamed Person"},
    )
    assert renamed.status_code == 200, renamed.text
    (employment,) = (
        await registry.get(f"/api/v1/employments?graduate_id={graduate['id']}", headers=MINISTRY)
    ).json()["items"]
    code = await registry.post(
        f"/api/v1/employments/{employment['id']}/dispute",
        headers=as_institution(institution),
        json={"reason": "checking"},
    )
    assert code.status_code == 200
    issued = await registry.post(
        f"/api/v1/employments/{employment['id']}/confirmation-code",
        headers=as_institution(institution),
    )
    assert issued.status_code == 201
    used = await registry.post(
        "/api/v1/employments/confirmations", json={"code": issued.json()["code"]}
    )
    assert used.status_code == 200

    submitted = await eventually(  # once the confirmation has reached the projection
        lambda: assessment.post(
            "/api/v1/assessments", headers=world.as_employer, json=world.assessment_body(graduate)
        ),
        until=lambda r: r.status_code == 201,
        what="the assessment accepted",
    )
    withdrawn = await assessment.delete(
        f"/api/v1/assessments/{submitted.json()['id']}", headers=world.as_employer
    )
    assert withdrawn.status_code == 200, withdrawn.text

    entries = await trail(registry, "registry")
    org = institution["id"]
    assert by_people(entries) == [
        ("organization.registered.v1", "ministry", None),  # the institution
        ("program.registered.v1", "ministry", None),
        ("organization.registered.v1", "ministry", None),  # the employer
        ("graduate.registered.v1", "ministry", None),
        ("employment.recorded.v1", "employer", employer["id"]),
        ("employment.state_changed.v1", "institution", org),  # confirmed
        ("graduate.updated.v1", "institution", org),
        ("employment.state_changed.v1", "institution", org),  # disputed
        ("employment.confirmation_code.issued", "institution", org),
        ("employment.state_changed.v1", "anonymous", None),  # the graduate's code
    ]
    assert {e["action"] for e in entries if e["actor_role"] == "system"} == {
        f"{REGISTRY}region.upserted.v1"
    }
    updated = next(e for e in entries if e["action"].endswith("graduate.updated.v1"))
    registered = next(e for e in entries if e["action"].endswith("graduate.registered.v1"))
    assert updated["subject"] == registered["subject"] == f"graduates/{graduate['id']}"
    assert updated["before"] == registered["after"]
    assert all(e["request_id"] for e in entries if e["actor_role"] != "system")

    # Personal data appears as references only: no name or student reference anywhere.
    text = json.dumps(entries)
    assert "Renamed Person" not in text and graduate["full_name"] not in text
    assert graduate["student_ref"] not in text and issued.json()["code"] not in text

    work = await trail(assessment, "assessment", auth=OPERATOR)
    assert by_people(work) == [
        ("assessment.submitted.v1", "employer", employer["id"]),
        ("assessment.withdrawn.v1", "employer", employer["id"]),
    ]
    mine = await trail(registry, "registry", subject=f"employments/{employment['id']}")
    assert len(mine) == 5  # recorded, confirmed, disputed, code issued, confirmed by code


async def test_only_the_ministry_and_operators_read_the_trail(platform):
    registry, assessment = platform
    for who in (headers("institution", org="x"), headers("employer", org="y")):
        assert (await registry.get("/api/v1/audit/registry", headers=who)).status_code == 403
        assert (await assessment.get("/api/v1/audit/assessment", headers=who)).status_code == 403
    refused = await registry.get("/api/v1/audit/registry?cursor=bm90LWEtbnVtYmVy", headers=MINISTRY)
    assert refused.status_code == 400
