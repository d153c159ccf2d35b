"""Every committed registry change publishes exactly one event, in order per key."""

import json

from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    create_organization,
    create_program,
    drained,
)
from tests.integration.topic_reader import read_topic


async def test_each_committed_change_publishes_one_event_and_a_refused_one_publishes_none(
    registry, broker
):
    await drained(registry)  # the 14 seeded regions
    university = await create_organization(registry)
    program = await create_program(registry, university)
    await registry.patch(
        f"/api/v1/programs/{program['id']}", headers=MINISTRY, json={"name": "Software engineering"}
    )
    refused = await registry.post(
        "/api/v1/organizations",
        headers=MINISTRY,
        json={
            "kind": "education",
            "subtype": "university",
            "name": "dup",
            "region_code": "UZ-SA",
            "tax_id": university["tax_id"],
        },
    )
    assert refused.status_code == 409
    unchanged = await registry.patch(
        f"/api/v1/programs/{program['id']}", headers=MINISTRY, json={"name": "Software engineering"}
    )
    assert unchanged.status_code == 200  # no change, so no event
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    events = [json.loads(r.value) for r in records]
    types = [e["type"] for e in events]
    assert types.count("educluster.registry.region.upserted.v1") == 14
    assert [t for t in types if "region" not in t] == [
        "educluster.registry.organization.registered.v1",
        "educluster.registry.program.registered.v1",
        "educluster.registry.program.updated.v1",
    ]
    program_events = [r for r in records if b"program" in r.value]
    assert {r.key.decode() for r in program_events} == {university["id"]}  # the institution

    for record in records:
        parsed = from_kafka(
            KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value),
            JSONFormat(),
        )
        assert parsed.get_specversion() == "1.0"
        assert parsed.get_source() == "/educluster/registry"
        assert parsed.get_id() and parsed.get_time() is not None
    updated = next(e for e in events if e["type"].endswith("program.updated.v1"))
    assert updated["subject"] == f"programs/{program['id']}"
    assert updated["data"]["name"] == "Software engineering"
    assert "full_name" not in json.dumps(events)
