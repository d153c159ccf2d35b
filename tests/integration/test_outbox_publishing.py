"""The outbox publishes exactly what committed, in commit order per key."""

import json
from collections import defaultdict

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import (
    EntryAdded,
    commit_entries,
    entry_event,
    kafka_settings,
    start_publisher,
    stop,
    world,
)
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def test_rolled_back_work_publishes_nothing_and_committed_work_publishes_its_events_in_key_order(
    make_database_url, broker
):
    async with world(make_database_url, broker, consumer=False) as w:
        committed = await w.commit_entries(
            [EntryAdded(account="a", seq=1), EntryAdded(account="b", seq=1)]
        )
        async with w.publisher.uow_factory() as uow:  # left without commit: rolled back
            uow.add_event(entry_event(EntryAdded(account="a", seq=99)))
        async with w.publisher.uow_factory() as uow:  # explicitly rolled back
            uow.add_event(entry_event(EntryAdded(account="b", seq=99)))
            await uow.rollback()
        for seq in range(2, 30):
            committed += await w.commit_entries([EntryAdded(account="a", seq=seq)])
            committed += await w.commit_entries([EntryAdded(account="b", seq=seq)])
        await eventually(w.outbox_backlog, until=lambda n: n == 0, what="outbox drained")
        records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)

    published = [json.loads(r.value) for r in records]
    assert sorted(e["id"] for e in published) == sorted(e.id for e in committed)
    seqs_by_key: dict[str, list[int]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        seqs_by_key[record.key.decode()].append(json.loads(record.value)["data"]["seq"])
    assert seqs_by_key == {"a": list(range(1, 30)), "b": list(range(1, 30))}
    assert all(dict(r.headers)["content-type"] == b"application/cloudevents+json" for r in records)


async def test_events_committed_while_no_relay_runs_are_published_once_one_starts(
    make_database_url, broker
):
    url = await make_database_url("registry")
    without_relay = await start_publisher(url, broker.bootstrap_servers, relay=False)
    try:
        events = await commit_entries(
            without_relay, [EntryAdded(account="a", seq=s) for s in range(1, 6)]
        )
    finally:
        await stop(without_relay)
    assert await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC) == []

    with_relay = await start_publisher(url, broker.bootstrap_servers)
    try:
        records = await eventually(
            lambda: read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC),
            until=lambda rs: len(rs) >= 5,
            what="five events on the topic",
        )
    finally:
        await stop(with_relay)
    assert [json.loads(r.value)["id"] for r in records] == [e.id for e in events]
