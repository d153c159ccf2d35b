"""Consumers turn at-least-once delivery into exactly-once effects."""

import asyncio

from aiokafka.errors import KafkaError
from sqlalchemy import func, select

from shared.platform.messaging import dead_letter
from shared.platform.messaging.consumer import ConsumerRunner
from shared.platform.messaging.envelope import encode, kafka_headers
from shared.platform.messaging.kafka import new_producer
from shared.platform.messaging.tables import inbox
from shared.platform.names import REGISTRY_TOPIC, dead_letter_topic
from tests.integration.ledger import (
    EntryAdded,
    entry_event,
    kafka_settings,
    start_consumer,
    stop,
    world,
)
from tests.integration.topic_reader import read_topic
from tests.support import eventually, stays


async def produce_raw(bootstrap_servers: str, *, value: bytes, key: bytes, headers=None) -> None:
    producer = new_producer(kafka_settings(bootstrap_servers))
    await producer.start()
    try:
        await producer.send_and_wait(
            REGISTRY_TOPIC, value=value, key=key, headers=headers or kafka_headers()
        )
    finally:
        await producer.stop()


def entries(account: str, seqs: range) -> list[EntryAdded]:
    return [EntryAdded(account=account, seq=s) for s in seqs]


async def test_each_committed_event_takes_effect_once_in_commit_order_per_key(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        for seq in range(1, 21):
            await w.commit_entries(
                [EntryAdded(account="a", seq=seq), EntryAdded(account="b", seq=seq)]
            )
        applied = await eventually(
            w.applied, until=lambda rows: len(rows) >= 40, what="40 entries applied"
        )
        await stays(w.applied, holds=lambda rows: len(rows) == 40, what="exactly 40 applied")
    for account in ("a", "b"):
        assert [seq for acc, seq, _ in applied if acc == account] == list(range(1, 21))


async def test_the_same_event_delivered_twice_changes_state_once(make_database_url, broker):
    async with world(make_database_url, broker) as w:
        outgoing = entry_event(EntryAdded(account="a", seq=1))
        for _ in range(2):
            await produce_raw(broker.bootstrap_servers, value=encode(outgoing.event), key=b"a")
        marker = await w.commit_entries([EntryAdded(account="a", seq=2)])
        await eventually(
            w.applied,
            until=lambda rows: any(r[2] == marker[0].id for r in rows),
            what="marker applied",
        )
        assert [seq for _, seq, _ in await w.applied()] == [1, 2]
        assert (
            w.consumer.metrics.consumed.labels(
                "educluster.quality.ledger", "duplicate"
            )._value.get()
            == 1
        )


async def test_a_poison_event_is_dead_lettered_and_the_next_good_event_is_processed(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        await produce_raw(broker.bootstrap_servers, value=b"{not json", key=b"a")
        poisoned = await w.commit_entries([EntryAdded(account="a", seq=1, poison=True)])
        good = await w.commit_entries([EntryAdded(account="a", seq=2)])
        await eventually(w.applied, until=lambda rows: len(rows) == 1, what="good event applied")
        assert (await w.applied())[0][2] == good[0].id

        letters = await eventually(
            lambda: read_topic(
                kafka_settings(broker.bootstrap_servers), dead_letter_topic("quality")
            ),
            until=lambda rs: len(rs) >= 2,
            what="two dead letters",
        )
    undecodable, failing = sorted(
        letters, key=lambda r: int(dead_letter.header_text(r.headers, dead_letter.ORIGINAL_OFFSET))
    )
    assert undecodable.value == b"{not json"
    assert "InvalidEvent" in dead_letter.header_text(undecodable.headers, dead_letter.ERROR)
    assert dead_letter.header_text(undecodable.headers, dead_letter.ATTEMPTS) == "1"
    assert poisoned[0].id.encode() in failing.value
    assert dead_letter.header_text(failing.headers, dead_letter.ORIGINAL_TOPIC) == REGISTRY_TOPIC
    assert dead_letter.header_text(failing.headers, dead_letter.ORIGINAL_PARTITION) is not None
    assert "PoisonedEntry" in dead_letter.header_text(failing.headers, dead_letter.ERROR)
    assert dead_letter.header_text(failing.headers, dead_letter.ATTEMPTS) == "3"
    assert dead_letter.header_text(failing.headers, dead_letter.CONSUMER_GROUP) == (
        "educluster.quality.ledger"
    )


class _CrashBeforeOffsetCommit(KafkaError):
    """Stands in for the process dying between the database commit and the offset commit."""


async def test_a_consumer_that_dies_after_its_database_commit_but_before_its_offset_commit_does_not_double_the_effect(
    make_database_url, broker
):
    crashes = 0
    original_commit = ConsumerRunner._commit

    async def crashing_commit(self, consumer, only=None):
        nonlocal crashes
        if self._processed and crashes == 0:
            crashes += 1
            self._processed.clear()  # a dead process remembers nothing to commit on the way out
            raise _CrashBeforeOffsetCommit("killed before committing offsets")
        await original_commit(self, consumer, only)

    ConsumerRunner._commit = crashing_commit
    try:
        async with world(make_database_url, broker) as w:
            events = await w.commit_entries(entries("a", range(1, 6)))
            applied = await eventually(
                w.applied, until=lambda rows: len(rows) >= 5, what="five applied"
            )
            assert crashes == 1
            # The restarted consumer re-reads from the last committed offset (none): the
            # events of the crashed batch come again and the inbox skips them.
            duplicates = w.consumer.metrics.consumed.labels(
                "educluster.quality.ledger", "duplicate"
            )
            await eventually(
                lambda: asyncio.sleep(0, duplicates._value.get()),
                until=lambda n: n >= 1,
                what="redelivered events skipped",
            )
            assert len(await w.applied()) == 5
            async with w.consumer.engine.connect() as conn:
                assert await conn.scalar(select(func.count()).select_from(inbox)) == 5
    finally:
        ConsumerRunner._commit = original_commit
    assert sorted(r[2] for r in applied) == sorted(e.id for e in events)


async def test_a_backlog_is_applied_in_batches_each_event_once_in_far_fewer_transactions(
    make_database_url, broker
):
    async with world(make_database_url, broker, consumer=False) as w:
        for batch in range(4):
            await w.commit_entries(entries("a", range(batch * 50 + 1, batch * 50 + 51)))
        await eventually(w.outbox_backlog, until=lambda n: n == 0, what="backlog published")
        w.consumer = await start_consumer(
            await make_database_url("quality"), broker.bootstrap_servers
        )
        try:
            applied = await eventually(
                w.applied, until=lambda rows: len(rows) >= 200, what="200 entries applied"
            )
            metrics = w.consumer.metrics
            transactions = metrics.transactions.labels("educluster.quality.ledger")._value.get()
            processed = metrics.consumed.labels(
                "educluster.quality.ledger", "processed"
            )._value.get()
        finally:
            await stop(w.consumer)
    assert [seq for _, seq, _ in applied] == list(range(1, 201))
    assert processed == 200
    assert transactions <= 200 / 10  # batches of many events, not one commit per event


async def test_two_replicas_share_the_partitions_and_apply_every_event_once_in_order(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        consumer_db = w.consumer.engine.url.render_as_string(hide_password=False)
        replica = await start_consumer(consumer_db, broker.bootstrap_servers)
        try:
            both = await eventually(
                lambda: asyncio.sleep(
                    0, [r.consumers[0].assignment for r in (w.consumer, replica)]
                ),
                until=lambda parts: all(parts) and not parts[0] & parts[1],
                what="both replicas assigned partitions",
            )
            assert len(both[0] | both[1]) == 3  # every partition, each to one replica
            accounts = [f"acct-{n}" for n in range(12)]
            for seq in range(1, 6):
                await w.commit_entries(entries_of(accounts, seq))
            applied = await eventually(
                w.applied, until=lambda rows: len(rows) >= 60, what="60 entries applied"
            )
            await stays(w.applied, holds=lambda rows: len(rows) == 60, what="exactly 60")
        finally:
            await stop(replica)
    for account in accounts:
        assert [seq for acc, seq, _ in applied if acc == account] == [1, 2, 3, 4, 5]


def entries_of(accounts: list[str], seq: int) -> list[EntryAdded]:
    return [EntryAdded(account=account, seq=seq) for account in accounts]
