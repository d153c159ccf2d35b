"""Employments: an employer records and ends them for itself; who may read which."""

import json

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    drained,
    headers,
    institution_with_program,
)
from tests.integration.topic_reader import read_topic


async def world(registry, *, region_code="UZ-SA", tax_ids=("201234567", "302345678")):
    """An institution with a graduate, and an employer (in the same region)."""
    institution, program = await institution_with_program(
        registry, tax_id=tax_ids[0], region_code=region_code
    )
    graduate = await create_graduate(registry, program)
    employer = await create_organization(
        registry, kind="employer", subtype="J", tax_id=tax_ids[1], region_code=region_code
    )
    return institution, program, graduate, employer


def as_employer(employer: dict) -> dict[str, str]:
    return headers("employer", org=employer["id"])


def employment_body(graduate: dict, employer: dict, **fields) -> dict:
    return {
        "graduate_id": graduate["id"],
        "employer_id": employer["id"],
        "start_date": "2024-09-01",
        "position": "Software developer",
        "isco_code": "2512",
        "in_field": True,
        **fields,
    }


async def record(registry, graduate, employer, *, auth=None, **fields) -> dict:
    response = await registry.post(
        "/api/v1/employments",
        headers=auth or as_employer(employer),
        json=employment_body(graduate, employer, **fields),
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_employer_records_an_employment_of_a_graduate_and_reads_it_back(registry):
    _, _, graduate, employer = await world(registry)
    created = await record(registry, graduate, employer)
    assert (
        created["start_date"],
        created["end_date"],
        created["isco_code"],
        created["in_field"],
    ) == ("2024-09-01", None, "2512", True)
    got = await registry.get(f"/api/v1/employments/{created['id']}", headers=as_employer(employer))
    assert got.status_code == 200 and got.json() == created


async def test_the_ministry_records_an_employment_for_any_employer_of_any_kind(registry):
    _, _, graduate, _ = await world(registry)
    research = await create_organization(
        registry, kind="research", subtype="research_institute", tax_id="303456789"
    )
    created = await record(
        registry, graduate, research, auth=MINISTRY, end_date="2025-06-30", in_field=False
    )
    assert created["employer_id"] == research["id"] and created["end_date"] == "2025-06-30"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"isco_code": "9999"}, "isco_code"),
        ({"isco_code": "25"}, "isco_code"),
        ({"start_date": "2024-13-01"}, "start_date"),
        ({"start_date": None}, "start_date"),
        ({"end_date": "2024-08-31"}, "end_date"),
        ({"end_date": "someday"}, "end_date"),
        ({"position": " "}, "position"),
        ({"position": "p" * 201}, "position"),
        ({"in_field": "perhaps"}, "in_field"),
        ({"graduate_id": "no-such-graduate"}, "graduate_id"),
        ({"unexpected": True}, "unexpected"),
    ],
)
async def test_an_invalid_employment_is_refused_with_a_problem_naming_the_field(
    registry, change, field
):
    _, _, graduate, employer = await world(registry)
    response = await registry.post(
        "/api/v1/employments",
        headers=as_employer(employer),
        json=employment_body(graduate, employer, **change),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["loc"][-1] for e in response.json()["errors"]]
    listed = await registry.get("/api/v1/employments", headers=MINISTRY)
    assert listed.json()["items"] == []


async def test_in_field_is_required(registry):
    _, _, graduate, employer = await world(registry)
    body = employment_body(graduate, employer)
    del body["in_field"]
    response = await registry.post("/api/v1/employments", headers=as_employer(employer), json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "in_field"]


async def test_an_unknown_or_inactive_employer_or_an_inactive_graduate_is_refused(registry):
    _, _, graduate, employer = await world(registry)
    unknown = await registry.post(
        "/api/v1/employments",
        headers=MINISTRY,
        json={**employment_body(graduate, employer), "employer_id": "no-such-employer"},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "employer_id"]

    await registry.patch(
        f"/api/v1/organizations/{employer['id']}", headers=MINISTRY, json={"active": False}
    )
    closed = await registry.post(
        "/api/v1/employments",
        headers=as_employer(employer),
        json=employment_body(graduate, employer),
    )
    assert closed.status_code == 422
    assert closed.json()["errors"][0]["loc"] == ["body", "employer_id"]

    other = await create_organization(registry, kind="employer", subtype="C", tax_id="304567891")
    await registry.patch(
        f"/api/v1/graduates/{graduate['id']}", headers=MINISTRY, json={"active": False}
    )
    gone = await registry.post(
        "/api/v1/employments", headers=as_employer(other), json=employment_body(graduate, other)
    )
    assert gone.status_code == 422
    assert gone.json()["errors"][0]["loc"] == ["body", "graduate_id"]


