"""Employers and cluster coordinators say what they need; each statement is a new version."""

from tests.integration.assessment.test_assessments import assessment_events
from tests.integration.assessment.world import default_framework
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_organization,
    headers,
    institution_with_program,
)
from tests.support import eventually


async def projected(assessment, path_ok):
    return await eventually(path_ok, until=lambda r: r.status_code != 409, what="projection")


async def test_requirements_are_versioned_published_and_seen_by_institutions(platform, broker):
    registry, assessment = platform
    institution, program = await institution_with_program(registry)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id="301234567", region_code="UZ-TK"
    )
    framework = await default_framework(assessment)
    as_employer = headers("employer", org=employer["id"])
    body = {
        "employer_id": employer["id"],
        "field_code": "0613",
        "framework_id": framework["id"],
        "importance": {"technical.professional_knowledge": 5, "collaborative.teamwork": 4},
    }

    first = await projected(
        assessment,
        lambda: assessment.post("/api/v1/requirements", headers=as_employer, json=body),
    )
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["current"] is True
    second = await assessment.post(
        "/api/v1/requirements",
        headers=as_employer,
        json={**body, "importance": {"technical.professional_knowledge": 3}},
    )
    assert second.status_code == 201 and second.json()["version"] == 2

    for who in (as_institution(institution), MINISTRY, as_employer):
        listed = await assessment.get("/api/v1/requirements", headers=who)
        assert [r["version"] for r in listed.json()["items"]] == [2], who
    history = await assessment.get(
        "/api/v1/requirements?include_superseded=true&field_code=0613", headers=MINISTRY
    )
    assert [(r["version"], r["current"]) for r in history.json()["items"]] == [
        (1, False),
        (2, True),
    ]
    stranger = headers("employer", org="another-employer")
    assert (await assessment.get("/api/v1/requirements", headers=stranger)).json()["items"] == []
    one = f"/api/v1/requirements/{second.json()['id']}"
    assert (await assessment.get(one, headers=stranger)).status_code == 403
    assert (await assessment.get(one, headers=as_institution(institution))).status_code == 200
    assert (
        await assessment.get("/api/v1/requirements", headers=headers("operator"))
    ).status_code == 403

    by_program = await assessment.post(
        "/api/v1/requirements",
        headers=as_employer,
        json={**body, "field_code": None, "program_id": program["id"]},
    )
    assert by_program.status_code == 201 and by_program.json()["version"] == 1

    events = [
        (key, e) for key, e in await assessment_events(assessment, broker, prefix="requirement")
    ]
    assert {key for key, _ in events} == {employer["id"]}
    assert [(e["data"]["version"], e["data"]["field_code"]) for _, e in events] == [
        (1, "0613"),
        (2, "0613"),
        (1, None),
    ]
    assert events[1][1]["data"]["importance"] == {"technical.professional_knowledge": 3}
    assert events[0][1]["data"]["framework_version"] == 1


async def test_a_cluster_coordinator_states_the_clusters_requirements(platform):
    registry, assessment = platform
    coordinator, _ = await institution_with_program(registry)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id="301234567", region_code="UZ-SA"
    )
    cluster = await registry.post(
        "/api/v1/clusters",
        headers=MINISTRY,
        json={
            "name": "Samarqand IT cluster",
            "region_code": "UZ-SA",
            "sectors": ["J"],
            "coordinator_id": coordinator["id"],
        },
    )
    assert cluster.status_code == 201, cluster.text
    framework = await default_framework(assessment)
    body = {
        "cluster_id": cluster.json()["id"],
        "field_code": "0613",
        "framework_id": framework["id"],
        "importance": {"digital.content_creation": 5},
    }
    published = await projected(
        assessment,
        lambda: assessment.post(
            "/api/v1/requirements", headers=as_institution(coordinator), json=body
        ),
    )
    assert published.status_code == 201, published.text
    assert published.json()["cluster_id"] == cluster.json()["id"]
    refused = await assessment.post(
        "/api/v1/requirements", headers=headers("employer", org=employer["id"]), json=body
    )
    assert refused.status_code == 403


async def test_invalid_requirements_are_refused_naming_the_field(platform):
    registry, assessment = platform
    framework = await default_framework(assessment)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id="301234567", region_code="UZ-TK"
    )
    as_employer = headers("employer", org=employer["id"])
    body = {
        "employer_id": employer["id"],
        "field_code": "0613",
        "framework_id": framework["id"],
        "importance": {"collaborative.teamwork": 4},
    }
    ok = await projected(
        assessment,
        lambda: assessment.post("/api/v1/requirements", headers=as_employer, json=body),
    )
    assert ok.status_code == 201, ok.text
    cases = {
        "two owners": ({**body, "cluster_id": "c1"}, 422, "body"),
        "no target": ({**body, "field_code": None}, 422, "body"),
        "not a detailed field": ({**body, "field_code": "0610"}, 422, "field_code"),
        "unknown competency": ({**body, "importance": {"made.up": 3}}, 422, "importance"),
        "importance above 5": (
            {**body, "importance": {"collaborative.teamwork": 6}},
            422,
            "importance",
        ),
        "no importance": ({**body, "importance": {}}, 422, "importance"),
        "unknown framework": ({**body, "framework_id": "nope"}, 422, "framework_id"),
        "unknown program": (
            {**body, "field_code": None, "program_id": "not-yet"},
            409,
            "program_id",
        ),
        "unknown cluster": (
            {**body, "employer_id": None, "cluster_id": "not-yet"},
            409,
            "cluster_id",
        ),
    }
    for case, (json, status, field) in cases.items():
        response = await assessment.post("/api/v1/requirements", headers=as_employer, json=json)
        assert response.status_code == status, (case, response.text)
        locs = [e["loc"] for e in response.json()["errors"]]
        assert any(field in loc for loc in locs) or field == "body", (case, locs)
        if status == 409:
            assert response.headers["Retry-After"]
    other = headers("employer", org="someone-else")
    assert (
        await assessment.post("/api/v1/requirements", headers=other, json=body)
    ).status_code == 403
