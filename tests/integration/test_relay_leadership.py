"""Two relays on one database: one leads, each event goes out once, and the other takes over."""

import json

from shared.platform.messaging import outbox
from shared.platform.names import REGISTRY_TOPIC
from shared.platform.runtime import Runtime
from tests.integration.ledger import (
    EntryAdded,
    commit_entries,
    kafka_settings,
    start_publisher,
    stop,
)
from tests.integration.topic_reader import read_topic
from tests.support import eventually


async def leading(*runtimes: Runtime) -> list[Runtime]:
    return [r for r in runtimes if r.relay is not None and r.relay.leader]


async def one_leader(*runtimes: Runtime) -> Runtime:
    found = await eventually(
        lambda: leading(*runtimes), until=lambda ls: len(ls) == 1, what="exactly one relay leading"
    )
    return found[0]


async def backlog(runtime: Runtime) -> int:
    async with runtime.engine.connect() as conn:
        return await outbox.backlog(conn)


async def published_seqs(bootstrap_servers: str, *, until_count: int) -> list[tuple[str, int]]:
    """(event id, seq) of every record on the topic, in partition order (one key: one partition)."""
    records = await eventually(
        lambda: read_topic(kafka_settings(bootstrap_servers), REGISTRY_TOPIC),
        until=lambda rs: len(rs) >= until_count,
        what=f"{until_count} records on the topic",
    )
    ordered = sorted(records, key=lambda r: (r.partition, r.offset))
    return [(json.loads(r.value)["id"], json.loads(r.value)["data"]["seq"]) for r in ordered]


async def test_two_relays_on_one_database_elect_one_leader_that_publishes_each_event_once(
    make_database_url, broker
):
    url = await make_database_url("registry")
    first = await start_publisher(url, broker.bootstrap_servers)
    second = await start_publisher(url, broker.bootstrap_servers)
    try:
        await one_leader(first, second)
        committed = []
        for seq in range(1, 21):  # both runtimes commit; only the leader publishes
            committed += await commit_entries(
                first if seq % 2 else second, [EntryAdded(account="a", seq=seq)]
            )
        await eventually(lambda: backlog(first), until=lambda n: n == 0, what="outbox drained")
        published = await published_seqs(broker.bootstrap_servers, until_count=20)
        assert len(await leading(first, second)) == 1
    finally:
        await stop(second)
        await stop(first)

    assert published == [(event.id, seq) for seq, event in enumerate(committed, start=1)]


async def test_when_the_leading_relay_stops_the_other_takes_over_and_publishes_what_follows(
    make_database_url, broker
):
    url = await make_database_url("registry")
    first = await start_publisher(url, broker.bootstrap_servers)
    second = await start_publisher(url, broker.bootstrap_servers)
    try:
        leader = await one_leader(first, second)
        follower = second if leader is first else first
        before = await commit_entries(leader, [EntryAdded(account="a", seq=s) for s in (1, 2, 3)])
        await eventually(lambda: backlog(leader), until=lambda n: n == 0, what="first drained")
        await stop(leader)

        await eventually(lambda: leading(follower), what="the follower leading")
        after = await commit_entries(follower, [EntryAdded(account="a", seq=s) for s in (4, 5)])
        await eventually(lambda: backlog(follower), until=lambda n: n == 0, what="rest drained")
        published = await published_seqs(broker.bootstrap_servers, until_count=5)
    finally:
        await stop(first)
        await stop(second)

    assert published == [(event.id, seq) for seq, event in enumerate(before + after, start=1)]


async def test_a_relay_whose_postgresql_lock_vanished_with_its_connection_steps_down(broker):
    from sqlalchemy import text

    from shared.platform.messaging.leadership import RELAY_LOCK_NAMESPACE
    from tests.support import create_postgres_database, drop_postgres_database

    url = await create_postgres_database()
    first = await start_publisher(url, broker.bootstrap_servers)
    second = await start_publisher(url, broker.bootstrap_servers)
    try:
        leader = await one_leader(first, second)
        async with leader.engine.connect() as conn:  # a failover or an admin kills its backend
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND classid = :ns AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                ),
                {"ns": RELAY_LOCK_NAMESPACE},
            )
        await commit_entries(leader, [EntryAdded(account="a", seq=1)])
        await eventually(lambda: backlog(leader), until=lambda n: n == 0, what="published")
        await eventually(
            lambda: leading(first, second), until=lambda ls: len(ls) == 1, what="one leader again"
        )
        await commit_entries(leader, [EntryAdded(account="a", seq=2)])
        assert [
            seq for _, seq in await published_seqs(broker.bootstrap_servers, until_count=2)
        ] == [1, 2]
        assert len(await leading(first, second)) == 1
    finally:
        await stop(first)
        await stop(second)
        await drop_postgres_database(url)
