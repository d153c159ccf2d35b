"""The default competency framework is published once, with its event."""

import json

from shared.platform.messaging import outbox
from shared.platform.names import ASSESSMENT_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import MINISTRY, headers
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def test_the_default_framework_has_the_five_ess_domains_and_digital_skills(platform, broker):
    _, assessment = platform
    listed = await eventually(
        lambda: assessment.get("/api/v1/frameworks", headers=MINISTRY),
        until=lambda r: r.status_code == 200 and r.json()["items"],
        what="default framework published",
    )
    framework = listed.json()["items"][0]
    assert [d["code"] for d in framework["domains"]] == [
        "foundation",
        "adaptive",
        "collaborative",
        "technical",
        "employability",
        "digital",
    ]
    assert framework["scale"]["min"] == 1 and framework["scale"]["max"] == 5
    for domain in framework["domains"]:
        for competency in domain["competencies"]:
            assert all(competency["name"][lang] for lang in ("uz", "ru", "en"))
    one = await assessment.get(
        f"/api/v1/frameworks/{framework['id']}", headers=headers("employer", org="e1")
    )
    assert one.status_code == 200 and one.json() == framework
    assert (await assessment.get("/api/v1/frameworks/nope", headers=MINISTRY)).status_code == 404
    assert (
        await assessment.get("/api/v1/frameworks", headers=headers("operator"))
    ).status_code == 403

    engine = assessment.app.state.runtime.engine

    async def backlog() -> int:
        async with engine.connect() as conn:
            return await outbox.backlog(conn)

    await eventually(backlog, until=lambda n: n == 0, what="outbox drained")
    records = await read_topic(kafka_settings(broker.bootstrap_servers), ASSESSMENT_TOPIC)
    published = [json.loads(r.value) for r in records]
    assert [e["type"] for e in published] == ["educluster.assessment.framework.published.v1"]
    assert published[0]["data"]["framework_id"] == framework["id"]
    assert records[0].key.decode() == framework["id"]


def localized(text: str) -> dict[str, str]:
    return {"uz": f"{text} (uz)", "ru": f"{text} (ru)", "en": text}


def framework_body(code="regional-it", competencies=("it.coding", "it.testing")) -> dict:
    return {
        "code": code,
        "name": localized("Regional IT framework"),
        "source": {"en": "Agreed by the Samarqand IT cluster, 2026"},
        "domains": [
            {
                "code": "it",
                "name": localized("IT skills"),
                "competencies": [
                    {"code": c, "name": localized(c), "description": localized(f"About {c}")}
                    for c in competencies
                ],
            }
        ],
    }


async def test_the_ministry_publishes_new_framework_versions_that_never_change(platform, broker):
    _, assessment = platform
    first = await assessment.post("/api/v1/frameworks", headers=MINISTRY, json=framework_body())
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1 and first.json()["scale"]["max"] == 5
    keyed = {**MINISTRY, "Idempotency-Key": "fw-2"}
    body = framework_body(competencies=("it.coding", "it.testing", "it.security"))
    second = await assessment.post("/api/v1/frameworks", headers=keyed, json=body)
    replay = await assessment.post("/api/v1/frameworks", headers=keyed, json=body)
    assert second.status_code == 201 and second.json()["version"] == 2
    assert replay.json() == second.json()
    unchanged = await assessment.get(f"/api/v1/frameworks/{first.json()['id']}", headers=MINISTRY)
    assert unchanged.json() == first.json()
    for verb in ("put", "patch", "delete"):
        response = await getattr(assessment, verb)(
            f"/api/v1/frameworks/{first.json()['id']}", headers=MINISTRY
        )
        assert response.status_code == 405

    twice = framework_body(competencies=("it.coding", "it.coding"))
    duplicate = await assessment.post("/api/v1/frameworks", headers=MINISTRY, json=twice)
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["loc"] == ["body", "domains", 0, "competencies", 1, "code"]
    no_russian = framework_body()
    del no_russian["name"]["ru"]
    missing = await assessment.post("/api/v1/frameworks", headers=MINISTRY, json=no_russian)
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == [
        "body",
        "name",
        "ru",
    ]
    employer = await assessment.post(
        "/api/v1/frameworks", headers=headers("employer", org="e1"), json=framework_body()
    )
    assert employer.status_code == 403

    engine = assessment.app.state.runtime.engine

    async def backlog() -> int:
        async with engine.connect() as conn:
            return await outbox.backlog(conn)

    await eventually(backlog, until=lambda n: n == 0, what="outbox drained")
    records = await read_topic(kafka_settings(broker.bootstrap_servers), ASSESSMENT_TOPIC)
    versions = [
        json.loads(r.value)["data"]
        for r in records
        if json.loads(r.value)["data"]["code"] == "regional-it"
    ]
    # Keyed by framework id, so versions may sit on different partitions: compare as a set.
    assert sorted((v["version"], len(v["domains"][0]["competencies"])) for v in versions) == [
        (1, 2),
        (2, 3),
    ]
