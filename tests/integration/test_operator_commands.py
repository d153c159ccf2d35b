"""Operators re-publish outboxes and re-drive dead letters with the `educluster` command."""

import asyncio
import json

from shared.platform.names import REGISTRY_TOPIC
from tests.integration import ledger
from tests.integration.ledger import EntryAdded, kafka_settings, world
from tests.integration.topic_reader import read_topic
from tests.support import educluster, eventually


async def test_outbox_republish_sends_retained_events_again_and_consumers_ignore_the_repeats(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        events = await w.commit_entries([EntryAdded(account="a", seq=s) for s in range(1, 4)])
        await eventually(w.applied, until=lambda rows: len(rows) == 3, what="three applied")

        code, out, err = await educluster(
            "outbox",
            "republish",
            "--service",
            "registry",
            env={
                "EDUCLUSTER_REGISTRY_DATABASE_URL": str(
                    w.publisher.engine.url.render_as_string(hide_password=False)
                )
            },
        )
        assert code == 0, err
        assert "3 events queued" in out
        records = await eventually(
            lambda: read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC),
            until=lambda rs: len(rs) == 6,
            what="each event on the topic twice",
        )
        duplicates = w.consumer.metrics.consumed.labels("educluster.quality.ledger", "duplicate")
        await eventually(
            lambda: asyncio.sleep(0, duplicates._value.get()),
            until=lambda n: n == 3,
            what="repeats skipped",
        )
        assert len(await w.applied()) == 3
    ids = [json.loads(r.value)["id"] for r in records]
    assert sorted(ids) == sorted([e.id for e in events] * 2)


async def test_dead_letters_are_listed_and_re_driven_once_the_fault_is_fixed(
    make_database_url, broker
):
    env = {"EDUCLUSTER_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers}
    ledger.blocked_accounts.add("blocked")
    try:
        async with world(make_database_url, broker) as w:
            failed = await w.commit_entries([EntryAdded(account="blocked", seq=1)])
            await w.commit_entries([EntryAdded(account="fine", seq=1)])
            await eventually(w.applied, until=lambda rows: len(rows) == 1, what="good one")

            async def pending_letters() -> list[dict]:
                code, out, err = await educluster("dlq", "list", "--service", "quality", env=env)
                assert code == 0, err
                return [json.loads(line) for line in out.splitlines()]

            letters = await eventually(
                pending_letters, until=lambda ls: len(ls) == 1, what="one dead letter listed"
            )
            assert letters[0]["pending"] is True
            assert letters[0]["original_topic"] == REGISTRY_TOPIC
            assert "PoisonedEntry" in letters[0]["error"]
            assert letters[0]["consumer_group"] == "educluster.quality.ledger"

            ledger.blocked_accounts.discard("blocked")  # the operator fixes the cause
            code, out, err = await educluster("dlq", "redrive", "--service", "quality", env=env)
            assert code == 0, err
            assert "re-drove 1 dead letters" in out
            applied = await eventually(
                w.applied, until=lambda rows: len(rows) == 2, what="re-driven event applied"
            )
            assert failed[0].id in {event_id for *_, event_id in applied}

            code, out, err = await educluster("dlq", "redrive", "--service", "quality", env=env)
            assert "re-drove 0 dead letters" in out  # nothing is re-driven twice
            assert [letter["pending"] for letter in await pending_letters()] == [False]
    finally:
        ledger.blocked_accounts.discard("blocked")
