"""The bundled broker forgets everything when it stops; nothing committed may be lost."""

import asyncio

import pytest

from tests.integration.ledger import EntryAdded, World, start_consumer, stop, world
from tests.support import eventually

pytestmark = pytest.mark.slow


def batch(account: str, seqs: range) -> list[EntryAdded]:
    return [EntryAdded(account=account, seq=s) for s in seqs]


async def test_events_committed_while_the_broker_is_down_all_arrive_once_it_is_back(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        before = await w.commit_entries(batch("a", range(1, 6)))
        await eventually(w.applied, until=lambda rows: len(rows) == 5, what="first five")

        broker.stop()
        during = []
        for seq in range(6, 16):
            during += await w.commit_entries([EntryAdded(account="a", seq=seq)])
        await asyncio.sleep(2)  # the relay and consumer meet a dead broker and back off
        assert await w.outbox_backlog() == 10
        broker.start()

        applied = await eventually(
            w.applied, until=lambda rows: len(rows) >= 15, timeout_s=90, what="all fifteen applied"
        )
        await asyncio.sleep(1)
        applied = await w.applied()
    assert sorted(event_id for *_, event_id in applied) == sorted(e.id for e in before + during)
    assert [seq for _, seq, _ in applied] == list(range(1, 16))


async def test_after_the_broker_restarts_empty_republishing_brings_every_consumer_to_the_same_state(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        events = await w.commit_entries(batch("a", range(1, 11)) + batch("b", range(1, 11)))
        await eventually(w.applied, until=lambda rows: len(rows) == 20, what="first twenty")

        broker.restart_empty()
        events += await w.commit_entries(batch("a", range(11, 14)))
        await eventually(
            lambda: asyncio.sleep(
                0, w.publisher.metrics.republished.labels("registry")._value.get()
            ),
            until=lambda n: n >= 20,
            timeout_s=60,
            what="the outbox queued again",
        )
        applied = await eventually(
            w.applied, until=lambda rows: len(rows) >= 23, timeout_s=90, what="all 23 applied"
        )

        # A consumer that starts only now, on an empty database, rebuilds the same state from
        # what the outbox re-published.
        late = await start_consumer(
            await make_database_url("late"), broker.bootstrap_servers, purpose="late-ledger"
        )
        try:
            late_world = World(publisher=w.publisher, consumer=late)
            late_applied = await eventually(
                late_world.applied,
                until=lambda rows: len(rows) >= 23,
                timeout_s=90,
                what="late consumer caught up",
            )
        finally:
            await stop(late)
        await asyncio.sleep(1)
        applied = await w.applied()

    expected = sorted(e.id for e in events)
    assert sorted(r[2] for r in applied) == expected
    assert sorted(r[2] for r in late_applied) == expected
    for rows in (applied, late_applied):
        for account, last in (("a", 13), ("b", 10)):
            assert [seq for acc, seq, _ in rows if acc == account] == list(range(1, last + 1))