async def test_an_overlapping_employment_with_the_same_employer_is_a_conflict(registry):
    _, _, graduate, employer = await world(registry)
    other = await create_organization(registry, kind="employer", subtype="C", tax_id="304567891")
    await record(registry, graduate, employer, start_date="2024-01-01", end_date="2024-06-30")
    for start, end in (
        ("2024-06-30", None),
        ("2024-01-01", "2024-01-01"),
        ("2024-01-01", None),
        ("2024-03-01", "2024-04-01"),
    ):
        clash = await registry.post(
            "/api/v1/employments",
            headers=as_employer(employer),
            json=employment_body(graduate, employer, start_date=start, end_date=end),
        )
        assert clash.status_code == 409, (start, end)
        assert clash.json()["errors"][0]["loc"] == ["body", "start_date"]
    # Afterwards with the same employer, or at the same time with another one, is fine.
    later = await record(registry, graduate, employer, start_date="2024-07-01")
    assert later["end_date"] is None
    assert await record(registry, graduate, other, start_date="2024-02-01")
    clash = await registry.post(
        "/api/v1/employments",
        headers=as_employer(employer),
        json=employment_body(graduate, employer, start_date="2030-01-01"),
    )
    assert clash.status_code == 409  # the open-ended one runs on


async def test_an_employer_records_only_for_itself(registry):
    institution, _, graduate, employer = await world(registry)
    other = await create_organization(registry, kind="employer", subtype="C", tax_id="304567891")
    body = employment_body(graduate, employer)
    for caller in (
        as_employer(other),
        as_institution(institution),
        headers("regional_authority", region="UZ-SA"),
        headers("operator"),
    ):
        refused = await registry.post("/api/v1/employments", headers=caller, json=body)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    assert (await registry.get("/api/v1/employments", headers=MINISTRY)).json()["items"] == []


