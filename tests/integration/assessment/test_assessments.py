"""Employers assess the graduates they employ: submit, revise, withdraw, with their events."""

import asyncio
import json

from shared.platform.messaging import outbox
from shared.platform.names import ASSESSMENT_TOPIC
from tests.integration.assessment.world import PERIOD, RATINGS, build_world
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import MINISTRY, as_institution, headers
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def assessment_events(assessment, broker, *, prefix="assessment") -> list[tuple[str, dict]]:
    """(key, CloudEvent) of every ``<prefix>`` event published so far, in topic order."""
    engine = assessment.app.state.runtime.engine

    async def backlog() -> int:
        async with engine.connect() as conn:
            return await outbox.backlog(conn)

    await eventually(backlog, until=lambda n: n == 0, what="assessment outbox drained")
    records = await read_topic(kafka_settings(broker.bootstrap_servers), ASSESSMENT_TOPIC)
    events = [(r.key.decode(), json.loads(r.value)) for r in records]
    wanted = f"educluster.assessment.{prefix}."
    return [(k, e) for k, e in events if e["type"].startswith(wanted)]


async def test_submit_revise_and_withdraw_each_emit_exactly_their_event(platform, broker):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    graduate = world.graduates[0]

    submitted = await assessment.post(
        "/api/v1/assessments", headers=world.as_employer, json=world.assessment_body(graduate)
    )
    assert submitted.status_code == 201, submitted.text
    first = submitted.json()
    assert first["status"] == "active" and first["revision"] == 1
    assert first["program_id"] == world.program["id"]

    path = f"/api/v1/assessments/{first['id']}"
    revised_body = {
        "ratings": {**RATINGS, "digital.information_data_literacy": 2},
        "overall_satisfaction": 5,
        "preparedness": 4,
        "would_hire_again": True,
        "comment": None,
    }
    revised = await assessment.put(path, headers=world.as_employer, json=revised_body)
    assert revised.status_code == 200, revised.text
    assert revised.json()["revision"] == 2 and revised.json()["overall_satisfaction"] == 5
    unchanged = await assessment.put(path, headers=world.as_employer, json=revised_body)
    assert unchanged.json()["revision"] == 2  # nothing changed: no revision, no event

    withdrawn = await assessment.delete(path, headers=world.as_employer)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await assessment.delete(path, headers=world.as_employer)
    assert again.status_code == 200 and again.json()["revision"] == 3
    late = await assessment.put(path, headers=world.as_employer, json=revised_body)
    assert late.status_code == 409, late.text

    history = await assessment.get(f"{path}/history", headers=world.as_employer)
    assert [(h["revision"], h["action"]) for h in history.json()] == [
        (1, "submitted"),
        (2, "revised"),
        (3, "withdrawn"),
    ]
    assert history.json()[0]["state"]["overall_satisfaction"] == 4

    events = await assessment_events(assessment, broker)
    assert [e["type"].split(".")[3] for _, e in events] == ["submitted", "revised", "withdrawn"]
    assert {key for key, _ in events} == {world.institution["id"]}
    data = [e["data"] for _, e in events]
    assert [d["revision"] for d in data] == [1, 2, 3]
    assert data[0] == {
        "assessment_id": first["id"],
        "revision": 1,
        "employer_id": world.employer["id"],
        "graduate_id": graduate["id"],
        "program_id": world.program["id"],
        "institution_id": world.institution["id"],
        "field_code": "0613",
        "level": "6",
        "graduation_year": 2024,
        "period": PERIOD,
        "framework_id": world.framework["id"],
        "framework_version": 1,
        "ratings": RATINGS,
        "overall_satisfaction": 4,
        "preparedness": 3,
        "would_hire_again": True,
    }  # everything scoring needs, and no free-text comment
    assert data[1]["ratings"]["digital.information_data_literacy"] == 2
    assert data[2]["overall_satisfaction"] == 5  # the state that stops counting

    resubmitted = await assessment.post(
        "/api/v1/assessments", headers=world.as_employer, json=world.assessment_body(graduate)
    )
    assert resubmitted.status_code == 201, resubmitted.text


async def test_two_simultaneous_submissions_for_one_graduate_and_period_one_wins(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    body = world.assessment_body(world.graduates[0])
    responses = await asyncio.gather(
        *(
            assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
            for _ in range(2)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.headers["content-type"] == "application/problem+json"
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert len(listed.json()["items"]) == 1

    again = await assessment.post("/api/v1/assessments", headers=world.as_employer, json=body)
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "graduate_id"]
    assert listed.json()["items"][0]["id"] in again.json()["detail"]


async def test_a_retry_with_the_same_idempotency_key_returns_the_first_assessment(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    body = world.assessment_body(world.graduates[0])
    keyed = {**world.as_employer, "Idempotency-Key": "assess-1"}
    first = await assessment.post("/api/v1/assessments", headers=keyed, json=body)
    retry = await assessment.post("/api/v1/assessments", headers=keyed, json=body)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    other = await assessment.post(
        "/api/v1/assessments", headers=keyed, json={**body, "overall_satisfaction": 1}
    )
    assert other.status_code == 422
    listed = await assessment.get("/api/v1/assessments", headers=world.as_employer)
    assert len(listed.json()["items"]) == 1


async def test_only_the_employer_itself_sees_or_changes_its_assessments(platform):
    registry, assessment = platform
    world = await build_world(registry, assessment)
    created = await assessment.post(
        "/api/v1/assessments",
        headers=world.as_employer,
        json=world.assessment_body(world.graduates[0]),
    )
    path = f"/api/v1/assessments/{created.json()['id']}"
    other_employer = headers("employer", org="another-employer")
    for who in (MINISTRY, as_institution(world.institution)):
        assert (await assessment.get(path, headers=who)).status_code == 403
        assert (await assessment.delete(path, headers=who)).status_code == 403
        assert (await assessment.get(f"{path}/history", headers=who)).status_code == 403
    # Another employer is told what it would be told of an id that does not exist.
    missing = "/api/v1/assessments/no-such-id"
    for suffix in ("", "/history"):
        refused = await assessment.get(f"{path}{suffix}", headers=other_employer)
        absent = await assessment.get(f"{missing}{suffix}", headers=other_employer)
        assert refused.status_code == absent.status_code == 404
        assert refused.json() == json.loads(
            json.dumps(absent.json()).replace("no-such-id", created.json()["id"])
        )
    assert (await assessment.delete(path, headers=other_employer)).status_code == 404
    assert (await assessment.get("/api/v1/assessments", headers=MINISTRY)).status_code == 403
    others = await assessment.get("/api/v1/assessments", headers=other_employer)
    assert others.json()["items"] == []
    assert (await assessment.get(path, headers=world.as_employer)).status_code == 200
    missing = await assessment.get("/api/v1/assessments/nope", headers=world.as_employer)
    assert missing.status_code == 404
