"""A rejected employment takes its employer's assessments of the graduate out of the figures,
exactly once: through the real registry, assessment and quality services and broker."""

import json

from shared.platform.messaging import outbox
from shared.platform.names import ASSESSMENT_TOPIC
from tests.integration.assessment.test_registry_projection import consumed
from tests.integration.ledger import kafka_settings
from tests.integration.quality.test_scores import assessed_program, scorecard
from tests.integration.registry.conftest import MINISTRY, as_institution, drained
from tests.integration.topic_reader import read_topic
from tests.support import eventually


def satisfaction_n(card: dict) -> int:
    return card["indicators"]["employer_satisfaction"]["n"]


async def withdrawals(broker, graduate_id: str) -> list[dict]:
    """The assessment.withdrawn events on the topic about ``graduate_id``."""
    records = await read_topic(kafka_settings(broker.bootstrap_servers), ASSESSMENT_TOPIC)
    events = [json.loads(r.value) for r in records]
    return [
        e
        for e in events
        if e["type"].endswith("assessment.withdrawn.v1") and e["data"]["graduate_id"] == graduate_id
    ]


async def test_a_rejected_employment_removes_its_assessment_from_the_figures_once(services, broker):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    program_id = world.program["id"]
    await scorecard(quality, "program", program_id, until=lambda c: satisfaction_n(c) == 12)

    graduate = world.graduates[0]
    (employment,) = (
        await registry.get(f"/api/v1/employments?graduate_id={graduate['id']}", headers=MINISTRY)
    ).json()["items"]
    rejected = await registry.post(
        f"/api/v1/employments/{employment['id']}/reject",
        headers=as_institution(world.institution),
        json={"reason": "the graduate never worked there"},
    )
    assert rejected.status_code == 200, rejected.text
    await scorecard(quality, "program", program_id, until=lambda c: satisfaction_n(c) == 11)

    mine = await assessment.get(
        f"/api/v1/assessments?graduate_id={graduate['id']}", headers=world.as_employer
    )
    assert [a["status"] for a in mine.json()["items"]] == ["withdrawn"]
    again = await assessment.post(
        "/api/v1/assessments", headers=world.as_employer, json=world.assessment_body(graduate)
    )
    assert again.status_code == 422
    assert "rejected" in again.json()["detail"]

    # Every registry event delivered again: the rejection withdraws nothing a second time.
    await drained(registry)
    duplicates = consumed(assessment, "duplicate")
    async with registry.app.state.runtime.engine.begin() as conn:
        assert await outbox.mark_for_republish(conn) > 0
    # 7 organizations, a program, 12 graduates, 12 employments, 12 confirmations, 1 rejection.

    async def redelivered() -> float:
        return consumed(assessment, "duplicate") - duplicates

    await eventually(
        redelivered,
        until=lambda n: n == 45,
        what="every redelivered registry event recognised as a duplicate",
    )
    await drained(assessment)
    assert len(await withdrawals(broker, graduate["id"])) == 1
    card = await scorecard(quality, "program", program_id, until=lambda c: True)
    assert satisfaction_n(card) == 11


async def test_the_ministry_excludes_an_employer_and_its_assessments_leave_the_figures(services):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    program_id = world.program["id"]
    await scorecard(quality, "program", program_id, until=lambda c: satisfaction_n(c) == 12)
    body = {"employer_id": world.employer["id"], "reason": "integrity: straight-lining"}
    refused = await quality.post("/api/v1/quality/exclusions", headers=world.as_employer, json=body)
    assert refused.status_code == 403
    excluded = await quality.post("/api/v1/quality/exclusions", headers=MINISTRY, json=body)
    assert excluded.status_code == 201, excluded.text
    assert excluded.json()["excluded_assessments"] == 2
    await scorecard(quality, "program", program_id, until=lambda c: satisfaction_n(c) == 10)
    trail = (await quality.get("/api/v1/audit/quality", headers=MINISTRY)).json()["items"]
    assert [(e["action"], e["after"]["reason"]) for e in trail] == [
        ("educluster.quality.exclusion.recorded.v1", "integrity: straight-lining")
    ]
    listed = await quality.get("/api/v1/quality/exclusions", headers=MINISTRY)
    assert [e["employer_id"] for e in listed.json()] == [world.employer["id"]]