async def test_an_employment_ends_once_and_not_before_it_started(registry):
    _, _, graduate, employer = await world(registry)
    other = await create_organization(registry, kind="employer", subtype="C", tax_id="304567891")
    job = await record(registry, graduate, employer)
    url = f"/api/v1/employments/{job['id']}/end"
    early = await registry.post(url, headers=as_employer(employer), json={"end_date": "2024-08-31"})
    assert early.status_code == 422 and early.json()["errors"][0]["loc"] == ["body", "end_date"]
    missing = await registry.post(url, headers=as_employer(employer), json={})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["loc"] == ["body", "end_date"]
    assert (
        await registry.post(url, headers=as_employer(other), json={"end_date": "2025-01-31"})
    ).status_code == 403
    ended = await registry.post(url, headers=as_employer(employer), json={"end_date": "2025-01-31"})
    assert ended.status_code == 200 and ended.json()["end_date"] == "2025-01-31"
    again = await registry.post(url, headers=as_employer(employer), json={"end_date": "2025-02-28"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "end_date"]
    assert (
        await registry.post(
            "/api/v1/employments/nope/end", headers=MINISTRY, json={"end_date": "2025-01-31"}
        )
    ).status_code == 404
    # Once ended, a new period with the same employer may start.
    assert await record(registry, graduate, employer, start_date="2025-02-01")


async def test_each_caller_reads_only_the_employments_in_its_reach(registry):
    institution, program, graduate, employer = await world(registry)
    bukhara, _, bukhara_graduate, bukhara_employer = await world(
        registry, region_code="UZ-BU", tax_ids=("305678912", "306789123")
    )
    local = await record(registry, graduate, employer)
    away = await record(registry, bukhara_graduate, bukhara_employer)
    # The Samarkand employer also employs the Bukhara graduate.
    cross = await record(registry, bukhara_graduate, employer)

    async def ids(auth, query="") -> set[str]:
        response = await registry.get(f"/api/v1/employments{query}", headers=auth)
        assert response.status_code == 200, response.text
        return {e["id"] for e in response.json()["items"]}

    assert await ids(MINISTRY) == {local["id"], away["id"], cross["id"]}
    assert await ids(as_employer(employer)) == {local["id"], cross["id"]}
    assert await ids(as_institution(institution)) == {local["id"]}
    assert await ids(as_institution(bukhara)) == {away["id"], cross["id"]}
    assert await ids(headers("regional_authority", region="UZ-BU")) == {away["id"], cross["id"]}
    assert await ids(MINISTRY, f"?graduate_id={bukhara_graduate['id']}") == {
        away["id"],
        cross["id"],
    }
    assert await ids(MINISTRY, f"?employer_id={employer['id']}") == {local["id"], cross["id"]}
    assert await ids(as_employer(employer), f"?employer_id={bukhara_employer['id']}") == set()

    for auth, visible, hidden in (
        (as_employer(employer), local, away),
        (as_institution(institution), local, cross),
        (headers("regional_authority", region="UZ-SA"), local, away),
    ):
        assert (
            await registry.get(f"/api/v1/employments/{visible['id']}", headers=auth)
        ).status_code == 200
        refused = await registry.get(f"/api/v1/employments/{hidden['id']}", headers=auth)
        assert refused.status_code == 404  # as if there were none
    operator = headers("operator")
    assert (await registry.get("/api/v1/employments", headers=operator)).status_code == 403
    assert (
        await registry.get(f"/api/v1/employments/{local['id']}", headers=operator)
    ).status_code == 403
    assert (await registry.get("/api/v1/employments/nope", headers=MINISTRY)).status_code == 404


async def test_the_same_idempotency_key_records_an_employment_once(registry):
    _, _, graduate, employer = await world(registry)
    key = as_employer(employer) | {"Idempotency-Key": "hire-1"}
    body = employment_body(graduate, employer)
    first = await registry.post("/api/v1/employments", headers=key, json=body)
    again = await registry.post("/api/v1/employments", headers=key, json=body)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = await registry.get("/api/v1/employments", headers=MINISTRY)
    assert len(listed.json()["items"]) == 1


async def test_an_employer_of_another_organization_replaying_a_key_gets_its_own_answer(registry):
    # Found: keys were remembered per ``sub``; two employers' tokens with one subject (the dev
    # token command gave every employer "dev-employer") shared them, so B's replay of A's key
    # returned A's 201 where B without the key gets 403.
    _, _, graduate, employer = await world(registry)
    other = await create_organization(registry, kind="employer", subtype="J", tax_id="303456789")
    body = employment_body(graduate, employer)
    key = {"Idempotency-Key": "hire-1"}
    first = await registry.post(
        "/api/v1/employments",
        headers=headers("employer", org=employer["id"], sub="hr") | key,
        json=body,
    )
    assert first.status_code == 201, first.text
    as_other = headers("employer", org=other["id"], sub="hr")
    without_key = await registry.post("/api/v1/employments", headers=as_other, json=body)
    replayed = await registry.post("/api/v1/employments", headers=as_other | key, json=body)
    assert without_key.status_code == replayed.status_code == 403, replayed.text
    assert "idempotent-replayed" not in replayed.headers


async def test_employment_events_are_cloudevents_keyed_by_the_graduates_institution(
    registry, broker
):
    institution, program, graduate, employer = await world(registry)
    job = await record(registry, graduate, employer)
    await registry.post(
        f"/api/v1/employments/{job['id']}/end",
        headers=as_employer(employer),
        json={"end_date": "2025-01-31"},
    )
    refused = await registry.post(
        f"/api/v1/employments/{job['id']}/end",
        headers=as_employer(employer),
        json={"end_date": "2025-02-01"},
    )
    assert refused.status_code == 409
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    mine = [r for r in records if b"employment" in r.value]
    assert [json.loads(r.value)["type"] for r in mine] == [
        "educluster.registry.employment.recorded.v1",
        "educluster.registry.employment.ended.v1",
    ]
    assert {r.key.decode() for r in mine} == {institution["id"]}
    event = from_kafka(
        KafkaMessage(headers=dict(mine[0].headers), key=mine[0].key, value=mine[0].value),
        JSONFormat(),
    )
    assert event.get_specversion() == "1.0"
    assert event.get_type() == "educluster.registry.employment.recorded.v1"
    assert event.get_source() == "/educluster/registry"
    assert event.get_subject() == f"employments/{job['id']}"
    assert event.get_data() == {
        "employment_id": job["id"],
        "graduate_id": graduate["id"],
        "institution_id": institution["id"],
        "program_id": program["id"],
        "employer_id": employer["id"],
        "start_date": "2024-09-01",
        "end_date": None,
        "isco_code": "2512",
        "in_field": True,
        "state": "claimed",
        "source": "employer",
        "kind": "employee",
    }
    ended = json.loads(mine[1].value)
    assert ended["subject"] == f"employments/{job['id']}"
    assert ended["data"]["end_date"] == "2025-01-31"


async def test_an_employment_starting_before_the_graduation_year_is_refused(registry):
    # Found: an employer recorded an employment "from 2000-01-01" (201) and so became the
    # employer of a graduate it never employed.
    _, _, graduate, employer = await world(registry)
    for start in ("2000-01-01", "2023-12-31"):
        refused = await registry.post(
            "/api/v1/employments",
            headers=as_employer(employer),
            json=employment_body(graduate, employer, start_date=start),
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["loc"] == ["body", "start_date"]
        assert "graduat" in refused.json()["detail"]
    assert await record(registry, graduate, employer, start_date="2024-01-01")
