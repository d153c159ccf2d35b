"""The default competency framework is published once, with its event."""

import json

from shared.messaging import outbox
from shared.settings import ASSESSMENT_TOPIC
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
