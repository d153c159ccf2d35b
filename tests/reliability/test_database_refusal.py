"""A consumer whose PostgreSQL database refuses connections (found by the fault run): an outage
to wait out, never a reason to dead-letter the events that arrive meanwhile."""

from contextlib import asynccontextmanager

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from shared.platform.names import dead_letter_topic
from tests.integration.ledger import EntryAdded, kafka_settings, world
from tests.integration.topic_reader import read_topic
from tests.support import POSTGRES_ADMIN_DSN, eventually, stays

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


@asynccontextmanager
async def refusing_connections(database_url: str):
    """The database refuses new connections and its open ones are terminated, until exit."""
    name = make_url(database_url).database
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()


@pytest.mark.parametrize("database_kind", ["postgresql"])
async def test_events_arriving_while_the_consumers_database_refuses_connections_wait_for_it(
    make_database_url, broker
):
    async with world(make_database_url, broker) as w:
        assert w.consumer is not None
        await w.commit_entries([EntryAdded(account="a", seq=1)])
        await eventually(w.applied_count, until=lambda n: n == 1, what="first entry applied")

        async def dead_letters() -> list:
            return await read_topic(
                kafka_settings(broker.bootstrap_servers), dead_letter_topic("quality")
            )

        async with refusing_connections(str(w.consumer.engine.url)):
            await w.commit_entries([EntryAdded(account="a", seq=2), EntryAdded(account="b", seq=1)])
            # Long enough for every retry the runner makes before it would dead-letter.
            await stays(dead_letters, holds=lambda letters: letters == [], for_s=3.0)
        await eventually(w.applied_count, until=lambda n: n == 3, what="every entry applied")
        assert await dead_letters() == []
